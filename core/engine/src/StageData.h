#pragma once
// One level's training problem as a stage sees it (data, masks, prolongation), and the evaluations a stage and
// its record need: forwards without autograd in bounded chunks, the pixel loss map on the training set (SPEC §3)
// and the global validation error (SPEC §4.2). Private: LibTorch.

#include "Operators.h"

#include <torch/torch.h>

#include <functional>

namespace mrcae
{

using Forward = std::function<torch::Tensor(const torch::Tensor&)>;

/// One level's training problem, resident on the device.
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
};

/// Forward under NoGrad in bounded chunks (evaluation memory stays flat on large grids).
torch::Tensor forwardNoGrad(const Forward& forward, const torch::Tensor& x);

/// The global loss (SPEC §4.2) of the outputs `y` of the level against the native snapshots `native`.
torch::Tensor globalTotal(const torch::Tensor& y, const torch::Tensor& native, const StageData& data, double w);

/// S of SPEC §3 for the whole training set of the stage.
torch::Tensor pixelLossMapOnTrain(const Forward& forward, const StageData& data);

/// The global validation error (and its parts) of the current parameters.
double globalValError(const Forward& forward, const StageData& data, double w);

} // namespace mrcae
