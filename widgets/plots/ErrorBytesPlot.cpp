#include "ErrorBytesPlot.h"

#include "BenchmarkPlot.h"
#include "PlotAxes.h"
#include "PlotLegend.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mrcae::widgets
{

namespace
{

bool plottable(const QPointF& p)
{
  return std::isfinite(p.x()) && std::isfinite(p.y()) && p.x() > 0 && p.y() > 0;
}

} // namespace

std::vector<BytesSeries> ErrorBytesPlot::seriesOf(const mrcae::BenchmarkTable& table, int snapshots)
{
  const double share = snapshots > 0 ? 1.0 / snapshots : 0.0;
  std::vector<BytesSeries> out;
  for (const auto& run : table.runs())
  {
    BytesSeries series{QString::fromStdString(mrcae::displayName(run.method)), {}};
    for (const auto& s : run.stages)
    {
      if (s.codeValues > 0)
      {
        series.points.emplace_back(
            4.0 * static_cast<double>(s.codeValues) + 4.0 * static_cast<double>(s.params) * share, s.bestGlobalVal);
      }
    }
    for (const auto& r : run.settings)
    {
      if (r.fits)
      {
        series.points.emplace_back(r.bytesPerSnapshot + static_cast<double>(r.onceBytes) * share, r.val.global);
      }
    }
    if (!series.points.empty())
    {
      out.push_back(std::move(series));
    }
  }
  return out;
}

void ErrorBytesPlot::setSeries(std::vector<BytesSeries> series)
{
  series_ = std::move(series);
}

PlotAxis ErrorBytesPlot::xAxis() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : series_)
  {
    for (const auto& p : s.points)
    {
      if (plottable(p))
      {
        lo = std::min(lo, p.x());
        hi = std::max(hi, p.x());
      }
    }
  }
  if (rawBytes_ > 0)
  {
    lo = std::min(lo, rawBytes_);
    hi = std::max(hi, rawBytes_);
  }
  return PlotAxis::decades(lo, hi, 1e1, 1e5);
}

PlotAxis ErrorBytesPlot::yAxis() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : series_)
  {
    for (const auto& p : s.points)
    {
      if (plottable(p))
      {
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
      }
    }
  }
  return PlotAxis::decades(lo, hi, 1e-5, 1e-1);
}

QRectF ErrorBytesPlot::plotArea(const QRect& target) const
{
  return PlotAxes::area(target, PlotAxes::fontPixels(target), 5.4, 2.6, 1.5, 3.6);
}

QPointF ErrorBytesPlot::toPixel(double bytes, double error, const QRect& target) const
{
  return PlotAxes::toPixel(plotArea(target), xAxis(), yAxis(), bytes, error);
}

void ErrorBytesPlot::paint(QPainter& p, const QRect& target) const
{
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const int f = PlotAxes::fontPixels(target);
  const QRectF area = plotArea(target);
  const PlotAxis yAxis = this->yAxis();
  PlotAxes::paintFrame(p, target, area, xAxis(), yAxis, f,
                       {xLabel_, yLabel_, QStringLiteral("error vs bytes per snapshot")});
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);
  const QFontMetricsF fm(font);
  const QColor axisColor(60, 60, 60);

  if (rawBytes_ > 0)
  {
    const double px = toPixel(rawBytes_, yAxis.lo(), target).x();
    p.setPen(QPen(QColor(120, 120, 120), std::max(1.0, f / 12.0), Qt::DashLine));
    p.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
    p.drawText(QRectF(px - 8.2 * f, area.bottom() - 1.6 * f, 8 * f, 1.4 * f), Qt::AlignRight | Qt::AlignVCenter,
               QStringLiteral("raw float32"));
  }

  const double r = 0.42 * f;
  bool any = false;
  p.setClipRect(area.adjusted(-r - 2, -r - 2, r + 2, r + 2));
  for (size_t i = 0; i < series_.size(); ++i)
  {
    const BenchmarkPlot::Style style = BenchmarkPlot::styleFor(series_[i].method, static_cast<int>(i));
    std::vector<QPointF> points;
    for (const auto& pt : series_[i].points)
    {
      if (plottable(pt))
      {
        points.push_back(pt);
      }
    }
    // A line in order of bytes, so that a method's trade-off reads left to right.
    std::sort(points.begin(), points.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
    QPolygonF line;
    for (const auto& pt : points)
    {
      line << toPixel(pt.x(), pt.y(), target);
    }
    any = any || !line.isEmpty();
    p.setPen(QPen(style.color, std::max(1.5, f / 7.0)));
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(line);
    p.setPen(QPen(style.color.darker(150), std::max(1.0, f / 14.0)));
    p.setBrush(style.color);
    for (const QPointF& c : line)
    {
      BenchmarkPlot::drawMarker(p, style.marker, c, r);
    }
  }
  p.setClipping(false);
  if (!any)
  {
    p.setPen(QColor(120, 120, 120));
    p.drawText(area, Qt::AlignCenter, QStringLiteral("no results yet"));
  }

  // Errors fall with bytes: the top-right corner is usually free.
  std::vector<LegendRow> rows;
  for (size_t i = 0; i < series_.size(); ++i)
  {
    rows.push_back(BenchmarkPlot::legendRow(series_[i].method, static_cast<int>(i), f));
  }
  const PlotLegend legend(std::move(rows), f, 1.5, 2.4);
  if (!legend.empty())
  {
    legend.paint(p, legend.topRight(area, fm), axisColor);
  }
  p.restore();
}

QImage ErrorBytesPlot::render(const QSize& size) const
{
  return chartImage(size, [this](QPainter& painter, const QRect& target) { paint(painter, target); });
}

bool ErrorBytesPlot::savePng(const QString& path, const QSize& size) const
{
  return render(size).save(path, "PNG");
}

} // namespace mrcae::widgets
