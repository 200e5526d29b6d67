#include "DatasetDocument.h"

#include "FieldMath.h"

#include "DatasetAdapter.h"
#include "OnDemandDataset.h"
#include "SampleData.h"
#include "Settings.h"
#include "TrainingController.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Importer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelDataset.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include <QApplication>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QStringList>
#include <QtConcurrent/QtConcurrentRun>

#include <new>
#include <optional>

namespace mrcae::app
{

DatasetDocument::DatasetDocument(Settings& settings, TrainingController* controller, QObject* parent)
  : QObject(parent), settings_(settings), controller_(controller)
{
}

DatasetDocument::~DatasetDocument() = default;

bool DatasetDocument::isModelFile(const QString& path)
{
  return path.endsWith(".mrcae.h5", Qt::CaseInsensitive);
}

bool DatasetDocument::needsImport(const QString& path)
{
  const QFileInfo info(path);
  const QString suffix = info.suffix().toLower();
  if (suffix == "nc" || suffix == "nc4" || suffix == "cdf")
  {
    return true;
  }
  if ((suffix == "h5" || suffix == "hdf5" || suffix == "he5") && info.isFile())
  {
    try
    {
      return mrcae::listFields(path.toStdString()).empty();
    }
    catch (const std::exception&)
    {
      return false; // not readable as HDF5 at all: the usual read says so
    }
  }
  return false;
}

void DatasetDocument::remember(const QString& path)
{
  settings_.addRecentFile(path);
  settings_.setLastFolder(QFileInfo(path).absolutePath());
  Q_EMIT recentFilesChanged();
}

std::shared_ptr<const mrcae::Dataset> DatasetDocument::readOrReport(const QString& path, GuiProblem problem)
{
  try
  {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto d = std::make_shared<const mrcae::Dataset>(mrcae::readDataset(path.toStdString()));
    QApplication::restoreOverrideCursor();
    return d;
  }
  catch (const mrcae::InputError& e)
  {
    QApplication::restoreOverrideCursor();
    Q_EMIT failed(problem == GuiProblem::StartupDataset ? problem : GuiProblem::OpenDataset,
                  QString::fromStdString(e.what()));
  }
  catch (const std::bad_alloc&)
  {
    QApplication::restoreOverrideCursor();
    Q_EMIT failed(problem == GuiProblem::StartupDataset ? problem : GuiProblem::ReadDataset,
                  tr("Reading %1 needs more memory than is available").arg(path));
  }
  catch (const std::exception& e)
  {
    QApplication::restoreOverrideCursor();
    Q_EMIT failed(problem == GuiProblem::StartupDataset ? problem : GuiProblem::ReadDataset,
                  tr("Reading %1 failed: %2").arg(path, QString::fromStdString(e.what())));
  }
  return nullptr;
}

bool DatasetDocument::openDataset(const QString& path)
{
  if (auto browsed = OnDemandDataset::openIfTooLarge(path, onDemandLimit_))
  {
    browse(browsed);
    return true;
  }
  auto d = readOrReport(path, GuiProblem::OpenDataset);
  if (!d)
  {
    return false;
  }
  onDemand_.reset();
  dataset_ = std::move(d);
  if (!controller_->isBusy())
  {
    trainingData_.reset(); // the model on the worker belongs to the data that was on screen
  }
  settings_.setLastDataset(path);
  remember(path);
  Q_EMIT datasetShown(DatasetAdapter::summarize(dataset_),
                      tr("Dataset %1 (%2)").arg(QString::fromStdString(dataset_->name), path));
  return true;
}

void DatasetDocument::setDataset(mrcae::Dataset dataset, const QString& origin)
{
  onDemand_.reset();
  dataset_ = std::make_shared<const mrcae::Dataset>(std::move(dataset));
  if (!controller_->isBusy())
  {
    trainingData_.reset();
  }
  Q_EMIT datasetShown(DatasetAdapter::summarize(dataset_),
                      tr("Dataset %1 (%2)").arg(QString::fromStdString(dataset_->name), origin));
}

void DatasetDocument::browse(const std::shared_ptr<OnDemandDataset>& browsed)
{
  const QString path = browsed->path();
  dataset_.reset();
  onDemand_ = browsed;
  onDemandFailureReported_ = false;
  if (!controller_->isBusy())
  {
    trainingData_.reset();
  }
  settings_.setLastDataset(path);
  remember(path);
  Q_EMIT datasetShown(browsed->summary(browsed),
                      tr("Dataset %1 (%2), too large to load: read one snapshot at a time")
                          .arg(QString::fromStdString(browsed->reader().name()), path));
}

void DatasetDocument::onDemandReadFailed(const QString& reason)
{
  if (!onDemandFailureReported_)
  {
    onDemandFailureReported_ = true;
    Q_EMIT failed(GuiProblem::OnDemandRead, reason);
  }
}

QString DatasetDocument::onDemandTrainingNote() const
{
  if (!onDemand_)
  {
    return QString();
  }
  const mrcae::SnapshotReader& r = onDemand_->reader();
  return tr("%1 takes %2 GB as float32, more than half the memory available, so it is shown one snapshot at a "
            "time and cannot be trained on here. Train on its first snapshots with mrcae train %3 --snapshots N "
            "(it says how many fit), or open it with a higher mrcae-studio --load-limit.")
      .arg(QString::fromStdString(r.name()))
      .arg(r.bytesInMemory() / 1e9, 0, 'f', 2)
      .arg(QFileInfo(onDemand_->path()).fileName());
}

mrcae::Map2D DatasetDocument::nativeFrame(int index) const
{
  const mrcae::Dataset* d = shown();
  if (!d && onDemand_)
  {
    try
    {
      return mrcae::widgets::FieldMath::frame(onDemand_->snapshot(index), 0);
    }
    catch (const std::exception&)
    {
      // The dataset panel read this snapshot first (its preview) and reports why it could not.
      return mrcae::Map2D();
    }
  }
  return d ? mrcae::widgets::FieldMath::frame(d->field, index) : mrcae::Map2D();
}

void DatasetDocument::importWith(const QString& path, const mrcae::ImportOptions& options)
{
  // A large file takes seconds: convert it off the GUI thread, show it when done.
  auto* watcher = new QFutureWatcher<std::shared_ptr<mrcae::ImportReport>>(this);
  auto error = std::make_shared<QString>();
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, error, path] {
    watcher->deleteLater();
    QApplication::restoreOverrideCursor();
    const auto report = watcher->result();
    if (!report)
    {
      Q_EMIT failed(GuiProblem::ImportFailed, *error);
      return;
    }
    QStringList notes;
    for (const auto& n : report->notes)
    {
      notes << QString::fromStdString(n);
    }
    setDataset(std::move(report->dataset), path);
    settings_.setLastFolder(QFileInfo(path).absolutePath());
    if (!notes.isEmpty())
    {
      Q_EMIT note(notes.join("; "));
    }
    Q_EMIT datasetImported(path);
  });
  QApplication::setOverrideCursor(Qt::BusyCursor);
  watcher->setFuture(QtConcurrent::run([path, options, error]() -> std::shared_ptr<mrcae::ImportReport> {
    try
    {
      return std::make_shared<mrcae::ImportReport>(mrcae::importDataset(path.toStdString(), options));
    }
    catch (const std::exception& e)
    {
      *error = QString::fromStdString(e.what());
      return nullptr;
    }
  }));
}

