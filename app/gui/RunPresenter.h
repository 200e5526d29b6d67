#pragma once
// Turns what happens into what the window shows: the trainer's progress (stages, steps, snapshots, the end of a
// run) into the views, the curves and the status bar; the benchmark's progress into its tab; a new dataset or
// model into the panels; and every problem into one dialog. It is the one place that phrases the window's
// errors (report); the other parts name a GuiProblem and say what happened.

#include "GuiProblem.h"
#include "TrainingMetaTypes.h"

#include "DatasetSummary.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

class QStatusBar;
class QTimer;
class QTabWidget;

namespace mrcae
{
struct ModelSummary;
}

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

class BenchmarkController;
class DatasetDocument;
class ErrorReporter;
class RunStatus;
class TrainingController;

class RunPresenter : public QObject
{
  Q_OBJECT

public:
  /// The widgets it fills (owned by the window).
  struct Views
  {
    mrcae::widgets::LevelGrid* levels = nullptr;
    mrcae::widgets::RefinementView* refinement = nullptr;
    mrcae::widgets::MaskInspector* inspector = nullptr;
    mrcae::widgets::FilterView* filters = nullptr;
    mrcae::widgets::ErrorChart* curves = nullptr;
    mrcae::widgets::ArchitecturePanel* architecture = nullptr;
    mrcae::widgets::TrainingPanel* training = nullptr;
    mrcae::widgets::BenchmarkPanel* benchmark = nullptr;
    mrcae::widgets::DatasetPanel* dataset = nullptr;
    QTabWidget* tabs = nullptr;
    QStatusBar* statusBar = nullptr;
  };

  RunPresenter(const Views& views, TrainingController* controller, BenchmarkController* benchmark,
               DatasetDocument* document, ErrorReporter* errors, QObject* parent = nullptr);

  /// Shows one dialog for `problem`: its title, `what` happened, and what the user can do (`advice` when the
  /// error itself knows better, e.g. an InputError naming the control to change; else the kind's advice).
  void report(mrcae::app::GuiProblem problem, const QString& what, const QString& advice = QString());
  /// The buttons, panels and status that follow the state of training and of the benchmark.
  void updateRunState();
  /// The views show snapshot `index` of the data on screen (and the model's reconstructions of it).
  void showTime(int index);
  /// A run of `config` starts: the curves, tables and views are cleared for it.
  void runStarting(const mrcae::TrainingConfig& config);
  /// A temporary message in the status bar.
  void showMessage(const QString& message, int milliseconds = 8000);
  RunStatus* status() const { return status_; }

private:
  void presentDataset(const mrcae::widgets::DatasetSummary& summary, const QString& note);
  void onStageStarted(int stage, int level, int group, const QString& op, int maxSteps);
  /// Collects a live update; drawn by present() at the frame timer (at once when idle).
  void onUpdate(const mrcae::widgets::LiveSnapshotPtr& update);
  /// Draws what arrived since the last call: the steps (curves and status bar) and the newest fields (the level
  /// views, refinement maps and mask inspector), at most ~4 times a second during a run.
  void present();
  void showFields(const std::shared_ptr<const mrcae::widgets::LiveFields>& fields);
  void onStageFinished(const mrcae::StageRecord& record, const mrcae::ArchitectureInfo& architecture);
  void onRunFinished(bool scheduleDone);
  void onModelOpened(const QString& path, const std::vector<mrcae::StepRecord>& curves,
                     const std::vector<mrcae::StageRecord>& stages, const mrcae::ArchitectureInfo& architecture);
  void showModelWithoutData(const QString& path, const mrcae::ModelSummary& summary);
  /// Asks the trainer for the Filters tab's kernels and codes (when idle; a note otherwise).
  void requestFilters();
  void connectBenchmark();

  Views v_;
  TrainingController* controller_;
  BenchmarkController* benchmark_;
  DatasetDocument* document_;
  ErrorReporter* errors_;
  RunStatus* status_ = nullptr;
  int runNumber_ = 0;
  bool divergenceReported_ = false;
  std::vector<mrcae::StepRecord> pendingSteps_;
  std::shared_ptr<const mrcae::widgets::LiveFields> pendingFields_;
  /// The one timer of the live path: every repaint recomposes the whole window on software GL, so updates are
  /// drawn together at most every 250 ms.
  QTimer* frameTimer_ = nullptr;
};

} // namespace mrcae::app
