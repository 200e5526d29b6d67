#include "MainActions.h"

#include "ApplyModelController.h"
#include "DatasetAdapter.h"
#include "DatasetDocument.h"
#include "ErrorText.h"
#include "ExportController.h"
#include "FileKind.h"
#include "ImportDialog.h"
#include "RunLauncher.h"
#include "RunPresenter.h"
#include "RunStatus.h"
#include "Settings.h"
#include "TrainingController.h"

#include "mrcae/engine/Trainer.h"
#include "mrcae/model/ModelSummary.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QUrl>

#include <memory>

namespace mrcae::app
{

MainActions::MainActions(QMainWindow* window, Settings& settings, const Parts& parts)
  : QObject(window), window_(window), settings_(settings), parts_(parts)
{
  connect(parts_.controller, &TrainingController::stateChanged, this, &MainActions::updateActions);
  connect(parts_.controller, &TrainingController::modelSavedTo, this, [this](const QString& path) {
    settings_.setLastModel(path);
    settings_.addRecentFile(path);
    updateRecentMenu();
  });
  connect(parts_.controller, &TrainingController::modelOpened, this, [this](const QString& path) {
    settings_.setLastModel(path);
    updateActions();
  });
  connect(parts_.document, &DatasetDocument::recentFilesChanged, this, &MainActions::updateRecentMenu);
  connect(parts_.document, &DatasetDocument::datasetShown, this, &MainActions::updateActions);
}

void MainActions::buildMenus(const std::function<void()>& resetViews)
{
  QMenuBar* bar = window_->menuBar();
  QMenu* file = bar->addMenu(tr("&File"));
  file->addAction(tr("&Open Dataset…"), this, &MainActions::openDialog)->setShortcut(QKeySequence::Open);
  file->addAction(tr("&Import NetCDF / HDF5…"), this, &MainActions::importDialog);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  QMenu* generate = file->addMenu(tr("&Generate"));
  generate->addAction(tr("toy1: two oscillating modes"), this, [this] { parts_.document->generateToy("toy1", 500); });
  generate->addAction(tr("toy2: one drifting mode"), this, [this] { parts_.document->generateToy("toy2", 500); });
  file->addSeparator();
  openModelAction_ = file->addAction(tr("Open &Model…"), this, &MainActions::openModelDialog);
  saveModelAction_ = file->addAction(tr("&Save Model…"), this, [this] { saveModelAs(); });
  saveModelAction_->setShortcut(QKeySequence::Save);
  QAction* autosave = file->addAction(tr("A&utosave After Every Stage"));
  autosave->setObjectName("autosaveAction");
  autosave->setCheckable(true);
  autosave->setChecked(settings_.autosave());
  autosave->setToolTip(tr("Writes the model after every stage into %1 (atomically: a crash loses one stage at most)")
                           .arg(QDir::toNativeSeparators(RunLauncher::autosaveFolder())));
  connect(autosave, &QAction::toggled, this, [this](bool on) { settings_.setAutosave(on); });
  file->addAction(tr("A&pply Model to Dataset…"), this, [this] { applyModelToDataset({}, {}); });
  QMenu* exports = file->addMenu(tr("&Export"));
  ExportController* ex = parts_.exporter;
  exports->addAction(tr("&Figure (levels × input, reconstruction, error, map)…"), ex,
                     &ExportController::exportFigureDialog);
  exports->addAction(tr("&Curves…"), ex, &ExportController::exportCurvesDialog);
  exports->addAction(tr("&View on screen…"), ex, &ExportController::exportViewDialog);
  exports->addAction(tr("&Animation (PNG series over snapshots)…"), ex, &ExportController::exportAnimationDialog);
  exports->addSeparator();
  exports->addAction(tr("&Data (HDF5, VTK series for ParaView, CSV)…"), ex, &ExportController::exportDataDialog);
  file->addSeparator();
  file->addAction(tr("&Quit"), window_, &QWidget::close)->setShortcut(QKeySequence::Quit);

  QMenu* training = bar->addMenu(tr("&Training"));
  moreStepsAction_ = training->addAction(tr("&More Steps for the Last Stage…"), this, &MainActions::moreStepsDialog);

  QMenu* view = bar->addMenu(tr("&View"));
  for (QDockWidget* dock : window_->findChildren<QDockWidget*>())
  {
    view->addAction(dock->toggleViewAction());
  }
  view->addSeparator();
  view->addAction(tr("Reset views"), this, resetViews);

  QMenu* help = bar->addMenu(tr("&Help"));
  help->addAction(tr("&About MrCAE Studio"), this, [this] {
    QMessageBox::about(window_, tr("About MrCAE Studio"),
                       tr("<b>MrCAE Studio</b><p>Trains multiresolution convolutional autoencoders and shows them "
                          "grow level by level.</p><p>Qt %1, VTK views on the GUI thread, the engine on a worker "
                          "thread.</p>")
                           .arg(qVersion()));
  });
  updateRecentMenu();
  updateActions();
}

void MainActions::updateRecentMenu()
{
  if (!recentMenu_)
  {
    return;
  }
  recentMenu_->clear();
  const QStringList files = settings_.recentFiles();
  for (const QString& f : files)
  {
    recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] { openFile(f); })->setToolTip(f);
  }
  recentMenu_->setEnabled(!files.isEmpty());
}

