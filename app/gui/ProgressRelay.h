#pragma once
// The TrainingObserver the worker hands to Trainer::run: it runs on the training thread, copies what the views
// need and passes it on as queued signals of the worker, throttled to about ten a second. Snapshots the GUI has
// not drawn yet are replaced rather than queued, so a slow GUI never builds a backlog.

#include "mrcae/model/TrainingTypes.h"

#include <atomic>
#include <chrono>
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
  /// `snapshotsInFlight` counts snapshots emitted but not yet drawn (the GUI decrements it).
  ProgressRelay(TrainingWorker* worker, mrcae::Trainer* trainer, std::atomic<int>* snapshotsInFlight,
                std::atomic<int>* requestedIndex);

  void stageStarted(int stage, int level, int group, mrcae::StageOp op, int maxSteps) override;
  void stepsDone(const std::vector<mrcae::StepRecord>& steps) override;
  void stageFinished(const mrcae::StageRecord& record) override;
  void snapshotReady(const mrcae::Snapshot& snapshot) override;
  double snapshotInterval() const override { return 1.0; }

  /// Sends the steps still held back (end of a stage or of the run).
  void flush();

private:
  void applyRequestedIndex();

  TrainingWorker* worker_;
  mrcae::Trainer* trainer_;
  std::atomic<int>* snapshotsInFlight_;
  std::atomic<int>* requestedIndex_;
  int shownIndex_ = -1;
  std::vector<mrcae::StepRecord> pending_;
  std::chrono::steady_clock::time_point lastEmit_{};
  bool stageEnding_ = false;
};

} // namespace mrcae::app
