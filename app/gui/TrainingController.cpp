#include "TrainingController.h"
#include "TrainingWorker.h"

namespace mrcae::app
{

TrainingController::TrainingController(QObject* parent) : QObject(parent)
{
  registerTrainingMetaTypes();
  thread_.setObjectName("training");
  worker_ = new TrainingWorker(&token_, &requestedIndex_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  // Worker → GUI: queued (different threads); the values are copied into the event, the live updates are shared
  // pointers to immutable snapshots (nothing copied).
  connect(worker_, &TrainingWorker::runStarted, this, &TrainingController::runStarted);
  connect(worker_, &TrainingWorker::preparing, this, &TrainingController::preparing);
  connect(worker_, &TrainingWorker::streamOpened, this, &TrainingController::streamOpened);
  connect(worker_, &TrainingWorker::modelDropped, this, [this] {
    hasModel_ = false;
    saved_ = false;
  });
  connect(worker_, &TrainingWorker::stageStarted, this, &TrainingController::stageStarted);
  connect(worker_, &TrainingWorker::stageFinished, this,
          [this](const mrcae::StageRecord& r, const mrcae::ArchitectureInfo& a) {
            hasModel_ = true;
            saved_ = false;
            Q_EMIT stageFinished(r, a);
          });
  connect(worker_, &TrainingWorker::updated, this, &TrainingController::onUpdate);
  connect(worker_, &TrainingWorker::runFinished, this, [this](bool done) {
    scheduleDone_ = done;
    setState(State::Idle);
    Q_EMIT runFinished(done);
  });
  connect(worker_, &TrainingWorker::failed, this, &TrainingController::failed);
  connect(worker_, &TrainingWorker::modelSaved, this, [this](const QString& path) {
    saved_ = true;
    Q_EMIT modelSavedTo(path);
  });
  connect(worker_, &TrainingWorker::modelOpened, this,
          [this](const QString& path, const std::vector<mrcae::StepRecord>& curves,
                 const std::vector<mrcae::StageRecord>& stages, const mrcae::ArchitectureInfo& arch, bool done) {
            hasModel_ = true;
            scheduleDone_ = done;
            saved_ = true;
            Q_EMIT modelOpened(path, curves, stages, arch, done);
          });
  connect(worker_, &TrainingWorker::autosaved, this, &TrainingController::autosaved);
  connect(worker_, &TrainingWorker::detailsReady, this, &TrainingController::detailsReady);
  connect(worker_, &TrainingWorker::jobProgress, this, &TrainingController::jobProgress);
  connect(worker_, &TrainingWorker::jobFinished, this, [this](const QString& error) {
    jobRunning_ = false;
    Q_EMIT stateChanged(state_); // the buttons that waited for the job
    Q_EMIT jobFinished(error);
  });
  thread_.start();
}

TrainingController::~TrainingController()
{
  // Ask a running trainer to stop at its next step, then let the thread finish; never terminate() it.
  token_.requestStop();
  token_.setPaused(false);
  thread_.quit();
  thread_.wait();
}

void TrainingController::setState(State state)
{
  if (state_ != state)
  {
    state_ = state;
    Q_EMIT stateChanged(state);
  }
}

void TrainingController::setAutosavePath(const QString& path)
{
  autosavePath_ = path;
  QMetaObject::invokeMethod(
      worker_, [w = worker_, path] { w->setAutosavePath(path); }, Qt::QueuedConnection);
}

void TrainingController::train(const TrainingRequest& request)
{
  if (isBusy())
  {
    return;
  }
  token_.reset();
  hasModel_ = false;
  scheduleDone_ = false;
  saved_ = false;
  setState(State::Running);
  QMetaObject::invokeMethod(
      worker_, [w = worker_, request] { w->train(request); }, Qt::QueuedConnection);
}

void TrainingController::pause()
{
  if (state_ == State::Running)
  {
    token_.setPaused(true);
    setState(State::Paused);
  }
}

void TrainingController::resume(int processes)
{
  if (state_ == State::Paused)
  {
    token_.setPaused(false);
    setState(State::Running);
    return;
  }
  if (canResume())
  {
    token_.reset();
    setState(State::Running);
    QMetaObject::invokeMethod(
        worker_, [w = worker_, processes] { w->resume(processes); }, Qt::QueuedConnection);
  }
}

void TrainingController::moreSteps(int extraSteps, int processes)
{
  if (isBusy() || !hasModel_)
  {
    return;
  }
  token_.reset();
  scheduleDone_ = false;
  setState(State::Running);
  QMetaObject::invokeMethod(
      worker_, [w = worker_, extraSteps, processes] { w->moreSteps(extraSteps, processes); }, Qt::QueuedConnection);
}

void TrainingController::stop()
{
  if (state_ == State::Running || state_ == State::Paused)
  {
    token_.requestStop();
    token_.setPaused(false);
    setState(State::Stopping);
  }
}

void TrainingController::requestSnapshot(int index)
{
  requestedIndex_.store(index);
  if (isBusy() || !hasModel_)
  {
    return; // the relay picks the index up between steps
  }
  if (snapshotQueued_)
  {
    nextSnapshot_ = index; // coalesce: only the latest position matters
    return;
  }
  snapshotQueued_ = true;
  QMetaObject::invokeMethod(
      worker_, [w = worker_, index] { w->computeSnapshot(index); }, Qt::QueuedConnection);
}

void TrainingController::onUpdate(const mrcae::widgets::LiveSnapshotPtr& update)
{
  Q_EMIT updated(update);
  const bool idleRequest = snapshotQueued_ && !isBusy();
  snapshotQueued_ = false;
  if (idleRequest && nextSnapshot_ >= 0)
  {
    const int next = nextSnapshot_;
    nextSnapshot_ = -1;
    if (!update->fields || update->fields->snapshotIndex != next)
    {
      requestSnapshot(next);
    }
  }
}

void TrainingController::requestDetails(int index)
{
  if (isBusy() || !hasModel_)
  {
    return;
  }
  QMetaObject::invokeMethod(
      worker_, [w = worker_, index] { w->computeDetails(index); }, Qt::QueuedConnection);
}

void TrainingController::saveModel(const QString& path)
{
  QMetaObject::invokeMethod(
      worker_, [w = worker_, path] { w->saveModel(path); }, Qt::QueuedConnection);
}

QString TrainingController::openModel(const QString& path, const std::shared_ptr<const mrcae::Dataset>& data)
{
  if (isBusy())
  {
    return tr("Training or an export is running.");
  }
  // The worker is idle, so this waits only for the file to be read, never for a run.
  QString error;
  QMetaObject::invokeMethod(
      worker_, [w = worker_, &path, &data, &error] { error = w->openModel(path, *data); },
      Qt::BlockingQueuedConnection);
  return error;
}

bool TrainingController::runJob(const TrainerJob& job)
{
  if (isBusy() || !hasModel_)
  {
    return false;
  }
  jobRunning_ = true;
  cancelJob_.store(false);
  Q_EMIT stateChanged(state_);
  QMetaObject::invokeMethod(
      worker_, [w = worker_, job, c = &cancelJob_] { w->runJob(job, c); }, Qt::QueuedConnection);
  return true;
}

void TrainingController::closeModel()
{
  if (isBusy())
  {
    return;
  }
  hasModel_ = false;
  scheduleDone_ = false;
  saved_ = true;
  QMetaObject::invokeMethod(
      worker_, [w = worker_] { w->closeModel(); }, Qt::QueuedConnection);
  Q_EMIT stateChanged(state_);
}

bool TrainingController::inspect(const std::function<void(const mrcae::Trainer*)>& fn)
{
  if (isBusy())
  {
    return false;
  }
  QMetaObject::invokeMethod(
      worker_, [w = worker_, &fn] { w->withTrainer(fn); }, Qt::BlockingQueuedConnection);
  return true;
}

} // namespace mrcae::app
