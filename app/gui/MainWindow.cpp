#include "MainWindow.h"

#include "ArchitecturePanel.h"
#include "BenchmarkPanel.h"
#include "DatasetPanel.h"
#include "ErrorChart.h"
#include "FilterView.h"
#include "LevelGrid.h"
#include "MaskInspector.h"
#include "RefinementView.h"
#include "TimeSlider.h"
#include "TrainingPanel.h"

#include "ApplyModelController.h"
#include "BenchmarkController.h"
#include "CloseGuard.h"
#include "DatasetDocument.h"
#include "ErrorReporter.h"
#include "ExportController.h"
#include "MainActions.h"
#include "RunLauncher.h"
#include "RunPresenter.h"
#include "RunStatus.h"
#include "TrainingController.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QVBoxLayout>

namespace mrcae::app
{

using mrcae::widgets::TrainingPanel;

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
  setObjectName("mainWindow");
  setWindowTitle(tr("MrCAE Studio"));
  setAcceptDrops(true);
  setDockNestingEnabled(true);
  controller_ = new TrainingController(this);
  benchmark_ = new BenchmarkController(this);
  applyModel_ = new ApplyModelController(this);
  errors_ = new ErrorReporter(this);
  document_ = new DatasetDocument(settings_, controller_, this);
  buildViews();
  buildDocks();

  RunPresenter::Views views;
  views.levels = levelGrid_;
  views.refinement = refinementView_;
  views.inspector = maskInspector_;
  views.filters = filterView_;
  views.curves = errorChart_;
  views.architecture = architecturePanel_;
  views.training = trainingPanel_;
  views.benchmark = benchmarkPanel_;
  views.dataset = datasetPanel_;
  views.tabs = viewTabs_;
  views.statusBar = statusBar();
  presenter_ = new RunPresenter(views, controller_, benchmark_, document_, errors_, this);
  launcher_ = new RunLauncher(settings_, {trainingPanel_, datasetPanel_, benchmarkPanel_}, controller_, benchmark_,
                              document_, presenter_, this);
  exporter_ = new ExportController(
      this, controller_, [this](GuiProblem problem, const QString& what) { presenter_->report(problem, what); },
      settings_, [this] { return datasetPanel_->timeSlider()->index(); },
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
  actions_ = new MainActions(this, settings_, {document_, launcher_, presenter_, exporter_, controller_, applyModel_});
  actions_->buildMenus([this] {
    levelGrid_->resetViews();
    refinementView_->resetViews();
  });
  setDatasetChooser({});
  closeGuard_ = new CloseGuard(
      this, controller_, [this](bool running) { return actions_->askToClose(running); },
      [this] { return actions_->askSavePath(); });
  connectPanels();
  restoreLayout();
  presenter_->updateRunState();
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
}

void MainWindow::buildDocks()
{
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
}

void MainWindow::connectPanels()
{
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
  trainingPanel_->setValidator([this](const mrcae::TrainingConfig& c) { return launcher_->validate(c); });
  trainingPanel_->selectPreset(settings_.preset());
  datasetPanel_->setSizePolicy(settings_.sizePolicy());
  datasetPanel_->setRequiredLevels(trainingPanel_->config().levels);

  connect(trainingPanel_, &TrainingPanel::trainRequested, launcher_, &RunLauncher::startTraining);
  connect(trainingPanel_, &TrainingPanel::pauseRequested, controller_, &TrainingController::pause);
  connect(trainingPanel_, &TrainingPanel::stopRequested, controller_, &TrainingController::stop);
  connect(trainingPanel_, &TrainingPanel::resumeRequested, launcher_, &RunLauncher::resume);
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
  connect(benchmarkPanel_, &mrcae::widgets::BenchmarkPanel::runRequested, launcher_, &RunLauncher::startBenchmark);
  connect(benchmarkPanel_, &mrcae::widgets::BenchmarkPanel::stopRequested, benchmark_, &BenchmarkController::stop);
  connect(benchmarkPanel_, &mrcae::widgets::BenchmarkPanel::exportRequested, this,
          [this] { actions_->exportBenchmarkDialog(benchmarkPanel_->exportSize()); });
  connect(applyModel_, &ApplyModelController::failed, presenter_,
          [this](const QString& message) { presenter_->report(GuiProblem::ApplyModel, message); });
  connect(exporter_, &ExportController::finished, presenter_, [this](const QString& error, const QString& message) {
    if (error.isEmpty())
    {
      presenter_->showMessage(message, 10000);
    }
  });
  connect(document_, &DatasetDocument::datasetImported, this, &MainWindow::datasetImported);
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

bool MainWindow::openDataset(const QString& path)
{
  return actions_->openFile(path);
}

bool MainWindow::importFile(const QString& path)
{
  return actions_->importFile(path);
}

void MainWindow::importWith(const QString& path, const mrcae::ImportOptions& options)
{
  document_->importWith(path, options);
}

bool MainWindow::generateToy(const QString& name, int snapshots)
{
  return document_->generateToy(name, snapshots);
}

void MainWindow::setDataset(mrcae::Dataset dataset, const QString& origin)
{
  document_->setDataset(std::move(dataset), origin);
}

void MainWindow::loadStartupDataset()
{
  if (document_->loadStartupDataset())
  {
    trainingPanel_->selectPreset("toy1"); // the sample's own settings
  }
}

bool MainWindow::openModel(const QString& path)
{
  return document_->openModel(path);
}

void MainWindow::setDatasetChooser(DatasetChooser chooser)
{
  document_->setDatasetChooser(chooser ? std::move(chooser)
                                       : [this](const mrcae::ModelSummary& summary, const QString& problems) {
                                           return actions_->askForModelData(summary, problems);
                                         });
}

void MainWindow::startTraining()
{
  launcher_->startTraining();
}

void MainWindow::saveModelTo(const QString& path)
{
  launcher_->saveModelTo(path);
}

void MainWindow::trainMoreSteps(int extraSteps)
{
  launcher_->trainMoreSteps(extraSteps);
}

void MainWindow::startBenchmark(const std::vector<mrcae::Method>& methods)
{
  launcher_->startBenchmark(methods);
}

bool MainWindow::exportBenchmark(const QString& folder, const QSize& size)
{
  return launcher_->exportBenchmark(folder, size);
}

void MainWindow::applyModelToDataset(QString modelPath, QString dataPath)
{
  actions_->applyModelToDataset(std::move(modelPath), std::move(dataPath));
}

QString MainWindow::autosaveFolder()
{
  return RunLauncher::autosaveFolder();
}

void MainWindow::setAskToSaveOnClose(bool ask)
{
  closeGuard_->setAsk(ask);
}

void MainWindow::setOnDemandLimit(qint64 bytes)
{
  document_->setOnDemandLimit(bytes);
}

QString MainWindow::statusText() const
{
  return presenter_->status()->text();
}

const mrcae::Dataset* MainWindow::dataset() const
{
  return document_->dataset().get();
}

const OnDemandDataset* MainWindow::onDemandDataset() const
{
  return document_->onDemand();
}

const mrcae::Dataset* MainWindow::trainingDataset() const
{
  return document_->trainingData().get();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
  if (!closeGuard_->mayClose())
  {
    event->ignore();
    return;
  }
  settings_.setWindowGeometry(saveGeometry());
  settings_.setWindowState(saveState());
  settings_.sync();
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
  if (MainActions::acceptsDrop(event->mimeData()))
  {
    event->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* event)
{
  if (actions_->drop(event->mimeData()))
  {
    event->acceptProposedAction();
  }
}

} // namespace mrcae::app
