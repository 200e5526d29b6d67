#include <vtkRenderWindow.h>
#include <vtkRendererCollection.h>
#include <vtkUnsignedCharArray.h>

#include "OffscreenRenderer.h"

#include <cstring>

namespace mrcae::widgets
{

OffscreenRenderer::OffscreenRenderer(QSize size, double scale)
  : window_(vtkSmartPointer<vtkRenderWindow>::New()),
    size_(static_cast<int>(size.width() * scale + 0.5), static_cast<int>(size.height() * scale + 0.5))
{
  window_->SetOffScreenRendering(1);
  window_->SetMultiSamples(0);
  window_->SetSize(size_.width(), size_.height());
  // Without its own DPI, text in an offscreen window stays at 72 dpi whatever the scale (pitfall 6).
  window_->SetDPI(static_cast<int>(72 * scale + 0.5));
}

OffscreenRenderer::~OffscreenRenderer()
{
  window_->Finalize();
}

vtkRenderWindow* OffscreenRenderer::renderWindow() const
{
  return window_;
}

QImage OffscreenRenderer::render(const std::function<void()>& beforeRender)
{
  const int w = size_.width();
  const int h = size_.height();
  if (beforeRender)
  {
    beforeRender();
  }
  window_->Render();
  auto pixels = vtkSmartPointer<vtkUnsignedCharArray>::New();
  window_->GetRGBACharPixelData(0, 0, w - 1, h - 1, 1, pixels);
  // Alpha is 0 on the background: RGBX ignores it. VTK's rows start at the bottom.
  QImage image(w, h, QImage::Format_RGBX8888);
  const unsigned char* src = pixels->GetPointer(0);
  for (int y = 0; y < h; ++y)
  {
    std::memcpy(image.scanLine(h - 1 - y), src + static_cast<size_t>(y) * w * 4, static_cast<size_t>(w) * 4);
  }
  return image;
}

} // namespace mrcae::widgets
