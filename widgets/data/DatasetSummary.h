#pragma once
// What the dataset panel shows about a dataset: plain values filled in by the application, so that the panel
// stays independent of the engine's Dataset class.

#include "mrcae/model/Field.h"

#include <QString>

#include <functional>
#include <memory>

namespace mrcae::widgets
{

struct DatasetSummary
{
  QString name;
  QString path; ///< empty when generated
  QString units;
  QString source;
  int snapshots = 0;
  int height = 0;
  int width = 0;
  double originalMin = 0.0;                  ///< the value shown for 0 (the data are scaled to [0, 1])
  double originalMax = 1.0;                  ///< the value shown for 1
  double validFraction = 1.0;                ///< share of valid (not land) cells
  int levelsAsIs = 0;                        ///< largest number of levels the size allows without crop or pad
  int levelsWithCrop = 0;                    ///< ... after cropping to c·2^L − 1
  int levelsWithPad = 0;                     ///< ... after padding (capped at a sensible number)
  std::shared_ptr<const mrcae::Field> field; ///< scaled values [T, H, W]
  std::shared_ptr<const mrcae::Map2D> valid; ///< 1 = valid cell; null when every cell is valid
  /// A dataset larger than memory is not loaded: `field` is null and this reads snapshot t as [1, H, W] from
  /// the file when the slider shows it (it throws when the file changed or went away since it was opened).
  std::function<mrcae::Field(int t)> readSnapshot;
  double bytesInMemory = 0; ///< what a full load would take (float32), shown for a dataset read on demand

  bool onDemand() const { return !field && readSnapshot != nullptr; }

  bool hasMask() const { return valid && valid->h > 0; }
  double scale() const { return originalMax - originalMin; }
  double offset() const { return originalMin; }
};

} // namespace mrcae::widgets
