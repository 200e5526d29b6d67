#pragma once
// Figures of a trained model for `mrcae export --format png|svg|pdf`: the paper-style figure or the curves of one
// snapshot into a file, or a PNG series over several snapshots into a folder. Only in the GUI build (QPainter);
// no display needed.

#include "mrcae/engine/Trainer.h"

#include <string>
#include <vector>

namespace mrcae::cli
{

struct FigureOptions
{
  bool curves = false;    ///< the curves alone instead of the multi-panel figure
  bool withCurves = true; ///< a curves panel under the figure
  int width = 0;          ///< pixels; 0 = the natural size times `scale`
  int height = 0;
  double scale = 1.0;
};

/// One snapshot: writes the file `output`. Several: writes `output`/frame_0000.png, ... Returns what was written
/// (one line); throws InputError with the reason when it cannot.
std::string writeFigures(const Trainer& trainer, const std::vector<int>& snapshots, const std::string& output,
                         const FigureOptions& options);

} // namespace mrcae::cli
