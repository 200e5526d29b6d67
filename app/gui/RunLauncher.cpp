#include "RunLauncher.h"

#include "BenchmarkPanel.h"
#include "DatasetPanel.h"
#include "TimeSlider.h"
#include "TrainingPanel.h"

#include "BenchmarkController.h"
#include "DatasetAdapter.h"
#include "DatasetDocument.h"
#include "OnDemandDataset.h"
#include "RunPresenter.h"
#include "Settings.h"
#include "TrainingController.h"

#include "ErrorText.h"

#include "mrcae/engine/Device.h"
#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/InputError.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>
#include <optional>

namespace mrcae::app
{

namespace
{

/// What to do about settings the core refuses: where to correct the setting it names ("" = the kind's advice).
QString settingsAdvice(const mrcae::TrainingConfig& config)
{
  try
  {
    config.validate();
  }
  catch (const mrcae::InputError& e)
  {
    return windowError(e).toDo;
  }
  return QString();
}

} // namespace

RunLauncher::RunLauncher(Settings& settings, const Panels& panels, TrainingController* controller,
                         BenchmarkController* benchmark, DatasetDocument* document, RunPresenter* presenter,
                         QObject* parent)
  : QObject(parent), settings_(settings), panels_(panels), controller_(controller), benchmark_(benchmark),
    document_(document), presenter_(presenter)
{
}

QString RunLauncher::validate(const mrcae::TrainingConfig& config) const
{
  try
  {
    config.validate();
  }
  catch (const std::exception& e)
  {
    return windowText(e);
  }
  const auto& dataset = document_->dataset();
  if (dataset && !panels_.dataset->sizeAccepted())
  {
    return tr("The dataset is %1×%2: %3 levels need each side to be c·2^%3 − 1. Choose crop or pad under "
              "Dataset, or fewer levels.")
        .arg(dataset->field.h)
        .arg(dataset->field.w)
        .arg(config.levels);
  }
  return QString();
}

void RunLauncher::startTraining()
{
  const OnDemandDataset* browsed = document_->onDemand();
  if ((!document_->dataset() && !browsed) || controller_->isBusy() || benchmark_->isBusy())
  {
    return;
  }
  mrcae::TrainingConfig config = panels_.training->config();
  const QString problem = panels_.training->configError();
  if (!problem.isEmpty())
  {
    presenter_->report(GuiProblem::TrainSettings, problem, settingsAdvice(config));
    return;
  }
  if (config.device == "cuda")
  {
    const mrcae::CudaStatus cuda = mrcae::cudaStatus();
    if (!cuda.available)
    {
      // Asked for CUDA where there is none: train on the CPU rather than refuse, and say so once per run.
      config.device = "cpu";
      presenter_->report(GuiProblem::CudaMissing, tr("CUDA was asked for but cannot be used: %1. This run trains "
                                                     "on the CPU.")
                                                      .arg(QString::fromStdString(cuda.reason)));
    }
  }
  TrainingRequest request;
  request.policy = DatasetAdapter::policyFromPanel(panels_.dataset->sizePolicy());
  request.processes = panels_.training->processes();
  if (request.processes > 1 && config.threads == 0)
  {
    // "All cores" in each of N processes would give every core N threads: they share the cores instead.
    config.threads = std::max(1, QThread::idealThreadCount() / request.processes);
  }
  if (browsed && document_->onDemandLimit() >= 0)
  {
    // The limit that made the file too large to load is the run's budget too (--load-limit).
    config.memoryLimitGb = static_cast<double>(document_->onDemandLimit()) / 1e9;
  }
  request.config = config;
  int snapshots = 0;
  if (browsed)
  {
    // Too large to load: read from the file in batches as training goes (issue 15).
    request.streamPath = browsed->path().toStdString();
    snapshots = browsed->reader().snapshots();
    document_->setTrainingData(nullptr);
  }
  else
  {
    const auto data = document_->dataFor(config, request.policy);
    if (!data)
    {
      return;
    }
    request.data = data;
    request.source = document_->dataset();
    snapshots = data->field.t;
    document_->setTrainingData(data);
  }
  presenter_->runStarting(config);
  const int index = std::clamp(panels_.dataset->timeSlider()->index(), 0, snapshots - 1);
  prepareAutosave();
  controller_->train(request);
  presenter_->showTime(index);
}

void RunLauncher::resume()
{
  if (controller_->state() != TrainingController::State::Paused)
  {
    prepareAutosave();
  }
  controller_->resume(panels_.training->processes());
}

void RunLauncher::trainMoreSteps(int extraSteps)
{
  if (!controller_->hasModel() || controller_->isBusy())
  {
    return;
  }
  prepareAutosave();
  controller_->moreSteps(extraSteps, panels_.training->processes());
}

void RunLauncher::startBenchmark(const std::vector<mrcae::Method>& methods)
{
  if (!document_->dataset() || controller_->isBusy() || benchmark_->isBusy() || methods.empty())
  {
    return;
  }
  const mrcae::TrainingConfig config = panels_.training->config();
  const QString problem = panels_.training->configError();
  if (!problem.isEmpty())
  {
    presenter_->report(GuiProblem::BenchmarkSettings, problem, settingsAdvice(config));
    return;
  }
  std::optional<mrcae::BenchmarkProtocol> protocol;
  try
  {
    protocol.emplace(config, methods);
  }
  catch (const mrcae::InputError& e)
  {
    const WindowError error = windowError(e);
    presenter_->report(GuiProblem::BenchmarkSettings, error.what, error.toDo);
    return;
  }
  const auto data = document_->dataFor(config, DatasetAdapter::policyFromPanel(panels_.dataset->sizePolicy()));
  if (!data)
  {
    return;
  }
  panels_.benchmark->clearResults();
  panels_.benchmark->setDataSize(data->field.t, 4.0 * data->field.h * data->field.w);
  panels_.benchmark->setStatus(tr("starting…"));
  benchmark_->run(*data, *protocol);
}

bool RunLauncher::exportBenchmark(const QString& folder, const QSize& size)
{
  const QString problem = panels_.benchmark->exportTo(folder, size);
  if (!problem.isEmpty())
  {
    presenter_->report(GuiProblem::ExportFailed, problem);
    return false;
  }
  presenter_->showMessage(tr("Benchmark figures and table written to %1").arg(folder));
  return true;
}

void RunLauncher::saveModelTo(const QString& path)
{
  if (!controller_->hasModel() || controller_->isBusy())
  {
    presenter_->report(GuiProblem::NothingToSave, tr("There is no finished or stopped model to save."));
    return;
  }
  controller_->saveModel(path);
}

QString RunLauncher::autosaveFolder()
{
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

void RunLauncher::prepareAutosave()
{
  if (!settings_.autosave())
  {
    controller_->setAutosavePath(QString());
    return;
  }
  // A file of its own per run: the user's saved models are never overwritten behind their back.
  const QString folder = autosaveFolder();
  QDir().mkpath(folder);
  const auto& dataset = document_->dataset();
  const QString name = dataset ? QString::fromStdString(dataset->name) : QStringLiteral("model");
  // Milliseconds and a free name: two runs started in the same second (More Steps right after a short run, or
  // another instance of the program) must not write into each other's file.
  const QString stem = folder + "/" + name + "-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss-zzz");
  QString path = stem + ".mrcae.h5";
  for (int n = 2; QFileInfo::exists(path); ++n)
  {
    path = stem + "-" + QString::number(n) + ".mrcae.h5";
  }
  controller_->setAutosavePath(path);
}

} // namespace mrcae::app
