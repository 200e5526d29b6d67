#pragma once
// Perceptually uniform colour maps without VTK: viridis for fields, Moreland's cool-warm for signed errors, magma
// for masks and counts, greys for backgrounds. The VTK lookup tables of the views (Colormaps) and the QPainter
// figures (PaperFigure, exports) both sample these, so a figure shows the colours of the screen.

#include "mrcae/model/Field.h"

#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>

#include <utility>

namespace mrcae::widgets
{

enum class ColormapKind
{
  Viridis,   ///< fields
  Diverging, ///< signed errors, centred on zero
  Magma,     ///< masks, counts
  Greys      ///< background under overlays
};

class ColorRamp
{
public:
  /// The colour at t in [0, 1] (clamped; NaN gives the low end).
  static QColor sample(ColormapKind kind, double t);
  static QString name(ColormapKind kind);
  static QStringList names();
  static ColormapKind fromName(const QString& name);
  /// Neutral grey of invalid (land, no data) cells.
  static QColor invalidColor() { return QColor(150, 150, 150); }
  /// The map as an image, row 0 at the top: values scaled from [lo, hi]; cells with valid == 0 (when given, same
  /// size) or non-finite values in the invalid grey.
  static QImage image(const mrcae::Map2D& map, ColormapKind kind, double lo, double hi,
                      const mrcae::Map2D* valid = nullptr);
  /// Min and max of the finite (and valid) values; (0, 1) when there are none.
  static std::pair<double, double> finiteRange(const mrcae::Map2D& map, const mrcae::Map2D* valid = nullptr);
  /// −m..m with m = max|v| rounded up to 1, 2 or 5 × 10^k: the range of signed errors.
  static std::pair<double, double> symmetricRange(const mrcae::Map2D& map, const mrcae::Map2D* valid = nullptr);
  /// m rounded up to 1, 2 or 5 × 10^k (m itself when it is 0 or not finite).
  static double niceUp(double m);
};

} // namespace mrcae::widgets
