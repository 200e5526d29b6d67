#pragma once
// The benchmark's error-versus-bytes figure (issue 16): every method on one chart, the global validation error
// against the bytes a snapshot takes, both axes logarithmic (decades). One point per MrCAE or RED-Net stage and
// per POD / ZFP setting matched to it; methods keep the BenchmarkPlot colours and markers. A dashed line marks
// the raw float32 snapshot. QPainter only: the command-line tool writes it without a display.

#include "PlotAxes.h"

#include "mrcae/model/BenchmarkTable.h"

#include <QImage>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>

#include <vector>

class QPainter;

namespace mrcae::widgets
{

/// One method's points: x = bytes per snapshot, y = error.
struct BytesSeries
{
  QString method;
  std::vector<QPointF> points;
};

class ErrorBytesPlot
{
public:
  /// Every run of a benchmark table as a series, x = what a snapshot costs when `snapshots` snapshots are stored:
  /// its own bytes (a trained stage's codes, a compressor setting's) plus the once-stored bytes (weights, POD's
  /// modes, ZFP's header) shared among them; y = the global validation error. Compressor settings that did not
  /// fit and methods without a point are left out. `snapshots` <= 0: the snapshot's own bytes only.
  static std::vector<BytesSeries> seriesOf(const mrcae::BenchmarkTable& table, int snapshots);

  void setSeries(std::vector<BytesSeries> series);
  const std::vector<BytesSeries>& series() const { return series_; }
  /// Bytes of one raw float32 snapshot (0: no line).
  void setRawBytes(double bytes) { rawBytes_ = bytes; }
  void setXLabel(const QString& label) { xLabel_ = label; }
  void setYLabel(const QString& label) { yLabel_ = label; }

  void paint(QPainter& painter, const QRect& target) const;
  QImage render(const QSize& size) const;
  bool savePng(const QString& path, const QSize& size) const;

  QRectF plotArea(const QRect& target) const;
  /// Where (bytes, error) lands in a chart painted into `target`.
  QPointF toPixel(double bytes, double error, const QRect& target) const;

private:
  PlotAxis xAxis() const; ///< bytes, over whole decades
  PlotAxis yAxis() const; ///< errors, over whole decades

  std::vector<BytesSeries> series_;
  double rawBytes_ = 0;
  QString xLabel_ = QStringLiteral("bytes per snapshot (+ its share of the bytes stored once)");
  QString yLabel_ = QStringLiteral("global validation error");
};

} // namespace mrcae::widgets
