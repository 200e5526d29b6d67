#pragma once
// Tick spacing, tick labels and text size shared by the QPainter charts (BenchmarkPlot, CurvePlot, PaperFigure).

#include <QRect>
#include <QString>

namespace mrcae::widgets
{

class PlotAxes
{
public:
  /// A tick step of 1, 2 or 5 times a power of ten that gives about `wanted` intervals over `span`.
  static double niceStep(double span, int wanted);
  /// `v` with as many decimals as `step` needs, and no "-0".
  static QString tickLabel(double v, double step);
  /// Text height for a chart painted into `target`: about 1/40 of its shorter side, never below 9 px, so that a
  /// figure exported at twice the size has twice the text.
  static int fontPixels(const QRect& target);
  /// 10^d as "1e-3", the labels of log axes.
  static QString decadeLabel(int d);
};

} // namespace mrcae::widgets
