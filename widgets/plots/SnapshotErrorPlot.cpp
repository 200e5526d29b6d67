#include "SnapshotErrorPlot.h"
#include "PlotAxes.h"
#include "PlotLegend.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mrcae::widgets
{

namespace
{

bool plottable(const SnapshotError& e)
{
  return std::isfinite(e.error) && e.error > 0.0;
}

const QStringList kParts = {QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test"),
                            QStringLiteral("new")};

} // namespace

void SnapshotErrorPlot::setPoints(std::vector<SnapshotError> points)
{
  points_ = std::move(points);
}

QColor SnapshotErrorPlot::partColor(const QString& part)
{
  // Okabe–Ito: the model's own snapshots in cool colours, the new ones in a warm one.
  if (part == QLatin1String("train"))
  {
    return {0, 114, 178};
  }
  if (part == QLatin1String("val"))
  {
    return {86, 180, 233};
  }
  if (part == QLatin1String("test"))
  {
    return {0, 158, 115};
  }
  return {213, 94, 0};
}

SnapshotErrorPlot::Range SnapshotErrorPlot::xRange() const
{
  if (points_.empty())
  {
    return {0.0, 1.0};
  }
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& p : points_)
  {
    lo = std::min(lo, static_cast<double>(p.snapshot));
    hi = std::max(hi, static_cast<double>(p.snapshot));
  }
  const double pad = std::max(0.5, 0.02 * (hi - lo));
  return {lo - pad, hi + pad};
}

PlotAxis SnapshotErrorPlot::yAxis() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& p : points_)
  {
    if (plottable(p))
    {
      lo = std::min(lo, p.error);
      hi = std::max(hi, p.error);
    }
  }
  return PlotAxis::decades(lo, hi, 1e-4, 1e-1);
}

QRectF SnapshotErrorPlot::plotArea(const QRect& target) const
{
  return PlotAxes::area(target, PlotAxes::fontPixels(target), 5.2, 2.6, 1.2, 3.4);
}

QPointF SnapshotErrorPlot::toPixel(double snapshot, double error, const QRect& target) const
{
  const Range xr = xRange();
  return PlotAxes::toPixel(plotArea(target), PlotAxis::linear(xr.lo, xr.hi), yAxis(), snapshot, error);
}

int SnapshotErrorPlot::snapshotAt(double x, const QRect& target) const
{
  int best = -1;
  double bestDistance = std::numeric_limits<double>::infinity();
  const double bottom = yAxis().lo();
  for (const auto& p : points_)
  {
    const double d = std::abs(toPixel(p.snapshot, bottom, target).x() - x);
    if (d < bestDistance)
    {
      bestDistance = d;
      best = p.snapshot;
    }
  }
  return best;
}

void SnapshotErrorPlot::paint(QPainter& p, const QRect& target) const
{
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const int f = PlotAxes::fontPixels(target);
  const QRectF area = plotArea(target);
  const Range xr = xRange();
  PlotAxes::paintFrame(p, target, area, PlotAxis::linear(xr.lo, xr.hi), yAxis(), f,
                       {QStringLiteral("snapshot"), errorLabel_, title_});
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);
  const QColor axisColor(60, 60, 60);

  // The current snapshot, then the points: a thin line through them in time order, coloured markers.
  if (current_ >= 0 && current_ >= xr.lo && current_ <= xr.hi)
  {
    const double px = area.left() + (current_ - xr.lo) / (xr.hi - xr.lo) * area.width();
    p.setPen(QPen(QColor(40, 40, 40), std::max(1.0, f / 10.0), Qt::DashLine));
    p.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
  }
  if (points_.empty())
  {
    p.setPen(QColor(120, 120, 120));
    p.drawText(area, Qt::AlignCenter, QStringLiteral("no snapshot scored yet"));
    p.restore();
    return;
  }
  p.setClipRect(area);
  std::vector<SnapshotError> ordered = points_;
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.snapshot < b.snapshot; });
  QPolygonF line;
  for (const auto& e : ordered)
  {
    if (plottable(e))
    {
      line << toPixel(e.snapshot, e.error, target);
    }
  }
  p.setPen(QPen(QColor(150, 150, 150), std::max(1.0, f / 14.0)));
  p.drawPolyline(line);
  const double r = std::max(1.5, std::min(0.35 * f, 0.45 * area.width() / std::max<size_t>(1, ordered.size())));
  for (const auto& e : ordered)
  {
    if (plottable(e))
    {
      const QColor c = partColor(e.part);
      p.setPen(QPen(c.darker(140), std::max(0.5, f / 20.0)));
      p.setBrush(c);
      p.drawEllipse(toPixel(e.snapshot, e.error, target), r, r);
    }
  }
  p.setClipping(false);

  // Legend: the parts present.
  QStringList present;
  for (const QString& part : kParts)
  {
    if (std::any_of(points_.begin(), points_.end(), [&](const auto& e) { return e.part == part; }))
    {
      present << part;
    }
  }
  const QFontMetricsF fm(font);
  double x = area.left() + 0.5 * f;
  const double y = area.top() + 0.5 * f;
  for (const QString& part : present)
  {
    const QString label = part == QLatin1String("new") ? QStringLiteral("new (not trained on)") : part;
    const double w = 1.4 * f + fm.horizontalAdvance(label) + 0.8 * f;
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 220));
    p.drawRect(QRectF(x - 0.2 * f, y - 0.1 * f, w, 1.4 * f));
    p.setBrush(partColor(part));
    p.drawEllipse(QPointF(x + 0.4 * f, y + 0.6 * f), 0.35 * f, 0.35 * f);
    p.setPen(axisColor);
    p.drawText(QRectF(x + 1.0 * f, y, w, 1.2 * f), Qt::AlignLeft | Qt::AlignVCenter, label);
    x += w;
  }
  p.restore();
}

QImage SnapshotErrorPlot::render(const QSize& size) const
{
  return chartImage(size, [this](QPainter& painter, const QRect& target) { paint(painter, target); });
}

} // namespace mrcae::widgets
