#include "PlotAxes.h"

#include <algorithm>
#include <cmath>

namespace mrcae::widgets
{

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

} // namespace mrcae::widgets
