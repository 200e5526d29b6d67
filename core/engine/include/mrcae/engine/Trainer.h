#pragma once
// The MrCAE trainer: grows the model coarse-to-fine (SPEC.md §2.4) on the caller's thread and reports to an
// observer. LibTorch stays behind the pimpl: this header is safe for widgets and the app.

#include "mrcae/engine/Device.h"
#include "mrcae/engine/RankGroup.h"
#include "mrcae/model/Dataset.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

class StreamedDataset;

/// What the next Trainer::run starts with.
struct ResumePoint
{
  bool done = true;            ///< nothing left: the schedule is complete and the last stage is closed
  bool continuesStage = false; ///< more steps on the last stage (stopped by the user, or granted extra steps)
  int stage = 0;               ///< index of the stage that runs next
  int level = 0;
  int group = 0;
  StageOp op = StageOp::Deepen;
  int fromStep = 0; ///< steps that stage has already taken (0 for a new stage)
  int maxSteps = 0; ///< its step limit
};

/// How a streamed run reads its file, beyond what the memory budget decides (Trainer's streamed constructor).
struct StreamOptions
{
  /// > 0: the evaluations read this many snapshots at a time and keep none of them in memory, whatever the
  /// budget would allow.
  int evaluationChunk = 0;
};

/// How often a streamed run's training batch had been read ahead (while the step before computed) and how often
/// the step had to read it itself.
struct StreamStatistics
{
  long long readAhead = 0;
  long long readInStep = 0;
};

/// One trainer belongs to one thread at a time: the GUI runs it on a worker thread and gets value snapshots
/// through the observer; it is never touched from two threads at once.
class Trainer
{
public:
  /// Checks config and data, picks the device, splits and builds the level data. Throws InputError.
  ///
  /// With a `group` of several processes (RankGroup.h), this process is one rank of a data-parallel run: every
  /// rank must be given the same data and config; it trains on its shard of each part of the split (every
  /// size-th snapshot), and every loss, map and decision is made from values added up over the ranks, so that all
  /// ranks take the same steps and hold the same parameters (within float32 rounding of a one-process run on the
  /// whole batch). run(), evaluate() and the stop token are then collective: call them on every rank; observe,
  /// log and save on rank 0 only. A rank that is gone makes them throw RankError.
  Trainer(Dataset data, TrainingConfig config, std::shared_ptr<RankGroup> group = nullptr);
  /// Trains on a dataset read from its file in batches (StreamedDataset.h, issue 15): the training batches are
  /// read as they are needed (the next one in the background), the validation and test snapshots stay in memory
  /// when they fit the memory budget (TrainingConfig::memoryLimitGb or what the machine has) and are read in
  /// chunks otherwise. The split, the scaling and every decision are those of a run on the loaded dataset; the
  /// losses are made from per-pixel sums, so they agree with it within float32 rounding. dataset() then holds
  /// the metadata only (field.data is empty). Throws InputError when not even one snapshot at a time fits.
  Trainer(std::shared_ptr<const StreamedDataset> data, TrainingConfig config,
          std::shared_ptr<RankGroup> group = nullptr, StreamOptions options = {});
  /// Reopens a saved run (to resume or evaluate) on this dataset; checks that it is the right size, and that
  /// the optional /optimizer state fits the model. A non-empty `device` and a positive `threads` replace the
  /// saved settings; a positive `memoryLimitGb` is the budget (TrainingConfig::memoryLimitGb, which files do not
  /// keep).
  static Trainer fromModelFile(const std::string& path, Dataset data, const std::string& device = "", int threads = 0,
                               std::shared_ptr<RankGroup> group = nullptr, double memoryLimitGb = 0);
  static Trainer fromModelFile(const std::string& path, std::shared_ptr<const StreamedDataset> data,
                               const std::string& device = "", int threads = 0,
                               std::shared_ptr<RankGroup> group = nullptr, double memoryLimitGb = 0);
  /// Reads the whole model file as fromModelFile does (config, architecture, every weight's shape and values, the
  /// stage state) without a dataset or a network, so that a front end can refuse a damaged file before it shows
  /// anything of it. Throws InputError naming the file.
  static void checkModelFile(const std::string& path);
  ~Trainer();
  Trainer(Trainer&&) noexcept;
  Trainer& operator=(Trainer&&) noexcept;

