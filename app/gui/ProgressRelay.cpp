#include "ProgressRelay.h"
#include "TrainingWorker.h"

#include "mrcae/engine/Trainer.h"

namespace mrcae::app
{

using mrcae::widgets::LiveFields;
using mrcae::widgets::LiveSnapshot;

ProgressRelay::ProgressRelay(TrainingWorker* worker, mrcae::Trainer* trainer, std::atomic<int>* requestedIndex)
  : worker_(worker), trainer_(trainer), requestedIndex_(requestedIndex)
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
  applyRequestedIndex();
  Q_EMIT worker_->stageStarted(stage, level, group, QString::fromStdString(mrcae::displayName(op)), maxSteps);
}

void ProgressRelay::stepsDone(const std::vector<mrcae::StepRecord>& steps)
{
  applyRequestedIndex();
  if (steps.empty())
  {
    return;
  }
  auto update = std::make_shared<LiveSnapshot>();
  update->stage = steps.back().stage;
  update->level = steps.back().level;
  update->step = steps.back().step;
  update->steps = steps;
  Q_EMIT worker_->updated(std::move(update));
}

void ProgressRelay::stageFinished(const mrcae::StageRecord& record)
{
  worker_->autosave();
  Q_EMIT worker_->stageFinished(record, trainer_->architecture());
}

void ProgressRelay::snapshotReady(const mrcae::Snapshot& snapshot)
{
  auto update = std::make_shared<LiveSnapshot>();
  update->stage = snapshot.stage;
  update->level = snapshot.level;
  update->step = snapshot.step;
  update->fields = LiveFields::fromEngine(snapshot); // the one copy of the fields
  Q_EMIT worker_->updated(std::move(update));
}

} // namespace mrcae::app
