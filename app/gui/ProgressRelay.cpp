#include "ProgressRelay.h"
#include "TrainingWorker.h"

#include "mrcae/engine/Trainer.h"

namespace mrcae::app
{

namespace
{
constexpr std::chrono::milliseconds kMinInterval(100); // at most ~10 updates a second reach the GUI
}

ProgressRelay::ProgressRelay(TrainingWorker* worker, mrcae::Trainer* trainer, std::atomic<int>* snapshotsInFlight,
                             std::atomic<int>* requestedIndex)
  : worker_(worker), trainer_(trainer), snapshotsInFlight_(snapshotsInFlight), requestedIndex_(requestedIndex)
{
}

void ProgressRelay::applyRequestedIndex()
{
  // The time slider moved: later snapshots show that snapshot. Safe here, between the trainer's steps.
  const int wanted = requestedIndex_->load();
  if (wanted >= 0 && wanted != shownIndex_)
  {
    trainer_->setSnapshotIndices({wanted});
    shownIndex_ = wanted;
  }
}

void ProgressRelay::stageStarted(int stage, int level, int group, mrcae::StageOp op, int maxSteps)
{
  flush();
  applyRequestedIndex();
  Q_EMIT worker_->stageStarted(stage, level, group, QString::fromStdString(mrcae::displayName(op)), maxSteps);
}

void ProgressRelay::stepsDone(const std::vector<mrcae::StepRecord>& steps)
{
  pending_.insert(pending_.end(), steps.begin(), steps.end());
  applyRequestedIndex();
  if (std::chrono::steady_clock::now() - lastEmit_ >= kMinInterval)
  {
    flush();
  }
}

void ProgressRelay::flush()
{
  if (pending_.empty())
  {
    return;
  }
  Q_EMIT worker_->stepsDone(pending_);
  pending_.clear();
  lastEmit_ = std::chrono::steady_clock::now();
}

void ProgressRelay::stageFinished(const mrcae::StageRecord& record)
{
  flush();
  worker_->autosave();
  Q_EMIT worker_->stageFinished(record, trainer_->architecture());
  stageEnding_ = true; // the snapshot that follows shows the stage's final state: never drop it
}

void ProgressRelay::snapshotReady(const mrcae::Snapshot& snapshot)
{
  const bool mustSend = stageEnding_;
  stageEnding_ = false;
  if (!mustSend && snapshotsInFlight_->load() > 0)
  {
    return; // the GUI has not drawn the previous one yet; a newer one comes within a second
  }
  snapshotsInFlight_->fetch_add(1);
  Q_EMIT worker_->snapshotReady(snapshot);
}

} // namespace mrcae::app
