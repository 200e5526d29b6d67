#pragma once
// The state of a training run behind Trainer's pimpl. Private: LibTorch. What a model file keeps of it is a
// Checkpoint (checkpoint(), restore()).

#include "Checkpoint.h"
#include "MrcaeModel.h"
#include "Operators.h"
#include "RankGroupImpl.h"
#include "ShardFeed.h"
#include "StageData.h"
#include "StageProgress.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/StreamedDataset.h"

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

/// One level's data, resident on the device: (n,1,N_k,W_k) per part of the split.
struct LevelData
{
  torch::Tensor train, val, test;
};

/// The next architecture change of the schedule (SPEC §2.4), or more steps on the last stage.
struct NextStage
{
  bool done = true;
  int level = 0;
  int group = 0;
  int channels = 0; ///< channels the change adds
  StageOp op = StageOp::Deepen;
  bool continues = false; ///< no change: the last stage goes on from lastStage (its record is replaced)
};

struct Trainer::Impl
{
  Dataset data;
  TrainingConfig config;
  torch::Device device{torch::kCPU};
  Split split;
  mutable MrcaeModel model{nullptr};     // evaluation runs forwards from const accessors
  torch::Tensor native;                  ///< (T,1,H,W): every snapshot at native resolution
  std::vector<LevelData> levelData;      ///< [k]
  torch::Tensor validNative;             ///< (1,1,H,W), 1 = valid (all ones without a mask)
  std::vector<torch::Tensor> validLevel; ///< [k] restricted valid masks
  std::unique_ptr<ops::Prolongation> prolong;
  std::vector<StageRecord> stages;
  std::vector<StepRecord> curves;
  std::vector<int> snapshotIndices;
  /// The state of the last stage when it ended (empty before any stage, or read from a file without
  /// /optimizer); its vectors follow parameters().
  StageProgress lastStage;
  std::vector<LevelTiming> timing;               ///< [k], since construction or resetTiming()
  bool probeSteps = false;                       ///< Trainer::setDeviceTiming
  std::shared_ptr<RankGroup> group;              ///< null: one process
  std::shared_ptr<const StreamedDataset> stream; ///< set: read from the file as training goes (data: metadata)
  StreamOptions streamOptions;
  /// Set when the data are partitioned (streamed, or this rank's shard): native and levelData stay empty.
  std::unique_ptr<ShardFeed> feed;

  bool partitioned() const { return feed != nullptr; }
  RankGroup::Impl* groupImpl() const { return group ? &group->impl() : nullptr; }
  /// True when a stop was asked for (over a group: on any rank; every rank gets the same answer).
  bool stopRequested(StopToken* stop) const;
  DatasetDescription dataDescription() const;
  /// Snapshots by dataset index at native resolution on the device.
  torch::Tensor snapshotsAt(const std::vector<int>& indices) const;

  /// Validates, selects the device and threads, splits (unless `split` is already set) and uploads the data, or
  /// (streamed, or a rank of a group) sets up the feed of this process's snapshots.
  void prepare();
  void prepareResident();
  void preparePartitioned();
  /// The valid-cell mask (1,1,H,W) on the device, all ones without one.
  torch::Tensor validMask() const;
  /// Builds an empty model for the config on the device.
  void createModel();
  NextStage nextStage() const;
  /// Every parameter, in the order the stages train them (Checkpoint::parameterLayout).
  std::vector<torch::Tensor> parameters() const;
  ArchitectureInfo architecture() const;
  /// The run's saved state (what Trainer::save writes).
  Checkpoint checkpoint() const;
  /// Takes a saved run over, for `data` (already set): checks that it is the checkpoint's dataset, then prepares
  /// the data and rebuilds the model. A non-empty `device` and a positive `threads` replace the saved settings.
  /// `path` names the file in messages. Throws InputError.
  void restore(const std::string& path, Checkpoint checkpoint, const std::string& device, int threads,
               double memoryLimitGb);
  /// Runs one stage; returns false when the run must end (stop requested or divergence).
  bool runStage(const NextStage& next, TrainingObserver* observer, StopToken* stop);

  /// The training problem of one level (data, masks, prolongation) for the stage optimiser.
  StageData stageData(int level) const;
  torch::Tensor forwardNoGrad(const torch::Tensor& x, int level) const;
  LevelErrors errors(int level, const torch::Tensor& x, const torch::Tensor& native) const;
  /// The same on partitioned data, for one part of the split (collective over a group).
  LevelErrors errors(int level, ShardFeed::Part part) const;
  torch::Tensor localValid(int level) const;
  torch::Tensor meanMask() const;
  Snapshot makeSnapshot(const std::vector<int>& indices, int stage, int step) const;
};

} // namespace mrcae
