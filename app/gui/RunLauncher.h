#pragma once
// Starts what the panels ask for: training (Train, Resume, More Steps), the benchmark, saving the model, with
// the Training panel's settings on the data on screen. It checks the settings first and names what is wrong as
// a GuiProblem; the run itself goes to the controllers.

#include "GuiProblem.h"

#include "mrcae/model/Names.h"
#include "mrcae/model/TrainingConfig.h"

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <vector>

namespace mrcae::widgets
{
class BenchmarkPanel;
class DatasetPanel;
class TrainingPanel;
} // namespace mrcae::widgets

namespace mrcae::app
{

class BenchmarkController;
class DatasetDocument;
class RunPresenter;
class Settings;
class TrainingController;

class RunLauncher : public QObject
{
  Q_OBJECT

public:
  struct Panels
  {
    mrcae::widgets::TrainingPanel* training = nullptr;
    mrcae::widgets::DatasetPanel* dataset = nullptr;
    mrcae::widgets::BenchmarkPanel* benchmark = nullptr;
  };

  RunLauncher(Settings& settings, const Panels& panels, TrainingController* controller, BenchmarkController* benchmark,
              DatasetDocument* document, RunPresenter* presenter, QObject* parent = nullptr);

  /// What Train does: checks the settings, conforms the data and starts the run.
  void startTraining();
  /// Continues a paused run, or the rest of the schedule of a stopped one.
  void resume();
  /// Gives the last stage more steps and trains on (Training → More Steps).
  void trainMoreSteps(int extraSteps);
  /// The chosen methods, one after the other, with the Training panel's settings on the current dataset.
  void startBenchmark(const std::vector<mrcae::Method>& methods);
  /// Writes the benchmark's figures (`size` pixels) and table into `folder`; false after the dialog.
  bool exportBenchmark(const QString& folder, const QSize& size);
  void saveModelTo(const QString& path);
  /// The Training panel's check: the engine's reason for refusing `config`, or the dataset's size.
  QString validate(const mrcae::TrainingConfig& config) const;
  /// Where runs are saved after every stage when File → Autosave is on.
  static QString autosaveFolder();

private:
  /// Tells the controller where this run autosaves (a new file in autosaveFolder(), or nowhere when off).
  void prepareAutosave();

  Settings& settings_;
  Panels panels_;
  TrainingController* controller_;
  BenchmarkController* benchmark_;
  DatasetDocument* document_;
  RunPresenter* presenter_;
};

} // namespace mrcae::app
