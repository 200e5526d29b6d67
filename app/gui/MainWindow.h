#pragma once
// The main window: dataset and training panels on the left, the per-level views and refinement maps in tabs
// with the error curves under them, the architecture panel on the right, progress in the status bar. It builds
// the parts and connects them, and keeps nothing but the layout: what is open is the DatasetDocument's, what
// the views show the RunPresenter's, the runs the RunLauncher's, menus and dialogs the MainActions', closing
// the CloseGuard's. Every engine call goes through the TrainingController's worker thread.

#include "BenchmarkController.h"
#include "Settings.h"
#include "TrainingController.h"

#include <QMainWindow>

#include <functional>

class QTabWidget;

namespace mrcae
{
struct Dataset;
struct ImportOptions;
struct ModelSummary;
} // namespace mrcae

namespace mrcae::widgets
{
class ArchitecturePanel;
class BenchmarkPanel;
class DatasetPanel;
class ErrorChart;
class FilterView;
class LevelGrid;
class MaskInspector;
class RefinementView;
class TrainingPanel;
} // namespace mrcae::widgets

namespace mrcae::app
{

class ApplyModelController;
class CloseGuard;
class DatasetDocument;
class ErrorReporter;
class ExportController;
class MainActions;
class OnDemandDataset;
class RunLauncher;
class RunPresenter;

class MainWindow : public QMainWindow
{
  Q_OBJECT

public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // What File and Training do (tests drive the window through these).
  /// Opens a dataset, a model or a file to import; errors go to the error dialog. True on success.
  bool openDataset(const QString& path);
  /// File → Import: the import dialog for a NetCDF or HDF5 file of another layout (false when cancelled).
  bool importFile(const QString& path);
  /// Imports without the dialog, on a background thread; datasetImported or the error dialog follows.
  void importWith(const QString& path, const mrcae::ImportOptions& options);
  /// Generates toy1 or toy2 with `snapshots` snapshots.
  bool generateToy(const QString& name, int snapshots = 500);
  /// Shows `dataset` as the current dataset (`origin` for the status bar).
  void setDataset(mrcae::Dataset dataset, const QString& origin);
  /// At start: the last dataset if it still exists (one dialog when it cannot be read), else the bundled toy1.
  void loadStartupDataset();
  /// Opens a saved run, with its dataset when it can be found; false (after the dialog) when it cannot be used.
  bool openModel(const QString& path);
  /// Replaces the "where is the model's dataset?" dialog (tests); an empty function restores it.
  using DatasetChooser = std::function<QString(const mrcae::ModelSummary&, const QString& problems)>;
  void setDatasetChooser(DatasetChooser chooser);
  void startTraining();
  void saveModelTo(const QString& path);
  void trainMoreSteps(int extraSteps);
  /// What the Benchmark tab's Run does: the chosen methods, one after the other, with the Training panel's
  /// settings on the current dataset. Not while training runs (and training waits for the benchmark).
  void startBenchmark(const std::vector<mrcae::Method>& methods);
  /// Writes the benchmark's figures (`size` pixels) and table into `folder`; errors go to the error dialog.
  bool exportBenchmark(const QString& folder, const QSize& size);
  /// File → Apply Model to Dataset…: a saved model applied to a second dataset in a window of its own (level
  /// views and the error per snapshot over time). Without paths it asks for them; without a model path it uses
  /// the model on screen (saved to a scratch file) when there is one.
  void applyModelToDataset(QString modelPath = {}, QString dataPath = {});
  /// Where runs are saved after every stage when File → Autosave is on.
  static QString autosaveFolder();
  /// Off: closing with a run going or an unsaved model does not ask (tests, --measure).
  void setAskToSaveOnClose(bool ask);
  /// Files whose full load would take more than `bytes` are browsed on demand, and a run on them keeps the
  /// process within `bytes` (--load-limit); negative: half the memory available when the file is opened, and
  /// what the machine has for the run (the default).
  void setOnDemandLimit(qint64 bytes);

  // The parts.
  TrainingController* controller() const { return controller_; }
  BenchmarkController* benchmarkController() const { return benchmark_; }
  ApplyModelController* applyModelController() const { return applyModel_; }
  ErrorReporter* errorReporter() const { return errors_; }
  ExportController* exporter() const { return exporter_; }
  DatasetDocument* document() const { return document_; }
  RunPresenter* presenter() const { return presenter_; }
  CloseGuard* closeGuard() const { return closeGuard_; }
  mrcae::widgets::BenchmarkPanel* benchmarkPanel() const { return benchmarkPanel_; }
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
  const mrcae::Dataset* dataset() const;
  /// The dataset shown one snapshot at a time because it is too large to load; null otherwise.
  const OnDemandDataset* onDemandDataset() const;
  /// The conformed copy the current or last run trains on.
  const mrcae::Dataset* trainingDataset() const;

Q_SIGNALS:
  /// An import finished and its dataset is on screen.
  void datasetImported(const QString& path);

protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void buildViews();
  void buildDocks();
  void connectPanels();
  void restoreLayout();

  Settings settings_;
  TrainingController* controller_ = nullptr;
  BenchmarkController* benchmark_ = nullptr;
  ApplyModelController* applyModel_ = nullptr;
  ErrorReporter* errors_ = nullptr;
  DatasetDocument* document_ = nullptr;
  RunPresenter* presenter_ = nullptr;
  RunLauncher* launcher_ = nullptr;
  ExportController* exporter_ = nullptr;
  MainActions* actions_ = nullptr;
  CloseGuard* closeGuard_ = nullptr;

  // The layout.
  mrcae::widgets::BenchmarkPanel* benchmarkPanel_ = nullptr;
  mrcae::widgets::DatasetPanel* datasetPanel_ = nullptr;
  mrcae::widgets::TrainingPanel* trainingPanel_ = nullptr;
  mrcae::widgets::LevelGrid* levelGrid_ = nullptr;
  mrcae::widgets::RefinementView* refinementView_ = nullptr;
  mrcae::widgets::ErrorChart* errorChart_ = nullptr;
  mrcae::widgets::MaskInspector* maskInspector_ = nullptr;
  mrcae::widgets::FilterView* filterView_ = nullptr;
  mrcae::widgets::ArchitecturePanel* architecturePanel_ = nullptr;
  QTabWidget* viewTabs_ = nullptr;
};

} // namespace mrcae::app
