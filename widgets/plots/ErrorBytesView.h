#pragma once
// An ErrorBytesPlot on screen (the Benchmark tab's third figure): the same QPainter chart the exports and the
// command-line tool write, repainted when the table grows.

#include "ErrorBytesPlot.h"

#include <QWidget>

namespace mrcae::widgets
{

class ErrorBytesView : public QWidget
{
  Q_OBJECT

public:
  explicit ErrorBytesView(QWidget* parent = nullptr);

  void setSeries(std::vector<BytesSeries> series);
  void setRawBytes(double bytes);
  const ErrorBytesPlot& plot() const { return plot_; }
  QSize sizeHint() const override { return {480, 360}; }
  QSize minimumSizeHint() const override { return {240, 180}; }

protected:
  void paintEvent(QPaintEvent* event) override;

private:
  ErrorBytesPlot plot_;
};

} // namespace mrcae::widgets
