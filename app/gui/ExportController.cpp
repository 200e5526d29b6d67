#include "ExportController.h"

#include "ExportDialog.h"
#include "FieldGrid.h"
#include "Settings.h"
#include "TrainingController.h"

#include "mrcae/engine/Exporter.h"
#include "mrcae/engine/Trainer.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QProgressDialog>
#include <QWidget>

namespace mrcae::app
{

using widgets::ExportDialog;

ExportController::ExportController(QWidget* window, TrainingController* controller, Report report, Settings& settings,
                                   std::function<int()> currentIndex, std::function<widgets::FieldGrid*()> currentView)
  : QObject(window), window_(window), controller_(controller), report_(std::move(report)), settings_(settings),
    currentIndex_(std::move(currentIndex)), currentView_(std::move(currentView))
{
  connect(controller_, &TrainingController::jobProgress, this, [this](int done, int total) {
    if (progress_)
    {
      progress_->setMaximum(total);
      progress_->setValue(done);
    }
  });
  connect(controller_, &TrainingController::jobFinished, this, [this](const QString& error) {
    if (progress_)
    {
      progress_->close();
      progress_->deleteLater();
    }
    if (!error.isEmpty())
    {
      report_(GuiProblem::ExportFailed, error);
    }
    Q_EMIT finished(error, error.isEmpty() ? pendingMessage_ : QString());
  });
}

bool ExportController::busy() const
{
  return controller_->jobRunning();
}

bool ExportController::ready() const
{
  if (!controller_->hasModel())
  {
    report_(GuiProblem::NothingToExport, tr("There is no trained model yet."));
    return false;
  }
  if (controller_->isBusy())
  {
    report_(GuiProblem::ExportBusy, tr("Training or another export is running."));
    return false;
  }
  return true;
}

bool ExportController::start(const TrainerJob& job, const QString& message, bool withProgress)
{
  if (!ready())
  {
    return false;
  }
  pendingMessage_ = message;
  if (withProgress)
  {
    progress_ = new QProgressDialog(tr("Writing frames…"), tr("Stop"), 0, 0, window_);
    progress_->setObjectName("exportProgress");
    progress_->setWindowModality(Qt::WindowModal);
    progress_->setMinimumDuration(300);
    connect(progress_, &QProgressDialog::canceled, controller_, &TrainingController::cancelJob);
  }
  return controller_->runJob(job);
}

bool ExportController::exportFigure(const QString& path, const FigureRequest& request, int index)
{
  return start([path, request, index](const mrcae::Trainer& t,
                                      const auto&) { return FigureExport::write(t, index, path, request); },
               tr("Figure written to %1").arg(path), false);
}

bool ExportController::exportAnimation(const QString& folder, const std::vector<int>& indices,
                                       const FigureRequest& request)
{
  const QString stem = QStringLiteral("frame");
  return start(
      [folder, indices, request, stem](const mrcae::Trainer& t, const auto& progress) {
        return FigureExport::writeSeries(t, indices, folder, stem, request, progress);
      },
      tr("%1 frames written to %2 (frame_0000.png, …)").arg(indices.size()).arg(folder), true);
}

bool ExportController::exportData(const QString& path, const QString& format)
{
  const std::string out = path.toStdString();
  TrainerJob job;
  QString message;
  if (format == "h5")
  {
    job = [out](const mrcae::Trainer& t, const auto&) {
      mrcae::exportHdf5(t, mrcae::parseSnapshotSelection(t, "test"), out);
      return QString();
    };
    message = tr("Reconstructions, codes, maps and errors of the test snapshots written to %1").arg(path);
  }
  else if (format == "vti")
  {
    job = [out](const mrcae::Trainer& t, const auto&) {
      const std::string name = t.dataset().name + "_L" + std::to_string(t.trainedLevel());
      mrcae::exportVtkSeries(t, mrcae::parseSnapshotSelection(t, "all"), t.trainedLevel(), out, name);
      return QString();
    };
    message = tr("VTK image series written to %1: open the .pvd in ParaView").arg(path);
  }
  else
  {
    job = [out](const mrcae::Trainer& t, const auto&) {
      mrcae::exportCsv(t, out);
      return QString();
    };
    message = tr("curves.csv and stages.csv written to %1").arg(path);
  }
  return start(job, message, false);
}

QString ExportController::exportView(const QString& path, const QSize& size, double textScale)
{
  widgets::FieldGrid* view = currentView_();
  if (!view)
  {
    return tr("this tab has no field view to export: use Export Figure or Export Curves");
  }
  const QImage image = view->renderImage(size, textScale);
  if (image.isNull() || !image.save(path, "PNG"))
  {
    return tr("could not write %1").arg(path);
  }
  return QString();
}

QString ExportController::askPath(const QString& title, const QString& suggestedName, const QString& filter)
{
  const QString path =
      QFileDialog::getSaveFileName(window_, title, settings_.lastFolder() + "/" + suggestedName, filter);
  if (!path.isEmpty())
  {
    settings_.setLastFolder(QFileInfo(path).absolutePath());
  }
  return path;
}

namespace
{

/// The figure's size at scale 1 for a trainer, asked on the training thread (a snapshot's levels decide it).
QSize naturalSize(TrainingController* controller, const FigureRequest& request)
{
  QSize size(1200, 900);
  controller->inspect([&](const mrcae::Trainer* t) {
    if (t && t->trainedLevel() >= 0)
    {
      FigureRequest unit = request;
      unit.size = QSize();
      unit.scale = 1.0;
      size = FigureExport::pixelSize(*t, unit);
    }
  });
  return size;
}

FigureRequest requestFrom(const ExportDialog::Choice& c, FigureRequest::What what)
{
  FigureRequest r;
  r.what = what;
  r.withCurves = c.withCurves;
  r.size = c.size;
  r.scale = c.scale;
  return r;
}

} // namespace

void ExportController::exportFigureDialog()
{
  if (!ready())
  {
    return;
  }
  FigureRequest base;
  ExportDialog dialog(ExportDialog::Kind::Figure, naturalSize(controller_, base), 0, window_);
  if (dialog.exec() != QDialog::Accepted)
  {
    return;
  }
  const QString path = askPath(tr("Export figure"), QStringLiteral("figure.png"),
                               tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
  if (!path.isEmpty())
  {
    exportFigure(path, requestFrom(dialog.choice(), FigureRequest::What::Figure), currentIndex_());
  }
}

void ExportController::exportCurvesDialog()
{
  if (!ready())
  {
    return;
  }
  FigureRequest base;
  base.what = FigureRequest::What::Curves;
  ExportDialog dialog(ExportDialog::Kind::Curves, naturalSize(controller_, base), 0, window_);
  if (dialog.exec() != QDialog::Accepted)
  {
    return;
  }
  const QString path = askPath(tr("Export curves"), QStringLiteral("curves.svg"),
                               tr("SVG drawing (*.svg);;PDF document (*.pdf);;PNG image (*.png)"));
  if (!path.isEmpty())
  {
    exportFigure(path, requestFrom(dialog.choice(), FigureRequest::What::Curves), currentIndex_());
  }
}

void ExportController::exportViewDialog()
{
  widgets::FieldGrid* view = currentView_();
  if (!view)
  {
    report_(GuiProblem::NoViewToExport, tr("The visible tab has no field view."));
    return;
  }
  ExportDialog dialog(ExportDialog::Kind::View, view->size() * view->devicePixelRatioF(), 0, window_);
  if (dialog.exec() != QDialog::Accepted)
  {
    return;
  }
  const QString path = askPath(tr("Export view"), QStringLiteral("view.png"), tr("PNG image (*.png)"));
  if (path.isEmpty())
  {
    return;
  }
  const ExportDialog::Choice c = dialog.choice();
  // Text grows with the scale; with exact pixels, with the ratio of the new width to the view's.
  const double textScale = c.size.isValid() ? double(c.size.width()) / view->width() : c.scale;
  const QString error = exportView(path, dialog.pixelSize(), textScale);
  if (!error.isEmpty())
  {
    report_(GuiProblem::ExportFailed, error);
  }
  Q_EMIT finished(error, error.isEmpty() ? tr("View written to %1").arg(path) : QString());
}

void ExportController::exportAnimationDialog()
{
  if (!ready())
  {
    return;
  }
  int snapshots = 0;
  controller_->inspect([&](const mrcae::Trainer* t) { snapshots = t ? t->dataset().field.t : 0; });
  FigureRequest base;
  base.withCurves = false;
  ExportDialog dialog(ExportDialog::Kind::Animation, naturalSize(controller_, base), snapshots, window_);
  if (dialog.exec() != QDialog::Accepted)
  {
    return;
  }
  const QString folder =
      QFileDialog::getExistingDirectory(window_, tr("Export animation into folder"), settings_.lastFolder());
  if (folder.isEmpty())
  {
    return;
  }
  const ExportDialog::Choice c = dialog.choice();
  std::vector<int> indices;
  for (int i = c.first; i <= c.last; i += c.every)
  {
    indices.push_back(i);
  }
  exportAnimation(folder, indices, requestFrom(c, FigureRequest::What::Figure));
}

void ExportController::exportDataDialog()
{
  if (!ready())
  {
    return;
  }
  QString filter;
  const QString path = QFileDialog::getSaveFileName(
      window_, tr("Export data"), settings_.lastFolder() + "/export.h5",
      tr("HDF5: reconstructions, codes, maps of the test snapshots (*.h5);;"
         "VTK image series for ParaView, a folder (*.pvd);;CSV curves and stages, a folder (*.csv)"),
      &filter);
  if (path.isEmpty())
  {
    return;
  }
  settings_.setLastFolder(QFileInfo(path).absolutePath());
  const QString format = filter.contains("*.pvd") ? "vti" : filter.contains("*.csv") ? "csv" : "h5";
  // The folder formats use the chosen name, without its extension, as the folder.
  const QString out = format == "h5" ? path : QFileInfo(path).absolutePath() + "/" + QFileInfo(path).completeBaseName();
  exportData(out, format);
}

} // namespace mrcae::app
