#pragma once
// The GUI side of training: owns the training thread and its worker, turns button presses into requests
// (Stop and Pause are StopToken atomics, the rest queued calls to the idle worker) and re-emits the worker's
// progress on the GUI thread. It also keeps the state the buttons and the status bar need.

#include "TrainingMetaTypes.h"
#include "TrainingRequest.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace mrcae::app
{

class TrainingWorker;

class TrainingController : public QObject
{
  Q_OBJECT

public:
  enum class State
  {
    Idle,
    Running,
    Paused,
    Stopping
  };
  Q_ENUM(State)

  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  State state() const { return state_; }
  /// Training, or an export on the training thread.
  bool isBusy() const { return state_ != State::Idle || jobRunning_; }
  /// A trainer exists (trained, stopped, failed mid-way or opened from a file).
  bool hasModel() const { return hasModel_; }
  /// The model has stages the schedule did not run yet (stopped or diverged): Resume continues it.
  bool canResume() const { return hasModel_ && !scheduleDone_ && state_ == State::Idle; }
  bool modelSaved() const { return saved_; }

  /// Where the next train or resume saves after every stage ("" = nowhere).
  void setAutosavePath(const QString& path);
  QString autosavePath() const { return autosavePath_; }
  /// Trains what `request` says: loaded data or a file read in batches, on one or several processes.
  void train(const TrainingRequest& request);
  void pause();
  /// Continues a paused run, or the rest of the schedule of a stopped one (over `processes`, TrainingWorker).
  void resume(int processes = 1);
  /// Gives the last stage `extraSteps` more steps (after it ended, or was stopped) and trains on.
  void moreSteps(int extraSteps, int processes = 1);
  /// Finish the current step, restore the best state of the stage, keep everything.
  void stop();
  /// The reconstructions should show snapshot `index`: during a run from the next snapshot on, else at once.
  void requestSnapshot(int index);
  /// Kernels and codes of snapshot `index` for the Filters tab (only when idle: nothing is asked during a run).
  void requestDetails(int index);
  void saveModel(const QString& path);
  /// Reads a saved run's weights onto `data` on the training thread and waits for it (a small file: the window
  /// changes nothing until it is known to be usable). "" on success, with modelOpened following; else one line
  /// saying why the file cannot be used, and the model that was open stays.
  QString openModel(const QString& path, const std::shared_ptr<const mrcae::Dataset>& data);
  /// Forgets the trainer (the window shows another model's description): nothing to save, resume or export.
  void closeModel();

  /// Runs `fn` with the trainer on the training thread and waits for it. Only when idle (false otherwise):
  /// for final-state checks and tests, never during a run.
  bool inspect(const std::function<void(const mrcae::Trainer*)>& fn);
  /// Runs an export with the trainer on the training thread; false (and nothing runs) when busy or there is no
  /// model. jobFinished follows, with jobProgress on the way.
  bool runJob(const TrainerJob& job);
  /// Asks the running job to stop after its current piece (an animation after the current frame).
  void cancelJob() { cancelJob_.store(true); }
  bool jobRunning() const { return jobRunning_; }

Q_SIGNALS:
  void stateChanged(mrcae::app::TrainingController::State state);
  /// A streamed run opens its file first: `done` of `total` snapshots read through.
  void preparing(int done, int total);
  /// The file a streamed run reads, opened on the training thread.
  void streamOpened(const std::shared_ptr<const mrcae::StreamedDataset>& stream);
  void runStarted(const QString& device);
  void stageStarted(int stage, int level, int group, const QString& op, int maxSteps);
  void stageFinished(const mrcae::StageRecord& record, const mrcae::ArchitectureInfo& architecture);
  /// The live path: every update of a run (new steps, or new fields of the shown snapshot), and the answer to
  /// requestSnapshot when idle. Immutable and shared: the views read it in place.
  void updated(const mrcae::widgets::LiveSnapshotPtr& update);
  void detailsReady(const std::vector<mrcae::GroupWeights>& weights, const std::vector<mrcae::GroupCodes>& codes,
                    int index);
  void runFinished(bool scheduleDone);
  void failed(const QString& message, mrcae::app::Failure kind);
  void modelSavedTo(const QString& path);
  void autosaved(const QString& path);
  void jobProgress(int done, int total);
  void jobFinished(const QString& error);
  void modelOpened(const QString& path, const std::vector<mrcae::StepRecord>& curves,
                   const std::vector<mrcae::StageRecord>& stages, const mrcae::ArchitectureInfo& architecture,
                   bool scheduleDone);

private:
  void setState(State state);
  void onUpdate(const mrcae::widgets::LiveSnapshotPtr& update);

  QThread thread_;
  TrainingWorker* worker_ = nullptr;
  mrcae::StopToken token_;
  std::atomic<int> requestedIndex_{-1};
  State state_ = State::Idle;
  bool hasModel_ = false;
  bool scheduleDone_ = false;
  bool saved_ = false;
  bool jobRunning_ = false;
  QString autosavePath_;
  std::atomic<bool> cancelJob_{false};
  bool snapshotQueued_ = false; ///< an idle-time snapshot request is on its way to the worker
  int nextSnapshot_ = -1;       ///< the latest index asked for while one was on its way
};

} // namespace mrcae::app
