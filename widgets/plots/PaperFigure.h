#pragma once
// The paper-style multi-panel figure: one row per trained level (coarsest on top) and the columns input,
// reconstruction, signed error and refinement map (how many groups left each code pixel unresolved, over the input
// in grey), each with a colour bar in the dataset's units; optionally the error curves underneath. A field much
// wider than tall (a channel or a wake) would leave thin strips in a grid, so its panels are stacked instead, one
// per line, level by level, each captioned. Painted with
// QPainter only, so the GUI and `mrcae export` write the same figure, at any size, as PNG, SVG or PDF.

#include "CurveData.h"

#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingTypes.h"

#include <QSize>
#include <QString>

class QFont;
class QPainter;
class QRect;
class QRectF;

namespace mrcae::widgets
{

struct PaperFigureData
{
  mrcae::Snapshot snapshot; ///< inputs, reconstructions and maps per trained level (its first snapshot is shown)
  mrcae::Map2D nativeValid; ///< the land mask on the native grid (1 = valid); empty = every cell valid
  double scale = 1.0;       ///< shown values are v·scale + offset (the dataset's units)
  double offset = 0.0;
  QString units;
  QString title;    ///< e.g. "toy1 · t = 37 · 297 parameters"
  CurveData curves; ///< drawn under the panels when `withCurves`
};

class PaperFigure
{
public:
  struct Options
  {
    bool withCurves = true;
    bool withRefinement = true; ///< ignored when the run has no maps (MrCAE + ReLU)
  };

  explicit PaperFigure(PaperFigureData data, Options options);

  int rows() const;
  int columns() const;
  /// True when the panels are stacked one per line (fields more than twice as wide as tall).
  bool stacked() const;
  /// The size at which text is at its intended size (about 260 px per panel); exports scale from it.
  QSize naturalSize() const;
  void paint(QPainter& painter, const QRect& target) const;

private:
  void paintPanel(QPainter& p, const QRectF& cell, int level, int column, int font) const;
  void paintGrid(QPainter& p, const QRectF& area, const QFont& font) const;
  void paintStacked(QPainter& p, const QRectF& area, const QFont& font) const;

  PaperFigureData data_;
  Options options_;
};

} // namespace mrcae::widgets