void MainActions::updateActions()
{
  if (!saveModelAction_)
  {
    return;
  }
  const TrainingController* c = parts_.controller;
  saveModelAction_->setEnabled(c->hasModel() && !c->isBusy());
  openModelAction_->setEnabled(!c->isBusy());
  moreStepsAction_->setEnabled(c->hasModel() && parts_.document->trainingData() && !c->isBusy());
}

bool MainActions::openFile(const QString& path)
{
  switch (fileKind(path))
  {
  case FileKind::Model: return parts_.document->openModel(path);
  case FileKind::Import: return importFile(path, true);
  case FileKind::Dataset: break;
  }
  return parts_.document->openDataset(path);
}

void MainActions::openDialog()
{
  const QString path = QFileDialog::getOpenFileName(
      window_, tr("Open dataset"), settings_.lastFolder(),
      tr("Datasets (*.h5 *.hdf5 *.npy *.nc *.nc4 *.cdf);;MrCAE models (*.mrcae.h5);;All files (*)"));
  if (!path.isEmpty())
  {
    openFile(path);
  }
}

void MainActions::importDialog()
{
  const QString path =
      QFileDialog::getOpenFileName(window_, tr("Import"), settings_.lastFolder(),
                                   tr("NetCDF and HDF5 (*.nc *.nc4 *.cdf *.h5 *.hdf5 *.he5);;All files (*)"));
  if (!path.isEmpty())
  {
    importFile(path, false);
  }
}

bool MainActions::importFile(const QString& path, bool opened)
{
  std::unique_ptr<ImportDialog> dialog;
  try
  {
    dialog = std::make_unique<ImportDialog>(path, window_);
  }
  catch (const std::exception& e)
  {
    // Opened as a dataset: it is not of our layout either, so both ways in are named.
    parts_.presenter->report(GuiProblem::ImportFile,
                             opened ? tr("%1; nor has it the /fields group of our layout").arg(windowText(e))
                                    : windowText(e));
    return false;
  }
  if (dialog->exec() != QDialog::Accepted)
  {
    return false;
  }
  parts_.document->importWith(path, dialog->options());
  return true;
}

void MainActions::openModelDialog()
{
  const QString path =
      QFileDialog::getOpenFileName(window_, tr("Open model"), settings_.lastFolder(), tr("MrCAE models (*.mrcae.h5)"));
  if (!path.isEmpty())
  {
    parts_.document->openModel(path);
  }
}

QString MainActions::askSavePath()
{
  const auto& dataset = parts_.document->dataset();
  const QString suggested =
      settings_.lastFolder() + "/" + (dataset ? QString::fromStdString(dataset->name) : "model") + ".mrcae.h5";
  QString path = QFileDialog::getSaveFileName(window_, tr("Save model"), suggested, tr("MrCAE models (*.mrcae.h5)"));
  if (path.isEmpty())
  {
    return path;
  }
  if (!path.endsWith(".h5"))
  {
    path += ".mrcae.h5";
  }
  settings_.setLastFolder(QFileInfo(path).absolutePath());
  return path;
}

bool MainActions::saveModelAs()
{
  const QString path = askSavePath();
  if (path.isEmpty())
  {
    return false;
  }
  parts_.launcher->saveModelTo(path);
  return true;
}

