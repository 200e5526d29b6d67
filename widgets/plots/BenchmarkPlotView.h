#pragma once
// A BenchmarkPlot on screen: the same QPainter chart the exports and the command-line tool write, repainted
// when the table grows.

#include "BenchmarkPlot.h"

#include <QWidget>

namespace mrcae::widgets
{

class BenchmarkPlotView : public QWidget
{
  Q_OBJECT

public:
  explicit BenchmarkPlotView(BenchmarkPlot::XAxis axis, QWidget* parent = nullptr);

  void setSeries(std::vector<BenchmarkSeries> series);
  const BenchmarkPlot& plot() const { return plot_; }
  QSize sizeHint() const override { return {480, 360}; }
  QSize minimumSizeHint() const override { return {240, 180}; }

protected:
  void paintEvent(QPaintEvent* event) override;

private:
  BenchmarkPlot plot_;
};

} // namespace mrcae::widgets