  /// Trains the rest of the schedule. Returns when the schedule is done or `stop` was requested; the model then
  /// holds the best state of the last stage. Run again after a stop, the stopped stage goes on where it stopped
  /// (same step counter, Adam moments, stopping-rule state, best state and batch generator): stop-then-run
  /// gives the uninterrupted run's curves and weights bit for bit on the same device and thread count. That
  /// needs the stage state (hasStageState()); without it (a file saved without /optimizer) the stopped stage
  /// stays as it is and the next stage of the schedule starts. Observers see the continued stage's index in
  /// stageStarted again, and its stageFinished record replaces the stopped one.
  /// When the device runs out of memory, run() throws DeviceError (Kind::OutOfMemory, engine/DeviceError.h)
  /// after keeping everything: the stage that ran out is recorded as stopped with its best state restored, and
  /// the next run() goes on with it, on the same device or after moveTo("cpu"). Other errors propagate as they
  /// are.
  void run(TrainingObserver* observer = nullptr, StopToken* stop = nullptr);
  /// Moves the run to `device` ("cpu", "cuda" or "auto"): the model (parameters, resolved maps, masks), the
  /// data of every level, the valid masks and the prolongation; the stage state is read from wherever it is
  /// when the stage goes on. The config records the device (a save says where the run went on). On the same
  /// device nothing moves, so outputs stay bit for bit what they were. Throws DeviceError (Kind::Unavailable)
  /// when CUDA is asked for and absent, InputError when the run does not fit there (MemoryEstimate.h), and
  /// DeviceError (Kind::OutOfMemory) when the copy runs out of memory; in every case the trainer stays where it
  /// was, usable. Call it between runs, e.g. after an out-of-memory error, to continue on the CPU: a stage
  /// stopped exactly (DeviceError::exact()) then goes on as it would have on the old device, up to the
  /// devices' rounding differences (docs/cuda.md).
  void moveTo(const std::string& device);
  /// Probes the device time of a few steps per stage (LevelTiming::probe*; CUDA only, off by default: each
  /// probe waits for the device first). The loop times of timing() are kept in any case.
  void setDeviceTiming(bool probeSteps);
  /// Where the step loops spent their time, per level, since construction or resetTiming().
  std::vector<LevelTiming> timing() const;
  void resetTiming();
  /// True when every stage of the schedule has run (or its levels cleared) and the last stage is not open.
  bool finished() const;
  /// What the next run() starts with.
  ResumePoint resumePoint() const;
  /// True when the trainer holds what the last stage needs to go on exactly: after it trained, or after
  /// reading a file with /optimizer.
  bool hasStageState() const;
  /// Grants `extraSteps` more steps to the last stage; the next run() takes them, then the schedule goes on.
  /// A stage that ended on its own (max steps, tolerance, slow convergence) may take up to `extraSteps` more
  /// from where it ended; a stopped stage keeps its remaining budget plus `extraSteps`. The stopping checks keep
  /// their cadence K (a tenth of the level's budget) and the slow-convergence average; the slow-convergence rule
  /// stays armed from half the original budget on, and neither rule fires on the new last step. So a stage that
  /// ended on tolerance or slow convergence may end again at its next check (within K steps). Throws
  /// InputError for extraSteps < 1, without stage state, or when the last stage diverged.
  void extendLastStage(int extraSteps);
  /// Saves config, weights, maps, history, split and the last stage's state (/optimizer) to a .mrcae.h5 file,
  /// atomically.
  void save(const std::string& path) const;

  const TrainingConfig& config() const;
  /// The dataset; for a streamed run its metadata only (field.t, h, w set, field.data empty).
  const Dataset& dataset() const;
  /// True when the data are read from the file as training goes (the streamed constructor).
  bool streamed() const;
  StreamStatistics streamStatistics() const;
  /// This process's rank and the number of ranks (0 and 1 without a group).
  int rank() const;
  int ranks() const;
  const Split& split() const;
  const std::vector<StageRecord>& stages() const;
  const std::vector<StepRecord>& curves() const;
  ArchitectureInfo architecture() const;
  std::string deviceName() const;
  /// Highest level with a trained group (-1 before the first stage).
  int trainedLevel() const;

  /// Errors of every trained level on train, validation and test (no gradients). Collective over a group.
  std::vector<LevelEvaluation> evaluate() const;
  /// Inputs, reconstructions, maps and masks for the given snapshot indices (default: the first test one).
  Snapshot snapshot(const std::vector<int>& indices = {}) const;
  /// The codes of every trained level and group for the given snapshot indices.
  std::vector<GroupCodes> codes(const std::vector<int>& indices) const;
  /// The kernels and biases of every trained group, level by level.
  std::vector<GroupWeights> weights() const;
  /// Snapshots shown in mid-training snapshots. Like every member, not synchronised: call it on the thread
  /// that runs the trainer (inside observer callbacks is fine) or while it is idle.
  void setSnapshotIndices(std::vector<int> indices);

  struct Impl;

private:
  explicit Trainer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace mrcae