bool DatasetDocument::generateToy(const QString& name, int snapshots)
{
  try
  {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    mrcae::Dataset d = mrcae::generateToy(name.toStdString(), snapshots);
    QApplication::restoreOverrideCursor();
    setDataset(std::move(d), tr("generated %1").arg(name));
    settings_.setLastDataset(QString());
    return true;
  }
  catch (const std::exception& e)
  {
    QApplication::restoreOverrideCursor();
    Q_EMIT failed(GuiProblem::GenerateToy, tr("%1: %2").arg(name, QString::fromStdString(e.what())));
  }
  return false;
}

bool DatasetDocument::loadStartupDataset()
{
  const QString last = settings_.lastDataset();
  if (!last.isEmpty())
  {
    if (auto browsed = OnDemandDataset::openIfTooLarge(last, onDemandLimit_))
    {
      browse(browsed);
      return false;
    }
    // A file that went away says nothing (it was moved on purpose); one that cannot be read says why, once.
    if (QFileInfo::exists(last))
    {
      if (auto d = readOrReport(last, GuiProblem::StartupDataset))
      {
        dataset_ = std::move(d);
        onDemand_.reset();
        trainingData_.reset();
        Q_EMIT datasetShown(DatasetAdapter::summarize(dataset_),
                            tr("Dataset %1 (%2)").arg(QString::fromStdString(dataset_->name), last));
        return false;
      }
    }
  }
  try
  {
    QString origin;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    mrcae::Dataset d = SampleData::loadOrGenerate("toy1", &origin);
    QApplication::restoreOverrideCursor();
    setDataset(std::move(d), origin);
    return true;
  }
  catch (const std::exception& e)
  {
    QApplication::restoreOverrideCursor();
    Q_EMIT failed(GuiProblem::NoSample, QString::fromStdString(e.what()));
  }
  return false;
}

