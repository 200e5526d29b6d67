#pragma once
// File → Export: the paper-style figure of the current snapshot, the error curves, the view on screen rendered
// again at a chosen size, an animation (PNG series over snapshots) and the data for other tools (HDF5, VTK image
// series, CSV). Figures and data are written on the training thread from the model itself (FigureExport, core
// Exporter), so the window stays responsive; only the view export renders on the GUI thread (VTK lives there).

#include "FigureExport.h"
#include "GuiProblem.h"
#include "TrainingMetaTypes.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <vector>

class QProgressDialog;
class QWidget;

namespace mrcae::widgets
{
class FieldGrid;
}

namespace mrcae::app
{

class Settings;
class TrainingController;

class ExportController : public QObject
{
  Q_OBJECT

public:
  /// `currentIndex` gives the snapshot under the time slider; `currentView` the view of the visible tab (null when
  /// the tab has no field view).
  /// Shows a problem in the window's one error dialog (RunPresenter::report).
  using Report = std::function<void(GuiProblem problem, const QString& what)>;

  ExportController(QWidget* window, TrainingController* controller, Report report, Settings& settings,
                   std::function<int()> currentIndex, std::function<widgets::FieldGrid*()> currentView);

  // The menu actions: a dialog for the size, then a file dialog.
  void exportFigureDialog();
  void exportCurvesDialog();
  void exportViewDialog();
  void exportAnimationDialog();
  void exportDataDialog();

  // The same without dialogs (tests and scripts). Figures and data answer with finished().
  bool exportFigure(const QString& path, const FigureRequest& request, int snapshotIndex);
  bool exportAnimation(const QString& folder, const std::vector<int>& snapshotIndices, const FigureRequest& request);
  /// "h5" (fields, codes, maps of the test snapshots), "vti" (every snapshot of the highest trained level, a
  /// ParaView time series) or "csv" (curves and stages).
  bool exportData(const QString& path, const QString& format);
  /// Renders the current view at `size` pixels (text scaled by `textScale`) into a PNG; returns "" or the error.
  QString exportView(const QString& path, const QSize& size, double textScale);

  bool busy() const;

Q_SIGNALS:
  /// An export ended: `error` empty on success, `message` says what was written.
  void finished(const QString& error, const QString& message);

private:
  /// True when there is a model and nothing else runs; otherwise says why in the error dialog.
  bool ready() const;
  bool start(const TrainerJob& job, const QString& message, bool withProgress);
  QString askPath(const QString& title, const QString& suggestedName, const QString& filter);

  QWidget* window_;
  TrainingController* controller_;
  Report report_;
  Settings& settings_;
  std::function<int()> currentIndex_;
  std::function<widgets::FieldGrid*()> currentView_;
  QPointer<QProgressDialog> progress_;
  QString pendingMessage_;
};

} // namespace mrcae::app
