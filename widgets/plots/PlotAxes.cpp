#include "PlotAxes.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mrcae::widgets
{

PlotAxis PlotAxis::linear(double lo, double hi)
{
  PlotAxis a;
  a.scale_ = Scale::Linear;
  if (!(hi > lo))
  {
    const double pad = std::max(1e-12, 0.5 * std::abs(lo));
    lo -= pad;
    hi += pad;
  }
  a.lo_ = lo;
  a.hi_ = hi;
  return a;
}

std::pair<double, double> PlotAxis::wholeDecades(double lo, double hi)
{
  // log10 of an exact power of ten can land a hair off the integer: such a value is its own decade.
  const auto exponent = [](double v) {
    const double e = std::log10(v);
    return std::abs(e - std::round(e)) < 1e-9 ? std::round(e) : e;
  };
  const double a = std::floor(exponent(lo));
  const double b = std::max(a + 1.0, std::ceil(exponent(hi)));
  return {std::pow(10.0, a), std::pow(10.0, b)};
}

PlotAxis PlotAxis::logarithmic(double lo, double hi)
{
  PlotAxis a;
  a.scale_ = Scale::Log;
  a.lo_ = lo;
  a.hi_ = hi;
  return a;
}

PlotAxis PlotAxis::decades(double lo, double hi, double fallbackLo, double fallbackHi)
{
  const bool usable = lo > 0.0 && hi >= lo && std::isfinite(lo) && std::isfinite(hi);
  const auto [dlo, dhi] = usable ? wholeDecades(lo, hi) : wholeDecades(fallbackLo, fallbackHi);
  return logarithmic(dlo, dhi);
}

double PlotAxis::fraction(double value) const
{
  if (scale_ == Scale::Log)
  {
    return (std::log10(value) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_));
  }
  return (value - lo_) / (hi_ - lo_);
}

std::vector<PlotAxis::Tick> PlotAxis::ticks(double lengthPx, double labelPx) const
{
  std::vector<Tick> out;
  const int room = std::max(1, static_cast<int>(lengthPx / std::max(1.0, labelPx)));
  if (scale_ == Scale::Linear)
  {
    const double step = PlotAxes::niceStep(hi_ - lo_, std::max(3, room));
    const long long first = static_cast<long long>(std::ceil(lo_ / step - 1e-9));
    const long long last = static_cast<long long>(std::floor(hi_ / step + 1e-9));
    for (long long k = first; k <= last; ++k)
    {
      const double v = k * step;
      out.push_back({v, PlotAxes::tickLabel(v, step), false});
    }
    return out;
  }
  const int d0 = static_cast<int>(std::lround(std::log10(lo_)));
  const int d1 = static_cast<int>(std::lround(std::log10(hi_)));
  // Label every k-th decade so that the labels fit; the first decade is always labelled.
  const int every = std::max(1, static_cast<int>(std::ceil((d1 - d0) / double(std::max(1, room - 1)))));
  for (int d = d0; d <= d1; ++d)
  {
    out.push_back({std::pow(10.0, d), (d - d0) % every == 0 ? PlotAxes::decadeLabel(d) : QString(), false});
    for (int m = 2; m <= 9 && d < d1 && every == 1; ++m)
    {
      out.push_back({m * std::pow(10.0, d), QString(), true});
    }
  }
  return out;
}

double PlotAxes::niceStep(double span, int wanted)
{
  const double raw = span / std::max(1, wanted);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
  {
    if (m * power >= raw)
    {
      return m * power;
    }
  }
  return 10.0 * power;
}

QString PlotAxes::tickLabel(double v, double step)
{
  const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::abs(v) < step * 1e-6)
  {
    v = 0.0;
  }
  return QString::number(v, 'f', decimals);
}

int PlotAxes::fontPixels(const QRect& target)
{
  return std::max(9, std::min(target.width(), target.height()) / 40);
}

