#pragma once
// One 2-D field picture inside a VTK render window viewport: the image (viridis by default, invalid cells grey),
// an optional overlay layer (a mask on its own grid, e.g. the code grid of a level), a colour bar and a title.
// FieldView shows one of these; LevelGrid and RefinementView tile several in one window (one GL context).

#include "Colormaps.h"

#include <vtkSmartPointer.h>

#include <QString>

#include <utility>

class vtkImageData;
class vtkImageSlice;
class vtkImageStack;
class vtkLookupTable;
class vtkRenderWindow;
class vtkRenderer;
class vtkScalarBarActor;
class vtkTextActor;

namespace mrcae::widgets
{

enum class RangeMode
{
  Auto,      ///< min..max of the finite values
  Symmetric, ///< −m..m with m = max|v| rounded up to 1, 2 or 5 × 10^k (signed errors)
  Fixed      ///< set by the user
};

class FieldScene
{
public:
  FieldScene();
  ~FieldScene();
  FieldScene(const FieldScene&) = delete;
  FieldScene& operator=(const FieldScene&) = delete;

  void addTo(vtkRenderWindow* window);
  void removeFrom(vtkRenderWindow* window);
  /// Where the scene sits in its window, in normalised window coordinates (0..1, origin bottom left).
  void setViewport(double x0, double y0, double x1, double y1);

  /// Copies an h×w row-major field (row 0 shown at the top). Cells with valid[i] == 0 or non-finite values show
  /// as invalid grey. Values are shown as v·scale + offset (e.g. back in the dataset's units).
  void setField(const float* values, int h, int w, const float* valid = nullptr, double scale = 1.0,
                double offset = 0.0);
  void clearField();
  bool hasField() const { return fieldH_ > 0; }
  int fieldHeight() const { return fieldH_; }
  int fieldWidth() const { return fieldW_; }
  /// The value shown at row i, column j (after scale and offset; NaN for invalid cells).
  float valueAt(int i, int j) const;

  /// An h×w overlay drawn over the field through `lut` (alpha from the table). Overlay cell (a, b) is centred on
  /// field cell (origin + spacing·a, origin + spacing·b): spacing 2, origin 1 puts a code grid on its level.
  void setOverlay(const float* values, int h, int w, vtkLookupTable* lut, double spacing = 1.0, double origin = 0.0);
  void clearOverlay();
  bool hasOverlay() const { return overlayH_ > 0; }

  void setTitle(const QString& title);
  QString title() const { return title_; }
  void setColormap(ColormapKind kind);
  ColormapKind colormap() const { return colormap_; }
  void setRangeMode(RangeMode mode);
  RangeMode rangeMode() const { return rangeMode_; }
  void setFixedRange(double minimum, double maximum);
  /// The range the colours span now.
  std::pair<double, double> range() const { return range_; }
  /// Min and max of the finite values of the field.
  std::pair<double, double> dataRange() const { return dataRange_; }

  /// Set when the user picked the range or colour map of this picture: views then leave them alone.
  void setUserChoice(bool chosen) { userChoice_ = chosen; }
  bool userChoice() const { return userChoice_; }
  /// True when the window pixel (x, y from the bottom left) lies in this scene's viewport.
  bool contains(int x, int y) const;

  void setColorBarVisible(bool visible);
  /// Titles and colour-bar labels; rendering tests turn them off so that baselines hold no text.
  void setTextVisible(bool visible);
  void setFontSize(int points);
  void setBackground(double r, double g, double b);

  /// Fits the image into its viewport (called before each render; keeps a zoom until the size changes).
  void fitCamera(bool force = false);
  vtkRenderer* imageRenderer() const;
  vtkRenderer* annotationRenderer() const;

private:
  /// Puts the picture in its part of the cell: below the title, left of the colour bar.
  void placeImage();
  void updateRange();
  void updateVisibility();

  vtkSmartPointer<vtkRenderer> annotation_;
  vtkSmartPointer<vtkRenderer> image_;
  vtkSmartPointer<vtkImageData> fieldData_;
  vtkSmartPointer<vtkImageData> overlayData_;
  vtkSmartPointer<vtkImageSlice> fieldSlice_;
  vtkSmartPointer<vtkImageSlice> overlaySlice_;
  vtkSmartPointer<vtkImageStack> stack_;
  vtkSmartPointer<vtkLookupTable> lut_;
  vtkSmartPointer<vtkScalarBarActor> colorBar_;
  vtkSmartPointer<vtkTextActor> titleActor_;

  QString title_;
  ColormapKind colormap_ = ColormapKind::Viridis;
  RangeMode rangeMode_ = RangeMode::Auto;
  std::pair<double, double> fixedRange_{0.0, 1.0};
  std::pair<double, double> range_{0.0, 1.0};
  std::pair<double, double> dataRange_{0.0, 1.0};
  int fieldH_ = 0;
  int fieldW_ = 0;
  int overlayH_ = 0;
  int overlayW_ = 0;
  bool colorBarVisible_ = true;
  bool textVisible_ = true;
  bool userChoice_ = false;
  int fittedSize_[4] = {0, 0, 0, 0}; ///< viewport pixels and image size of the last fit
};

} // namespace mrcae::widgets
