#include "ApplyModelController.h"

#include "AppliedModelPanel.h"
#include "SnapshotErrorPlot.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

#include <map>

namespace mrcae::app
{

ApplyModelController::ApplyModelController(QWidget* parentWindow) : QObject(parentWindow), parentWindow_(parentWindow)
{
  registerTrainingMetaTypes();
  qRegisterMetaType<mrcae::app::AppliedModel>();
  qRegisterMetaType<mrcae::SizePolicy>();
  thread_.setObjectName("apply-model");
  worker_ = new ApplyModelWorker;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &ApplyModelWorker::opened, this, &ApplyModelController::onOpened);
  connect(worker_, &ApplyModelWorker::snapshotReady, this, &ApplyModelController::onSnapshot);
  connect(worker_, &ApplyModelWorker::failed, this, [this](const QString& message) {
    busy_ = false;
    snapshotInFlight_ = false;
    if (panel_)
    {
      panel_->setBusy(false, tr("Failed: %1").arg(message));
    }
    Q_EMIT failed(message);
  });
  thread_.start();
}

ApplyModelController::~ApplyModelController()
{
  thread_.quit();
  thread_.wait();
}

QString ApplyModelController::scratchModelPath() const
{
  return scratch_.filePath("model-on-screen.mrcae.h5");
}

void ApplyModelController::open(const QString& modelPath, const QString& dataPath, mrcae::SizePolicy policy)
{
  if (busy_)
  {
    return;
  }
  if (!panel_)
  {
    panel_ = new mrcae::widgets::AppliedModelPanel(parentWindow_, Qt::Window);
    panel_->setObjectName("appliedModelWindow");
    panel_->resize(1000, 800);
    connect(panel_, &mrcae::widgets::AppliedModelPanel::snapshotRequested, this,
            &ApplyModelController::requestSnapshot);
    connect(panel_, &mrcae::widgets::AppliedModelPanel::exportCurveRequested, this, &ApplyModelController::exportCurve);
  }
  busy_ = true;
  shown_ = -1;
  panel_->setWindowTitle(
      tr("%1 applied to %2 — MrCAE Studio").arg(QFileInfo(modelPath).fileName(), QFileInfo(dataPath).fileName()));
  panel_->setBusy(true, tr("Scoring every snapshot of %1…").arg(QFileInfo(dataPath).fileName()));
  panel_->show();
  panel_->raise();
  QMetaObject::invokeMethod(
      worker_, [w = worker_, modelPath, dataPath, policy] { w->open(modelPath, dataPath, policy); },
      Qt::QueuedConnection);
}

void ApplyModelController::onOpened(const AppliedModel& model)
{
  busy_ = false;
  model_ = model;
  panel_->setGrid(model.levels, model.height, model.width, model.valid, model.originalMax - model.originalMin,
                  model.originalMin);
  std::vector<std::vector<mrcae::widgets::SnapshotError>> curves(model.trainedLevel + 1);
  // Mean error of each part at the finest level: the window's first line says how far the model generalises.
  std::map<std::string, std::pair<double, int>> means;
  for (const auto& e : model.errors)
  {
    curves[e.level].push_back({e.snapshot, QString::fromStdString(model.parts[e.snapshot]), e.errors.global});
    if (e.level == model.trainedLevel)
    {
      auto& m = means[model.parts[e.snapshot]];
      m.first += e.errors.global;
      ++m.second;
    }
  }
  QStringList summary;
  for (const char* part : {"train", "val", "test", "new"})
  {
    if (means.count(part))
    {
      const auto& m = means[part];
      summary << tr("%1: %2 snapshots, mean %3").arg(part).arg(m.second).arg(m.first / m.second, 0, 'e', 3);
    }
  }
  QString text = tr("<b>%1</b> applied to <b>%2</b>: %3 snapshots of %4 × %5, scaled with the model's range [%6, %7]"
                    "%8.<br>Global error at level %9 — %10")
                     .arg(QFileInfo(model.modelPath).fileName().toHtmlEscaped(),
                          QFileInfo(model.dataPath).fileName().toHtmlEscaped())
                     .arg(model.snapshots)
                     .arg(model.height)
                     .arg(model.width)
                     .arg(model.originalMin, 0, 'g', 6)
                     .arg(model.originalMax, 0, 'g', 6)
                     .arg(model.units.isEmpty() ? QString() : " " + model.units.toHtmlEscaped())
                     .arg(model.trainedLevel)
                     .arg(summary.join("; "));
  if (!model.note.isEmpty())
  {
    text += "<br>" + tr("Note: %1").arg(model.note.toHtmlEscaped());
  }
  panel_->setDescription(text);
  panel_->setErrors(std::move(curves));
  panel_->setSnapshotCount(model.snapshots);
  panel_->setBusy(false);
  Q_EMIT opened();
  requestSnapshot(panel_->currentSnapshot());
}

void ApplyModelController::requestSnapshot(int index)
{
  if (busy_ || model_.snapshots == 0)
  {
    return;
  }
  if (snapshotInFlight_)
  {
    pendingSnapshot_ = index; // the newest wins; the one on its way is shown first
    return;
  }
  snapshotInFlight_ = true;
  QMetaObject::invokeMethod(
      worker_, [w = worker_, index] { w->computeSnapshot(index); }, Qt::QueuedConnection);
}

void ApplyModelController::onSnapshot(const std::shared_ptr<const mrcae::widgets::LiveFields>& fields)
{
  snapshotInFlight_ = false;
  panel_->showSnapshot(fields);
  shown_ = fields ? fields->snapshotIndex : -1;
  Q_EMIT snapshotShown(shown_);
  if (pendingSnapshot_ >= 0)
  {
    const int next = pendingSnapshot_;
    pendingSnapshot_ = -1;
    if (next != shown_)
    {
      requestSnapshot(next);
    }
  }
}

void ApplyModelController::exportCurve()
{
  const QString path = QFileDialog::getSaveFileName(panel_, tr("Export the error curve"), "snapshot-errors.png",
                                                    tr("Figures (*.png *.svg *.pdf)"));
  if (path.isEmpty())
  {
    return;
  }
  const QString error = panel_->exportCurve(path, QSize(1200, 500));
  if (!error.isEmpty())
  {
    QMessageBox::warning(panel_, tr("Cannot export the curve"), error);
  }
}

} // namespace mrcae::app
