#include "BenchmarkPlotView.h"

#include <QPainter>

namespace mrcae::widgets
{

BenchmarkPlotView::BenchmarkPlotView(BenchmarkPlot::XAxis axis, QWidget* parent) : QWidget(parent), plot_(axis)
{
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void BenchmarkPlotView::setSeries(std::vector<BenchmarkSeries> series)
{
  plot_.setSeries(std::move(series));
  update();
}

void BenchmarkPlotView::paintEvent(QPaintEvent*)
{
  QPainter painter(this);
  plot_.paint(painter, rect());
}

} // namespace mrcae::widgets
