#pragma once
// The paper's benchmark figures (Fig. 10 and 11): ln(best global validation error) against the number of
// parameters or against the size of the encoding, one line + marker style per method, one point per stage.
// Painted with QPainter only (no OpenGL, no VTK), so the command-line tool can write the PNGs headless and the
// GUI can paint the same chart into a widget.

#include "PlotLegend.h"
#include "mrcae/model/TrainingTypes.h"

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QSize>
#include <QString>

#include <vector>

class QPainter;

namespace mrcae::widgets
{

/// One method's finished stages, in the order they ran.
struct BenchmarkSeries
{
  QString method;
  std::vector<mrcae::StageRecord> stages;
};

class BenchmarkPlot
{
public:
  enum class XAxis
  {
    Parameters,  ///< StageRecord::params (Fig. 10)
    EncodingSize ///< StageRecord::encodingSize (Fig. 11)
  };
  enum class Marker
  {
    Circle,
    Square,
    Triangle,
    Diamond
  };
  struct Style
  {
    QColor color;
    Marker marker = Marker::Circle;
  };

  explicit BenchmarkPlot(XAxis axis = XAxis::Parameters);

  void setSeries(std::vector<BenchmarkSeries> series);
  const std::vector<BenchmarkSeries>& series() const { return series_; }
  XAxis xAxis() const { return axis_; }

  /// Colour and marker of a method: fixed for the four methods of the benchmark, so that the figures of
  /// different runs compare at a glance; other names take the remaining colours in turn.
  static Style styleFor(const QString& method, int index);
  /// A marker of radius about `r` centred on `c`, with the painter's pen and brush.
  static void drawMarker(QPainter& painter, Marker marker, const QPointF& c, double r);
  /// The legend row of a method: its line and marker at text height `font` (benchmark and error-versus-bytes).
  static LegendRow legendRow(const QString& method, int index, double font);

  /// Paints the whole chart (axes, ticks, lines, markers, legend) into `target`; text scales with its size.
  void paint(QPainter& painter, const QRect& target) const;
  /// A white image of exactly `size` pixels with the chart on it.
  QImage render(const QSize& size) const;
  /// Writes render(size) as PNG; false when the file cannot be written.
  bool savePng(const QString& path, const QSize& size) const;

  /// Where a data point lands in a chart painted into `target` (x in the axis' unit, y = ln(error)).
  QPointF toPixel(double x, double lnError, const QRect& target) const;
  /// The rectangle inside `target` that the data occupies (inside the axes).
  QRectF plotArea(const QRect& target) const;

private:
  struct Range
  {
    double lo = 0, hi = 1;
  };
  double xValue(const mrcae::StageRecord& s) const;
  Range xRange() const;
  Range yRange() const;

  XAxis axis_;
  std::vector<BenchmarkSeries> series_;
};

} // namespace mrcae::widgets
