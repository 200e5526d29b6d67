#include "BenchmarkPlot.h"
#include "PlotAxes.h"
#include "PlotLegend.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mrcae::widgets
{

namespace
{

bool plottable(const mrcae::StageRecord& s)
{
  return std::isfinite(s.bestGlobalVal) && s.bestGlobalVal > 0.0;
}

} // namespace

void BenchmarkPlot::drawMarker(QPainter& p, Marker marker, const QPointF& c, double r)
{
  switch (marker)
  {
  case Marker::Circle: p.drawEllipse(c, r, r); break;
  case Marker::Square: p.drawRect(QRectF(c.x() - 0.9 * r, c.y() - 0.9 * r, 1.8 * r, 1.8 * r)); break;
  case Marker::Triangle:
    p.drawPolygon(QPolygonF({QPointF(c.x(), c.y() - 1.15 * r), QPointF(c.x() + 1.1 * r, c.y() + 0.75 * r),
                             QPointF(c.x() - 1.1 * r, c.y() + 0.75 * r)}));
    break;
  case Marker::Diamond:
    p.drawPolygon(QPolygonF({QPointF(c.x(), c.y() - 1.2 * r), QPointF(c.x() + 1.2 * r, c.y()),
                             QPointF(c.x(), c.y() + 1.2 * r), QPointF(c.x() - 1.2 * r, c.y())}));
    break;
  }
}

BenchmarkPlot::BenchmarkPlot(XAxis axis) : axis_(axis) {}

void BenchmarkPlot::setSeries(std::vector<BenchmarkSeries> series)
{
  series_ = std::move(series);
}

BenchmarkPlot::Style BenchmarkPlot::styleFor(const QString& method, int index)
{
  // Colour-blind-safe (Okabe–Ito) colours, one marker shape per method so that print in grey still works.
  static const QColor blue(0, 114, 178), orange(230, 159, 0), green(0, 158, 115), red(213, 94, 0),
      purple(204, 121, 167), sky(86, 180, 233);
  for (mrcae::Method m : mrcae::allValues<mrcae::Method>())
  {
    if (method != QString::fromStdString(mrcae::displayName(m)))
    {
      continue;
    }
    switch (m)
    {
    case mrcae::Method::MrcaePr: return {blue, Marker::Circle};
    case mrcae::Method::MrcaeRelu: return {orange, Marker::Square};
    case mrcae::Method::RedNet: return {green, Marker::Triangle};
    case mrcae::Method::RedNetRelu: return {red, Marker::Diamond};
    case mrcae::Method::Pod: return {purple, Marker::Square};
    case mrcae::Method::ZfpAccuracy: return {sky, Marker::Triangle};
    case mrcae::Method::ZfpRate: return {QColor(90, 90, 90), Marker::Diamond};
    }
  }
  const QColor others[] = {purple, sky, blue, orange, green, red};
  const Marker shapes[] = {Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond};
  const int i = std::max(0, index);
  return {others[i % 6], shapes[i % 4]};
}

double BenchmarkPlot::xValue(const mrcae::StageRecord& s) const
{
  return axis_ == XAxis::Parameters ? static_cast<double>(s.params) : static_cast<double>(s.encodingSize);
}

BenchmarkPlot::Range BenchmarkPlot::xRange() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& series : series_)
  {
    for (const auto& s : series.stages)
    {
      if (plottable(s))
      {
        lo = std::min(lo, xValue(s));
        hi = std::max(hi, xValue(s));
      }
    }
  }
  if (!std::isfinite(lo))
  {
    return {0.0, 100.0};
  }
  // Counts start at zero in the paper's figures; keep zero in view unless the data sit far from it.
  if (lo >= 0.0 && lo < 0.5 * hi)
  {
    lo = 0.0;
  }
  const double pad = hi > lo ? 0.05 * (hi - lo) : std::max(1.0, 0.1 * std::abs(hi));
  return {lo == 0.0 ? 0.0 : lo - pad, hi + pad};
}

BenchmarkPlot::Range BenchmarkPlot::yRange() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& series : series_)
  {
    for (const auto& s : series.stages)
    {
      if (plottable(s))
      {
        lo = std::min(lo, std::log(s.bestGlobalVal));
        hi = std::max(hi, std::log(s.bestGlobalVal));
      }
    }
  }
  if (!std::isfinite(lo))
  {
    return {-10.0, -4.0};
  }
  const double pad = hi > lo ? 0.08 * (hi - lo) : 0.5;
  return {lo - pad, hi + pad};
}

QRectF BenchmarkPlot::plotArea(const QRect& target) const
{
  return PlotAxes::area(target, PlotAxes::fontPixels(target), 6.0, 2.6, 1.5, 3.6);
}

