#pragma once
// One stage's optimisation, shared by MrCAE and the RED-Net baseline (SPEC.md §4.3–§4.4): a fresh Adam, one
// step per batch, local loss differentiated, global metric logged, stopping rules at the check cadence, and
// the best state restored at the end. Private: LibTorch.

#include "engine/Operators.h"
#include "engine/TrainingConfig.h"
#include "engine/TrainingTypes.h"

#include <torch/torch.h>

#include <functional>
#include <vector>

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
  bool globalIsLocal = false;           ///< native level and no mask: the global metric is the local loss
};

/// Where a stage sits in the run, for the step records and the observer.
struct StagePosition
{
  int stage = 0;
  int level = 0;
  int group = 0;
};

struct StageOutcome
{
  StopReason reason = StopReason::MaxSteps;
  int steps = 0;
  int restoredStep = 0; ///< 0 = the final iterate was kept
};

/// Forward under NoGrad in bounded chunks (evaluation memory stays flat on large grids).
torch::Tensor forwardNoGrad(const Forward& forward, const torch::Tensor& x);

/// S of SPEC §3 for the whole training set of the stage.
torch::Tensor pixelLossMapOnTrain(const Forward& forward, const StageData& data);

/// The global validation error (and its parts) of the current parameters.
double globalValError(const Forward& forward, const StageData& data, double w);

/// Trains `params` through `forward` for at most `maxSteps` steps; `tolerance` <= 0 disables the tolerance
/// rule. Step records are appended to `curves` and sent to the observer in batches. `midStageSnapshot`, if
/// set, is called with the step number when the observer's snapshot interval has passed.
StageOutcome optimizeStage(const TrainingConfig& config, const StageData& data, const Forward& forward,
                           const std::vector<torch::Tensor>& params, int maxSteps, double tolerance,
                           const StagePosition& position, torch::Generator& gen, std::vector<StepRecord>& curves,
                           TrainingObserver* observer, StopToken* stop,
                           const std::function<void(int)>& midStageSnapshot = {});

} // namespace mrcae
