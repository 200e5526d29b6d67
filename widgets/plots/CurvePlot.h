#pragma once
// The error curves of a run painted with QPainter: a true log axis in decades, one line per drawn series, earlier
// runs in grey underneath, dashed stage ends labelled with their stop reasons, and a legend. Vector output when the
// painter is an SVG or PDF device; text scales with the target size (figures for a paper, `mrcae export`).

#include "CurveData.h"
#include "PlotAxes.h"

#include <QImage>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>

class QPainter;

namespace mrcae::widgets
{

class CurvePlot
{
public:
  explicit CurvePlot(CurveData data = {});
  const CurveData& data() const { return data_; }
  /// The curves to draw, changed in place (the chart on screen appends to them as training runs).
  CurveData& data() { return data_; }
  void setTitle(const QString& title) { title_ = title; }
  /// Text height in pixels; 0 (the default) scales it with the target (PlotAxes::fontPixels). A panel of a larger
  /// figure passes the figure's own text size.
  void setFontPixels(int pixels) { fontPixels_ = pixels; }

  void paint(QPainter& painter, const QRect& target) const;
  QImage render(const QSize& size) const;

  /// The rectangle inside `target` that the data occupies (inside the axes).
  QRectF plotArea(const QRect& target) const;
  /// Where (step, error) lands in a plot painted into `target`.
  QPointF toPixel(double step, double error, const QRect& target) const;
  /// The axes for the current data: steps from 0 (linear), errors over whole decades (log).
  PlotAxis xAxis() const;
  PlotAxis yAxis() const;

private:
  CurveData data_;
  int font(const QRect& target) const;

  QString title_;
  int fontPixels_ = 0;
};

} // namespace mrcae::widgets
