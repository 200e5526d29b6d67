#pragma once
// Figures of a trained model written to files, the same way from the desktop application (on its training thread)
// and from `mrcae export`: the paper-style multi-panel figure of one snapshot, the error curves, and animations as
// numbered PNG series over snapshots. Painted with QPainter on images only, so no display is needed.

#include "CurveData.h"
#include "PaperFigure.h"

#include <QSize>
#include <QString>

#include <functional>
#include <vector>

namespace mrcae
{
class Trainer;
}

namespace mrcae::app
{

struct FigureRequest
{
  enum class What
  {
    Figure, ///< rows = levels; input, reconstruction, error, refinement map (PaperFigure)
    Curves  ///< the error curves alone (CurvePlot)
  };
  What what = What::Figure;
  bool withCurves = true; ///< a curves panel under the figure
  QSize size;             ///< pixels; empty = the figure's natural size times `scale`
  double scale = 1.0;
};

class FigureExport
{
public:
  static widgets::PaperFigureData figureData(const mrcae::Trainer& trainer, int snapshotIndex);
  static widgets::CurveData curveData(const mrcae::Trainer& trainer);
  /// The pixel size a request gives for `trainer` (the natural size of its figure times the scale, or the size).
  static QSize pixelSize(const mrcae::Trainer& trainer, const FigureRequest& request);
  /// Writes one figure of snapshot `index` to `path` (.png, .svg or .pdf); returns "" or one line on failure.
  static QString write(const mrcae::Trainer& trainer, int snapshotIndex, const QString& path,
                       const FigureRequest& request);
  /// Writes `<folder>/<stem>_0000.png`, ... one figure per snapshot (an animation over time). `progress(done,
  /// total)` is called after each frame; returning false stops. Returns "" or one line on failure.
  static QString writeSeries(const mrcae::Trainer& trainer, const std::vector<int>& snapshotIndices,
                             const QString& folder, const QString& stem, const FigureRequest& request,
                             const std::function<bool(int, int)>& progress = {});
};

} // namespace mrcae::app
