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

#include "ApplyModelController.h"
#include "DatasetAdapter.h"
#include "ErrorReporter.h"
#include "ErrorText.h"
#include "ExportController.h"
#include "ImportDialog.h"
#include "MainWindow.h"
#include "OnDemandDataset.h"
#include "SampleData.h"

#include "mrcae/engine/Device.h"
#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Importer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelDataset.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <optional>

namespace mrcae::app
{

using mrcae::widgets::TrainingPanel;

namespace
{

/// What to do about settings the core refuses: where to correct the setting it names.
QString settingsAdvice(const mrcae::TrainingConfig& config)
{
  try
  {
    config.validate();
  }
  catch (const mrcae::InputError& e)
  {
    const QString toDo = windowError(e).toDo;
    if (!toDo.isEmpty())
    {
      return toDo;
    }
  }
  return MainWindow::tr("Correct the setting named above in the Training panel.");
}

QString formatDuration(double seconds)
{
  if (!std::isfinite(seconds) || seconds < 0)
  {
    return QStringLiteral("?");
  }
  const long long s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600)
  {
    return QString("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
  }
  if (s >= 60)
  {
    return QString("%1 min %2 s").arg(s / 60).arg(s % 60);
  }
  return QString("%1 s").arg(s);
}

bool isModelFile(const QString& path)
{
  return path.endsWith(".mrcae.h5", Qt::CaseInsensitive);
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
  setObjectName("mainWindow");
  setWindowTitle(tr("MrCAE Studio"));
  setAcceptDrops(true);
  setDockNestingEnabled(true);
  controller_ = new TrainingController(this);
  benchmark_ = new BenchmarkController(this);
  errors_ = new ErrorReporter(this);
  applyModel_ = new ApplyModelController(this);
  connect(applyModel_, &ApplyModelController::failed, this, [this](const QString& message) {
    errors_->report(tr("Cannot apply the model to the dataset"), message,
                    tr("Choose a dataset on the model's grid (crop or pad under Dataset as when it was trained), "
                       "with its land mask and values of the same kind."));
  });
  buildViews();
  exporter_ = new ExportController(
      this, controller_, errors_, settings_, [this] { return datasetPanel_->timeSlider()->index(); },
      [this]() -> mrcae::widgets::FieldGrid* {
        QWidget* tab = viewTabs_->currentWidget();
        if (tab == levelGrid_)
        {
          return levelGrid_;
        }
        if (tab == maskInspector_)
        {
          return maskInspector_->grid();
        }
        return tab && tab->isAncestorOf(refinementView_) ? refinementView_ : nullptr;
      });
  connect(exporter_, &ExportController::finished, this, [this](const QString& error, const QString& message) {
    if (error.isEmpty())
    {
      statusBar()->showMessage(message, 10000);
    }
  });
  buildMenus();
  buildStatusBar();
  stepTimer_.setObjectName("stepTimer");
  stepTimer_.setSingleShot(true);
  stepTimer_.setInterval(250);
  connect(&stepTimer_, &QTimer::timeout, this, &MainWindow::flushSteps);

  connect(controller_, &TrainingController::stateChanged, this, [this] { updateRunState(); });
  connect(benchmark_, &BenchmarkController::busyChanged, this, [this] { updateRunState(); });
  using mrcae::widgets::BenchmarkPanel;
  connect(benchmark_, &BenchmarkController::methodStarted, this, [this](mrcae::Method method) {
    benchmarkPanel_->setStatus(tr("%1: starting…").arg(BenchmarkPanel::methodName(method)));
  });
  connect(benchmark_, &BenchmarkController::stageStarted, this,
          [this](mrcae::Method method, int stage, int level, int maxSteps) {
            benchmarkPanel_->setStatus(tr("%1: stage %2 (level %3, up to %4 steps)")
                                           .arg(BenchmarkPanel::methodName(method))
                                           .arg(stage + 1)
                                           .arg(level)
                                           .arg(maxSteps));
          });
  connect(benchmark_, &BenchmarkController::stageFinished, benchmarkPanel_, &BenchmarkPanel::addStage);
  connect(benchmark_, &BenchmarkController::settingFinished, benchmarkPanel_, &BenchmarkPanel::addSetting);
  connect(benchmark_, &BenchmarkController::methodFinished, this,
          [this](mrcae::Method method, double seconds, bool stopped) {
            benchmarkPanel_->setMethodSeconds(method, seconds);
            const QString text =
                stopped ? tr("%1 stopped after %2 s; its finished stages are kept") : tr("%1 finished in %2 s");
            statusBar()->showMessage(text.arg(BenchmarkPanel::methodName(method)).arg(seconds, 0, 'f', 1), 8000);
          });
  connect(benchmark_, &BenchmarkController::finished, this, [this] {
    benchmarkPanel_->setStatus(tr("Benchmark done: %1 rows.").arg(benchmarkPanel_->table()->rowCount()));
  });
  connect(benchmark_, &BenchmarkController::failed, this, [this](const QString& message, bool inputError) {
    errors_->report(tr("The benchmark cannot go on"), message,
                    inputError ? tr("Change the setting or the data named above, then press Run again.")
                               : tr("The methods finished so far are kept: export them, then try fewer threads or "
                                    "the CPU device."));
  });
  connect(benchmarkPanel_, &mrcae::widgets::BenchmarkPanel::runRequested, this, &MainWindow::startBenchmark);
  connect(benchmarkPanel_, &mrcae::widgets::BenchmarkPanel::stopRequested, benchmark_, &BenchmarkController::stop);
  connect(benchmarkPanel_, &mrcae::widgets::BenchmarkPanel::exportRequested, this, [this] {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Export benchmark into folder"), settings_.lastFolder());
    if (!folder.isEmpty())
    {
      exportBenchmark(folder, benchmarkPanel_->exportSize());
    }
  });
  connect(controller_, &TrainingController::runStarted, this,
          [this](const QString& device) { deviceLabel_->setText(tr("device: %1").arg(device)); });
  connect(controller_, &TrainingController::stageStarted, this, &MainWindow::onStageStarted);
  connect(controller_, &TrainingController::stepsDone, this, &MainWindow::onStepsDone);
  connect(controller_, &TrainingController::stageFinished, this, &MainWindow::onStageFinished);
  connect(controller_, &TrainingController::snapshotReady, this, &MainWindow::onSnapshot);
  connect(controller_, &TrainingController::runFinished, this, &MainWindow::onRunFinished);
  connect(controller_, &TrainingController::failed, this, &MainWindow::onFailed);
  connect(controller_, &TrainingController::autosaved, this,
          [this](const QString& path) { statusBar()->showMessage(tr("Autosaved to %1").arg(path), 4000); });
  connect(controller_, &TrainingController::modelSavedTo, this, [this](const QString& path) {
    settings_.setLastModel(path);
    settings_.addRecentFile(path);
    updateRecentMenu();
    statusBar()->showMessage(tr("Model saved to %1").arg(path), 8000);
  });
  connect(controller_, &TrainingController::modelOpened, this,
          [this](const QString& path, const std::vector<mrcae::StepRecord>& curves,
                 const std::vector<mrcae::StageRecord>& stages, const mrcae::ArchitectureInfo& arch, bool) {
            errorChart_->archiveCurrentRun(tr("run %1").arg(runNumber_));
            errorChart_->setRun(curves, stages);
            architecturePanel_->setStages(stages);
            architecturePanel_->setArchitecture(arch.groupChannels, arch.levelClear, arch.params);
            trainingData_ = dataset_;
            // Resume and the status bar follow the model's own settings, and the panel shows them.
            runConfig_ = openedConfig_;
            plannedStages_ = 0;
            for (const auto& a : runConfig_.archs)
            {
              plannedStages_ += static_cast<int>(a.size());
            }
            trainingPanel_->setConfig(runConfig_);
            levelGrid_->setLevelCount(arch.levels);
            refinementView_->setLevelCount(arch.levels);
            showTime(datasetPanel_->timeSlider()->index());
            settings_.setLastModel(path);
            settings_.addRecentFile(path);
            updateRecentMenu();
            updateRunState();
            statusBar()->showMessage(tr("Opened %1").arg(path), 8000);
          });
  restoreLayout();
  updateRunState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildViews()
{
  levelGrid_ = new mrcae::widgets::LevelGrid(this);
  levelGrid_->setObjectName("levelGrid");
  refinementView_ = new mrcae::widgets::RefinementView(this);
  refinementView_->setObjectName("refinementView");
  viewTabs_ = new QTabWidget(this);
  viewTabs_->setObjectName("viewTabs");
  // Short tab names and scroll buttons: the tab bar must not set the central area's minimum width.
  viewTabs_->setUsesScrollButtons(true);
  viewTabs_->addTab(levelGrid_, tr("Levels"));
  viewTabs_->setTabToolTip(0, tr("Per level: the input at that level, the current reconstruction and the error"));
  // The refinement grid with a one-line key to its colours.
  auto* refinementPage = new QWidget(this);
  auto* refinementLayout = new QVBoxLayout(refinementPage);
  refinementLayout->setContentsMargins(0, 0, 0, 0);
  refinementLayout->setSpacing(2);
  auto* key = new QLabel(tr("Rows: levels. Columns: groups. Dark pink: code pixels still unresolved after the group "
                            "(count / all); light: the dilated footprint the next group refines (\"next\"). "
                            "Last column: how many groups left each pixel unresolved."),
                         refinementPage);
  key->setWordWrap(true);
  key->setContentsMargins(6, 2, 6, 2);
  refinementLayout->addWidget(key);
  refinementLayout->addWidget(refinementView_, 1);
  viewTabs_->addTab(refinementPage, tr("Refinement maps"));
  maskInspector_ = new mrcae::widgets::MaskInspector(this);
  viewTabs_->addTab(maskInspector_, tr("Mask inspector"));
  filterView_ = new mrcae::widgets::FilterView(this);
  viewTabs_->addTab(filterView_, tr("Filters"));
  // The filters follow the model when it is idle: on showing the tab, at the end of a run, on another snapshot.
  connect(viewTabs_, &QTabWidget::currentChanged, this, [this] {
    if (viewTabs_->currentWidget() == filterView_)
    {
      requestFilters();
    }
  });
  connect(controller_, &TrainingController::detailsReady, this,
          [this](const std::vector<mrcae::GroupWeights>& weights, const std::vector<mrcae::GroupCodes>& codes,
                 int index) { filterView_->setData(weights, codes, index); });
  benchmarkPanel_ = new mrcae::widgets::BenchmarkPanel(this);
  benchmarkPanel_->setObjectName("benchmarkPanel");
  viewTabs_->addTab(benchmarkPanel_, tr("Benchmark"));
  errorChart_ = new mrcae::widgets::ErrorChart(this);
  errorChart_->setObjectName("errorChart");
  auto* split = new QSplitter(Qt::Vertical, this);
  split->setObjectName("centralSplitter");
  split->addWidget(viewTabs_);
  split->addWidget(errorChart_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({600, 360}); // the curves need height for a readable log axis
  setCentralWidget(split);

  datasetPanel_ = new mrcae::widgets::DatasetPanel(this);
  auto* datasetDock = new QDockWidget(tr("Dataset"), this);
  datasetDock->setObjectName("datasetDock");
  datasetDock->setWidget(datasetPanel_);
  addDockWidget(Qt::LeftDockWidgetArea, datasetDock);

  trainingPanel_ = new TrainingPanel(this);
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(trainingPanel_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* trainingDock = new QDockWidget(tr("Training"), this);
  trainingDock->setObjectName("trainingDock");
  trainingDock->setWidget(scroll);
  addDockWidget(Qt::LeftDockWidgetArea, trainingDock);

  architecturePanel_ = new mrcae::widgets::ArchitecturePanel(this);
  auto* archDock = new QDockWidget(tr("Architecture"), this);
  archDock->setObjectName("architectureDock");
  archDock->setWidget(architecturePanel_);
  addDockWidget(Qt::RightDockWidgetArea, archDock);

  // Presets from the engine; "all cores" becomes "all but one" so that the window keeps a core to itself.
  QStringList presets;
  for (const std::string& n : mrcae::TrainingConfig::presetNames())
  {
    presets << QString::fromStdString(n);
  }
  trainingPanel_->setPresets(presets, [](const QString& name) {
    mrcae::TrainingConfig c = mrcae::TrainingConfig::preset(name.toStdString());
    if (c.threads == 0)
    {
      c.threads = std::max(1, QThread::idealThreadCount() - 1);
    }
    return c;
  });
  trainingPanel_->setValidator([this](const mrcae::TrainingConfig& c) { return validate(c); });
  trainingPanel_->selectPreset(settings_.preset());
  datasetPanel_->setSizePolicy(settings_.sizePolicy());

  connect(trainingPanel_, &TrainingPanel::trainRequested, this, &MainWindow::startTraining);
  connect(trainingPanel_, &TrainingPanel::pauseRequested, controller_, &TrainingController::pause);
  connect(trainingPanel_, &TrainingPanel::stopRequested, controller_, &TrainingController::stop);
  connect(trainingPanel_, &TrainingPanel::resumeRequested, this, [this] {
    if (controller_->state() != TrainingController::State::Paused)
    {
      prepareAutosave();
    }
    controller_->resume();
  });
  connect(trainingPanel_, &TrainingPanel::levelsChanged, this, [this](int levels) {
    datasetPanel_->setRequiredLevels(levels);
    trainingPanel_->revalidate();
  });
  connect(trainingPanel_, &TrainingPanel::configChanged, this,
          [this] { settings_.setPreset(trainingPanel_->presetName()); });
  connect(datasetPanel_, &mrcae::widgets::DatasetPanel::sizePolicyChanged, this, [this](const QString& p) {
    settings_.setSizePolicy(p);
    trainingPanel_->revalidate();
  });
  connect(datasetPanel_, &mrcae::widgets::DatasetPanel::indexChanged, this, &MainWindow::showTime);
  connect(datasetPanel_, &mrcae::widgets::DatasetPanel::snapshotUnreadable, this, &MainWindow::reportOnDemandFailure,
          Qt::QueuedConnection); // not from inside the slider's signal
  datasetPanel_->setRequiredLevels(trainingPanel_->config().levels);
}

void MainWindow::buildMenus()
{
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open Dataset…"), this, &MainWindow::onOpen);
  open->setShortcut(QKeySequence::Open);
  file->addAction(tr("&Import NetCDF / HDF5…"), this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import"), settings_.lastFolder(),
                                     tr("NetCDF and HDF5 (*.nc *.nc4 *.cdf *.h5 *.hdf5 *.he5);;All files (*)"));
    if (!path.isEmpty())
    {
      importFile(path);
    }
  });
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  QMenu* generate = file->addMenu(tr("&Generate"));
  generate->addAction(tr("toy1: two oscillating modes"), this, [this] { generateToy("toy1"); });
  generate->addAction(tr("toy2: one drifting mode"), this, [this] { generateToy("toy2"); });
  file->addSeparator();
  openModelAction_ = file->addAction(tr("Open &Model…"), this, &MainWindow::onOpenModel);
  saveModelAction_ = file->addAction(tr("&Save Model…"), this, [this] { onSaveModel(); });
  file->addAction(tr("A&pply Model to Dataset…"), this, [this] { applyModelToDataset(); });
  QAction* autosave = file->addAction(tr("A&utosave After Every Stage"));
  autosave->setObjectName("autosaveAction");
  autosave->setCheckable(true);
  autosave->setChecked(settings_.autosave());
  autosave->setToolTip(tr("Writes the model after every stage into the autosave folder (atomically: a crash loses "
                          "one stage at most)"));
  connect(autosave, &QAction::toggled, this, [this](bool on) { settings_.setAutosave(on); });
  saveModelAction_->setShortcut(QKeySequence::Save);
  QMenu* exports = file->addMenu(tr("&Export"));
  exportMenu_ = exports;
  exports->addAction(tr("&Figure (levels × input, reconstruction, error, map)…"), exporter_,
                     &ExportController::exportFigureDialog);
  exports->addAction(tr("&Curves…"), exporter_, &ExportController::exportCurvesDialog);
  exports->addAction(tr("&View on screen…"), exporter_, &ExportController::exportViewDialog);
  exports->addAction(tr("&Animation (PNG series over snapshots)…"), exporter_,
                     &ExportController::exportAnimationDialog);
  exports->addSeparator();
  exports->addAction(tr("&Data (HDF5, VTK series for ParaView, CSV)…"), exporter_, &ExportController::exportDataDialog);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* training = menuBar()->addMenu(tr("&Training"));
  moreStepsAction_ = training->addAction(tr("&More Steps for the Last Stage…"), this, [this] {
    bool ok = false;
    const int n = QInputDialog::getInt(
        this, tr("More steps"), tr("Steps to add to the last stage (it goes on exactly where it ended):"),
        std::max(1, runConfig_.steps.empty() ? 100 : runConfig_.steps.back() / 10), 1, 10000000, 1, &ok);
    if (ok)
    {
      trainMoreSteps(n);
    }
  });

  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : findChildren<QDockWidget*>())
  {
    view->addAction(dock->toggleViewAction());
  }
  view->addSeparator();
  view->addAction(tr("Reset views"), this, [this] {
    levelGrid_->resetViews();
    refinementView_->resetViews();
  });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About MrCAE Studio"), this, [this] {
    QMessageBox::about(this, tr("About MrCAE Studio"),
                       tr("<b>MrCAE Studio</b><p>Trains multiresolution convolutional autoencoders and shows them "
                          "grow level by level.</p><p>Qt %1, VTK views on the GUI thread, the engine on a worker "
                          "thread.</p>")
                           .arg(qVersion()));
  });
  updateRecentMenu();
}

