#pragma once
// One level's training problem as a stage sees it (data, masks, prolongation), and the evaluations a stage and
// its record need: forwards without autograd in bounded chunks, the pixel loss map on the training set (SPEC §3)
// and the global validation error (SPEC §4.2). Private: LibTorch.

#include "Operators.h"
#include "RankGroupImpl.h"
#include "ShardFeed.h"

#include <torch/torch.h>

#include <functional>

namespace mrcae
{

using Forward = std::function<torch::Tensor(const torch::Tensor&)>;

/// One level's training problem: resident on the device, or partitioned (`feed` set): read from a file in
/// batches, and/or this process's shard of a run over several processes (`group`). Partitioned, the tensors
/// xTrain, xVal, nativeTrain and nativeVal are undefined; the feed gives the snapshots, and every loss is made
/// from per-pixel sums that the group adds up, so that every rank computes the same values.
struct StageData
{
  torch::Tensor xTrain, xVal;           ///< (n,1,N_k,W_k) at the level's size
  torch::Tensor nativeTrain, nativeVal; ///< the same snapshots at native resolution
  int prolongations = 0;                ///< L−1−k
  torch::Tensor localValid;             ///< valid cells at the level for the local loss (undefined = all)
  torch::Tensor maxMask;                ///< M of the global max term (SPEC §4.2), (1,1,H,W)
  torch::Tensor meanMask;               ///< also restricts the global mean (consistent mode; undefined = no)
  const ops::Prolongation* prolong = nullptr;
  bool globalIsLocal = false; ///< native level and no mask: the global metric is the local loss
  int level = 0;
  ShardFeed* feed = nullptr;
  RankGroup::Impl* group = nullptr; ///< null: one process

  bool partitioned() const { return feed != nullptr; }
};

/// Forward under NoGrad in bounded chunks (evaluation memory stays flat on large grids).
torch::Tensor forwardNoGrad(const Forward& forward, const torch::Tensor& x);

/// The global loss (SPEC §4.2) of the outputs `y` of the level against the native snapshots `native`.
torch::Tensor globalTotal(const torch::Tensor& y, const torch::Tensor& native, const StageData& data, double w);

/// Zero per-pixel maps at the level's size (1,N_k,W_k) and at native size (1,H,W): what a rank without snapshots
/// of a part adds.
torch::Tensor zeroLevelMap(const StageData& data);
torch::Tensor zeroNativeMap(const StageData& data);

/// Per-pixel sums over this rank's snapshots of a part (partitioned data), without autograd: Σ (y−x)² at the level
/// and Σ (Pⁿy − X)² at native size (the same tensor when the global metric is the local loss).
struct PartSums
{
  torch::Tensor local, global;
};
PartSums partSums(const Forward& forward, const StageData& data, ShardFeed::Part part);

/// S of SPEC §3 for the whole training set of the stage (partitioned: from every rank's chunks).
torch::Tensor pixelLossMapOnTrain(const Forward& forward, const StageData& data);

/// The global validation error of the current parameters (partitioned: from every rank's chunks).
double globalValError(const Forward& forward, const StageData& data, double w);

} // namespace mrcae
