#pragma once
// The one axis implementation of the QPainter charts (curves, benchmark, error versus bytes, error per snapshot,
// paper figure): a linear or base-10 logarithmic axis (PlotAxis), where its ticks go and how they read, and the
// painting of a chart's frame (grid, ticks, labels, axis titles, title). Text scales with the target size.

#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QString>

#include <utility>
#include <vector>

class QPainter;

namespace mrcae::widgets
{

/// One axis of a chart: the values it spans, linear or logarithmic, mapped to 0..1 along its length.
class PlotAxis
{
public:
  enum class Scale
  {
    Linear,
    Log ///< base 10, over whole decades
  };

  struct Tick
  {
    double value = 0;
    QString label; ///< empty: a grid line without a label (minor lines, skipped decades)
    bool minor = false;
  };

  PlotAxis() = default;
  /// A linear axis over [lo, hi]; an empty span is widened so that the axis stays drawable.
  static PlotAxis linear(double lo, double hi);
  /// A logarithmic axis over exactly [lo, hi] (both positive).
  static PlotAxis logarithmic(double lo, double hi);
  /// A logarithmic axis over the whole decades around the positive values lo..hi (at least one decade); over
  /// [fallbackLo, fallbackHi] when lo..hi holds no positive finite range.
  static PlotAxis decades(double lo, double hi, double fallbackLo = 1e-4, double fallbackHi = 1.0);
  /// [10^a, 10^b]: the whole decades around the positive values lo..hi, b > a.
  static std::pair<double, double> wholeDecades(double lo, double hi);

  Scale scale() const { return scale_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  /// Where `value` lies along the axis: 0 at lo, 1 at hi (in log10 on a log axis).
  double fraction(double value) const;
  /// Ticks for an axis `lengthPx` long whose labels need `labelPx` pixels each: 1, 2 or 5 × 10^k steps on a
  /// linear axis; decades on a log axis (every k-th labelled when they crowd), with unlabelled minor lines at
  /// 2..9 × 10^d when every decade is labelled.
  std::vector<Tick> ticks(double lengthPx, double labelPx) const;

private:
  Scale scale_ = Scale::Linear;
  double lo_ = 0.0;
  double hi_ = 1.0;
};

class PlotAxes
{
public:
  /// The texts around a chart (empty ones are left out).
  struct Titles
  {
    QString x;
    QString y;
    QString chart; ///< above the plot area, bold, shortened to fit
  };

  /// A tick step of 1, 2 or 5 times a power of ten that gives about `wanted` intervals over `span`.
  static double niceStep(double span, int wanted);
  /// `v` with as many decimals as `step` needs, and no "-0".
  static QString tickLabel(double v, double step);
  /// Text height for a chart painted into `target`: about 1/40 of its shorter side, never below 9 px, so that a
  /// figure exported at twice the size has twice the text.
  static int fontPixels(const QRect& target);
  /// 10^d as "1e-3", the labels of log axes.
  static QString decadeLabel(int d);
  /// The plot area inside `target` with margins in units of the text height `font`.
  static QRectF area(const QRect& target, double font, double left, double top, double right, double bottom);
  /// Where (x, y) lands in `area`.
  static QPointF toPixel(const QRectF& area, const PlotAxis& x, const PlotAxis& y, double xValue, double yValue);
  /// Paints the chart's frame into `target` (white background): the grid and the ticks of both axes with their
  /// labels, the box around `area`, the axis titles and the chart title. `font` is the text height in pixels.
  static void paintFrame(QPainter& painter, const QRect& target, const QRectF& area, const PlotAxis& x,
                         const PlotAxis& y, int font, const Titles& titles);
};

} // namespace mrcae::widgets
