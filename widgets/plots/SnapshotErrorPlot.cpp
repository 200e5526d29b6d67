#include "SnapshotErrorPlot.h"
#include "PlotAxes.h"

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

SnapshotErrorPlot::Range SnapshotErrorPlot::decadeRange() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& p : points_)
  {
    if (plottable(p))
    {
      lo = std::min(lo, std::log10(p.error));
      hi = std::max(hi, std::log10(p.error));
    }
  }
  if (!std::isfinite(lo))
  {
    return {-4.0, -1.0};
  }
  lo = std::floor(lo);
  hi = std::max(lo + 1.0, std::ceil(hi));
  return {lo, hi};
}

QRectF SnapshotErrorPlot::plotArea(const QRect& target) const
{
  const double f = PlotAxes::fontPixels(target);
  const double left = 5.2 * f, right = 1.2 * f, top = 2.6 * f, bottom = 3.4 * f;
  return QRectF(target.left() + left, target.top() + top, std::max(1.0, target.width() - left - right),
                std::max(1.0, target.height() - top - bottom));
}

QPointF SnapshotErrorPlot::toPixel(double snapshot, double error, const QRect& target) const
{
  const QRectF area = plotArea(target);
  const Range xr = xRange(), yr = decadeRange();
  const double u = (snapshot - xr.lo) / (xr.hi - xr.lo);
  const double v = (std::log10(error) - yr.lo) / (yr.hi - yr.lo);
  return QPointF(area.left() + u * area.width(), area.bottom() - v * area.height());
}

int SnapshotErrorPlot::snapshotAt(double x, const QRect& target) const
{
  int best = -1;
  double bestDistance = std::numeric_limits<double>::infinity();
  const Range yr = decadeRange();
  for (const auto& p : points_)
  {
    const double d = std::abs(toPixel(p.snapshot, std::pow(10.0, yr.lo), target).x() - x);
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
  p.fillRect(target, Qt::white);
  const int f = PlotAxes::fontPixels(target);
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);
  const QRectF area = plotArea(target);
  const Range xr = xRange(), yr = decadeRange();
  const QColor gridColor(225, 225, 225), axisColor(60, 60, 60);
  const double tick = 0.4 * f;

  // Snapshot ticks, and one grid line per decade.
  const double xStep = PlotAxes::niceStep(xr.hi - xr.lo, std::max(3, static_cast<int>(area.width() / (6.0 * f))));
  for (double x = std::ceil(xr.lo / xStep) * xStep; x <= xr.hi; x += xStep)
  {
    const double px = area.left() + (x - xr.lo) / (xr.hi - xr.lo) * area.width();
    p.setPen(QPen(gridColor, std::max(1.0, f / 15.0)));
    p.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
    p.setPen(QPen(axisColor, std::max(1.0, f / 12.0)));
    p.drawLine(QPointF(px, area.bottom()), QPointF(px, area.bottom() + tick));
    p.drawText(QRectF(px - 4 * f, area.bottom() + tick, 8 * f, 1.4 * f), Qt::AlignHCenter | Qt::AlignTop,
               PlotAxes::tickLabel(x, xStep));
  }
  for (int d = static_cast<int>(yr.lo); d <= static_cast<int>(yr.hi); ++d)
  {
    const double py = area.bottom() - (d - yr.lo) / (yr.hi - yr.lo) * area.height();
    p.setPen(QPen(gridColor, std::max(1.0, f / 15.0)));
    p.drawLine(QPointF(area.left(), py), QPointF(area.right(), py));
    p.setPen(QPen(axisColor, std::max(1.0, f / 12.0)));
    p.drawLine(QPointF(area.left() - tick, py), QPointF(area.left(), py));
    p.drawText(QRectF(area.left() - tick - 4.2 * f, py - 0.7 * f, 4 * f, 1.4 * f), Qt::AlignRight | Qt::AlignVCenter,
               PlotAxes::decadeLabel(d));
  }
  p.setPen(QPen(axisColor, std::max(1.0, f / 12.0)));
  p.setBrush(Qt::NoBrush);
  p.drawRect(area);
  p.drawText(QRectF(area.left(), target.bottom() - 1.7 * f, area.width(), 1.5 * f), Qt::AlignCenter,
             QStringLiteral("snapshot"));
  p.save();
  p.translate(target.left() + 0.4 * f, area.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-area.height() / 2, 0, area.height(), 1.5 * f), Qt::AlignCenter, errorLabel_);
  p.restore();
  if (!title_.isEmpty())
  {
    QFont bold = font;
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(area.left(), target.top() + 0.4 * f, area.width(), 1.6 * f), Qt::AlignCenter,
               QFontMetricsF(bold).elidedText(title_, Qt::ElideRight, area.width()));
    p.setFont(font);
  }

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
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter painter(&image);
  paint(painter, QRect(QPoint(0, 0), size));
  painter.end();
  return image;
}

} // namespace mrcae::widgets
