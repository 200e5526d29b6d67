#pragma once
// Lives on the training thread and owns the Trainer: every call into the engine happens here. Its slots are
// reached through queued connections when the thread is idle; while Trainer::run blocks the thread, Stop and
// Pause reach the engine only through the StopToken atomics, never through a queued slot.

#include "TrainingMetaTypes.h"
#include "TrainingRequest.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace mrcae::app
{

class LocalProcessGroup;

class TrainingWorker : public QObject
{
  Q_OBJECT

public:
  TrainingWorker(mrcae::StopToken* token, std::atomic<int>* requestedIndex);
  ~TrainingWorker() override;

  /// Runs `fn` with the trainer (or null) on this thread. For blocking queries from the GUI when idle.
  void withTrainer(const std::function<void(const mrcae::Trainer*)>& fn) const;

public Q_SLOTS:
  /// Builds a new trainer (replacing the old one) and runs the whole schedule: on loaded data, or on a file read
  /// in batches (opened here first: one pass over it), alone or as rank 0 of several processes.
  void train(const mrcae::app::TrainingRequest& request);
  /// Runs the rest of the schedule of the current trainer (after Stop); with `processes` > 1, over that many
  /// processes (each opens the run as it stands), when the trainer came from Train here.
  void resume(int processes = 1);
  /// Grants the last stage `extraSteps` more steps and runs on from there (over `processes` as resume does).
  void moreSteps(int extraSteps, int processes = 1);
  /// The fields of snapshot `index` when idle: always answers with one `updated` (without fields when there
  /// is nothing to show).
  void computeSnapshot(int index);
  /// The kernels of every group and the codes of snapshot `index` (the Filters tab).
  void computeDetails(int index);
  void saveModel(const QString& path);
  /// Reopens a saved run on `data` (to inspect, resume or compare): "" and modelOpened, or why it cannot be used
  /// (the trainer that was open stays).
  QString openModel(const QString& path, const mrcae::Dataset& data);
  void closeModel() { trainer_.reset(); }
  /// Where to save after every stage ("" = no autosave); set before train or resume.
  void setAutosavePath(const QString& path) { autosavePath_ = path; }
  /// Called by the progress relay at the end of each stage, on this thread.
  void autosave();
  /// Runs an export with the trainer; `cancel` is polled through the job's progress calls.
  void runJob(const mrcae::app::TrainerJob& job, const std::atomic<bool>* cancel);

Q_SIGNALS:
  /// A streamed dataset is being opened: `done` of `total` snapshots read through.
  void preparing(int done, int total);
  /// The file a streamed run reads, opened (the views read its snapshots through it too).
  void streamOpened(const std::shared_ptr<const mrcae::StreamedDataset>& stream);
  /// The trainer is gone (a run over several processes lost one of them mid-stage): nothing to save or resume.
  void modelDropped();
  void runStarted(const QString& device);
  void stageStarted(int stage, int level, int group, const QString& op, int maxSteps);
  void stageFinished(const mrcae::StageRecord& record, const mrcae::ArchitectureInfo& architecture);
  /// One update of the live path: new steps, or new fields of the shown snapshot (ProgressRelay).
  void updated(const mrcae::widgets::LiveSnapshotPtr& update);
  void detailsReady(const std::vector<mrcae::GroupWeights>& weights, const std::vector<mrcae::GroupCodes>& codes,
                    int index);
  /// Trainer::run returned: the schedule is done, or it was stopped (by the user or a divergence).
  void runFinished(bool scheduleDone);
  void failed(const QString& message, mrcae::app::Failure kind);
  void modelSaved(const QString& path);
  void autosaved(const QString& path);
  void jobProgress(int done, int total);
  /// The job ended: `error` is empty on success.
  void jobFinished(const QString& error);
  void modelOpened(const QString& path, const std::vector<mrcae::StepRecord>& curves,
                   const std::vector<mrcae::StageRecord>& stages, const mrcae::ArchitectureInfo& architecture,
                   bool scheduleDone);

private:
  /// How Trainer::run ended.
  enum class RunEnd
  {
    Finished,   ///< the schedule is done, or it was stopped
    Failed,     ///< an error here (reported)
    LostProcess ///< a process of the group is gone (not reported yet: the caller says it once, with what is kept)
  };

  /// Builds the trainer of `request` (a new run, or a saved one going on) and runs it; `stream`: the file of a
  /// streamed run when it is open already.
  void start(const TrainingRequest& request, std::shared_ptr<const mrcae::StreamedDataset> stream);
  /// Resume or More Steps over several processes: the run saved and reopened by each of them.
  void goOnOverProcesses(int processes, int extraSteps);
  void run();
  /// Trainer::run with the error reports; `lost` says which process was lost and why.
  RunEnd runSchedule(LocalProcessGroup* processes, QString* lost);
  /// The file of a streamed run, read through once (Stop ends the pass).
  std::shared_ptr<const mrcae::StreamedDataset> openStream(const TrainingRequest& request);
  /// The end of a run over several processes: the evaluation the others end with (or ending them after a
  /// failure here), their exits, and the trainer reopened as one process from what it holds (so that Resume,
  /// More Steps and the views need no group). `request` and `stream` are what the trainer trains on.
  void endGroupRun(LocalProcessGroup& processes, RunEnd end, const QString& lost, const TrainingRequest& request,
                   const std::shared_ptr<const mrcae::StreamedDataset>& stream);
  /// The first weight of `trainer` that is NaN or infinite, as the model file names it ("" when all are finite).
  static QString nonFiniteWeight(const mrcae::Trainer& trainer);

  std::unique_ptr<mrcae::Trainer> trainer_;
  /// What trainer_ trains on when it came from Train (its data, file and settings; not for a model opened from a
  /// file): what the other processes of a later Resume over several are given.
  std::optional<TrainingRequest> trained_;
  std::shared_ptr<const mrcae::StreamedDataset> trainedStream_;
  QString autosavePath_;
  mrcae::StopToken* token_;
  std::atomic<int>* requestedIndex_;
};

} // namespace mrcae::app
