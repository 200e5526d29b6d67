#pragma once
// One stage's optimisation, shared by MrCAE and the RED-Net baseline (SPEC.md §4.3–§4.4): a fresh Adam, one
// step per batch, local loss differentiated, global metric logged, stopping rules at the check cadence, and
// the best state restored at the end. A stage can also go on from where it ended (StageProgress), exactly as
// if it had never been interrupted. Private: LibTorch.
//
//   StageRun stage(config, task, generator, hooks);   // prepare: Adam, best state, the rule (or StageProgress)
//   StageOutcome outcome = stage.run();                // step, evaluate and decide until the stage ends; finish
//
// Host synchronisation (docs/cuda.md): the step's losses stay on the device and are copied back together every
// ~0.2 s when there is an observer, at every check step and at the end; batch indices are drawn on the host (the
// same batches on every device) and uploaded without a wait.
//
// Out of memory: wherever the device runs out of memory inside the stage (a step, its update, the tolerance
// check, a mid-stage snapshot), the stage ends as if stopped after its last complete step, with its best state
// restored and its StageProgress open (StageOutcome::outOfMemory), so that it can go on here or elsewhere.

#include "DeviceSupport.h"
#include "StageData.h"
#include "StageProgress.h"
#include "StoppingRule.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mrcae
{

/// Where a stage sits in the run, for the step records and the observer.
struct StagePosition
{
  int stage = 0;
  int level = 0;
  int group = 0;
};

/// What a stage trains, for how long, and where it sits in the run.
struct StageTask
{
  StageData data;
  Forward forward;
  std::vector<torch::Tensor> params;
  int maxSteps = 0;
  double tolerance = 0; ///< <= 0 disables the tolerance rule
  StagePosition position;
};

/// Who hears of the stage and what it keeps; everything but `curves` is optional.
struct StageHooks
{
  std::vector<StepRecord>* curves = nullptr; ///< step records are appended here
  TrainingObserver* observer = nullptr;      ///< gets the step records in batches
  StopToken* stop = nullptr;
  /// Called with the step number when the observer's snapshot interval has passed.
  std::function<void(int)> midStageSnapshot;
  /// If not empty, the stage goes on from it (parameters, Adam, rule, best state and generator are set from it,
  /// and steps continue after progress->steps up to maxSteps, which may exceed progress->budget); in every
  /// case it receives the stage's state when the stage ends, before the restore. A progress that has no step
  /// left (maxSteps <= progress->steps, not stopped) only ends the stage again: its reason is kept, the final
  /// iterate competes with the best state and the best state is restored.
  StageProgress* progress = nullptr;
  LevelTiming* timing = nullptr; ///< where the step loop's time goes (added to)
  /// Probe the device time of a few steps per stage (device::StepProbe; CUDA builds on a CUDA device only).
  bool probeSteps = false;
};

struct StageOutcome
{
  StopReason reason = StopReason::MaxSteps;
  int steps = 0;
  int restoredStep = 0; ///< 0 = the final iterate was kept
  /// The device ran out of memory inside the stage: it ended after `steps` complete steps as if stopped (reason
  /// UserStop, best state restored, StageProgress open), so that it can go on here or on another device. The
  /// caller reports it (DeviceError).
  bool outOfMemory = false;
  /// With outOfMemory: StageProgress is the state after step `steps` (iterate, Adam, rule), so the stage goes on
  /// as if it had never been interrupted; false when the memory ran out inside the parameter update (the stage
  /// goes on from its best state with a fresh Adam).
  bool exact = true;
  std::string error; ///< the out-of-memory message (first line)
};

class StageRun
{
public:
  /// Prepares the stage: a fresh Adam over task.params, the best state, the stopping rule and the step-loss
  /// buffer; with a non-empty hooks.progress, the state the stage ended in. `generator` draws the batches.
  StageRun(const TrainingConfig& config, StageTask task, torch::Generator& generator, StageHooks hooks);
  ~StageRun();
  StageRun(const StageRun&) = delete;
  StageRun& operator=(const StageRun&) = delete;

  /// Takes steps until the stage ends (its budget, a stopping rule, divergence, a stop request, or the device
  /// running out of memory), then finishes it: StageProgress, the final iterate against the best state, the
  /// restore. Run it once.
  StageOutcome run();

private:
  /// Where a step is when the device runs out of memory: what the stage state is worth then.
  enum class Phase
  {
    Step,     ///< before the step changed anything: the state is the one after the previous step
    Update,   ///< inside the parameter update: the iterate and Adam's moments are half-updated
    Complete, ///< after the step was complete (its losses, a snapshot)
    Evaluate  ///< in the tolerance check after a complete step: the rule still decides on this check
  };

  /// A step's four losses, on the device: local train (differentiated), local val, global train, global val.
  struct StepLosses
  {
    torch::Tensor localTrain, localVal, globalTrain, globalVal;
  };

  void prepare();
  /// Waits while the run is paused (every rank together when there are several).
  void waitWhilePaused();
  bool stopRequested() const;
  /// One training step: the batch, the forward passes and losses, the backward pass, the best state, the
  /// parameter update.
  void step();
  /// The losses and gradients of a step on data resident on the device.
  StepLosses residentStep();
  /// The same on partitioned data: this rank's part of the batch, its per-pixel sums added up over the ranks,
  /// the loss of the whole batch from them, and its gradient back through this rank's part; then the gradients
  /// (and the ranks' stop and pause requests) added up.
  StepLosses partitionedStep();
  void reduceGradients();
  /// Local and global validation losses of the current parameters on partitioned data.
  StepLosses partitionedValidation();
  /// Copies the step losses back when they are due; false when one of them is not finite.
  bool record(bool checkStep);
  /// The tolerance check's value: the worst pixel loss on the training set (none when the rule needs none).
  std::optional<double> evaluate();
  /// Feeds the rule the steps since its last check; true when the stage stops here (reason set).
  bool decide(std::optional<double> worstPixelLoss);
  void snapshot();
  StageOutcome finish();
  /// The end after the device ran out of memory: everything kept, the stage left open.
  StageOutcome finishAfterOutOfMemory();

  /// Moves the recorded losses of steps (flushed_, upto] to the host in one copy and to the curves and the
  /// observer; false if any of them is not finite.
  bool flush(int upto);
  /// Feeds the rule every flushed step it has not seen (the steps after the last check when a stage ends).
  void feedRule();
  void addTiming();
  /// Fills hooks.progress with what the stage state is now; `exact` false = after a half-done update.
  void keepProgress(bool exact, StopReason reason);

  using Clock = std::chrono::steady_clock;

  const TrainingConfig& config_;
  StageTask task_;
  torch::Generator& gen_;
  StageHooks hooks_;
  torch::Device device_;
  int64_t nTrain_;
  bool fullBatch_;
  bool trackBest_;
  int budget_;
  StoppingRule rule_;
  int ruleSteps_ = 0; ///< steps already fed to the rule
  torch::optim::Adam optimizer_;

  std::vector<torch::Tensor> bestParams_;
  torch::Tensor bestScore_, bestStep_;
  torch::Tensor stepNumber_; ///< the step number on the device, for bestStep: filled in place each step
  torch::Tensor stepLosses_; ///< losses of the steps this run takes: row i is step first_ + i
  int first_ = 1;
  int flushed_ = 0;
  int step_ = 1;
  StageOutcome outcome_;

  int ranks_ = 1;          ///< processes the step is shared by (partitioned data over a group)
  bool stopAll_ = false;   ///< some rank was asked to stop (added up with the gradients)
  bool pausedAll_ = false; ///< some rank was asked to pause

  Phase phase_ = Phase::Step;
  torch::Tensor generatorBefore_; ///< the batch generator before this step's draw (sampled batches only)
  std::string outOfMemory_;       ///< the out-of-memory message; empty = none

  Clock::time_point loopStart_, lastFlush_, lastSnapshot_;
  double hostWait_ = 0;     ///< seconds the host was blocked on the device inside the loop
  double probeSeconds_ = 0; ///< host seconds of probed steps, left out of the loop's time
  int probed_ = 0;
  std::optional<device::StepProbe> probe_;
};

} // namespace mrcae