std::shared_ptr<const mrcae::Dataset> DatasetDocument::dataFor(const mrcae::TrainingConfig& config,
                                                               mrcae::SizePolicy policy)
{
  if (!dataset_)
  {
    return nullptr;
  }
  if (config.levels <= dataset_->maxLevels())
  {
    return dataset_;
  }
  try
  {
    return std::make_shared<const mrcae::Dataset>(dataset_->conformed(config.levels, policy));
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(GuiProblem::DatasetFit,
                  tr("%1 levels: %2").arg(config.levels).arg(QString::fromStdString(e.what())));
    return nullptr;
  }
}

bool DatasetDocument::openModel(const QString& path)
{
  if (controller_->isBusy())
  {
    Q_EMIT failed(GuiProblem::OpenModelBusy, tr("Training or an export is running."));
    return false;
  }
  mrcae::ModelSummary summary;
  try
  {
    summary = mrcae::ModelFile::summary(path.toStdString());
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(GuiProblem::OpenModel, QString::fromStdString(e.what()));
    return false;
  }
  // Its dataset: the one on screen, the stored path, a file of that name beside the model, or the user's choice.
  std::optional<mrcae::ModelDataset> found;
  if (dataset_)
  {
    found = mrcae::fitModelDataset(summary, *dataset_);
    if (found && !found->sameContent)
    {
      found.reset();
    }
  }
  QStringList problems;
  for (const std::string& candidate :
       found ? std::vector<std::string>{} : mrcae::datasetCandidates(summary, path.toStdString()))
  {
    try
    {
      found = mrcae::loadModelDataset(summary, candidate);
      if (found->sameContent)
      {
        break;
      }
      problems
          << tr("%1 has other values than the data the model was trained on").arg(QString::fromStdString(candidate));
    }
    catch (const std::exception& e)
    {
      problems << QString::fromStdString(e.what());
    }
  }
  while ((!found || !found->sameContent) && datasetChooser_)
  {
    const QString chosen = datasetChooser_(summary, problems.join("\n"));
    if (chosen.isEmpty())
    {
      found.reset();
      break;
    }
    try
    {
      found = mrcae::loadModelDataset(summary, chosen.toStdString());
      if (!found->sameContent)
      {
        Q_EMIT note(tr("Note: %1 differs from the data the model was trained on").arg(chosen));
      }
      break;
    }
    catch (const std::exception& e)
    {
      problems = {QString::fromStdString(e.what())};
      found.reset();
    }
  }
  if (!found)
  {
    settings_.addRecentFile(path);
    Q_EMIT recentFilesChanged();
    Q_EMIT modelWithoutData(path, summary);
    return true;
  }
  // The weights are read on the training thread before anything on screen changes: a model that cannot be
  // used leaves the dataset and the model that were open as they were.
  auto data = std::make_shared<const mrcae::Dataset>(std::move(found->data));
  const QString error = controller_->openModel(path, data);
  if (!error.isEmpty())
  {
    Q_EMIT failed(GuiProblem::ModelFile, error);
    return false;
  }
  openedConfig_ = summary.config;
  settings_.addRecentFile(path);
  Q_EMIT recentFilesChanged();
  onDemand_.reset();
  dataset_ = data;
  trainingData_ = data;
  Q_EMIT datasetShown(DatasetAdapter::summarize(dataset_),
                      tr("Dataset %1 (%2)")
                          .arg(QString::fromStdString(dataset_->name),
                               found->path.empty() ? tr("the model's data") : QString::fromStdString(found->path)));
  return true;
}

} // namespace mrcae::app
