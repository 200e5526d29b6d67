#include "ErrorBytesView.h"

#include <QPainter>

namespace mrcae::widgets
{

ErrorBytesView::ErrorBytesView(QWidget* parent) : QWidget(parent)
{
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ErrorBytesView::setSeries(std::vector<BytesSeries> series)
{
  plot_.setSeries(std::move(series));
  update();
}

void ErrorBytesView::setRawBytes(double bytes)
{
  plot_.setRawBytes(bytes);
  update();
}

void ErrorBytesView::paintEvent(QPaintEvent*)
{
  QPainter painter(this);
  plot_.paint(painter, rect());
}

} // namespace mrcae::widgets
