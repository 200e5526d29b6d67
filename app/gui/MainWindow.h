#pragma once
// The main window: dataset and training panels on the left, the per-level views and refinement maps in tabs
// with the error curves under them, the architecture panel on the right, progress in the status bar. It wires
// the widgets to the TrainingController; every engine call goes through the controller's worker thread.

#include "BenchmarkController.h"
#include "Settings.h"
#include "TrainingController.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>

#include <functional>
#include <memory>

class QLabel;
class QMenu;
class QTabWidget;

namespace mrcae
{
struct ModelSummary;
struct ImportOptions;
} // namespace mrcae

namespace mrcae::widgets
{
struct DatasetSummary;
class ArchitecturePanel;
class BenchmarkPanel;
class DatasetPanel;
class ErrorChart;
class FilterView;
class MaskInspector;
class LevelGrid;
class RefinementView;
class TrainingPanel;
} // namespace mrcae::widgets

namespace mrcae::app
{

class ApplyModelController;
class ErrorReporter;
class ExportController;
class OnDemandDataset;

class MainWindow : public QMainWindow
{
  Q_OBJECT

public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens an HDF5 or .npy dataset; errors go to the error dialog. True on success.
  bool openDataset(const QString& path);
  /// File → Import: the import dialog for a NetCDF or HDF5 file of another layout (false when cancelled).
  bool importFile(const QString& path);
  /// Imports without the dialog, on a background thread; datasetImported or the error dialog follows.
  void importWith(const QString& path, const mrcae::ImportOptions& options);
  /// Generates toy1 or toy2 with `snapshots` snapshots.
  bool generateToy(const QString& name, int snapshots = 500);
  /// Shows `dataset` as the current dataset (`origin` for the status bar).
  void setDataset(mrcae::Dataset dataset, const QString& origin);
  /// At start: the last dataset if it still exists, else the bundled toy1 (generated when missing).
  void loadStartupDataset();
  /// What Train does: checks the settings, conforms the data and starts the run.
  void startTraining();
  void saveModelTo(const QString& path);
  /// Gives the last stage more steps and trains on (Training → More Steps).
  void trainMoreSteps(int extraSteps);
  /// What the Benchmark tab's Run does: the chosen methods, one after the other, with the Training panel's
  /// settings on the current dataset. Not while training runs (and training waits for the benchmark).
  void startBenchmark(const std::vector<mrcae::Method>& methods);
  /// Writes the benchmark's figures (`size` pixels) and table into `folder`; errors go to the error dialog.
  bool exportBenchmark(const QString& folder, const QSize& size);
  /// Opens a saved run: with its dataset (the one on screen, the stored path, a file of that name beside the
  /// model, or one the user picks) it can be inspected, exported and resumed; without, it shows its architecture,
  /// stages and curves. False when the file cannot be read as a model (after the dialog).
  bool openModel(const QString& path);
  /// Replaces the "where is the dataset?" dialog (tests): gets the model's summary and what was tried, returns a
  /// path or "" for "architecture and curves only".
  using DatasetChooser = std::function<QString(const mrcae::ModelSummary&, const QString& problems)>;
  void setDatasetChooser(DatasetChooser chooser) { datasetChooser_ = std::move(chooser); }

  /// File → Apply Model to Dataset…: a saved model applied to a second dataset in a window of its own (level
  /// views, error maps, the error of every snapshot over time). `modelPath` empty: the model on screen (saved to
  /// a scratch file), or without one a model file the user picks; `dataPath` empty: the user picks it. The
  /// Dataset panel's crop / pad choice applies. Errors go to the error dialog.
  void applyModelToDataset(QString modelPath = {}, QString dataPath = {});
  ApplyModelController* applyModelController() const { return applyModel_; }

  /// Where runs are saved after every stage when File → Autosave is on.
  static QString autosaveFolder();
  /// Off: closing with an unsaved model does not ask (tests, --measure).
  void setAskToSaveOnClose(bool ask) { askToSave_ = ask; }

