#include "ErrorBytesPlot.h"

#include "BenchmarkPlot.h"
#include "PlotAxes.h"

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

void ErrorBytesPlot::setSeries(std::vector<BytesSeries> series)
{
  series_ = std::move(series);
}

ErrorBytesPlot::Range ErrorBytesPlot::xDecades() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : series_)
  {
    for (const auto& p : s.points)
    {
      if (plottable(p))
      {
        lo = std::min(lo, std::log10(p.x()));
        hi = std::max(hi, std::log10(p.x()));
      }
    }
  }
  if (rawBytes_ > 0)
  {
    lo = std::min(lo, std::log10(rawBytes_));
    hi = std::max(hi, std::log10(rawBytes_));
  }
  if (!std::isfinite(lo))
  {
    return {1.0, 5.0};
  }
  return {std::floor(lo), std::max(std::floor(lo) + 1.0, std::ceil(hi))};
}

ErrorBytesPlot::Range ErrorBytesPlot::yDecades() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : series_)
  {
    for (const auto& p : s.points)
    {
      if (plottable(p))
      {
        lo = std::min(lo, std::log10(p.y()));
        hi = std::max(hi, std::log10(p.y()));
      }
    }
  }
  if (!std::isfinite(lo))
  {
    return {-5.0, -1.0};
  }
  return {std::floor(lo), std::max(std::floor(lo) + 1.0, std::ceil(hi))};
}

QRectF ErrorBytesPlot::plotArea(const QRect& target) const
{
  const double f = PlotAxes::fontPixels(target);
  const double left = 5.4 * f, right = 1.5 * f, top = 2.6 * f, bottom = 3.6 * f;
  return QRectF(target.left() + left, target.top() + top, std::max(1.0, target.width() - left - right),
                std::max(1.0, target.height() - top - bottom));
}

QPointF ErrorBytesPlot::toPixel(double bytes, double error, const QRect& target) const
{
  const QRectF area = plotArea(target);
  const Range xr = xDecades(), yr = yDecades();
  const double u = (std::log10(bytes) - xr.lo) / (xr.hi - xr.lo);
  const double v = (std::log10(error) - yr.lo) / (yr.hi - yr.lo);
  return QPointF(area.left() + u * area.width(), area.bottom() - v * area.height());
}

void ErrorBytesPlot::paint(QPainter& p, const QRect& target) const
{
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  p.fillRect(target, Qt::white);
  const int f = PlotAxes::fontPixels(target);
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);
  const QFontMetricsF fm(font);
  const QRectF area = plotArea(target);
  const Range xr = xDecades(), yr = yDecades();
  const QColor gridColor(225, 225, 225), minorColor(242, 242, 242), axisColor(60, 60, 60);
  const double tick = 0.4 * f;

  // Decades with their 2..9 subdivisions on both axes.
  for (int d = static_cast<int>(xr.lo); d <= static_cast<int>(xr.hi); ++d)
  {
    for (int m = 2; m <= 9 && d < xr.hi; ++m)
    {
      const double px = toPixel(m * std::pow(10.0, d), std::pow(10.0, yr.lo), target).x();
      p.setPen(QPen(minorColor, 1));
      p.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
    }
    const double px = toPixel(std::pow(10.0, d), std::pow(10.0, yr.lo), target).x();
    p.setPen(QPen(gridColor, std::max(1.0, f / 15.0)));
    p.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
    p.setPen(QPen(axisColor, std::max(1.0, f / 12.0)));
    p.drawLine(QPointF(px, area.bottom()), QPointF(px, area.bottom() + tick));
    p.drawText(QRectF(px - 3 * f, area.bottom() + tick, 6 * f, 1.4 * f), Qt::AlignHCenter | Qt::AlignTop,
               PlotAxes::decadeLabel(d));
  }
  for (int d = static_cast<int>(yr.lo); d <= static_cast<int>(yr.hi); ++d)
  {
    for (int m = 2; m <= 9 && d < yr.hi; ++m)
    {
      const double py = toPixel(std::pow(10.0, xr.lo), m * std::pow(10.0, d), target).y();
      p.setPen(QPen(minorColor, 1));
      p.drawLine(QPointF(area.left(), py), QPointF(area.right(), py));
    }
    const double py = toPixel(std::pow(10.0, xr.lo), std::pow(10.0, d), target).y();
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
             fm.elidedText(xLabel_, Qt::ElideRight, area.width()));
  p.save();
  p.translate(target.left() + 0.4 * f, area.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-area.height() / 2, 0, area.height(), 1.5 * f), Qt::AlignCenter, yLabel_);
  p.restore();
  QFont bold = font;
  bold.setBold(true);
  p.setFont(bold);
  p.drawText(
      QRectF(area.left(), target.top() + 0.4 * f, area.width(), 1.6 * f), Qt::AlignCenter,
      QFontMetricsF(bold).elidedText(QStringLiteral("error vs bytes per snapshot"), Qt::ElideRight, area.width()));
  p.setFont(font);

  if (rawBytes_ > 0)
  {
    const double px = toPixel(rawBytes_, std::pow(10.0, yr.lo), target).x();
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

  if (!series_.empty())
  {
    double textWidth = 0;
    for (const auto& s : series_)
    {
      textWidth = std::max(textWidth, fm.horizontalAdvance(s.method));
    }
    const double rowH = 1.5 * f, sampleW = 2.4 * f, pad = 0.5 * f;
    const QSizeF boxSize(sampleW + 0.5 * f + textWidth + 2 * pad, rowH * series_.size() + 2 * pad - 0.3 * f);
    // Errors fall with bytes: the top-right corner is usually free.
    const QRectF box(QPointF(area.right() - pad - boxSize.width(), area.top() + pad), boxSize);
    p.setPen(QPen(QColor(180, 180, 180), 1));
    p.setBrush(QColor(255, 255, 255, 230));
    p.drawRect(box);
    for (size_t i = 0; i < series_.size(); ++i)
    {
      const BenchmarkPlot::Style style = BenchmarkPlot::styleFor(series_[i].method, static_cast<int>(i));
      const double cy = box.top() + pad + rowH * (i + 0.45);
      const QPointF a(box.left() + pad, cy), b(box.left() + pad + sampleW, cy);
      p.setPen(QPen(style.color, std::max(1.5, f / 7.0)));
      p.drawLine(a, b);
      p.setPen(QPen(style.color.darker(150), std::max(1.0, f / 14.0)));
      p.setBrush(style.color);
      BenchmarkPlot::drawMarker(p, style.marker, (a + b) / 2, r);
      p.setPen(axisColor);
      p.drawText(QRectF(b.x() + 0.5 * f, cy - 0.7 * f, textWidth + pad, 1.4 * f), Qt::AlignLeft | Qt::AlignVCenter,
                 series_[i].method);
    }
  }
  p.restore();
}

QImage ErrorBytesPlot::render(const QSize& size) const
{
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter painter(&image);
  paint(painter, QRect(QPoint(0, 0), size));
  painter.end();
  return image;
}

bool ErrorBytesPlot::savePng(const QString& path, const QSize& size) const
{
  return render(size).save(path, "PNG");
}

} // namespace mrcae::widgets