QString MainActions::askForModelData(const mrcae::ModelSummary& s, const QString& problems)
{
  const QString where = s.dataPath.empty() ? tr("generated, not saved") : QString::fromStdString(s.dataPath);
  QMessageBox box(QMessageBox::Question, tr("Where is the model's dataset?"),
                  tr("The model was trained on %1 (%2 × %3 × %4, last at %5), which was not found.")
                      .arg(QString::fromStdString(s.dataName))
                      .arg(s.dataT)
                      .arg(s.dataH)
                      .arg(s.dataW)
                      .arg(where),
                  QMessageBox::NoButton, window_);
  box.setInformativeText(problems.isEmpty() ? tr("Choose its file to see reconstructions and maps, or show the "
                                                 "model's architecture and curves only.")
                                            : problems);
  QPushButton* choose = box.addButton(tr("Choose the dataset…"), QMessageBox::AcceptRole);
  box.addButton(tr("Architecture and curves only"), QMessageBox::RejectRole);
  box.exec();
  if (box.clickedButton() != choose)
  {
    return QString();
  }
  return QFileDialog::getOpenFileName(window_, tr("The model's dataset"), settings_.lastFolder(),
                                      tr("Datasets (*.h5 *.hdf5 *.npy);;All files (*)"));
}

CloseGuard::Answer MainActions::askToClose(bool running)
{
  QMessageBox box(QMessageBox::Question, tr("Save the model?"),
                  running ? tr("Training is running. Stop it and save the model before quitting?")
                          : tr("The trained model has not been saved. Save it before quitting?"),
                  QMessageBox::NoButton, window_);
  QPushButton* save = box.addButton(running ? tr("Stop and Save…") : tr("Save…"), QMessageBox::AcceptRole);
  QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
  box.addButton(QMessageBox::Cancel);
  box.setDefaultButton(save);
  box.exec();
  if (box.clickedButton() == save)
  {
    return CloseGuard::Answer::StopAndSave;
  }
  return box.clickedButton() == discard ? CloseGuard::Answer::Discard : CloseGuard::Answer::Cancel;
}

void MainActions::moreStepsDialog()
{
  const auto& steps = parts_.presenter->status()->plan().steps; // of the run or the model on screen
  bool ok = false;
  const int n = QInputDialog::getInt(window_, tr("More steps"),
                                     tr("Steps to add to the last stage (it goes on exactly where it ended):"),
                                     std::max(1, steps.empty() ? 100 : steps.back() / 10), 1, 10000000, 1, &ok);
  if (ok)
  {
    parts_.launcher->trainMoreSteps(n);
  }
}

void MainActions::exportBenchmarkDialog(const QSize& size)
{
  const QString folder =
      QFileDialog::getExistingDirectory(window_, tr("Export benchmark into folder"), settings_.lastFolder());
  if (!folder.isEmpty())
  {
    parts_.launcher->exportBenchmark(folder, size);
  }
}

void MainActions::applyModelToDataset(QString modelPath, QString dataPath)
{
  ApplyModelController* apply = parts_.applyModel;
  TrainingController* controller = parts_.controller;
  if (apply->isBusy())
  {
    return;
  }
  if (modelPath.isEmpty() && controller->hasModel())
  {
    // The model on screen, as it is now: saved to a scratch file the apply window reads.
    modelPath = apply->scratchModelPath();
    QString error;
    const bool idle = controller->inspect([&](const mrcae::Trainer* t) {
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
      parts_.presenter->report(GuiProblem::ApplyModelBusy, idle ? error : tr("Training or an export is running."));
      return;
    }
  }
  if (modelPath.isEmpty())
  {
    modelPath = QFileDialog::getOpenFileName(window_, tr("Apply which model?"), settings_.lastFolder(),
                                             tr("MrCAE models (*.mrcae.h5 *.h5)"));
  }
  if (!modelPath.isEmpty() && dataPath.isEmpty())
  {
    dataPath = QFileDialog::getOpenFileName(window_, tr("Apply the model to which dataset?"), settings_.lastFolder(),
                                            tr("Datasets (*.h5 *.hdf5 *.npy)"));
  }
  if (modelPath.isEmpty() || dataPath.isEmpty())
  {
    return;
  }
  apply->open(modelPath, dataPath, DatasetAdapter::policyFromPanel(settings_.sizePolicy()));
}

bool MainActions::acceptsDrop(const QMimeData* mime)
{
  if (!mime->hasUrls())
  {
    return false;
  }
  for (const QUrl& url : mime->urls())
  {
    const QString suffix = QFileInfo(url.toLocalFile()).suffix().toLower();
    if (suffix == "h5" || suffix == "hdf5" || suffix == "he5" || suffix == "npy" || suffix == "nc" || suffix == "nc4" ||
        suffix == "cdf")
    {
      return true;
    }
  }
  return false;
}

bool MainActions::drop(const QMimeData* mime)
{
  for (const QUrl& url : mime->urls())
  {
    const QString f = url.toLocalFile();
    if (!f.isEmpty())
    {
      openFile(f);
      return true;
    }
  }
  return false;
}

} // namespace mrcae::app
