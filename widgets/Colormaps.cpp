#include <vtkColorTransferFunction.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>

#include "Colormaps.h"

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
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  const double x = t * (stops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(x), stops.size() - 2);
  const double f = x - i;
  auto mix = [&](int c) { return static_cast<int>(std::lround(stops[i][c] * (1 - f) + stops[i + 1][c] * f)); };
  return QColor(mix(0), mix(1), mix(2));
}

// Moreland's diverging map: blue (0.230, 0.299, 0.754) to red (0.706, 0.016, 0.150) through a light grey.
vtkSmartPointer<vtkColorTransferFunction> divergingFunction()
{
  auto ctf = vtkSmartPointer<vtkColorTransferFunction>::New();
  ctf->SetColorSpaceToDiverging();
  ctf->AddRGBPoint(0.0, 0.230, 0.299, 0.754);
  ctf->AddRGBPoint(1.0, 0.706, 0.016, 0.150);
  return ctf;
}

void setInvalidColors(vtkLookupTable* lut)
{
  const QColor grey = Colormaps::invalidColor();
  lut->SetNanColor(grey.redF(), grey.greenF(), grey.blueF(), 1.0);
}

} // namespace

QColor Colormaps::sample(ColormapKind kind, double t)
{
  switch (kind)
  {
    case ColormapKind::Viridis: return interpolate(kViridis, t);
    case ColormapKind::Magma: return interpolate(kMagma, t);
    case ColormapKind::Greys:
    {
      const int v = static_cast<int>(std::lround(255 * std::clamp(t, 0.0, 1.0)));
      return QColor(v, v, v);
    }
    case ColormapKind::Diverging:
    {
      static const vtkSmartPointer<vtkColorTransferFunction> ctf = divergingFunction();
      double rgb[3];
      ctf->GetColor(std::clamp(t, 0.0, 1.0), rgb);
      return QColor::fromRgbF(static_cast<float>(rgb[0]), static_cast<float>(rgb[1]), static_cast<float>(rgb[2]));
    }
  }
  return QColor();
}

vtkSmartPointer<vtkLookupTable> Colormaps::create(ColormapKind kind, double minimum, double maximum)
{
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  constexpr int n = 256;
  lut->SetNumberOfTableValues(n);
  if (!(maximum > minimum))
  {
    maximum = minimum + 1.0;
  }
  lut->SetTableRange(minimum, maximum);
  for (int i = 0; i < n; ++i)
  {
    const QColor c = sample(kind, i / double(n - 1));
    lut->SetTableValue(i, c.redF(), c.greenF(), c.blueF(), 1.0);
  }
  setInvalidColors(lut);
  lut->BuildSpecialColors();
  return lut;
}

QString Colormaps::name(ColormapKind kind)
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

QStringList Colormaps::names()
{
  return {name(ColormapKind::Viridis), name(ColormapKind::Diverging), name(ColormapKind::Magma),
          name(ColormapKind::Greys)};
}

ColormapKind Colormaps::fromName(const QString& n)
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

vtkSmartPointer<vtkLookupTable> Colormaps::refinementOverlay()
{
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  lut->SetNumberOfTableValues(3);
  lut->SetTableRange(0.0, 2.0);
  lut->SetTableValue(0, 0.0, 0.0, 0.0, 0.0);
  const QColor footprint = sample(ColormapKind::Magma, 0.85);
  const QColor unresolved = sample(ColormapKind::Magma, 0.55);
  lut->SetTableValue(1, footprint.redF(), footprint.greenF(), footprint.blueF(), 0.55);
  lut->SetTableValue(2, unresolved.redF(), unresolved.greenF(), unresolved.blueF(), 0.9);
  setInvalidColors(lut);
  lut->BuildSpecialColors();
  return lut;
}

vtkSmartPointer<vtkLookupTable> Colormaps::countOverlay(int maxCount)
{
  maxCount = std::max(1, maxCount);
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  lut->SetNumberOfTableValues(maxCount + 1);
  lut->SetTableRange(0.0, maxCount);
  lut->SetTableValue(0, 0.0, 0.0, 0.0, 0.0);
  for (int i = 1; i <= maxCount; ++i)
  {
    // Keep away from magma's near-black end: the overlay sits on a grey field.
    const QColor c = sample(ColormapKind::Magma, 0.35 + 0.65 * i / maxCount);
    lut->SetTableValue(i, c.redF(), c.greenF(), c.blueF(), 0.85);
  }
  setInvalidColors(lut);
  lut->BuildSpecialColors();
  return lut;
}

vtkSmartPointer<vtkLookupTable> Colormaps::landOverlay()
{
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  lut->SetNumberOfTableValues(2);
  lut->SetTableRange(0.0, 1.0);
  const QColor grey = invalidColor();
  lut->SetTableValue(0, 0.0, 0.0, 0.0, 0.0);
  lut->SetTableValue(1, grey.redF(), grey.greenF(), grey.blueF(), 1.0);
  lut->BuildSpecialColors();
  return lut;
}

} // namespace mrcae::widgets