void MainWindow::buildStatusBar()
{
  // Each label has a fixed size: a label whose size can change relayouts the status bar and then the whole main
  // window on every setText, and with OpenGL views in the window each of those repaints costs a full composition.
  auto make = [this](const QString& name, const QString& widest) {
    auto* l = new QLabel(this);
    l->setObjectName(name);
    l->setFixedSize(fontMetrics().horizontalAdvance(widest), l->sizeHint().height());
    statusBar()->addPermanentWidget(l);
    return l;
  };
  stageLabel_ = make("statusStage", "stopped after 12 stages: Resume continues  ");
  stepLabel_ = make("statusStep", "step 00000/00000  ");
  lossLabel_ = make("statusLoss", "loss 0.00e-00 · val 0.00e-00  ");
  rateLabel_ = make("statusRate", "0000 steps/s  ");
  etaLabel_ = make("statusEta", "ETA ≤ 00 min 00 s  ");
  deviceLabel_ = make("statusDevice", "device: cuda:0 (fell back to cpu)  ");
  stageLabel_->setText(tr("no run yet"));
}

QString MainWindow::statusText() const
{
  QStringList parts;
  for (QLabel* l : {stageLabel_, stepLabel_, lossLabel_, rateLabel_, etaLabel_, deviceLabel_})
  {
    if (!l->text().isEmpty())
    {
      parts << l->text();
    }
  }
  return parts.join(" | ");
}

