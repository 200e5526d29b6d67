#include <vtkCamera.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSlice.h>
#include <vtkImageSliceMapper.h>
#include <vtkImageStack.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include "FieldScene.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mrcae::widgets
{

namespace
{

vtkSmartPointer<vtkImageSlice> makeSlice(vtkImageData* data, int layer)
{
  auto mapper = vtkSmartPointer<vtkImageSliceMapper>::New();
  mapper->SetInputData(data);
  auto slice = vtkSmartPointer<vtkImageSlice>::New();
  slice->SetMapper(mapper);
  vtkImageProperty* p = slice->GetProperty();
  p->SetInterpolationTypeToNearest(); // a model's pixels are data, not something to smooth
  p->UseLookupTableScalarRangeOn();
  p->SetLayerNumber(layer);
  return slice;
}

/// Fills `image` with an h×w row-major array, row 0 at the top (VTK's y axis points up).
template <typename Fn>
void fillImage(vtkImageData* image, int h, int w, Fn valueOf)
{
  int* dims = image->GetDimensions();
  if (dims[0] != w || dims[1] != h)
  {
    image->SetDimensions(w, h, 1);
    image->AllocateScalars(VTK_FLOAT, 1);
  }
  auto* out = static_cast<float*>(image->GetScalarPointer());
  for (int i = 0; i < h; ++i)
  {
    float* row = out + static_cast<size_t>(h - 1 - i) * w;
    for (int j = 0; j < w; ++j)
    {
      row[j] = valueOf(i, j);
    }
  }
  image->Modified();
}

} // namespace

FieldScene::FieldScene()
  : annotation_(vtkSmartPointer<vtkRenderer>::New()), image_(vtkSmartPointer<vtkRenderer>::New()),
    fieldData_(vtkSmartPointer<vtkImageData>::New()), overlayData_(vtkSmartPointer<vtkImageData>::New()),
    stack_(vtkSmartPointer<vtkImageStack>::New()), colorBar_(vtkSmartPointer<vtkScalarBarActor>::New()),
    titleActor_(vtkSmartPointer<vtkTextActor>::New())
{
  // Layer 0: background, title and colour bar over the whole cell. Layer 1: the image in its own sub-viewport,
  // so that zoom and pan stay inside the picture and leave the colour bar alone.
  annotation_->SetLayer(0);
  annotation_->SetInteractive(false);
  annotation_->SetBackground(1.0, 1.0, 1.0);
  image_->SetLayer(1);
  image_->GetActiveCamera()->ParallelProjectionOn();

  fieldData_->SetDimensions(1, 1, 1);
  fieldData_->AllocateScalars(VTK_FLOAT, 1);
  overlayData_->SetDimensions(1, 1, 1);
  overlayData_->AllocateScalars(VTK_FLOAT, 1);
  fieldSlice_ = makeSlice(fieldData_, 0);
  overlaySlice_ = makeSlice(overlayData_, 1);
  stack_->AddImage(fieldSlice_);
  stack_->AddImage(overlaySlice_);
  stack_->SetActiveLayer(0);
  image_->AddViewProp(stack_);

  lut_ = Colormaps::create(colormap_, 0.0, 1.0);
  fieldSlice_->GetProperty()->SetLookupTable(lut_);

  colorBar_->SetLookupTable(lut_);
  colorBar_->SetNumberOfLabels(3);
  colorBar_->SetLabelFormat("%-#6.3g");
  colorBar_->SetOrientationToVertical();
  colorBar_->UnconstrainedFontSizeOn();
  colorBar_->SetBarRatio(0.3);
  colorBar_->SetTextPad(2);
  colorBar_->DrawFrameOff();
  colorBar_->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  colorBar_->GetPositionCoordinate()->SetValue(0.80, 0.05);
  colorBar_->GetPosition2Coordinate()->SetCoordinateSystemToNormalizedViewport();
  colorBar_->SetPosition2(0.19, 0.80);
  for (vtkTextProperty* tp : {colorBar_->GetLabelTextProperty(), titleActor_->GetTextProperty()})
  {
    tp->SetColor(0.1, 0.1, 0.1);
    tp->SetFontFamilyToArial();
    tp->BoldOff();
    tp->ItalicOff();
    tp->ShadowOff();
  }
  annotation_->AddViewProp(colorBar_);

  titleActor_->GetTextProperty()->SetJustificationToLeft();
  titleActor_->GetTextProperty()->SetVerticalJustificationToTop();
  titleActor_->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  titleActor_->SetPosition(0.03, 0.975);
  annotation_->AddViewProp(titleActor_);
  setFontSize(11);
  setViewport(0, 0, 1, 1);
  updateVisibility();
}

FieldScene::~FieldScene() = default;

vtkRenderer* FieldScene::imageRenderer() const
{
  return image_;
}

vtkRenderer* FieldScene::annotationRenderer() const
{
  return annotation_;
}

void FieldScene::addTo(vtkRenderWindow* window)
{
  if (window->GetNumberOfLayers() < 2)
  {
    window->SetNumberOfLayers(2);
  }
  window->AddRenderer(annotation_);
  window->AddRenderer(image_);
}

void FieldScene::removeFrom(vtkRenderWindow* window)
{
  window->RemoveRenderer(image_);
  window->RemoveRenderer(annotation_);
}

void FieldScene::setViewport(double x0, double y0, double x1, double y1)
{
  annotation_->SetViewport(x0, y0, x1, y1);
  placeImage();
  fittedSize_[0] = -1; // refit at the next render
}

void FieldScene::placeImage()
{
  // The picture takes the left part below the title; the colour bar the right fifth. The title needs a line of
  // its pixel height: in a short cell (stacked views) a fixed share of the cell would be less than that.
  double top = textVisible_ ? 0.86 : 0.98;
  const int cellH = annotation_->GetSize()[1];
  if (textVisible_ && !title_.isEmpty() && cellH > 0)
  {
    // Font sizes are points: the render window's DPI (72 × device pixel ratio, or the export's scale) makes pixels.
    vtkRenderWindow* window = annotation_->GetRenderWindow();
    const double pixelsPerPoint = window ? window->GetDPI() / 72.0 : 1.0;
    const double line = (1.5 * titleActor_->GetTextProperty()->GetFontSize() + 2.0) * pixelsPerPoint;
    top = std::clamp(1.0 - line / cellH, 0.4, 0.86);
  }
  const double* a = annotation_->GetViewport();
  const double w = a[2] - a[0];
  const double h = a[3] - a[1];
  const double right = colorBarVisible_ ? 0.78 : 0.98;
  image_->SetViewport(a[0] + 0.02 * w, a[1] + 0.03 * h, a[0] + right * w, a[1] + top * h);
}

void FieldScene::setField(const float* values, int h, int w, const float* valid, double scale, double offset)
{
  if (!values || h <= 0 || w <= 0)
  {
    clearField();
    return;
  }
  const float nan = std::numeric_limits<float>::quiet_NaN();
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  fillImage(fieldData_, h, w, [&](int i, int j) {
    const size_t k = static_cast<size_t>(i) * w + j;
    const float v = values[k];
    if ((valid && valid[k] == 0.0f) || !std::isfinite(v))
    {
      return nan;
    }
    const double shown = v * scale + offset;
    lo = std::min(lo, shown);
    hi = std::max(hi, shown);
    return static_cast<float>(shown);
  });
  if (!(lo <= hi))
  {
    lo = 0.0;
    hi = 1.0;
  }
  dataRange_ = {lo, hi};
  if (fieldH_ != h || fieldW_ != w)
  {
    fittedSize_[0] = -1;
  }
  fieldH_ = h;
  fieldW_ = w;
  updateRange();
  updateVisibility();
}

void FieldScene::clearField()
{
  fieldH_ = fieldW_ = 0;
  clearOverlay();
  updateVisibility();
}

float FieldScene::valueAt(int i, int j) const
{
  if (i < 0 || j < 0 || i >= fieldH_ || j >= fieldW_)
  {
    return std::numeric_limits<float>::quiet_NaN();
  }
  const auto* data = static_cast<const float*>(fieldData_->GetScalarPointer());
  return data[static_cast<size_t>(fieldH_ - 1 - i) * fieldW_ + j];
}

void FieldScene::setOverlay(const float* values, int h, int w, vtkLookupTable* lut, double spacing, double origin)
{
  if (!values || h <= 0 || w <= 0 || !lut)
  {
    clearOverlay();
    return;
  }
  fillImage(overlayData_, h, w, [&](int i, int j) { return values[static_cast<size_t>(i) * w + j]; });
  overlayData_->SetSpacing(spacing, spacing, 1.0);
  // Rows are flipped like the field's: field row r sits at y = fieldH − 1 − r, so the overlay's first (top) row
  // must land on field row `origin`.
  const double yOrigin = (fieldH_ > 0 ? fieldH_ - 1 : spacing * (h - 1)) - origin - spacing * (h - 1);
  overlayData_->SetOrigin(origin, yOrigin, 0.01);
  overlaySlice_->GetProperty()->SetLookupTable(lut);
  overlayH_ = h;
  overlayW_ = w;
  updateVisibility();
}

void FieldScene::clearOverlay()
{
  overlayH_ = overlayW_ = 0;
  updateVisibility();
}

void FieldScene::setTitle(const QString& title)
{
  if (title == title_ && !title.isEmpty())
  {
    return; // an unchanged title must not be rasterised again
  }
  title_ = title;
  titleActor_->SetInput(title.toUtf8().constData());
  updateVisibility();
}

void FieldScene::setColormap(ColormapKind kind)
{
  colormap_ = kind;
  lut_ = Colormaps::create(kind, range_.first, range_.second);
  fieldSlice_->GetProperty()->SetLookupTable(lut_);
  colorBar_->SetLookupTable(lut_);
}

void FieldScene::setRangeMode(RangeMode mode)
{
  rangeMode_ = mode;
  updateRange();
}

void FieldScene::setFixedRange(double minimum, double maximum)
{
  if (maximum < minimum)
  {
    std::swap(minimum, maximum);
  }
  fixedRange_ = {minimum, maximum};
  rangeMode_ = RangeMode::Fixed;
  updateRange();
}

void FieldScene::updateRange()
{
  std::pair<double, double> r = dataRange_;
  if (rangeMode_ == RangeMode::Symmetric)
  {
    // Rounded up to 1, 2 or 5 × 10^k: the colours and labels stay put while the error shrinks a little,
    // and the colour bar reads cleanly.
    const double nice = ColorRamp::niceUp(std::max(std::abs(r.first), std::abs(r.second)));
    r = {-nice, nice};
  }
  else if (rangeMode_ == RangeMode::Fixed)
  {
    r = fixedRange_;
  }
  if (!(r.second > r.first))
  {
    // A constant picture (e.g. a zero error): give it a visible, centred range.
    const double pad = std::max(1e-12, std::abs(r.first) * 1e-3);
    r = {r.first - pad, r.second + pad};
  }
  if (r == range_ && lut_->GetRange()[0] == r.first && lut_->GetRange()[1] == r.second)
  {
    return; // same colours: no new colour-bar labels to rasterise
  }
  range_ = r;
  lut_->SetTableRange(r.first, r.second);
  colorBar_->Modified();
}

bool FieldScene::contains(int x, int y) const
{
  return annotation_->IsInViewport(x, y) != 0;
}

void FieldScene::setColorBarVisible(bool visible)
{
  colorBarVisible_ = visible;
  double* v = annotation_->GetViewport();
  setViewport(v[0], v[1], v[2], v[3]);
  updateVisibility();
}

void FieldScene::setTextVisible(bool visible)
{
  textVisible_ = visible;
  colorBar_->SetDrawTickLabels(visible);
  double* v = annotation_->GetViewport();
  setViewport(v[0], v[1], v[2], v[3]);
  updateVisibility();
}

void FieldScene::setFontSize(int points)
{
  titleActor_->GetTextProperty()->SetFontSize(points);
  colorBar_->GetLabelTextProperty()->SetFontSize(std::max(6, points - 1));
}

void FieldScene::setBackground(double r, double g, double b)
{
  annotation_->SetBackground(r, g, b);
}

void FieldScene::updateVisibility()
{
  const bool field = fieldH_ > 0;
  fieldSlice_->SetVisibility(field);
  overlaySlice_->SetVisibility(field && overlayH_ > 0);
  colorBar_->SetVisibility(field && colorBarVisible_);
  titleActor_->SetVisibility(textVisible_ && !title_.isEmpty());
}

void FieldScene::fitCamera(bool force)
{
  if (fieldH_ <= 0)
  {
    return;
  }
  placeImage(); // the cell's pixel size and the title are known now
  const int* size = image_->GetSize();
  if (size[0] <= 0 || size[1] <= 0)
  {
    return;
  }
  if (!force && fittedSize_[0] == size[0] && fittedSize_[1] == size[1] && fittedSize_[2] == fieldW_ &&
      fittedSize_[3] == fieldH_)
  {
    return;
  }
  fittedSize_[0] = size[0];
  fittedSize_[1] = size[1];
  fittedSize_[2] = fieldW_;
  fittedSize_[3] = fieldH_;
  const double aspect = double(size[0]) / size[1];
  const double cx = 0.5 * (fieldW_ - 1);
  const double cy = 0.5 * (fieldH_ - 1);
  vtkCamera* camera = image_->GetActiveCamera();
  camera->ParallelProjectionOn();
  camera->SetFocalPoint(cx, cy, 0.0);
  camera->SetPosition(cx, cy, 1000.0);
  camera->SetViewUp(0.0, 1.0, 0.0);
  camera->SetParallelScale(std::max(0.5 * fieldH_, 0.5 * fieldW_ / aspect));
  image_->ResetCameraClippingRange();
}

} // namespace mrcae::widgets