QString PlotAxes::decadeLabel(int d)
{
  return QStringLiteral("1e%1").arg(d);
}

QRectF PlotAxes::area(const QRect& target, double font, double left, double top, double right, double bottom)
{
  return QRectF(target.left() + left * font, target.top() + top * font,
                std::max(1.0, target.width() - (left + right) * font),
                std::max(1.0, target.height() - (top + bottom) * font));
}

QPointF PlotAxes::toPixel(const QRectF& area, const PlotAxis& x, const PlotAxis& y, double xValue, double yValue)
{
  return QPointF(area.left() + x.fraction(xValue) * area.width(), area.bottom() - y.fraction(yValue) * area.height());
}

void PlotAxes::paintFrame(QPainter& p, const QRect& target, const QRectF& area, const PlotAxis& x, const PlotAxis& y,
                          int f, const Titles& titles)
{
  p.save();
  p.fillRect(target, Qt::white);
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);
  const QColor gridColor(225, 225, 225), minorColor(242, 242, 242), axisColor(60, 60, 60);
  const QPen grid(gridColor, std::max(1.0, f / 15.0)), minor(minorColor, 1.0), axis(axisColor, std::max(1.0, f / 12.0));
  const double tick = 0.4 * f;

  // Minor lines first, so that the major grid lies on top of them.
  const auto xTicks = x.ticks(area.width(), 6.5 * f);
  const auto yTicks = y.ticks(area.height(), (y.scale() == PlotAxis::Scale::Log ? 2.0 : 3.5) * f);
  for (bool minorPass : {true, false})
  {
    for (const PlotAxis::Tick& t : xTicks)
    {
      if (t.minor != minorPass)
      {
        continue;
      }
      const double px = area.left() + x.fraction(t.value) * area.width();
      p.setPen(t.minor ? minor : grid);
      p.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
      if (!t.minor)
      {
        p.setPen(axis);
        p.drawLine(QPointF(px, area.bottom()), QPointF(px, area.bottom() + tick));
        p.drawText(QRectF(px - 4 * f, area.bottom() + tick, 8 * f, 1.4 * f), Qt::AlignHCenter | Qt::AlignTop, t.label);
      }
    }
    for (const PlotAxis::Tick& t : yTicks)
    {
      if (t.minor != minorPass)
      {
        continue;
      }
      const double py = area.bottom() - y.fraction(t.value) * area.height();
      p.setPen(t.minor ? minor : grid);
      p.drawLine(QPointF(area.left(), py), QPointF(area.right(), py));
      if (!t.minor)
      {
        p.setPen(axis);
        p.drawLine(QPointF(area.left() - tick, py), QPointF(area.left(), py));
        p.drawText(QRectF(area.left() - tick - 4.2 * f, py - 0.7 * f, 4 * f, 1.4 * f),
                   Qt::AlignRight | Qt::AlignVCenter, t.label);
      }
    }
  }
  p.setPen(axis);
  p.setBrush(Qt::NoBrush);
  p.drawRect(area);

  const QFontMetricsF fm(font);
  if (!titles.x.isEmpty())
  {
    p.drawText(QRectF(area.left(), target.bottom() - 1.7 * f, area.width(), 1.5 * f), Qt::AlignCenter,
               fm.elidedText(titles.x, Qt::ElideRight, area.width()));
  }
  if (!titles.y.isEmpty())
  {
    p.save();
    p.translate(target.left() + 0.4 * f, area.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-area.height() / 2, 0, area.height(), 1.5 * f), Qt::AlignCenter,
               fm.elidedText(titles.y, Qt::ElideRight, area.height()));
    p.restore();
  }
  if (!titles.chart.isEmpty())
  {
    QFont bold = font;
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(area.left(), target.top() + 0.4 * f, area.width(), 1.6 * f), Qt::AlignCenter,
               QFontMetricsF(bold).elidedText(titles.chart, Qt::ElideRight, area.width()));
  }
  p.restore();
}

} // namespace mrcae::widgets
