#pragma once
// The legend box of the QPainter charts (curves, benchmark, error versus bytes): one row per line, a short
// sample of the line (with the chart's marker where it marks points) and its label, on a translucent white box.
// Also the one way a chart becomes an image (chartImage), so every chart renders and exports alike.

#include <QColor>
#include <QImage>
#include <QPen>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>

#include <functional>
#include <vector>

class QFontMetricsF;
class QPainter;

namespace mrcae::widgets
{

struct LegendRow
{
  QString label;
  QPen line;                                                  ///< the sample line, as the chart draws it
  std::function<void(QPainter&, const QPointF&)> marker = {}; ///< paints the marker at a point; empty: none
};

class PlotLegend
{
public:
  /// Rows `rowHeight` and samples `sampleWidth` text heights (`font` pixels) tall and wide.
  PlotLegend(std::vector<LegendRow> rows, double font, double rowHeight, double sampleWidth);

  bool empty() const { return rows_.empty(); }
  /// The size of the box for labels measured with `metrics`.
  QSizeF size(const QFontMetricsF& metrics) const;
  /// The box of size() in the top-right corner of `area`, half a text height in from its edges.
  QRectF topRight(const QRectF& area, const QFontMetricsF& metrics) const;
  /// Paints the box and its rows into `box`; labels in `textColor`.
  void paint(QPainter& painter, const QRectF& box, const QColor& textColor) const;

private:
  std::vector<LegendRow> rows_;
  double font_;
  double rowHeight_;
  double sampleWidth_;
};

/// A white image of exactly `size` pixels with `paint(painter, whole image)` on it.
QImage chartImage(const QSize& size, const std::function<void(QPainter&, const QRect&)>& paint);

} // namespace mrcae::widgets