  TrainingController* controller() const { return controller_; }
  BenchmarkController* benchmarkController() const { return benchmark_; }
  mrcae::widgets::BenchmarkPanel* benchmarkPanel() const { return benchmarkPanel_; }
  ErrorReporter* errorReporter() const { return errors_; }
  ExportController* exporter() const { return exporter_; }
  mrcae::widgets::DatasetPanel* datasetPanel() const { return datasetPanel_; }
  mrcae::widgets::TrainingPanel* trainingPanel() const { return trainingPanel_; }
  mrcae::widgets::LevelGrid* levelGrid() const { return levelGrid_; }
  mrcae::widgets::RefinementView* refinementView() const { return refinementView_; }
  mrcae::widgets::ErrorChart* errorChart() const { return errorChart_; }
  mrcae::widgets::MaskInspector* maskInspector() const { return maskInspector_; }
  mrcae::widgets::FilterView* filterView() const { return filterView_; }
  mrcae::widgets::ArchitecturePanel* architecturePanel() const { return architecturePanel_; }
  QTabWidget* viewTabs() const { return viewTabs_; }
  /// The status bar's fields joined with " | ".
  QString statusText() const;
  const mrcae::Dataset* dataset() const { return dataset_.get(); }
  /// The dataset shown one snapshot at a time because it is too large to load; null otherwise.
  const OnDemandDataset* onDemandDataset() const { return onDemand_.get(); }
  /// Files whose full load would take more than `bytes` are browsed on demand (tests); negative: half the
  /// memory available when the file is opened (the default).
  void setOnDemandLimit(qint64 bytes) { onDemandLimit_ = bytes; }
  /// The conformed copy the current or last run trains on.
  const mrcae::Dataset* trainingDataset() const { return trainingData_.get(); }

Q_SIGNALS:
  /// An import finished and its dataset is on screen.
  void datasetImported(const QString& path);

protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void buildViews();
  void buildMenus();
  void buildStatusBar();
  void restoreLayout();
  void updateRecentMenu();
  void updateActions();
  void updateRunState();
  QString validate(const mrcae::TrainingConfig& config) const;
  /// The current dataset fitted to `config.levels` (crop or pad as chosen under Dataset); null after reporting
  /// why it does not fit.
  std::shared_ptr<const mrcae::Dataset> dataFor(const mrcae::TrainingConfig& config);
  void showTime(int index);
  /// Shows a file too large to load, read one snapshot at a time (see OnDemandDataset).
  void browseDataset(const std::shared_ptr<OnDemandDataset>& browsed);
  /// Shows a new dataset's summary and prepares the views for it (not the training's own while it runs).
  void presentDataset(const mrcae::widgets::DatasetSummary& summary);
  /// A snapshot of the on-demand dataset could not be read: one dialog per opened file.
  void reportOnDemandFailure(const QString& reason);
  /// Why an on-demand dataset cannot be trained on, and what to do.
  QString onDemandTrainingNote() const;
  mrcae::Map2D nativeFrame(int index) const;

  void onOpen();
  /// Asks for a path and saves; false when the dialog was cancelled.
  bool onSaveModel();
  void onOpenModel();
  void onStageStarted(int stage, int level, int group, const QString& op, int maxSteps);
  void onStepsDone(const std::vector<mrcae::StepRecord>& steps);
  /// Draws the steps received since the last call (curves and status bar), at most ~4 times a second.
  void flushSteps();
  void onStageFinished(const mrcae::StageRecord& record, const mrcae::ArchitectureInfo& architecture);
  void onSnapshot(const mrcae::Snapshot& snapshot);
  void onRunFinished(bool scheduleDone);
  /// Tells the controller where this run autosaves (a new file in autosaveFolder(), or nowhere when off).
  void prepareAutosave();
  QString askForModelData(const mrcae::ModelSummary& summary, const QStringList& problems);
  void showModelWithoutData(const QString& path, const mrcae::ModelSummary& summary);
  /// Asks the trainer for the Filters tab's kernels and codes (when idle; a note otherwise).
  void requestFilters();
  void onFailed(const QString& message, Failure kind);

  Settings settings_;
  TrainingController* controller_ = nullptr;
  BenchmarkController* benchmark_ = nullptr;
  mrcae::widgets::BenchmarkPanel* benchmarkPanel_ = nullptr;
  ErrorReporter* errors_ = nullptr;
  ExportController* exporter_ = nullptr;
  ApplyModelController* applyModel_ = nullptr;
  QMenu* exportMenu_ = nullptr;
  mrcae::widgets::DatasetPanel* datasetPanel_ = nullptr;
  mrcae::widgets::TrainingPanel* trainingPanel_ = nullptr;
  mrcae::widgets::LevelGrid* levelGrid_ = nullptr;
  mrcae::widgets::RefinementView* refinementView_ = nullptr;
  mrcae::widgets::ErrorChart* errorChart_ = nullptr;
  mrcae::widgets::MaskInspector* maskInspector_ = nullptr;
  mrcae::widgets::FilterView* filterView_ = nullptr;
  mrcae::widgets::ArchitecturePanel* architecturePanel_ = nullptr;
  QTabWidget* viewTabs_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QAction* saveModelAction_ = nullptr;
  QAction* openModelAction_ = nullptr;
  QAction* moreStepsAction_ = nullptr;
  QLabel* stageLabel_ = nullptr;
  QLabel* stepLabel_ = nullptr;
  QLabel* lossLabel_ = nullptr;
  QLabel* rateLabel_ = nullptr;
  QLabel* etaLabel_ = nullptr;
  QLabel* deviceLabel_ = nullptr;

  std::shared_ptr<const mrcae::Dataset> dataset_;
  std::shared_ptr<OnDemandDataset> onDemand_; // instead of dataset_ for a file too large to load
  qint64 onDemandLimit_ = -1;
  bool onDemandFailureReported_ = false;
  std::shared_ptr<const mrcae::Dataset> trainingData_;
  mrcae::TrainingConfig runConfig_;
  mrcae::TrainingConfig openedConfig_; ///< of the model being opened, until the worker has read it
  int runNumber_ = 0;
  int plannedStages_ = 0;
  int currentStage_ = -1;
  int currentLevel_ = 0;
  int currentMaxSteps_ = 0;
  int lastStep_ = 0;
  long long stepsThisRun_ = 0;
  QElapsedTimer rateClock_;
  long long rateSteps_ = 0;
  double stepsPerSecond_ = 0.0;
  bool divergenceReported_ = false;
  bool askToSave_ = true;
  std::vector<mrcae::StepRecord> pendingSteps_;
  DatasetChooser datasetChooser_;
  QTimer stepTimer_; ///< every repaint recomposes the whole window on software GL: batch them
};

} // namespace mrcae::app
