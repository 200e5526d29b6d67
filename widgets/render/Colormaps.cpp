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

void setInvalidColors(vtkLookupTable* lut)
{
  const QColor grey = Colormaps::invalidColor();
  lut->SetNanColor(grey.redF(), grey.greenF(), grey.blueF(), 1.0);
}

} // namespace

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
