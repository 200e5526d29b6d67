#pragma once
// A single 2-D field view: image + colour bar + title, optional overlay (land mask, refinement map), zoom and pan
// with the mouse (wheel zooms, middle or shift+left drag pans, "r" resets), range and colour map from the context menu.

#include "FieldScene.h"
#include "VtkOpenGLWidget.h"

#include "mrcae/model/Field.h"

#include <memory>

namespace mrcae::widgets
{

class FieldView : public VtkOpenGLWidget
{
  Q_OBJECT

public:
  explicit FieldView(QWidget* parent = nullptr);
  ~FieldView() override;

  FieldScene& scene() { return *scene_; }
  const FieldScene& scene() const { return *scene_; }

  /// Shows snapshot `index` of a field stack; `valid` (h×w, 1 = valid) greys out land cells.
  void showFrame(const mrcae::Field& field, int index, const mrcae::Map2D* valid = nullptr, double scale = 1.0,
                 double offset = 0.0);
  void showMap(const mrcae::Map2D& map, const mrcae::Map2D* valid = nullptr);
  void setTitle(const QString& title);
  void setColormap(ColormapKind kind);
  void setRangeMode(RangeMode mode);
  void setFixedRange(double minimum, double maximum);
  /// Asks for a range with a small dialog (context menu "Set range…").
  void editRange();
  void resetView();

  QSize sizeHint() const override { return QSize(320, 280); }

Q_SIGNALS:
  void rangeChanged(double minimum, double maximum);

protected:
  void prepareRender() override;
  void contextMenuEvent(QContextMenuEvent* event) override;

private:
  std::unique_ptr<FieldScene> scene_;
};

} // namespace mrcae::widgets
