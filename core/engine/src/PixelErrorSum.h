#pragma once
// The global metric (SPEC §4.2) of native-resolution reconstructions accumulated over snapshots in chunks: the
// per-pixel sum of squared errors in float64, combined at the end exactly as the losses combine a batch
// (lossFromPixelMeans). Every method of the benchmark (MrCAE, POD, ZFP) is scored through it, so the measures
// are the same. Private: LibTorch.

#include "Losses.h"
#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <torch/torch.h>

namespace mrcae
{

class PixelErrorSum
{
public:
  /// Adds (reconstruction − data)² of a chunk (n,1,H,W) at native resolution.
  void add(const torch::Tensor& reconstruction, const torch::Tensor& data);
  long long snapshots() const { return count_; }
  /// The measures of Trainer::evaluate for reconstructions made at the native level (POD, ZFP): the global and
  /// local errors are the same there. `valid` is the land mask (empty = none), `mode` how it enters (as the
  /// trainer: the max term always, the mean in consistent mode).
  LevelErrors nativeErrors(double w, const Map2D& valid, LandMaskMode mode) const;
  /// The global metric's parts over every snapshot added: `maxMask` is the land mask in the max term, `meanMask`
  /// (consistent mode) restricts the mean; both (1,1,H,W) or undefined. Zero when nothing was added.
  LossParts result(double w, const torch::Tensor& maxMask, const torch::Tensor& meanMask) const;

private:
  torch::Tensor sum_; ///< (1,H,W) float64
  long long count_ = 0;
};

} // namespace mrcae
