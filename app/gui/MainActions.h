#pragma once
// The window's menus, shortcuts and file dialogs: File (open, import, recent files, generate, models, autosave,
// apply, export), Training, View and Help, and the questions they ask (which file, which model's dataset). The
// work behind them is the document's, the launcher's, the exporter's and the apply window's.

#include "CloseGuard.h"

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>

class QAction;
class QMainWindow;
class QMenu;
class QMimeData;

namespace mrcae
{
struct ImportOptions;
struct ModelSummary;
} // namespace mrcae

namespace mrcae::app
{

class ApplyModelController;
class DatasetDocument;
class ExportController;
class RunLauncher;
class RunPresenter;
class Settings;
class TrainingController;

class MainActions : public QObject
{
  Q_OBJECT

public:
  struct Parts
  {
    DatasetDocument* document = nullptr;
    RunLauncher* launcher = nullptr;
    RunPresenter* presenter = nullptr;
    ExportController* exporter = nullptr;
    TrainingController* controller = nullptr;
    ApplyModelController* applyModel = nullptr;
  };

  MainActions(QMainWindow* window, Settings& settings, const Parts& parts);

  /// Fills the menu bar; `resetViews` is View → Reset views.
  void buildMenus(const std::function<void()>& resetViews);

  /// Opens any file the window takes: a model, a dataset of our layout, or a file to import (with its dialog).
  bool openFile(const QString& path);
  /// File → Import: the import dialog for a NetCDF or HDF5 file of another layout (false when cancelled);
  /// `opened`: the file came through File → Open (or a drop), as a dataset.
  bool importFile(const QString& path, bool opened = false);
  /// File → Save Model: asks for a path and saves; false when the dialog was cancelled.
  bool saveModelAs();
  /// Asks where to save the model ("" when cancelled).
  QString askSavePath();
  /// The question on closing with a run going or a model not saved.
  CloseGuard::Answer askToClose(bool running);
  /// The "where is the model's dataset?" question: a path, or "" for "architecture and curves only".
  QString askForModelData(const mrcae::ModelSummary& summary, const QString& problems);
  /// File → Apply Model to Dataset…: a saved model (by default the one on screen) applied to a second dataset.
  void applyModelToDataset(QString modelPath, QString dataPath);
  /// The Benchmark tab's Export: asks for a folder and writes the figures (`size` pixels) and the table.
  void exportBenchmarkDialog(const QSize& size);
  /// True when a drag carries a file the window opens.
  static bool acceptsDrop(const QMimeData* mime);
  /// Opens the first file of a drop; false when it carries none.
  bool drop(const QMimeData* mime);

private:
  void updateActions();
  void updateRecentMenu();
  void openDialog();
  void openModelDialog();
  void importDialog();
  void moreStepsDialog();

  QMainWindow* window_;
  Settings& settings_;
  Parts parts_;
  QMenu* recentMenu_ = nullptr;
  QAction* saveModelAction_ = nullptr;
  QAction* openModelAction_ = nullptr;
  QAction* moreStepsAction_ = nullptr;
};

} // namespace mrcae::app