void MainWindow::restoreLayout()
{
  if (!restoreGeometry(settings_.windowGeometry()))
  {
    // First start: most of the screen, but not absurdly large on a wide monitor.
    const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
    resize(std::min(1600, avail.width() * 9 / 10), std::min(1000, avail.height() * 9 / 10));
  }
  restoreState(settings_.windowState());
}

void MainWindow::updateRecentMenu()
{
  recentMenu_->clear();
  const QStringList files = settings_.recentFiles();
  for (const QString& f : files)
  {
    recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] { openDataset(f); })->setToolTip(f);
  }
  recentMenu_->setEnabled(!files.isEmpty());
}

QString MainWindow::validate(const mrcae::TrainingConfig& config) const
{
  try
  {
    config.validate();
  }
  catch (const std::exception& e)
  {
    return windowText(e);
  }
  if (dataset_ && !datasetPanel_->sizeAccepted())
  {
    return tr("The dataset is %1×%2: %3 levels need each side to be c·2^%3 − 1. Choose crop or pad under "
              "Dataset, or fewer levels.")
        .arg(dataset_->field.h)
        .arg(dataset_->field.w)
        .arg(config.levels);
  }
  return QString();
}

void MainWindow::updateActions()
{
  saveModelAction_->setEnabled(controller_->hasModel() && !controller_->isBusy());
  openModelAction_->setEnabled(!controller_->isBusy());
  moreStepsAction_->setEnabled(controller_->hasModel() && trainingData_ && !controller_->isBusy());
}

