#pragma once
// What training reports while it runs: plain values that can cross threads (queued Qt signals copy them).

#include "mrcae/model/Field.h"
#include "mrcae/model/Names.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace mrcae
{

/// Losses of one optimizer step at the current level.
struct StepRecord
{
  int stage = 0; ///< index of the stage in the run (0-based)
  int level = 0;
  int group = 0;
  int step = 0;           ///< 1-based step within the stage
  double localTrain = 0;  ///< ℓ on the batch (what is differentiated)
  double localVal = 0;    ///< ℓ on the validation set
  double globalTrain = 0; ///< global metric of the batch (SPEC §4.2)
  double globalVal = 0;   ///< global metric of the validation set
};

/// One finished stage: an architecture change (deepen or widen) and its training run.
struct StageRecord
{
  int stage = 0;
  int level = 0;
  int group = 0;
  StageOp op = StageOp::Deepen;
  int addedChannels = 0;
  long long params = 0; ///< all parameters of the model after this stage's change
  int steps = 0;        ///< steps actually taken
  int bestStep = 0;     ///< step whose state was restored (0 = the final iterate)
  StopReason stopReason = StopReason::MaxSteps;
  double bestGlobalVal = 0; ///< global validation error of the restored state
  double seconds = 0;
  int unresolved = -1; ///< Σ(1−R) on the code grid after the stage (-1 without maps)
  int dilated = -1;    ///< pixels of the mask the next group uses
  int mapPixels = 0;   ///< size of the level's code grid
  bool levelClear = false;
  long long encodingSize = 0; ///< cumulative "size of encoding" as the benchmark notebooks count it (SPEC §7.3)
  /// The code values one snapshot takes to rebuild this stage's level with the model after the stage, as
  /// `mrcae encode` stores them (docs/SPEC.md §7.4): level 0's coarse code plus, for every widened group of the
  /// levels up to this one, its channels times the cells of its dilated mask (the whole code grid without maps).
  /// For RED-Net: every hidden layer (its skips need them all). -1 when unknown (files of older versions).
  long long codeValues = -1;
};

/// A picture of the model for the views: per trained level, reconstructions of chosen snapshots and the maps.
struct Snapshot
{
  int stage = 0;
  int level = 0; ///< the level being trained
  int step = 0;
  std::vector<int> snapshotIndices;   ///< which snapshots of the dataset are shown
  std::vector<Field> inputs;          ///< per level 0..level: the input restricted to that level
  std::vector<Field> reconstructions; ///< per level 0..level: F_k of that input
  /// maps[k][g]: resolved map R_k[g] (1 = resolved) on level k's code grid, for the groups that have one.
  std::vector<std::vector<Map2D>> maps;
  /// masks[k][g]: dilated unresolved mask that group g (>= 1) of level k multiplies its code with.
  std::vector<std::vector<Map2D>> masks;
};

/// Receives progress on the training thread. Implementations copy what they need and return quickly.
class TrainingObserver
{
public:
  virtual ~TrainingObserver() = default;
  virtual void stageStarted(int /*stage*/, int /*level*/, int /*group*/, StageOp /*op*/, int /*maxSteps*/) {}
  /// Called in batches of consecutive steps (at most a few times a second, and at every check).
  virtual void stepsDone(const std::vector<StepRecord>& /*steps*/) {}
  virtual void stageFinished(const StageRecord& /*record*/) {}
  /// Called after each stage, and during a stage when snapshotInterval() seconds have passed.
  virtual void snapshotReady(const Snapshot& /*snapshot*/) {}
  /// Seconds between mid-stage snapshots; <= 0 disables them.
  virtual double snapshotInterval() const { return 0.0; }
};

/// Polled once per step by the trainer. Stop: finish the step, restore the best state, keep everything. Pause:
/// the trainer waits before its next step, without polling, until the token is resumed or stopped. Set from any
/// thread.
struct StopToken
{
public:
  /// Set by requestStop() (which also wakes a paused trainer); clear it with reset() or directly.
  std::atomic<bool> stop{false};

  void requestStop();
  bool stopRequested() const { return stop.load(); }
  void setPaused(bool paused);
  bool paused() const;
  /// Clears stop and pause (before the token is used for another run).
  void reset();
  /// Blocks the calling thread while the token is paused and not stopped.
  void waitWhilePaused();

private:
  bool paused_ = false; ///< guarded by mutex_
  mutable std::mutex mutex_;
  std::condition_variable changed_;
};

/// Global and local errors of one level on one part of the data.
struct LevelErrors
{
  double globalMse = 0, globalMax = 0, global = 0; ///< prolongated to native resolution (SPEC §4.2)
  double localMse = 0, localMax = 0, local = 0;    ///< at the level's own resolution (SPEC §4.1)
};

struct LevelEvaluation
{
  int level = 0;
  LevelErrors train, val, test;
};

/// Channels of every group, per level, and the parameter count.
struct ArchitectureInfo
{
  int levels = 0;
  std::vector<std::vector<int>> groupChannels; ///< [level][group] = channels of that group
  std::vector<bool> levelClear;
  long long params = 0;

  /// Cumulative widths per level, the form of TrainingConfig::archs: [[1,1],[1,1,1]] -> [[1,2],[1,2,3]].
  std::vector<std::vector<int>> cumulativeWidths() const
  {
    std::vector<std::vector<int>> out;
    for (const auto& groups : groupChannels)
    {
      std::vector<int> widths;
      int sum = 0;
      for (int c : groups)
      {
        widths.push_back(sum += c);
      }
      out.push_back(widths);
    }
    return out;
  }
};

/// The codes (hidden maps) of one group for some snapshots: values[s·channels + c] is channel c of snapshot s,
/// masked as the forward pass uses them (SPEC §2.2).
struct GroupCodes
{
  int level = 0;
  int group = 0;
  int channels = 0;
  Field values;
};

/// The kernels of one group: encoder L{k}_Conv_{g} (1→n, 3×3) and decoder L{k}_deConv_{g} (n→1, 3×3).
struct GroupWeights
{
  int level = 0;
  int group = 0;
  int channels = 0;
  std::vector<float> encoderWeight; ///< n·9 values: channel c's kernel row-major at [9c, 9c+9)
  std::vector<float> encoderBias;   ///< n values
  std::vector<float> decoderWeight; ///< n·9 values: the kernel applied to channel c at [9c, 9c+9)
  float decoderBias = 0.0f;
};

} // namespace mrcae
