#pragma once
// Renders VTK scenes into a QImage without a widget: figure export at a chosen size and scale, and tests.
// It opens its own offscreen GLX window, so it needs an X display like the widgets (notes/qt6-vtk.md §6).

#include <vtkSmartPointer.h>

#include <QImage>
#include <QSize>

#include <functional>

class vtkRenderWindow;

namespace mrcae::widgets
{

class OffscreenRenderer
{
public:
  /// `scale` multiplies the pixel size and the DPI together, so that text grows with the picture.
  explicit OffscreenRenderer(QSize size, double scale = 1.0);
  ~OffscreenRenderer();
  OffscreenRenderer(const OffscreenRenderer&) = delete;
  OffscreenRenderer& operator=(const OffscreenRenderer&) = delete;

  /// Add renderers (e.g. FieldScene::addTo) to this window before render().
  vtkRenderWindow* renderWindow() const;
  QSize pixelSize() const { return size_; }
  /// Renders once and reads the pixels back; `beforeRender` runs after the window has its size (fit cameras).
  QImage render(const std::function<void()>& beforeRender = {});

private:
  vtkSmartPointer<vtkRenderWindow> window_;
  QSize size_;
};

} // namespace mrcae::widgets