void MainWindow::updateRunState()
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
    rs = controller_->canResume() && trainingData_ ? TrainingPanel::RunState::Stopped : TrainingPanel::RunState::Idle;
    break;
  }
  trainingPanel_->setRunState(rs);
  // Training and a benchmark share the cores and the Training panel's settings: one at a time.
  if (benchmark_->isBusy())
  {
    trainingPanel_->setCanTrain(false, tr("A benchmark is running (Benchmark tab): stop it or wait for it."));
  }
  else if (onDemand_ && !dataset_)
  {
    trainingPanel_->setCanTrain(false, onDemandTrainingNote());
  }
  else
  {
    trainingPanel_->setCanTrain(dataset_ != nullptr, tr("Open or generate a dataset first (File menu)."));
  }
  benchmarkPanel_->setRunning(benchmark_->isBusy());
  if (controller_->isBusy())
  {
    benchmarkPanel_->setCanRun(false, tr("Training is running: stop it or wait for it, then run the benchmark."));
  }
  else if (onDemand_ && !dataset_)
  {
    benchmarkPanel_->setCanRun(false, onDemandTrainingNote());
  }
  else
  {
    benchmarkPanel_->setCanRun(dataset_ != nullptr, tr("Open or generate a dataset first (File menu)."));
  }
  datasetPanel_->setEnabled(true);
  updateActions();
  if (controller_->state() == S::Paused)
  {
    etaLabel_->setText(tr("paused"));
  }
}

bool MainWindow::openDataset(const QString& path)
{
  if (isModelFile(path))
  {
    return openModel(path);
  }
  // NetCDF, and HDF5 files that are not in our layout, go through the import dialog.
  const QString suffix = QFileInfo(path).suffix().toLower();
  const bool netcdf = suffix == "nc" || suffix == "nc4" || suffix == "cdf";
  bool foreignHdf5 = false;
  if (!netcdf && (suffix == "h5" || suffix == "hdf5" || suffix == "he5") && QFileInfo::exists(path))
  {
    try
    {
      foreignHdf5 = mrcae::listFields(path.toStdString()).empty();
    }
    catch (const std::exception&)
    {
      foreignHdf5 = false; // not readable as HDF5 at all: readDataset below says so
    }
  }
  if (netcdf || foreignHdf5)
  {
    return importFile(path);
  }
  if (auto browsed = OnDemandDataset::openIfTooLarge(path, onDemandLimit_))
  {
    browseDataset(browsed);
    return true;
  }
  try
  {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    mrcae::Dataset d = mrcae::readDataset(path.toStdString());
    QApplication::restoreOverrideCursor();
    setDataset(std::move(d), path);
    settings_.setLastDataset(path);
    settings_.addRecentFile(path);
    settings_.setLastFolder(QFileInfo(path).absolutePath());
    updateRecentMenu();
    return true;
  }
  catch (const mrcae::InputError& e)
  {
    QApplication::restoreOverrideCursor();
    errors_->report(tr("Cannot open the dataset"), windowText(e),
                    tr("Open an HDF5 file of our layout (/fields/<name> as T×H×W) or a .npy array of shape "
                       "T×H×W, or generate toy data from the File menu."));
  }
  catch (const std::exception& e)
  {
    QApplication::restoreOverrideCursor();
    errors_->report(tr("Cannot open the dataset"), tr("Reading %1 failed: %2").arg(path, windowText(e)),
                    tr("Check that the file is complete and readable, then try again."));
  }
  return false;
}

bool MainWindow::importFile(const QString& path)
{
  std::unique_ptr<ImportDialog> dialog;
  try
  {
    dialog = std::make_unique<ImportDialog>(path, this);
  }
  catch (const std::exception& e)
  {
    errors_->report(tr("Cannot import the file"), windowText(e),
                    tr("Choose a NetCDF or HDF5 file with a variable of (time, y, x)."));
    return false;
  }
  if (dialog->exec() != QDialog::Accepted)
  {
    return false;
  }
  importWith(path, dialog->options());
  return true;
}

void MainWindow::importWith(const QString& path, const mrcae::ImportOptions& options)
{
  // A large file takes seconds: convert it off the GUI thread, show it when done.
  auto* watcher = new QFutureWatcher<std::shared_ptr<mrcae::ImportReport>>(this);
  auto error = std::make_shared<QString>();
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, error, path] {
    watcher->deleteLater();
    QApplication::restoreOverrideCursor();
    const auto report = watcher->result();
    if (!report)
    {
      errors_->report(tr("Cannot import the file"), *error,
                      tr("Change the variable, time axis, indices or size in the import dialog and try again."));
      return;
    }
    QStringList notes;
    for (const auto& n : report->notes)
    {
      notes << windowText(n);
    }
    setDataset(std::move(report->dataset), path);
    settings_.setLastFolder(QFileInfo(path).absolutePath());
    if (!notes.isEmpty())
    {
      statusBar()->showMessage(notes.join("; "), 10000);
    }
    Q_EMIT datasetImported(path);
  });
  QApplication::setOverrideCursor(Qt::BusyCursor);
  watcher->setFuture(QtConcurrent::run([path, options, error]() -> std::shared_ptr<mrcae::ImportReport> {
    try
    {
      return std::make_shared<mrcae::ImportReport>(mrcae::importDataset(path.toStdString(), options));
    }
    catch (const std::exception& e)
    {
      *error = windowText(e);
      return nullptr;
    }
  }));
}

bool MainWindow::generateToy(const QString& name, int snapshots)
{
  try
  {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    mrcae::Dataset d = mrcae::generateToy(name.toStdString(), snapshots);
    QApplication::restoreOverrideCursor();
    setDataset(std::move(d), tr("generated %1").arg(name));
    settings_.setLastDataset(QString());
    return true;
  }
  catch (const std::exception& e)
  {
    QApplication::restoreOverrideCursor();
    errors_->report(tr("Cannot generate %1").arg(name), windowText(e), QString());
  }
  return false;
}

void MainWindow::browseDataset(const std::shared_ptr<OnDemandDataset>& browsed)
{
  const QString path = browsed->path();
  dataset_.reset();
  onDemand_ = browsed;
  onDemandFailureReported_ = false;
  presentDataset(browsed->summary(browsed));
  settings_.setLastDataset(path);
  settings_.addRecentFile(path);
  settings_.setLastFolder(QFileInfo(path).absolutePath());
  updateRecentMenu();
  statusBar()->showMessage(tr("Dataset %1 (%2), too large to load: read one snapshot at a time")
                               .arg(QString::fromStdString(browsed->reader().name()), path),
                           8000);
}

