#include "RunPresenter.h"

#include "ArchitecturePanel.h"
#include "BenchmarkPanel.h"
#include "DatasetPanel.h"
#include "ErrorChart.h"
#include "FieldMath.h"
#include "FilterView.h"
#include "LevelGrid.h"
#include "MaskInspector.h"
#include "RefinementView.h"
#include "RenderScheduler.h"
#include "TimeSlider.h"
#include "TrainingPanel.h"

#include "BenchmarkController.h"
#include "DatasetDocument.h"
#include "ErrorReporter.h"
#include "OnDemandDataset.h"
#include "RunStatus.h"
#include "TrainingController.h"

#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/StreamedDataset.h"

#include <QFileInfo>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>

#include <utility>

namespace mrcae::app
{

using mrcae::widgets::TrainingPanel;

RunPresenter::RunPresenter(const Views& views, TrainingController* controller, BenchmarkController* benchmark,
                           DatasetDocument* document, ErrorReporter* errors, QObject* parent)
  : QObject(parent), v_(views), controller_(controller), benchmark_(benchmark), document_(document), errors_(errors)
{
  status_ = new RunStatus(v_.statusBar);
  frameTimer_ = new QTimer(this);
  frameTimer_->setObjectName("frameTimer");
  frameTimer_->setSingleShot(true);
  frameTimer_->setInterval(250);
  connect(frameTimer_, &QTimer::timeout, this, &RunPresenter::present);

  connect(document_, &DatasetDocument::datasetShown, this, &RunPresenter::presentDataset);
  connect(document_, &DatasetDocument::failed, this,
          [this](GuiProblem problem, const QString& what) { report(problem, what); });
  connect(document_, &DatasetDocument::note, this, [this](const QString& text) { showMessage(text, 10000); });
  connect(document_, &DatasetDocument::modelWithoutData, this, &RunPresenter::showModelWithoutData);
  connect(document_, &DatasetDocument::trainingStreamOpened, this, [this] {
    showTime(v_.dataset->timeSlider()->index());
    if (document_->trainingStream()->compressed())
    {
      showMessage(tr("The file is deflate-compressed: an uncompressed copy (h5repack -f NONE, or mrcae generate or "
                     "import --uncompressed) trains about twice as fast from the file."),
                  10000);
    }
  });

  connect(controller_, &TrainingController::stateChanged, this, &RunPresenter::updateRunState);
  connect(controller_, &TrainingController::runStarted, status_, &RunStatus::setDevice);
  connect(controller_, &TrainingController::preparing, this, [this](int done, int total) {
    status_->setStage(tr("reading the file through before the first step: %1 of %2 snapshots").arg(done).arg(total));
  });
  connect(controller_, &TrainingController::stageStarted, this, &RunPresenter::onStageStarted);
  connect(controller_, &TrainingController::updated, this, &RunPresenter::onUpdate);
  connect(controller_, &TrainingController::stageFinished, this, &RunPresenter::onStageFinished);
  connect(controller_, &TrainingController::runFinished, this, &RunPresenter::onRunFinished);
  connect(controller_, &TrainingController::failed, this,
          [this](const QString& message, Failure kind) { report(problemOf(kind), message); });
  connect(controller_, &TrainingController::autosaved, this,
          // The file's name: the folder (RunLauncher::autosaveFolder) would push it out of the status bar.
          [this](const QString& path) { showMessage(tr("Autosaved to %1").arg(QFileInfo(path).fileName()), 4000); });
  connect(controller_, &TrainingController::modelSavedTo, this,
          [this](const QString& path) { showMessage(tr("Model saved to %1").arg(path)); });
  connect(controller_, &TrainingController::modelOpened, this,
          [this](const QString& path, const std::vector<mrcae::StepRecord>& curves,
                 const std::vector<mrcae::StageRecord>& stages, const mrcae::ArchitectureInfo& arch,
                 bool) { onModelOpened(path, curves, stages, arch); });
  connect(controller_, &TrainingController::detailsReady, this,
          [this](const std::vector<mrcae::GroupWeights>& weights, const std::vector<mrcae::GroupCodes>& codes,
                 int index) { v_.filters->setData(weights, codes, index); });
  // The filters follow the model when it is idle: on showing the tab, at the end of a run, on another snapshot.
  connect(v_.tabs, &QTabWidget::currentChanged, this, [this] {
    if (v_.tabs->currentWidget() == v_.filters)
    {
      requestFilters();
    }
  });
  connect(v_.dataset, &mrcae::widgets::DatasetPanel::indexChanged, this, &RunPresenter::showTime);
  connect(v_.dataset, &mrcae::widgets::DatasetPanel::snapshotUnreadable, document_,
          &DatasetDocument::onDemandReadFailed, Qt::QueuedConnection); // not from inside the slider's signal
  connectBenchmark();
}

void RunPresenter::connectBenchmark()
{
  auto* panel = v_.benchmark;
  connect(benchmark_, &BenchmarkController::busyChanged, this, &RunPresenter::updateRunState);
  using mrcae::widgets::BenchmarkPanel;
  connect(benchmark_, &BenchmarkController::methodStarted, this, [panel](mrcae::Method method) {
    panel->setStatus(tr("%1: starting…").arg(BenchmarkPanel::methodName(method)));
  });
  connect(benchmark_, &BenchmarkController::stageStarted, this,
          [panel](mrcae::Method method, int stage, int level, int maxSteps) {
            panel->setStatus(tr("%1: stage %2 (level %3, up to %4 steps)")
                                 .arg(BenchmarkPanel::methodName(method))
                                 .arg(stage + 1)
                                 .arg(level)
                                 .arg(maxSteps));
          });
  connect(benchmark_, &BenchmarkController::stageFinished, panel, &BenchmarkPanel::addStage);
  connect(benchmark_, &BenchmarkController::settingFinished, panel, &BenchmarkPanel::addSetting);
  connect(benchmark_, &BenchmarkController::methodFinished, this,
          [this, panel](mrcae::Method method, double seconds, bool stopped) {
            panel->setMethodSeconds(method, seconds);
            const QString text =
                stopped ? tr("%1 stopped after %2 s; its finished stages are kept") : tr("%1 finished in %2 s");
            showMessage(text.arg(BenchmarkPanel::methodName(method)).arg(seconds, 0, 'f', 1));
          });
  connect(benchmark_, &BenchmarkController::finished, this,
          [panel] { panel->setStatus(tr("Benchmark done: %1 rows.").arg(panel->table()->rowCount())); });
  connect(benchmark_, &BenchmarkController::failed, this, [this](const QString& message, bool inputError) {
    report(inputError ? GuiProblem::BenchmarkInput : GuiProblem::BenchmarkFailed, message);
  });
}

void RunPresenter::report(GuiProblem problem, const QString& what, const QString& advice)
{
  const GuiProblemText text = describe(problem, controller_->hasModel());
  errors_->report(text.title, what, advice.isEmpty() ? text.advice : advice);
}

void RunPresenter::showMessage(const QString& message, int milliseconds)
{
  v_.statusBar->showMessage(message, milliseconds);
}

void RunPresenter::presentDataset(const mrcae::widgets::DatasetSummary& summary, const QString& note)
{
  v_.dataset->setSummary(summary);
  v_.dataset->setRequiredLevels(v_.training->config().levels);
  v_.tabs->window()->setWindowTitle(tr("MrCAE Studio — %1").arg(summary.name));
  if (!controller_->isBusy())
  {
    v_.levels->setStacked(mrcae::widgets::FieldMath::stacksPanels(summary.height, summary.width));
    const int levels = v_.training->config().levels;
    v_.levels->setLevelCount(levels);
    v_.refinement->setLevelCount(levels);
    showTime(v_.dataset->timeSlider()->index());
  }
  v_.training->revalidate();
  updateRunState();
  showMessage(note);
}

void RunPresenter::updateRunState()
{
  using S = TrainingController::State;
  TrainingPanel::RunState rs = TrainingPanel::RunState::Idle;
  switch (controller_->state())
  {
  case S::Running: rs = TrainingPanel::RunState::Running; break;
  case S::Paused: rs = TrainingPanel::RunState::Paused; break;
  case S::Stopping: rs = TrainingPanel::RunState::Stopping; break;
  // Resume goes on with the model of the data on screen, not one left from a dataset opened before.
  case S::Idle:
    rs = controller_->canResume() && document_->trainingData() ? TrainingPanel::RunState::Stopped
                                                               : TrainingPanel::RunState::Idle;
    break;
  }
  v_.training->setRunState(rs);
  // A dataset read on demand trains from its file in batches; the benchmark needs it loaded.
  const bool hasData = document_->dataset() != nullptr;
  const QString noData = tr("Open or generate a dataset first (File menu).");
  // Training and a benchmark share the cores and the Training panel's settings: one at a time.
  const bool benchmarking = benchmark_->isBusy();
  v_.training->setCanTrain(!benchmarking && (hasData || document_->onDemand()),
                           benchmarking ? tr("A benchmark is running (Benchmark tab): stop it or wait for it.")
                                        : noData);
  v_.benchmark->setRunning(benchmarking);
  const bool training = controller_->isBusy();
  v_.benchmark->setCanRun(!training && hasData,
                          training ? tr("Training is running: stop it or wait for it, then run the benchmark.")
                          : document_->onDemand() ? document_->onDemand()->benchmarkNote()
                                                  : noData);
  if (controller_->state() == S::Paused)
  {
    status_->setPaused();
  }
}

void RunPresenter::runStarting(const mrcae::TrainingConfig& config)
{
  ++runNumber_;
  divergenceReported_ = false;
  if (v_.curves->pointCount() > 0)
  {
    v_.curves->archiveCurrentRun(tr("run %1").arg(runNumber_ - 1));
  }
  v_.curves->clear();
  v_.architecture->clear();
  v_.levels->setLevelCount(config.levels);
  v_.refinement->setLevelCount(config.levels);
  status_->runStarting(config);
}

void RunPresenter::showTime(int index)
{
  const mrcae::Dataset* d = document_->shown();
  if (!d && document_->onDemand())
  {
    const mrcae::SnapshotReader& r = document_->onDemand()->reader();
    if (index < 0 || index >= r.snapshots())
    {
      return;
    }
    v_.levels->setValidMask(r.valid());
    v_.refinement->setValidMask(r.valid());
    v_.levels->setValueTransform(r.originalMax() - r.originalMin(), r.originalMin());
    const mrcae::Map2D frame = document_->nativeFrame(index);
    if (frame.h > 0)
    {
      v_.levels->showInputs(frame, index);
    }
    else
    {
      v_.levels->setLevelCount(v_.levels->levelCount()); // blank, never the previous snapshot
    }
    return;
  }
  if (!d || index < 0 || index >= d->field.t)
  {
    return;
  }
  v_.levels->setValidMask(d->valid);
  v_.refinement->setValidMask(d->valid);
  v_.levels->setValueTransform(d->originalMax - d->originalMin, d->originalMin);
  v_.levels->showInputs(document_->nativeFrame(index), index);
  if (document_->trainingData())
  {
    // Only a model trained on (or opened with) the data on screen has reconstructions of it.
    controller_->requestSnapshot(index);
  }
  if (v_.tabs->currentWidget() == v_.filters)
  {
    requestFilters();
  }
}

void RunPresenter::onStageStarted(int stage, int level, int group, const QString& op, int maxSteps)
{
  present(); // steps of the previous stage still count against its own length
  status_->stageStarted(stage, level, group, op, maxSteps);
}

void RunPresenter::onUpdate(const mrcae::widgets::LiveSnapshotPtr& update)
{
  pendingSteps_.insert(pendingSteps_.end(), update->steps.begin(), update->steps.end());
  if (update->fields)
  {
    pendingFields_ = update->fields; // a newer picture replaces one not drawn yet
  }
  if (!controller_->isBusy())
  {
    present(); // the answer to a move of the time slider: at once
  }
  else if (!frameTimer_->isActive())
  {
    frameTimer_->start();
  }
}

void RunPresenter::present()
{
  frameTimer_->stop();
  if (!pendingSteps_.empty())
  {
    std::vector<mrcae::StepRecord> steps;
    steps.swap(pendingSteps_);
    v_.curves->appendSteps(steps);
    status_->stepsDrawn(steps);
  }
  if (pendingFields_)
  {
    showFields(std::exchange(pendingFields_, nullptr));
  }
}

void RunPresenter::onStageFinished(const mrcae::StageRecord& record, const mrcae::ArchitectureInfo& architecture)
{
  present(); // the stage's last steps before its marker
  v_.curves->addStage(record);
  // The tables change with the chart's next frame, in the same composition of the window.
  auto* panel = v_.architecture;
  mrcae::widgets::RenderScheduler::instance()->post(panel, [panel, record, architecture] {
    panel->addStage(record);
    panel->setArchitecture(architecture.groupChannels, architecture.levelClear, architecture.params);
  });
  if (record.stopReason == mrcae::StopReason::Diverged && !divergenceReported_)
  {
    divergenceReported_ = true;
    report(GuiProblem::Diverged, tr("A loss became NaN or infinite in stage %1 (level %2, group %3). The best state "
                                    "of that stage was restored and everything trained before it is kept.")
                                     .arg(record.stage + 1)
                                     .arg(record.level)
                                     .arg(record.group));
  }
}

void RunPresenter::showFields(const std::shared_ptr<const mrcae::widgets::LiveFields>& fields)
{
  // Late results of the previous model after another dataset was opened belong to data no longer on screen.
  if (fields->inputs.empty() || !document_->trainingData())
  {
    return;
  }
  // Every view reads the same immutable fields in place; the native frame is read only for levels not
  // trained yet that show another snapshot.
  const int index = fields->snapshotIndex;
  v_.levels->showSnapshot(fields, [this, index] { return document_->nativeFrame(index); });
  v_.refinement->showSnapshot(fields);
  v_.inspector->showSnapshot(fields);
}

void RunPresenter::requestFilters()
{
  if (controller_->isBusy())
  {
    v_.filters->setNote(tr("The filters update when training pauses or ends."));
    return;
  }
  if (!document_->trainingData())
  {
    v_.filters->setNote(tr("Train on this dataset (or open a model trained on it) to see its filters."));
    return;
  }
  controller_->requestDetails(v_.dataset->timeSlider()->index());
}

void RunPresenter::onRunFinished(bool scheduleDone)
{
  present();
  mrcae::widgets::RenderScheduler::instance()->flushPosted(); // the tables and labels read below are complete
  updateRunState();
  const int count = v_.architecture->stageCount();
  const QString stages = count == 1 ? tr("1 stage") : tr("%1 stages").arg(count);
  if (scheduleDone)
  {
    status_->setStage(tr("finished: %1, %2 parameters").arg(stages).arg(v_.architecture->params()));
    status_->clearTimeLeft();
  }
  else if (controller_->hasModel())
  {
    status_->setStage(tr("stopped after %1: Resume continues").arg(stages));
    status_->clearTimeLeft();
  }
  else
  {
    status_->setStage(tr("not started"));
  }
  // Show the final state of the snapshot under the slider.
  showTime(v_.dataset->timeSlider()->index());
  requestFilters();
}

void RunPresenter::onModelOpened(const QString& path, const std::vector<mrcae::StepRecord>& curves,
                                 const std::vector<mrcae::StageRecord>& stages, const mrcae::ArchitectureInfo& arch)
{
  v_.curves->archiveCurrentRun(tr("run %1").arg(runNumber_));
  v_.curves->setRun(curves, stages);
  v_.architecture->setStages(stages);
  v_.architecture->setArchitecture(arch.groupChannels, arch.levelClear, arch.params);
  // Resume and the status bar follow the model's own settings, and the panel shows them.
  const mrcae::TrainingConfig& config = document_->openedConfig();
  status_->setPlan(config);
  v_.training->setConfig(config);
  v_.levels->setLevelCount(arch.levels);
  v_.refinement->setLevelCount(arch.levels);
  showTime(v_.dataset->timeSlider()->index());
  updateRunState();
  showMessage(tr("Opened %1").arg(path));
}

void RunPresenter::showModelWithoutData(const QString& path, const mrcae::ModelSummary& s)
{
  std::vector<mrcae::StepRecord> curves;
  try
  {
    curves = mrcae::ModelFile::curves(path.toStdString());
  }
  catch (const std::exception&)
  {
    // The summary was readable: show what it has, without curves.
  }
  // The panels describe this model now, so the trainer of an earlier run must not be saved or resumed as it.
  controller_->closeModel();
  v_.curves->archiveCurrentRun(tr("run %1").arg(runNumber_));
  v_.curves->setRun(curves, s.stages);
  v_.architecture->setStages(s.stages);
  v_.architecture->setArchitecture(s.architecture.groupChannels, s.architecture.levelClear, s.architecture.params);
  v_.levels->clearReconstructions();
  v_.refinement->clear();
  v_.inspector->clear();
  v_.filters->clear();
  v_.filters->setNote(tr("Open the model with its dataset to see its filters and codes."));
  status_->setStage(tr("model %1 (without its dataset)").arg(QFileInfo(path).fileName()));
  updateRunState();
  showMessage(tr("Opened %1 without its dataset: architecture, stages and curves only").arg(path), 10000);
}

} // namespace mrcae::app
