#pragma once
// The TrainingObserver the worker hands to Trainer::run: it runs on the training thread and publishes every
// update as one immutable LiveSnapshot (the new steps, or the new fields of the shown snapshot, copied once from
// the engine) through the worker's queued `updated` signal. It does not throttle: the GUI coalesces updates
// with one timer (RunPresenter) and draws at most that often.

#include "LiveSnapshot.h"

#include "mrcae/model/TrainingTypes.h"

#include <atomic>
#include <memory>
#include <vector>

namespace mrcae
{
class Trainer;
}

namespace mrcae::app
{

class TrainingWorker;

class ProgressRelay : public mrcae::TrainingObserver
{
public:
  /// `requestedIndex`: the snapshot of the data the views want (set by the GUI, applied between steps).
  ProgressRelay(TrainingWorker* worker, mrcae::Trainer* trainer, std::atomic<int>* requestedIndex);

  void stageStarted(int stage, int level, int group, mrcae::StageOp op, int maxSteps) override;
  void stepsDone(const std::vector<mrcae::StepRecord>& steps) override;
  void stageFinished(const mrcae::StageRecord& record) override;
  void snapshotReady(const mrcae::Snapshot& snapshot) override;
  double snapshotInterval() const override { return 1.0; }

private:
  void applyRequestedIndex();

  TrainingWorker* worker_;
  mrcae::Trainer* trainer_;
  std::atomic<int>* requestedIndex_;
  int shownIndex_ = -1;
};

} // namespace mrcae::app