QString MainWindow::onDemandTrainingNote() const
{
  const mrcae::SnapshotReader& r = onDemand_->reader();
  return tr("%1 takes %2 GB as float32, more than half the memory available, so it is shown one snapshot at a "
            "time and cannot be trained on here. Train on its first snapshots with mrcae train %3 --snapshots N "
            "(it says how many fit), or open it with a higher mrcae-studio --load-limit.")
      .arg(QString::fromStdString(r.name()))
      .arg(r.bytesInMemory() / 1e9, 0, 'f', 2)
      .arg(QFileInfo(onDemand_->path()).fileName());
}

void MainWindow::reportOnDemandFailure(const QString& reason)
{
  if (onDemandFailureReported_)
  {
    return;
  }
  onDemandFailureReported_ = true;
  errors_->report(tr("Cannot read the dataset"), reason,
                  tr("Open the file again (File → Open Recent) to see its new contents."));
}

void MainWindow::setDataset(mrcae::Dataset dataset, const QString& origin)
{
  onDemand_.reset();
  dataset_ = std::make_shared<const mrcae::Dataset>(std::move(dataset));
  presentDataset(DatasetAdapter::summarize(dataset_));
  statusBar()->showMessage(tr("Dataset %1 (%2)").arg(QString::fromStdString(dataset_->name), origin), 8000);
}

void MainWindow::presentDataset(const mrcae::widgets::DatasetSummary& summary)
{
  datasetPanel_->setSummary(summary);
  datasetPanel_->setRequiredLevels(trainingPanel_->config().levels);
  setWindowTitle(tr("MrCAE Studio — %1").arg(summary.name));
  if (!controller_->isBusy())
  {
    levelGrid_->setStacked(mrcae::widgets::FieldMath::stacksPanels(summary.height, summary.width));
    trainingData_.reset();
    const int levels = trainingPanel_->config().levels;
    levelGrid_->setLevelCount(levels);
    refinementView_->setLevelCount(levels);
    showTime(datasetPanel_->timeSlider()->index());
  }
  trainingPanel_->revalidate();
  updateRunState();
}

void MainWindow::loadStartupDataset()
{
  const QString last = settings_.lastDataset();
  if (auto browsed = last.isEmpty() ? nullptr : OnDemandDataset::openIfTooLarge(last, onDemandLimit_))
  {
    browseDataset(browsed);
    return;
  }
  if (!last.isEmpty() && QFileInfo::exists(last))
  {
    try
    {
      setDataset(mrcae::readDataset(last.toStdString()), last);
      return;
    }
    catch (const std::exception&)
    {
      // Fall back to the sample below; the file may have been replaced by something else.
    }
  }
  try
  {
    QString origin;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    mrcae::Dataset d = SampleData::loadOrGenerate("toy1", &origin);
    QApplication::restoreOverrideCursor();
    setDataset(std::move(d), origin);
    trainingPanel_->selectPreset("toy1");
  }
  catch (const std::exception& e)
  {
    QApplication::restoreOverrideCursor();
    errors_->report(tr("No sample dataset"), windowText(e), tr("Open a dataset or generate one from the File menu."));
  }
}

mrcae::Map2D MainWindow::nativeFrame(int index) const
{
  const mrcae::Dataset* d = trainingData_ ? trainingData_.get() : dataset_.get();
  if (!d && onDemand_)
  {
    try
    {
      return mrcae::widgets::FieldMath::frame(onDemand_->snapshot(index), 0);
    }
    catch (const std::exception&)
    {
      // The dataset panel read this snapshot first (its preview) and reports why it could not (snapshotUnreadable).
      return mrcae::Map2D();
    }
  }
  return d ? mrcae::widgets::FieldMath::frame(d->field, index) : mrcae::Map2D();
}

void MainWindow::showTime(int index)
{
  const mrcae::Dataset* d = trainingData_ ? trainingData_.get() : dataset_.get();
  if (!d && onDemand_)
  {
    const mrcae::SnapshotReader& r = onDemand_->reader();
    if (index < 0 || index >= r.snapshots())
    {
      return;
    }
    levelGrid_->setValidMask(r.valid());
    refinementView_->setValidMask(r.valid());
    levelGrid_->setValueTransform(r.originalMax() - r.originalMin(), r.originalMin());
    const mrcae::Map2D frame = nativeFrame(index);
    if (frame.h > 0)
    {
      levelGrid_->showInputs(frame, index);
    }
    else
    {
      levelGrid_->setLevelCount(levelGrid_->levelCount()); // blank, never the previous snapshot
    }
    return;
  }
  if (!d || index < 0 || index >= d->field.t)
  {
    return;
  }
  levelGrid_->setValidMask(d->valid);
  refinementView_->setValidMask(d->valid);
  levelGrid_->setValueTransform(d->originalMax - d->originalMin, d->originalMin);
  levelGrid_->showInputs(nativeFrame(index), index);
  if (trainingData_)
  {
    // Only a model trained on (or opened with) the data on screen has reconstructions of it.
    controller_->requestSnapshot(index);
  }
  if (viewTabs_->currentWidget() == filterView_)
  {
    requestFilters();
  }
}

std::shared_ptr<const mrcae::Dataset> MainWindow::dataFor(const mrcae::TrainingConfig& config)
{
  if (config.levels <= dataset_->maxLevels())
  {
    return dataset_;
  }
  try
  {
    return std::make_shared<const mrcae::Dataset>(
        dataset_->conformed(config.levels, DatasetAdapter::policyFromPanel(datasetPanel_->sizePolicy())));
  }
  catch (const std::exception& e)
  {
    errors_->report(tr("The dataset does not fit %1 levels").arg(config.levels), windowText(e),
                    tr("Choose crop or pad under Dataset, or fewer levels."));
    return nullptr;
  }
}

void MainWindow::startBenchmark(const std::vector<mrcae::Method>& methods)
{
  if (!dataset_ || controller_->isBusy() || benchmark_->isBusy() || methods.empty())
  {
    return;
  }
  const mrcae::TrainingConfig config = trainingPanel_->config();
  const QString problem = trainingPanel_->configError();
  if (!problem.isEmpty())
  {
    errors_->report(tr("Cannot run the benchmark with these settings"), problem, settingsAdvice(config));
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
    errors_->report(tr("Cannot run the benchmark with these settings"), error.what, error.toDo);
    return;
  }
  const auto data = dataFor(config);
  if (!data)
  {
    return;
  }
  benchmarkPanel_->clearResults();
  benchmarkPanel_->setDataSize(data->field.t, 4.0 * data->field.h * data->field.w);
  benchmarkPanel_->setStatus(tr("starting…"));
  benchmark_->run(*data, *protocol);
}

bool MainWindow::exportBenchmark(const QString& folder, const QSize& size)
{
  const QString problem = benchmarkPanel_->exportTo(folder, size);
  if (!problem.isEmpty())
  {
    errors_->report(tr("Export failed"), problem, tr("Choose a folder you can write to."));
    return false;
  }
  statusBar()->showMessage(tr("Benchmark figures and table written to %1").arg(folder), 8000);
  return true;
}

