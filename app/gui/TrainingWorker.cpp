#include "TrainingWorker.h"
#include "ErrorText.h"

#include "LocalProcessGroup.h"
#include "ProgressRelay.h"
#include "ThreadPriority.h"

#include "mrcae/model/DeviceError.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/RankError.h"
#include "mrcae/model/StreamedDataset.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace mrcae::app
{

TrainingWorker::TrainingWorker(mrcae::StopToken* token, std::atomic<int>* requestedIndex)
  : token_(token), requestedIndex_(requestedIndex)
{
}

TrainingWorker::~TrainingWorker() = default;

QString TrainingWorker::nonFiniteWeight(const mrcae::Trainer& trainer)
{
  const auto finite = [](const std::vector<float>& values) {
    return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
  };
  for (const mrcae::GroupWeights& g : trainer.weights())
  {
    const QString encoder = QString("L%1_Conv_%2").arg(g.level).arg(g.group);
    const QString decoder = QString("L%1_deConv_%2").arg(g.level).arg(g.group);
    if (!finite(g.encoderWeight))
    {
      return encoder + "/weight";
    }
    if (!finite(g.encoderBias))
    {
      return encoder + "/bias";
    }
    if (!finite(g.decoderWeight))
    {
      return decoder + "/weight";
    }
    if (!std::isfinite(g.decoderBias))
    {
      return decoder + "/bias";
    }
  }
  return QString();
}

void TrainingWorker::withTrainer(const std::function<void(const mrcae::Trainer*)>& fn) const
{
  fn(trainer_.get());
}

namespace
{

/// Stop was pressed while the file was read through, before the first step.
struct Cancelled
{
};

/// The saved run at `path` on what `request` trains on (its data, or `stream`), with its device, threads and
/// budget (files keep no budget), as a member of `group` or alone.
std::unique_ptr<mrcae::Trainer> reopen(const std::string& path, const TrainingRequest& request,
                                       const std::shared_ptr<const mrcae::StreamedDataset>& stream,
                                       std::shared_ptr<mrcae::RankGroup> group)
{
  const mrcae::TrainingConfig& c = request.config;
  return std::make_unique<mrcae::Trainer>(
      stream
          ? mrcae::Trainer::fromModelFile(path, stream, c.device, c.threads, std::move(group), c.memoryLimitGb)
          : mrcae::Trainer::fromModelFile(path, *request.data, c.device, c.threads, std::move(group), c.memoryLimitGb));
}

} // namespace

std::shared_ptr<const mrcae::StreamedDataset> TrainingWorker::openStream(const TrainingRequest& request)
{
  // One pass over the file (its range, the check for NaN, the content hash) before the first step.
  int shown = -1;
  auto progress = [this, &shown](int done, int total) {
    if (token_->stopRequested())
    {
      throw Cancelled();
    }
    const int percent = total > 0 ? static_cast<int>(100LL * done / total) : 100;
    if (percent != shown)
    {
      shown = percent;
      Q_EMIT preparing(done, total);
    }
  };
  return std::make_shared<const mrcae::StreamedDataset>(request.streamPath, request.readOptions, request.config.levels,
                                                        request.policy, progress);
}

void TrainingWorker::train(const TrainingRequest& request)
{
  start(request, nullptr);
}

void TrainingWorker::start(const TrainingRequest& request, std::shared_ptr<const mrcae::StreamedDataset> stream)
{
  lowerCurrentThreadPriority();
  std::unique_ptr<LocalProcessGroup> processes;
  try
  {
    if (request.processes > 1)
    {
      // First, so that the other processes read their data while this one reads its own.
      processes = std::make_unique<LocalProcessGroup>(request);
    }
    if (request.streamed() && !stream)
    {
      stream = openStream(request);
      Q_EMIT streamOpened(stream);
    }
    const auto group = processes ? processes->group() : nullptr;
    std::unique_ptr<mrcae::Trainer> next;
    if (request.resumeModel.empty())
    {
      next = stream ? std::make_unique<mrcae::Trainer>(stream, request.config, group)
                    : std::make_unique<mrcae::Trainer>(*request.data, request.config, group);
    }
    else
    {
      next = reopen(request.resumeModel, request, stream, group);
      if (request.moreSteps > 0)
      {
        next->extendLastStage(request.moreSteps);
      }
    }
    // The old model goes only once the new one is valid: a refused configuration loses nothing.
    trainer_ = std::move(next);
    trained_ = request;
    trained_->resumeModel.clear();
    trained_->moreSteps = 0;
    trainedStream_ = stream;
  }
  catch (const Cancelled&)
  {
    Q_EMIT runFinished(false); // stopped before the first step: nothing to say
    return;
  }
  catch (const mrcae::RankError& e)
  {
    Q_EMIT failed(tr("The %1 processes could not start training together: %2.")
                      .arg(request.processes)
                      .arg(QString::fromStdString(processes ? processes->failure() : std::string(e.what()))),
                  Failure::Processes);
    Q_EMIT runFinished(false);
    return;
  }
  catch (const mrcae::InputError& e)
  {
    Q_EMIT failed(windowText(e), Failure::Settings);
    Q_EMIT runFinished(false);
    return;
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(tr("The trainer could not start: %1").arg(windowText(e)), Failure::Training);
    Q_EMIT runFinished(false);
    return;
  }
  if (!processes)
  {
    run();
    return;
  }
  QString lost;
  const RunEnd end = runSchedule(processes.get(), &lost);
  endGroupRun(*processes, end, lost, request, stream);
}

void TrainingWorker::resume(int processes)
{
  if (!trainer_)
  {
    Q_EMIT failed(tr("There is no model to resume: press Train first."), Failure::Settings);
    Q_EMIT runFinished(false);
    return;
  }
  if (processes > 1 && trained_)
  {
    goOnOverProcesses(processes, 0);
    return;
  }
  run();
}

void TrainingWorker::moreSteps(int extraSteps, int processes)
{
  if (!trainer_)
  {
    Q_EMIT failed(tr("There is no model to train further: press Train first."), Failure::Settings);
    Q_EMIT runFinished(false);
    return;
  }
  if (processes > 1 && trained_)
  {
    goOnOverProcesses(processes, extraSteps);
    return;
  }
  try
  {
    trainer_->extendLastStage(extraSteps);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(windowText(e), Failure::Settings);
    Q_EMIT runFinished(trainer_->finished());
    return;
  }
  run();
}

void TrainingWorker::goOnOverProcesses(int processes, int extraSteps)
{
  // Every process opens the run as it stands: saved here, with its stage state, into a folder of this call.
  QTemporaryDir folder(QDir::tempPath() + QStringLiteral("/mrcae-resume-XXXXXX"));
  TrainingRequest request = *trained_;
  request.config = trainer_->config();
  request.processes = processes;
  request.resumeModel = folder.filePath(QStringLiteral("run.mrcae.h5")).toStdString();
  request.moreSteps = extraSteps;
  try
  {
    if (!folder.isValid())
    {
      throw mrcae::InputError("no temporary folder for the run could be made in " + QDir::tempPath().toStdString() +
                              ": free space there, or set Processes to 1");
    }
    trainer_->save(request.resumeModel);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(windowText(e), Failure::ModelFile);
    Q_EMIT runFinished(trainer_->finished());
    return;
  }
  start(request, trainedStream_);
}

void TrainingWorker::run()
{
  QString lost;
  if (runSchedule(nullptr, &lost) == RunEnd::LostProcess)
  {
    Q_EMIT failed(tr("Training stopped: %1.").arg(lost), Failure::Training);
  }
  Q_EMIT runFinished(trainer_->finished());
}

TrainingWorker::RunEnd TrainingWorker::runSchedule(LocalProcessGroup* processes, QString* lost)
{
  // The controller resets the StopToken on the GUI thread before it queues this call; resetting it again here
  // would lose a Stop pressed in between.
  const int wanted = requestedIndex_->load();
  if (wanted >= 0 && wanted < trainer_->dataset().snapshots())
  {
    trainer_->setSnapshotIndices({wanted});
  }
  const QString device = QString::fromStdString(trainer_->deviceName());
  Q_EMIT runStarted(trainer_->ranks() > 1 ? tr("%1 × %2 processes").arg(device).arg(trainer_->ranks()) : device);
  ProgressRelay relay(this, trainer_.get(), requestedIndex_);
  try
  {
    try
    {
      trainer_->run(&relay, token_);
    }
    catch (const mrcae::DeviceError& e)
    {
      // (Not within a group: the others would wait for this process on the old device.)
      if (e.kind() != mrcae::DeviceError::Kind::OutOfMemory || trainer_->deviceName() == "cpu" ||
          token_->stopRequested() || processes)
      {
        throw;
      }
      // The GPU ran out of memory: the trainer kept everything (the stage that ran out with its best state), so
      // the run goes on on the CPU from there. A second failure there is reported as it is.
      try
      {
        trainer_->moveTo("cpu");
      }
      catch (const std::exception& m)
      {
        throw mrcae::DeviceError(e.kind(), e.device(),
                                 mrcae::SettingText() << e.message() << "; moving to the CPU failed too: " << m.what());
      }
      Q_EMIT failed(
          tr("%1\nTraining goes on on the CPU from there; nothing trained so far is lost.").arg(windowText(e)),
          Failure::DeviceFallback);
      Q_EMIT runStarted(QString::fromStdString(trainer_->deviceName()));
      trainer_->run(&relay, token_);
    }
  }
  catch (const mrcae::RankError& e)
  {
    *lost = QString::fromStdString(processes ? processes->failure() : std::string(e.what()));
    return RunEnd::LostProcess;
  }
  catch (const mrcae::DeviceError& e)
  {
    Q_EMIT failed(windowText(e), Failure::Device);
    return RunEnd::Failed;
  }
  catch (const mrcae::InputError& e)
  {
    Q_EMIT failed(windowText(e), Failure::Settings);
    return RunEnd::Failed;
  }
  catch (const std::exception& e)
  {
    // Whatever the stages before this one trained stays in the trainer: it can still be saved.
    Q_EMIT failed(tr("Training failed: %1").arg(windowText(e)), Failure::Training);
    return RunEnd::Failed;
  }
  return RunEnd::Finished;
}

void TrainingWorker::endGroupRun(LocalProcessGroup& processes, RunEnd end, const QString& lost,
                                 const TrainingRequest& request,
                                 const std::shared_ptr<const mrcae::StreamedDataset>& stream)
{
  if (end == RunEnd::LostProcess)
  {
    // Mid-stage, with the group gone, the trainer holds a state no process agreed on: it is not kept. The
    // autosave (after every complete stage) is the run.
    trainer_.reset();
    const bool saved = !autosavePath_.isEmpty() && QFileInfo::exists(autosavePath_);
    Q_EMIT failed(tr("Training over %1 processes stopped: %2. %3")
                      .arg(processes.size())
                      .arg(lost)
                      .arg(saved ? tr("The last complete stage is in %1: File → Open Model… shows it and Resume "
                                      "goes on from there.")
                                       .arg(autosavePath_)
                                 : tr("No stage was complete, so nothing was saved: press Train again.")),
                  Failure::Processes);
    Q_EMIT modelDropped();
    Q_EMIT runFinished(false);
    return;
  }
  bool reported = end == RunEnd::Failed; // its dialog is shown
  if (end == RunEnd::Finished)
  {
    std::string problem;
    try
    {
      trainer_->evaluate(); // the other processes end with it (collective), as `mrcae train` does
      problem = processes.finish();
    }
    catch (const mrcae::RankError&)
    {
      problem = processes.failure();
    }
    catch (const std::exception& e)
    {
      processes.stop();
      problem = "the final evaluation failed here: " + std::string(e.what());
    }
    if (!problem.empty())
    {
      reported = true;
      Q_EMIT failed(
          tr("Training over %1 processes ended, but %2.").arg(processes.size()).arg(QString::fromStdString(problem)),
          Failure::Processes);
    }
  }
  else
  {
    // This process failed mid-step: the others wait for it inside a collective, so they are ended.
    processes.stop();
  }
  try
  {
    // Every process held the same parameters; this one goes on alone from them, with the run's own budget.
    const std::string path = processes.folder() + "/model.mrcae.h5";
    trainer_->save(path);
    trainer_ = reopen(path, request, stream, nullptr);
  }
  catch (const std::exception& e)
  {
    trainer_.reset();
    if (!reported)
    {
      Q_EMIT failed(
          tr("The model trained over %1 processes could not be kept: %2").arg(processes.size()).arg(windowText(e)),
          Failure::Training);
    }
    Q_EMIT modelDropped();
    Q_EMIT runFinished(false);
    return;
  }
  Q_EMIT runFinished(trainer_->finished());
}

void TrainingWorker::computeSnapshot(int index)
{
  // Always answer (without fields when there is nothing to show): the controller waits for one reply per request.
  auto update = std::make_shared<mrcae::widgets::LiveSnapshot>();
  QString error;
  if (trainer_ && trainer_->trainedLevel() >= 0)
  {
    try
    {
      update->fields = mrcae::widgets::LiveFields::fromEngine(trainer_->snapshot({index}));
    }
    catch (const std::exception& e)
    {
      error = windowText(e);
    }
  }
  Q_EMIT updated(std::move(update));
  if (!error.isEmpty())
  {
    Q_EMIT failed(error, Failure::Snapshot);
  }
}

void TrainingWorker::computeDetails(int index)
{
  if (!trainer_ || trainer_->trainedLevel() < 0 || index < 0 || index >= trainer_->dataset().snapshots())
  {
    Q_EMIT detailsReady({}, {}, index);
    return;
  }
  try
  {
    Q_EMIT detailsReady(trainer_->weights(), trainer_->codes({index}), index);
  }
  catch (const std::exception& e)
  {
    Q_EMIT detailsReady({}, {}, index);
    Q_EMIT failed(windowText(e), Failure::Snapshot);
  }
}

void TrainingWorker::autosave()
{
  if (autosavePath_.isEmpty() || !trainer_)
  {
    return;
  }
  try
  {
    trainer_->save(autosavePath_.toStdString()); // atomic: a crash during the save keeps the previous one
    Q_EMIT autosaved(autosavePath_);
  }
  catch (const std::exception& e)
  {
    // Training goes on; the dialog says why the file could not be written, once (autosave then stops).
    const QString path = autosavePath_;
    autosavePath_.clear();
    Q_EMIT failed(tr("Autosave to %1 failed, so it is off for this run: %2").arg(path, windowText(e)),
                  Failure::ModelFile);
  }
}

void TrainingWorker::saveModel(const QString& path)
{
  if (!trainer_)
  {
    Q_EMIT failed(tr("There is no model to save yet: train one first."), Failure::ModelFile);
    return;
  }
  try
  {
    trainer_->save(path.toStdString());
    Q_EMIT modelSaved(path);
  }
  catch (const mrcae::InputError& e)
  {
    Q_EMIT failed(windowText(e), Failure::ModelFile);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(tr("Saving the model failed: %1").arg(windowText(e)), Failure::ModelFile);
  }
}

void TrainingWorker::runJob(const mrcae::app::TrainerJob& job, const std::atomic<bool>* cancel)
{
  if (!trainer_ || trainer_->trainedLevel() < 0)
  {
    Q_EMIT jobFinished(tr("There is no trained model to export: train one or open a model first."));
    return;
  }
  try
  {
    Q_EMIT jobFinished(job(*trainer_, [this, cancel](int done, int total) {
      Q_EMIT jobProgress(done, total);
      return !cancel->load();
    }));
  }
  catch (const std::exception& e)
  {
    Q_EMIT jobFinished(windowText(e));
  }
}

QString TrainingWorker::openModel(const QString& path, const mrcae::Dataset& data)
{
  lowerCurrentThreadPriority();
  try
  {
    auto opened = std::make_unique<mrcae::Trainer>(mrcae::Trainer::fromModelFile(path.toStdString(), data));
    const QString bad = nonFiniteWeight(*opened);
    if (!bad.isEmpty())
    {
      // It would reconstruct nothing but NaN: refused like a damaged file, and the open model stays.
      return tr("%1: the weight %2 holds NaN or infinite values, so the model cannot be used").arg(path, bad);
    }
    trainer_ = std::move(opened);
    trained_.reset(); // a file's run goes on in this process (its data came with no request)
    trainedStream_.reset();
    Q_EMIT modelOpened(path, trainer_->curves(), trainer_->stages(), trainer_->architecture(), trainer_->finished());
    return QString();
  }
  catch (const mrcae::InputError& e)
  {
    return windowText(e);
  }
  catch (const std::exception& e)
  {
    return tr("Opening the model %1 failed: %2").arg(path, windowText(e));
  }
}

} // namespace mrcae::app