QPointF BenchmarkPlot::toPixel(double x, double lnError, const QRect& target) const
{
  const Range xr = xRange(), yr = yRange();
  return PlotAxes::toPixel(plotArea(target), PlotAxis::linear(xr.lo, xr.hi), PlotAxis::linear(yr.lo, yr.hi), x,
                           lnError);
}

void BenchmarkPlot::paint(QPainter& p, const QRect& target) const
{
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const int f = PlotAxes::fontPixels(target);
  const QRectF area = plotArea(target);
  const Range xr = xRange(), yr = yRange();
  const QString xTitle =
      axis_ == XAxis::Parameters ? QStringLiteral("number of parameters") : QStringLiteral("size of encoding");
  // The chart title is shortened to fit a narrow view: the axis titles carry the full names.
  PlotAxes::paintFrame(
      p, target, area, PlotAxis::linear(xr.lo, xr.hi), PlotAxis::linear(yr.lo, yr.hi), f,
      {xTitle, QStringLiteral("ln(best global validation error)"), QStringLiteral("ln(val err) vs ") + xTitle});
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);
  const QFontMetricsF fm(font);
  const QColor axisColor(60, 60, 60);

  // Lines between the stages of a method, then its markers on top.
  const double r = 0.42 * f;
  bool anyPoint = false;
  p.setClipRect(area.adjusted(-r - 2, -r - 2, r + 2, r + 2));
  for (size_t i = 0; i < series_.size(); ++i)
  {
    const Style style = styleFor(series_[i].method, static_cast<int>(i));
    QPolygonF line;
    for (const auto& s : series_[i].stages)
    {
      if (plottable(s))
      {
        line << toPixel(xValue(s), std::log(s.bestGlobalVal), target);
      }
    }
    anyPoint = anyPoint || !line.isEmpty();
    p.setPen(QPen(style.color, std::max(1.5, f / 7.0)));
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(line);
    p.setPen(QPen(style.color.darker(150), std::max(1.0, f / 14.0)));
    p.setBrush(style.color);
    for (const QPointF& c : line)
    {
      drawMarker(p, style.marker, c, r);
    }
  }
  p.setClipping(false);
  if (!anyPoint)
  {
    p.setPen(QColor(120, 120, 120));
    p.drawText(area, Qt::AlignCenter, QStringLiteral("no finished stages yet"));
  }

  // Legend, in the corner that hides the fewest points; top-right first, where the paper's falling curves leave
  // room.
  std::vector<LegendRow> rows;
  for (size_t i = 0; i < series_.size(); ++i)
  {
    rows.push_back(legendRow(series_[i].method, static_cast<int>(i), f));
  }
  const PlotLegend legend(std::move(rows), f, 1.5, 2.4);
  if (!legend.empty())
  {
    const double pad = 0.5 * f;
    const QSizeF boxSize = legend.size(fm);
    const QRectF corners[] = {
        QRectF(QPointF(area.right() - pad - boxSize.width(), area.top() + pad), boxSize),
        QRectF(QPointF(area.left() + pad, area.bottom() - pad - boxSize.height()), boxSize),
        QRectF(QPointF(area.right() - pad - boxSize.width(), area.bottom() - pad - boxSize.height()), boxSize),
        QRectF(QPointF(area.left() + pad, area.top() + pad), boxSize)};
    QRectF box = corners[0];
    int fewest = std::numeric_limits<int>::max();
    for (const QRectF& candidate : corners)
    {
      int hidden = 0;
      for (const auto& series : series_)
      {
        for (const auto& s : series.stages)
        {
          hidden += plottable(s) &&
                    candidate.adjusted(-r, -r, r, r).contains(toPixel(xValue(s), std::log(s.bestGlobalVal), target));
        }
      }
      if (hidden < fewest)
      {
        fewest = hidden;
        box = candidate;
      }
    }
    legend.paint(p, box, axisColor);
  }
  p.restore();
}

LegendRow BenchmarkPlot::legendRow(const QString& method, int index, double font)
{
  const Style style = styleFor(method, index);
  const double radius = 0.42 * font;
  return {method, QPen(style.color, std::max(1.5, font / 7.0)), [style, radius, font](QPainter& p, const QPointF& c) {
            p.setPen(QPen(style.color.darker(150), std::max(1.0, font / 14.0)));
            p.setBrush(style.color);
            drawMarker(p, style.marker, c, radius);
          }};
}

QImage BenchmarkPlot::render(const QSize& size) const
{
  return chartImage(size, [this](QPainter& painter, const QRect& target) { paint(painter, target); });
}

bool BenchmarkPlot::savePng(const QString& path, const QSize& size) const
{
  return render(size).save(path, "PNG");
}

} // namespace mrcae::widgets