void MainWindow::startTraining()
{
  if (!dataset_ || controller_->isBusy() || benchmark_->isBusy())
  {
    return;
  }
  mrcae::TrainingConfig config = trainingPanel_->config();
  const QString problem = trainingPanel_->configError();
  if (!problem.isEmpty())
  {
    errors_->report(tr("Cannot train with these settings"), problem, settingsAdvice(config));
    return;
  }
  if (config.device == "cuda")
  {
    const mrcae::CudaStatus cuda = mrcae::cudaStatus();
    if (!cuda.available)
    {
      // Asked for CUDA where there is none: train on the CPU rather than refuse, and say so once per run.
      config.device = "cpu";
      errors_->report(tr("CUDA is not available"),
                      tr("CUDA was asked for but cannot be used: %1. This run trains on the CPU.")
                          .arg(QString::fromStdString(cuda.reason)),
                      tr("Choose the cpu or auto device to skip this message, or run MrCAE Studio on a GPU machine "
                         "with a CUDA build of LibTorch."));
    }
  }
  std::shared_ptr<const mrcae::Dataset> data = dataFor(config);
  if (!data)
  {
    return;
  }
  trainingData_ = data;
  runConfig_ = config;
  ++runNumber_;
  divergenceReported_ = false;
  if (errorChart_->pointCount() > 0)
  {
    errorChart_->archiveCurrentRun(tr("run %1").arg(runNumber_ - 1));
  }
  errorChart_->clear();
  architecturePanel_->clear();
  levelGrid_->setLevelCount(config.levels);
  refinementView_->setLevelCount(config.levels);
  plannedStages_ = 0;
  for (const auto& a : config.archs)
  {
    plannedStages_ += static_cast<int>(a.size());
  }
  currentStage_ = -1;
  stepsThisRun_ = 0;
  rateSteps_ = 0;
  stepsPerSecond_ = 0.0;
  rateClock_.start();
  stageLabel_->setText(tr("starting…"));
  stepLabel_->clear();
  lossLabel_->clear();
  rateLabel_->clear();
  etaLabel_->clear();

  const int index = std::clamp(datasetPanel_->timeSlider()->index(), 0, data->field.t - 1);
  prepareAutosave();
  controller_->train(*data, config);
  showTime(index);
}

QString MainWindow::autosaveFolder()
{
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

void MainWindow::trainMoreSteps(int extraSteps)
{
  if (!controller_->hasModel() || controller_->isBusy())
  {
    return;
  }
  prepareAutosave();
  controller_->moreSteps(extraSteps);
}

void MainWindow::prepareAutosave()
{
  if (!settings_.autosave())
  {
    controller_->setAutosavePath(QString());
    return;
  }
  // A file of its own per run: the user's saved models are never overwritten behind their back.
  const QString folder = autosaveFolder();
  QDir().mkpath(folder);
  const QString name = dataset_ ? QString::fromStdString(dataset_->name) : QStringLiteral("model");
  const QString path =
      folder + "/" + name + "-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss") + ".mrcae.h5";
  controller_->setAutosavePath(path);
}

void MainWindow::onStageStarted(int stage, int level, int group, const QString& op, int maxSteps)
{
  flushSteps(); // steps of the previous stage still count against its own length
  currentStage_ = stage;
  currentLevel_ = level;
  currentMaxSteps_ = maxSteps;
  lastStep_ = 0;
  const QString stageText =
      tr("stage %1/%2 · L%3 g%4 %5").arg(stage + 1).arg(plannedStages_).arg(level).arg(group).arg(op);
  mrcae::widgets::RenderScheduler::instance()->post(this, [this, stageText] { stageLabel_->setText(stageText); });
  // Upper bound of what is left: this stage, the rest of this level's widenings and every later level.
  etaLabel_->setProperty("remainingAfterStage", [&] {
    long long rest = 0;
    for (int k = level; k < static_cast<int>(runConfig_.archs.size()) && k < static_cast<int>(runConfig_.steps.size());
         ++k)
    {
      const int stagesLeft = k == level ? static_cast<int>(runConfig_.archs[k].size()) - group - 1
                                        : static_cast<int>(runConfig_.archs[k].size());
      rest += static_cast<long long>(std::max(0, stagesLeft)) * runConfig_.steps[k];
    }
    return rest;
  }());
}

void MainWindow::onStepsDone(const std::vector<mrcae::StepRecord>& steps)
{
  pendingSteps_.insert(pendingSteps_.end(), steps.begin(), steps.end());
  if (!stepTimer_.isActive())
  {
    stepTimer_.start();
  }
}

void MainWindow::flushSteps()
{
  stepTimer_.stop();
  if (pendingSteps_.empty())
  {
    return;
  }
  std::vector<mrcae::StepRecord> steps;
  steps.swap(pendingSteps_);
  errorChart_->appendSteps(steps);
  const mrcae::StepRecord& last = steps.back();
  stepsThisRun_ += static_cast<long long>(steps.size());
  rateSteps_ += static_cast<long long>(steps.size());
  lastStep_ = last.step;
  const double elapsed = rateClock_.nsecsElapsed() / 1e9;
  if (elapsed > 1.0)
  {
    // A moving rate over the last second or so (pauses and stage setup drop out quickly).
    const double rate = rateSteps_ / elapsed;
    stepsPerSecond_ = stepsPerSecond_ > 0 ? 0.5 * stepsPerSecond_ + 0.5 * rate : rate;
    rateSteps_ = 0;
    rateClock_.restart();
  }
  // The labels change with the chart's next frame, in the same composition of the window.
  const QString step = tr("step %1/%2").arg(last.step).arg(currentMaxSteps_);
  const QString loss = tr("loss %1 · val %2").arg(last.localTrain, 0, 'e', 2).arg(last.globalVal, 0, 'e', 2);
  QString rate;
  QString eta;
  if (stepsPerSecond_ > 0)
  {
    rate = tr("%1 steps/s").arg(stepsPerSecond_, 0, 'f', stepsPerSecond_ < 10 ? 1 : 0);
    const long long left = (currentMaxSteps_ - last.step) + etaLabel_->property("remainingAfterStage").toLongLong();
    eta = tr("ETA ≤ %1").arg(formatDuration(left / stepsPerSecond_));
  }
  mrcae::widgets::RenderScheduler::instance()->post(this, [this, step, loss, rate, eta] {
    stepLabel_->setText(step);
    lossLabel_->setText(loss);
    if (!rate.isEmpty())
    {
      rateLabel_->setText(rate);
      etaLabel_->setText(eta);
    }
  });
}

