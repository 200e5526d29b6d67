#pragma once
// One stage's optimisation, shared by MrCAE and the RED-Net baseline (SPEC.md §4.3–§4.4): a fresh Adam, one
// step per batch, local loss differentiated, global metric logged, stopping rules at the check cadence, and
// the best state restored at the end. A stage can also go on from where it ended (StageProgress), exactly as
// if it had never been interrupted. Private: LibTorch.

#include "Operators.h"
#include "StoppingRule.h"
#include "mrcae/engine/Device.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <torch/torch.h>

#include <functional>
#include <string>
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
  bool globalIsLocal = false; ///< native level and no mask: the global metric is the local loss
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
  /// The device ran out of memory inside the step loop: the stage ended after `steps` complete steps as if
  /// stopped (reason UserStop, best state restored, StageProgress open), so that it can go on here or on
  /// another device. The caller reports it (DeviceError).
  bool outOfMemory = false;
  /// With outOfMemory: StageProgress is the state after step `steps` (iterate, Adam, rule), so the stage goes on
  /// as if it had never been interrupted; false when the memory ran out inside the parameter update (the stage
  /// goes on from its best state with a fresh Adam).
  bool exact = true;
  std::string error; ///< the out-of-memory message (first line)
};

/// How a stage runs, beyond the training config.
struct StageRunOptions
{
  /// Where the step loop's time goes (added to; may be null).
  LevelTiming* timing = nullptr;
  /// Probe the device time of a few steps per stage (device::StepProbe; CUDA builds on a CUDA device only).
  bool probeSteps = false;
};

/// Adam's state of one parameter (LibTorch's AdamParamState); undefined moments = the parameter never had a
/// gradient in this stage, so Adam holds nothing for it.
struct AdamMoments
{
  torch::Tensor expAvg, expAvgSq;
  int64_t step = 0;
};

/// Everything a stage needs to take more steps exactly where it ended: the current iterate (the model holds
/// the restored best state instead), Adam's moments, the stopping rule, the best state so far and the batch
/// generator. Vectors follow the order of the stage's parameters.
struct StageProgress
{
  int steps = 0;    ///< steps taken; 0 = nothing yet
  int maxSteps = 0; ///< the stage's step limit (its budget, or more when extra steps were granted)
  int budget = 0;   ///< the budget the stopping rule's cadence comes from
  StopReason reason = StopReason::MaxSteps;
  /// The stage may take more steps: it was stopped by the user, or extra steps were granted.
  bool open = false;
  std::vector<torch::Tensor> current;
  std::vector<AdamMoments> adam;
  StoppingRule::State rule;
  std::vector<torch::Tensor> best;
  double bestScore = 0; ///< float32 value of the best score (+inf before any)
  int bestStep = 0;
  torch::Tensor generator; ///< uint8 state of the batch generator (CPU)

  bool empty() const { return steps == 0; }
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
/// With `progress`: if it is not empty, the stage goes on from it (parameters, Adam, rule, best state and
/// `gen` are set from it, and steps continue after progress->steps up to `maxSteps`, which may exceed
/// progress->budget); in every case it receives the stage's state when the stage ends, before the restore. Its
/// tensors may live on any device (they are kept in host memory when the stage runs on CUDA), and a `progress`
/// that has no step left (maxSteps <= progress->steps, not stopped) only ends the stage again: its reason is
/// kept, the final iterate competes with the best state and the best state is restored.
/// Host synchronisation (docs/cuda.md): the step's losses stay on the device and are copied back together
/// every ~0.2 s when there is an observer, at every check step and at the end; batch indices are drawn on the
/// host (the same batches on every device) and uploaded without a wait.
StageOutcome optimizeStage(const TrainingConfig& config, const StageData& data, const Forward& forward,
                           const std::vector<torch::Tensor>& params, int maxSteps, double tolerance,
                           const StagePosition& position, torch::Generator& gen, std::vector<StepRecord>& curves,
                           TrainingObserver* observer, StopToken* stop,
                           const std::function<void(int)>& midStageSnapshot = {}, StageProgress* progress = nullptr,
                           const StageRunOptions& run = {});

} // namespace mrcae
