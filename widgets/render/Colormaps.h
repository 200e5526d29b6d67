#pragma once
// Perceptually uniform colour maps as VTK lookup tables: viridis for fields, a diverging map (Moreland's
// cool-warm) for signed errors, magma for masks and counts. Invalid (land) cells are NaN and show neutral grey.

#include "ColorRamp.h"

#include <vtkSmartPointer.h>

#include <QColor>
#include <QString>
#include <QStringList>

class vtkLookupTable;

namespace mrcae::widgets
{

class Colormaps
{
public:
  /// A 256-entry table over [minimum, maximum]; NaN maps to the neutral grey of invalid cells.
  static vtkSmartPointer<vtkLookupTable> create(ColormapKind kind, double minimum, double maximum);
  /// The colour at t in [0, 1] (ColorRamp's maps, shared with the QPainter figures).
  static QColor sample(ColormapKind kind, double t) { return ColorRamp::sample(kind, t); }
  static QString name(ColormapKind kind) { return ColorRamp::name(kind); }
  static QStringList names() { return ColorRamp::names(); }
  static ColormapKind fromName(const QString& name) { return ColorRamp::fromName(name); }

  /// Overlay of one refinement map on the code grid: 0 resolved (transparent), 1 dilated footprint only,
  /// 2 unresolved (and refined).
  static vtkSmartPointer<vtkLookupTable> refinementOverlay();
  /// Overlay of a count 0..maxCount (e.g. how many groups left a pixel unresolved): 0 transparent.
  static vtkSmartPointer<vtkLookupTable> countOverlay(int maxCount);
  /// Overlay of a land mask: 1 = invalid cell, drawn in the invalid grey.
  static vtkSmartPointer<vtkLookupTable> landOverlay();

  static QColor invalidColor() { return ColorRamp::invalidColor(); }
};

} // namespace mrcae::widgets