void MainWindow::onStageFinished(const mrcae::StageRecord& record, const mrcae::ArchitectureInfo& architecture)
{
  flushSteps(); // the stage's last steps before its marker
  errorChart_->addStage(record);
  // The tables change with the chart's next frame, in the same composition of the window.
  mrcae::widgets::RenderScheduler::instance()->post(this, [this, record, architecture] {
    architecturePanel_->addStage(record);
    architecturePanel_->setArchitecture(architecture.groupChannels, architecture.levelClear, architecture.params);
  });
  if (record.stopReason == mrcae::StopReason::Diverged && !divergenceReported_)
  {
    divergenceReported_ = true;
    errors_->report(tr("Training diverged"),
                    tr("A loss became NaN or infinite in stage %1 (level %2, group %3). The best state of that stage "
                       "was restored and everything trained before it is kept.")
                        .arg(record.stage + 1)
                        .arg(record.level)
                        .arg(record.group),
                    tr("Lower the learning rate or the init std, then press Train; or save the model as it is "
                       "(File → Save Model)."));
  }
}

void MainWindow::onSnapshot(const mrcae::Snapshot& snapshot)
{
  // Late results of the previous model after another dataset was opened belong to data no longer on screen.
  if (snapshot.snapshotIndices.empty() || snapshot.inputs.empty() || !trainingData_)
  {
    return;
  }
  const int index = snapshot.snapshotIndices.front();
  const mrcae::Map2D frame = nativeFrame(index);
  levelGrid_->showSnapshot(snapshot, frame.h > 0 ? &frame : nullptr);
  refinementView_->showSnapshot(snapshot);
  maskInspector_->showSnapshot(snapshot);
}

void MainWindow::requestFilters()
{
  if (controller_->isBusy())
  {
    filterView_->setNote(tr("The filters update when training pauses or ends."));
    return;
  }
  if (!trainingData_)
  {
    filterView_->setNote(tr("Train on this dataset (or open a model trained on it) to see its filters."));
    return;
  }
  controller_->requestDetails(datasetPanel_->timeSlider()->index());
}

void MainWindow::onRunFinished(bool scheduleDone)
{
  flushSteps();
  mrcae::widgets::RenderScheduler::instance()->flushPosted(); // the tables and labels read below are complete
  updateRunState();
  const long long params = architecturePanel_->params();
  if (scheduleDone)
  {
    stageLabel_->setText(tr("finished: %1 stages, %2 parameters").arg(architecturePanel_->stageCount()).arg(params));
    etaLabel_->clear();
  }
  else if (controller_->hasModel())
  {
    stageLabel_->setText(tr("stopped after %1 stages: Resume continues").arg(architecturePanel_->stageCount()));
    etaLabel_->clear();
  }
  else
  {
    stageLabel_->setText(tr("not started"));
  }
  // Show the final state of the snapshot under the slider.
  showTime(datasetPanel_->timeSlider()->index());
  requestFilters();
}

void MainWindow::onFailed(const QString& message, Failure kind)
{
  switch (kind)
  {
  case Failure::Settings:
    errors_->report(tr("Cannot train"), message,
                    tr("Change the setting or the data named above, then press Train again."));
    break;
  case Failure::Training:
    errors_->report(tr("Training failed"), message,
                    controller_->hasModel()
                        ? tr("The stages finished so far are kept: save the model (File → Save Model), then try "
                             "fewer threads or the CPU device.")
                        : tr("Try again with the CPU device or fewer threads; if it happens again, report it with "
                             "the settings you used."));
    break;
  case Failure::ModelFile:
    errors_->report(tr("The model file could not be used"), message,
                    tr("Open another model file, or save into a folder you can write to; a model opens with the "
                       "dataset it was trained on."));
    break;
  case Failure::Snapshot:
    errors_->report(tr("Cannot show the reconstructions"), message,
                    tr("The model and the dataset may not belong together: open the dataset the model was "
                       "trained on."));
    break;
  case Failure::Device:
    errors_->report(tr("The training device failed"), message,
                    tr("Everything trained so far is kept: save it (File → Save Model). Resume retries that stage "
                       "as it was; Train starts again with the panel's settings (a smaller batch, fewer "
                       "snapshots or the CPU device)."));
    break;
  case Failure::DeviceFallback:
    errors_->report(tr("The GPU ran out of memory"), message,
                    tr("Nothing to do: training continues on the CPU (slower). For the next run choose a smaller "
                       "batch or fewer snapshots to stay on the GPU."));
    break;
  }
}

void MainWindow::onOpen()
{
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open dataset"), settings_.lastFolder(),
      tr("Datasets (*.h5 *.hdf5 *.npy *.nc *.nc4 *.cdf);;MrCAE models (*.mrcae.h5);;All files (*)"));
  if (!path.isEmpty())
  {
    openDataset(path);
  }
}

void MainWindow::saveModelTo(const QString& path)
{
  if (!controller_->hasModel() || controller_->isBusy())
  {
    errors_->report(tr("Nothing to save"), tr("There is no finished or stopped model to save."),
                    tr("Train a model (or stop the running one) first."));
    return;
  }
  controller_->saveModel(path);
}

bool MainWindow::onSaveModel()
{
  QString suggested =
      settings_.lastFolder() + "/" + (dataset_ ? QString::fromStdString(dataset_->name) : "model") + ".mrcae.h5";
  QString path = QFileDialog::getSaveFileName(this, tr("Save model"), suggested, tr("MrCAE models (*.mrcae.h5)"));
  if (path.isEmpty())
  {
    return false;
  }
  if (!path.endsWith(".h5"))
  {
    path += ".mrcae.h5";
  }
  settings_.setLastFolder(QFileInfo(path).absolutePath());
  saveModelTo(path);
  return true;
}

void MainWindow::applyModelToDataset(QString modelPath, QString dataPath)
{
  if (applyModel_->isBusy())
  {
    return;
  }
  if (modelPath.isEmpty() && controller_->hasModel())
  {
    // The model on screen, as it is now: saved to a scratch file the apply window reads.
    modelPath = applyModel_->scratchModelPath();
    QString error;
    const bool idle = controller_->inspect([&](const mrcae::Trainer* t) {
      try
      {
        t->save(modelPath.toStdString());
      }
      catch (const std::exception& e)
      {
        error = windowText(e);
      }
    });
    if (!idle || !error.isEmpty())
    {
      errors_->report(tr("Cannot apply the model now"), idle ? error : tr("Training or an export is running."),
                      tr("Wait for it to finish, or stop it, then apply the model."));
      return;
    }
  }
  if (modelPath.isEmpty())
  {
    modelPath = QFileDialog::getOpenFileName(this, tr("Apply which model?"), settings_.lastFolder(),
                                             tr("MrCAE models (*.mrcae.h5 *.h5)"));
  }
  if (!modelPath.isEmpty() && dataPath.isEmpty())
  {
    dataPath = QFileDialog::getOpenFileName(this, tr("Apply the model to which dataset?"), settings_.lastFolder(),
                                            tr("Datasets (*.h5 *.hdf5 *.npy)"));
  }
  if (modelPath.isEmpty() || dataPath.isEmpty())
  {
    return;
  }
  applyModel_->open(modelPath, dataPath, DatasetAdapter::policyFromPanel(datasetPanel_->sizePolicy()));
}

