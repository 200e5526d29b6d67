#include "ColorRamp.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace mrcae::widgets
{

namespace
{

using Rgb = std::array<unsigned char, 3>;

// Nine evenly spaced samples of each published map (0, 1/8, ..., 1), interpolated linearly in RGB.
constexpr std::array<Rgb, 9> kViridis = {{{68, 1, 84},
                                          {71, 44, 122},
                                          {59, 81, 139},
                                          {44, 113, 142},
                                          {33, 144, 141},
                                          {39, 173, 129},
                                          {92, 200, 99},
                                          {170, 220, 50},
                                          {253, 231, 37}}};
constexpr std::array<Rgb, 9> kMagma = {{{0, 0, 4},
                                        {28, 16, 68},
                                        {79, 18, 123},
                                        {129, 37, 129},
                                        {181, 54, 122},
                                        {229, 80, 100},
                                        {251, 135, 97},
                                        {254, 194, 135},
                                        {252, 253, 191}}};

QColor interpolate(const std::array<Rgb, 9>& stops, double t)
{
  const double x = t * (stops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(x), stops.size() - 2);
  const double f = x - i;
  auto mix = [&](int c) { return static_cast<int>(std::lround(stops[i][c] * (1 - f) + stops[i + 1][c] * f)); };
  return QColor(mix(0), mix(1), mix(2));
}

// Moreland's diverging map ("Diverging Color Maps for Scientific Visualization", 2009): the end colours are
// interpolated in his polar Msh form of CIELAB, through an unsaturated white point in the middle.
struct Msh
{
  double m, s, h;
};

constexpr double kWhite[3] = {0.9505, 1.0, 1.089}; // D65

double toLinear(double c)
{
  return c > 0.04045 ? std::pow((c + 0.055) / 1.055, 2.4) : c / 12.92;
}

double toSrgb(double c)
{
  return c > 0.0031308 ? 1.055 * std::pow(c, 1 / 2.4) - 0.055 : 12.92 * c;
}

double labF(double t)
{
  return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0;
}

double labFInverse(double t)
{
  return t > 0.20689 ? t * t * t : (t - 16.0 / 116.0) / 7.787;
}

Msh rgbToMsh(double r, double g, double b)
{
  r = toLinear(r);
  g = toLinear(g);
  b = toLinear(b);
  const double x = 0.4124 * r + 0.3576 * g + 0.1805 * b;
  const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const double z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
  const double fx = labF(x / kWhite[0]), fy = labF(y / kWhite[1]), fz = labF(z / kWhite[2]);
  const double l = 116 * fy - 16, a = 500 * (fx - fy), bb = 200 * (fy - fz);
  const double m = std::sqrt(l * l + a * a + bb * bb);
  return {m, m > 0 ? std::acos(l / m) : 0.0, std::atan2(bb, a)};
}

QColor mshToColor(const Msh& c)
{
  const double l = c.m * std::cos(c.s);
  const double a = c.m * std::sin(c.s) * std::cos(c.h);
  const double bb = c.m * std::sin(c.s) * std::sin(c.h);
  const double fy = (l + 16) / 116, fx = fy + a / 500, fz = fy - bb / 200;
  const double x = kWhite[0] * labFInverse(fx), y = kWhite[1] * labFInverse(fy), z = kWhite[2] * labFInverse(fz);
  const double r = 3.2406 * x - 1.5372 * y - 0.4986 * z;
  const double g = -0.9689 * x + 1.8758 * y + 0.0415 * z;
  const double b = 0.0557 * x - 0.2040 * y + 1.0570 * z;
  auto channel = [](double v) { return std::clamp(toSrgb(std::max(0.0, v)), 0.0, 1.0); };
  return QColor::fromRgbF(static_cast<float>(channel(r)), static_cast<float>(channel(g)),
                          static_cast<float>(channel(b)));
}

// Spins the hue of an unsaturated colour towards a saturated one so that the interpolation does not swing.
double adjustHue(const Msh& saturated, double unsaturatedM)
{
  if (saturated.m >= unsaturatedM)
  {
    return saturated.h;
  }
  const double spin = saturated.s * std::sqrt(unsaturatedM * unsaturatedM - saturated.m * saturated.m) /
                      (saturated.m * std::sin(saturated.s));
  return saturated.h > -M_PI / 3 ? saturated.h + spin : saturated.h - spin;
}

QColor diverging(double t)
{
  static const Msh cool = rgbToMsh(0.230, 0.299, 0.754);
  static const Msh warm = rgbToMsh(0.706, 0.016, 0.150);
  Msh a = cool, b = warm;
  // Both ends saturated and far apart in hue: go through white at the middle.
  const double mid = std::max({a.m, b.m, 88.0});
  if (t < 0.5)
  {
    b = {mid, 0.0, 0.0};
    t *= 2;
  }
  else
  {
    a = {mid, 0.0, 0.0};
    t = 2 * t - 1;
  }
  if (a.s < 0.05 && b.s > 0.05)
  {
    a.h = adjustHue(b, a.m);
  }
  else if (b.s < 0.05 && a.s > 0.05)
  {
    b.h = adjustHue(a, b.m);
  }
  return mshToColor({(1 - t) * a.m + t * b.m, (1 - t) * a.s + t * b.s, (1 - t) * a.h + t * b.h});
}

bool usable(const mrcae::Map2D& map, const mrcae::Map2D* valid, size_t i)
{
  return std::isfinite(map.data[i]) && (!valid || valid->data.size() != map.data.size() || valid->data[i] > 0.5f);
}

} // namespace

QColor ColorRamp::sample(ColormapKind kind, double t)
{
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  switch (kind)
  {
  case ColormapKind::Viridis: return interpolate(kViridis, t);
  case ColormapKind::Magma: return interpolate(kMagma, t);
  case ColormapKind::Diverging: return diverging(t);
  case ColormapKind::Greys:
  {
    const int v = static_cast<int>(std::lround(255 * t));
    return QColor(v, v, v);
  }
  }
  return QColor();
}

QString ColorRamp::name(ColormapKind kind)
{
  switch (kind)
  {
  case ColormapKind::Viridis: return QStringLiteral("viridis");
  case ColormapKind::Diverging: return QStringLiteral("cool-warm");
  case ColormapKind::Magma: return QStringLiteral("magma");
  case ColormapKind::Greys: return QStringLiteral("greys");
  }
  return QString();
}

QStringList ColorRamp::names()
{
  return {name(ColormapKind::Viridis), name(ColormapKind::Diverging), name(ColormapKind::Magma),
          name(ColormapKind::Greys)};
}

ColormapKind ColorRamp::fromName(const QString& n)
{
  for (ColormapKind k : {ColormapKind::Viridis, ColormapKind::Diverging, ColormapKind::Magma, ColormapKind::Greys})
  {
    if (name(k) == n)
    {
      return k;
    }
  }
  return ColormapKind::Viridis;
}

QImage ColorRamp::image(const mrcae::Map2D& map, ColormapKind kind, double lo, double hi, const mrcae::Map2D* valid)
{
  QImage out(map.w, map.h, QImage::Format_RGB32);
  if (map.h == 0 || map.w == 0)
  {
    return out;
  }
  // One colour per table entry, as the views' 256-entry lookup tables.
  QRgb table[256];
  for (int i = 0; i < 256; ++i)
  {
    table[i] = sample(kind, i / 255.0).rgb();
  }
  const QRgb grey = invalidColor().rgb();
  const double span = hi > lo ? hi - lo : 1.0;
  for (int i = 0; i < map.h; ++i)
  {
    auto* row = reinterpret_cast<QRgb*>(out.scanLine(i));
    for (int j = 0; j < map.w; ++j)
    {
      const size_t p = static_cast<size_t>(i) * map.w + j;
      if (!usable(map, valid, p))
      {
        row[j] = grey;
        continue;
      }
      const double t = std::clamp((map.data[p] - lo) / span, 0.0, 1.0);
      row[j] = table[static_cast<int>(std::lround(t * 255))];
    }
  }
  return out;
}

std::pair<double, double> ColorRamp::finiteRange(const mrcae::Map2D& map, const mrcae::Map2D* valid)
{
  double lo = INFINITY, hi = -INFINITY;
  for (size_t p = 0; p < map.data.size(); ++p)
  {
    if (usable(map, valid, p))
    {
      lo = std::min(lo, static_cast<double>(map.data[p]));
      hi = std::max(hi, static_cast<double>(map.data[p]));
    }
  }
  return lo <= hi ? std::pair{lo, hi} : std::pair{0.0, 1.0};
}

double ColorRamp::niceUp(double m)
{
  if (!(m > 0.0) || !std::isfinite(m))
  {
    return m;
  }
  const double decade = std::pow(10.0, std::floor(std::log10(m)));
  return m <= decade * 1.0000001 ? decade : m <= 2 * decade ? 2 * decade : m <= 5 * decade ? 5 * decade : 10 * decade;
}

std::pair<double, double> ColorRamp::symmetricRange(const mrcae::Map2D& map, const mrcae::Map2D* valid)
{
  const auto [lo, hi] = finiteRange(map, valid);
  const double m = niceUp(std::max(std::abs(lo), std::abs(hi)));
  return m > 0 ? std::pair{-m, m} : std::pair{-1.0, 1.0};
}

} // namespace mrcae::widgets
