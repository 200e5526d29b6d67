#pragma once
// One update of a training run as every view reads it. The training thread builds it once and publishes it as
// std::shared_ptr<const LiveSnapshot>: the step reached, the steps since the previous update (the curves'
// delta) and, when the trainer computed them, the fields of one snapshot of the data (inputs and
// reconstructions per level, the refinement maps and masks that the Refinement maps tab and the mask inspector
// read). The fields are copied once, from the engine's Snapshot into LiveFields (copiedArrays() counts them);
// the views keep shared pointers into it and never copy them again.

#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingTypes.h"

#include <memory>
#include <vector>

namespace mrcae::widgets
{

/// The fields of one snapshot of the data, per level 0..the level being trained (frame 0 of the engine's).
struct LiveFields
{
  int snapshotIndex = -1; ///< which snapshot of the dataset
  std::vector<mrcae::Map2D> inputs;
  std::vector<mrcae::Map2D> reconstructions;
  /// maps[k][g]: resolved map R_k[g] on level k's code grid; masks[k][g]: the dilated mask group g uses.
  std::vector<std::vector<mrcae::Map2D>> maps;
  std::vector<std::vector<mrcae::Map2D>> masks;

  /// The fields of `snapshot` (its first snapshot index), each array copied once; null when it has none.
  static std::shared_ptr<const LiveFields> fromEngine(const mrcae::Snapshot& snapshot);
  /// Arrays copied by fromEngine since the program started (inputs, reconstructions, maps and masks).
  static long long copiedArrays();
  /// A view of input k (reconstruction k) that keeps `fields` alive: no copy. Null when level k has none.
  static std::shared_ptr<const mrcae::Map2D> input(const std::shared_ptr<const LiveFields>& fields, int k);
  static std::shared_ptr<const mrcae::Map2D> reconstruction(const std::shared_ptr<const LiveFields>& fields, int k);
};

struct LiveSnapshot
{
  int stage = 0;
  int level = 0;
  int step = 0;
  std::vector<mrcae::StepRecord> steps;     ///< the steps since the previous update, in order
  std::shared_ptr<const LiveFields> fields; ///< null when this update brings no new fields
};

using LiveSnapshotPtr = std::shared_ptr<const LiveSnapshot>;

} // namespace mrcae::widgets