bool MainWindow::openModel(const QString& path)
{
  if (controller_->isBusy() || benchmark_->isBusy())
  {
    errors_->report(tr("Cannot open the model now"), tr("Training, a benchmark or an export is running."),
                    tr("Stop it or wait for it to finish, then open the model."));
    return false;
  }
  mrcae::ModelSummary summary;
  try
  {
    summary = mrcae::ModelFile::summary(path.toStdString());
  }
  catch (const std::exception& e)
  {
    errors_->report(tr("Cannot open the model"), windowText(e),
                    tr("Choose a .mrcae.h5 file written by MrCAE Studio or mrcae."));
    return false;
  }
  // Its dataset: the one on screen, the stored path, a file of that name beside the model, or the user's choice.
  std::optional<mrcae::ModelDataset> found;
  if (dataset_)
  {
    found = mrcae::fitModelDataset(summary, *dataset_);
    if (found && !found->sameContent)
    {
      found.reset();
    }
  }
  QStringList problems;
  for (const std::string& candidate :
       found ? std::vector<std::string>{} : mrcae::datasetCandidates(summary, path.toStdString()))
  {
    try
    {
      found = mrcae::loadModelDataset(summary, candidate);
      if (found->sameContent)
      {
        break;
      }
      problems
          << tr("%1 has other values than the data the model was trained on").arg(QString::fromStdString(candidate));
    }
    catch (const std::exception& e)
    {
      problems << windowText(e);
    }
  }
  while (!found || !found->sameContent)
  {
    const QString chosen =
        datasetChooser_ ? datasetChooser_(summary, problems.join("\n")) : askForModelData(summary, problems);
    if (chosen.isEmpty())
    {
      break;
    }
    try
    {
      found = mrcae::loadModelDataset(summary, chosen.toStdString());
      if (!found->sameContent)
      {
        statusBar()->showMessage(tr("Note: %1 differs from the data the model was trained on").arg(chosen), 10000);
      }
      break;
    }
    catch (const std::exception& e)
    {
      problems = {windowText(e)};
      found.reset();
    }
  }
  settings_.addRecentFile(path);
  updateRecentMenu();
  if (!found)
  {
    showModelWithoutData(path, summary);
    return true;
  }
  setDataset(std::move(found->data),
             found->path.empty() ? tr("the model's data") : QString::fromStdString(found->path));
  openedConfig_ = summary.config;
  controller_->openModel(path, *dataset_);
  return true;
}

QString MainWindow::askForModelData(const mrcae::ModelSummary& s, const QStringList& problems)
{
  const QString where = s.dataPath.empty() ? tr("generated, not saved") : QString::fromStdString(s.dataPath);
  QMessageBox box(QMessageBox::Question, tr("Where is the model's dataset?"),
                  tr("The model was trained on %1 (%2 × %3 × %4, last at %5), which was not found.")
                      .arg(QString::fromStdString(s.dataName))
                      .arg(s.dataT)
                      .arg(s.dataH)
                      .arg(s.dataW)
                      .arg(where),
                  QMessageBox::NoButton, this);
  box.setInformativeText(problems.isEmpty() ? tr("Choose its file to see reconstructions and maps, or show the "
                                                 "model's architecture and curves only.")
                                            : problems.join("\n"));
  QPushButton* choose = box.addButton(tr("Choose the dataset…"), QMessageBox::AcceptRole);
  box.addButton(tr("Architecture and curves only"), QMessageBox::RejectRole);
  box.exec();
  if (box.clickedButton() != choose)
  {
    return QString();
  }
  return QFileDialog::getOpenFileName(this, tr("The model's dataset"), settings_.lastFolder(),
                                      tr("Datasets (*.h5 *.hdf5 *.npy);;All files (*)"));
}

void MainWindow::showModelWithoutData(const QString& path, const mrcae::ModelSummary& s)
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
  errorChart_->archiveCurrentRun(tr("run %1").arg(runNumber_));
  errorChart_->setRun(curves, s.stages);
  architecturePanel_->setStages(s.stages);
  architecturePanel_->setArchitecture(s.architecture.groupChannels, s.architecture.levelClear, s.architecture.params);
  levelGrid_->clearReconstructions();
  refinementView_->clear();
  maskInspector_->clear();
  filterView_->clear();
  filterView_->setNote(tr("Open the model with its dataset to see its filters and codes."));
  stageLabel_->setText(tr("model %1 (without its dataset)").arg(QFileInfo(path).fileName()));
  updateRunState();
  statusBar()->showMessage(tr("Opened %1 without its dataset: architecture, stages and curves only").arg(path), 10000);
}

void MainWindow::onOpenModel()
{
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open model"), settings_.lastFolder(), tr("MrCAE models (*.mrcae.h5)"));
  if (!path.isEmpty())
  {
    openModel(path);
  }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
  if (askToSave_ && controller_->hasModel() && !controller_->modelSaved())
  {
    const auto answer = QMessageBox::question(
        this, tr("Save the model?"), tr("The trained model has not been saved. Save it before quitting?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
    {
      event->ignore();
      return;
    }
    if (answer == QMessageBox::Save)
    {
      if (controller_->isBusy())
      {
        controller_->stop();
        QEventLoop wait;
        connect(controller_, &TrainingController::runFinished, &wait, &QEventLoop::quit);
        wait.exec();
      }
      QEventLoop wait;
      connect(controller_, &TrainingController::modelSavedTo, &wait, &QEventLoop::quit);
      connect(controller_, &TrainingController::failed, &wait, &QEventLoop::quit);
      if (!onSaveModel())
      {
        event->ignore(); // the file dialog was cancelled: stay open rather than lose the model
        return;
      }
      wait.exec();
    }
  }
  settings_.setWindowGeometry(saveGeometry());
  settings_.setWindowState(saveState());
  settings_.sync();
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
  if (event->mimeData()->hasUrls())
  {
    for (const QUrl& url : event->mimeData()->urls())
    {
      const QString suffix = QFileInfo(url.toLocalFile()).suffix().toLower();
      if (suffix == "h5" || suffix == "hdf5" || suffix == "he5" || suffix == "npy" || suffix == "nc" ||
          suffix == "nc4" || suffix == "cdf")
      {
        event->acceptProposedAction();
        return;
      }
    }
  }
}

void MainWindow::dropEvent(QDropEvent* event)
{
  for (const QUrl& url : event->mimeData()->urls())
  {
    const QString f = url.toLocalFile();
    if (!f.isEmpty())
    {
      openDataset(f);
      event->acceptProposedAction();
      return;
    }
  }
}

} // namespace mrcae::app
