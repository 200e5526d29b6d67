#include "DatasetDocument.h"

#include "FieldMath.h"

#include "DatasetAdapter.h"
#include "ErrorText.h"
#include "OnDemandDataset.h"
#include "SampleData.h"
#include "Settings.h"
#include "TrainingController.h"

#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Importer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelDataset.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/StreamedDataset.h"
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

namespace
{
/// The wait cursor while a file is read on the GUI thread; restored however the block is left.
struct WaitCursor
{
  explicit WaitCursor(Qt::CursorShape shape = Qt::WaitCursor) { QApplication::setOverrideCursor(shape); }
  ~WaitCursor() { QApplication::restoreOverrideCursor(); }
};
} // namespace

DatasetDocument::DatasetDocument(Settings& settings, TrainingController* controller, QObject* parent)
  : QObject(parent), settings_(settings), controller_(controller)
{
  connect(controller_, &TrainingController::streamOpened, this,
          [this](const std::shared_ptr<const mrcae::StreamedDataset>& stream) {
            // Only while the run it belongs to is the data on screen (another file opened since clears it).
            if (onDemand_ && !trainingData_)
            {
              trainingStream_ = stream;
              trainingData_ = std::make_shared<const mrcae::Dataset>(stream->metadata());
              Q_EMIT trainingStreamOpened();
            }
          });
}

void DatasetDocument::setTrainingData(std::shared_ptr<const mrcae::Dataset> data)
{
  trainingData_ = std::move(data);
  trainingStream_.reset();
}

DatasetDocument::~DatasetDocument() = default;

void DatasetDocument::remember(const QString& path)
{
  settings_.addRecentFile(path);
  settings_.setLastFolder(QFileInfo(path).absolutePath());
  Q_EMIT recentFilesChanged();
}

std::shared_ptr<const mrcae::Dataset> DatasetDocument::readOrReport(const QString& path, GuiProblem problem)
{
  const bool startup = problem == GuiProblem::StartupDataset;
  try
  {
    const WaitCursor busy; // back to normal before a dialog opens
    return std::make_shared<const mrcae::Dataset>(mrcae::readDataset(path.toStdString()));
  }
  catch (const mrcae::InputError& e)
  {
    Q_EMIT failed(startup ? problem : GuiProblem::OpenDataset, windowText(e));
  }
  catch (const std::bad_alloc&)
  {
    Q_EMIT failed(startup ? problem : GuiProblem::ReadDataset,
                  tr("Reading %1 needs more memory than is available").arg(path));
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(startup ? problem : GuiProblem::ReadDataset, tr("Reading %1 failed: %2").arg(path, windowText(e)));
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
    setTrainingData(nullptr); // the model on the worker belongs to the data that was on screen
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
    setTrainingData(nullptr);
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
    setTrainingData(nullptr);
  }
  settings_.setLastDataset(path);
  remember(path);
  Q_EMIT datasetShown(browsed->summary(browsed), tr("Dataset %1 (%2), too large to load: read one snapshot at a time")
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

mrcae::Map2D DatasetDocument::nativeFrame(int index) const
{
  const mrcae::Dataset* d = shown();
  if (trainingStream_ && d == trainingData_.get())
  {
    // A streamed run's data: read from its file as the trainer has it (scaled, fitted to the levels).
    try
    {
      mrcae::Map2D frame(d->field.h, d->field.w);
      trainingStream_->read(std::vector<int>{index}, frame.data.data());
      return frame;
    }
    catch (const std::exception&)
    {
      return mrcae::Map2D();
    }
  }
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
      notes << windowText(n);
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
      *error = windowText(e);
      return nullptr;
    }
  }));
}

bool DatasetDocument::generateToy(const QString& name, int snapshots)
{
  mrcae::Dataset d;
  try
  {
    const WaitCursor busy;
    d = mrcae::generateToy(name.toStdString(), snapshots);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(GuiProblem::GenerateToy, tr("%1: %2").arg(name, windowText(e)));
    return false;
  }
  setDataset(std::move(d), tr("generated %1").arg(name));
  settings_.setLastDataset(QString());
  return true;
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
        setTrainingData(nullptr);
        Q_EMIT datasetShown(DatasetAdapter::summarize(dataset_),
                            tr("Dataset %1 (%2)").arg(QString::fromStdString(dataset_->name), last));
        return false;
      }
    }
  }
  QString origin;
  mrcae::Dataset d;
  try
  {
    const WaitCursor busy;
    d = SampleData::loadOrGenerate("toy1", &origin);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(GuiProblem::NoSample, windowText(e));
    return false;
  }
  setDataset(std::move(d), origin);
  return true;
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
    Q_EMIT failed(GuiProblem::DatasetFit, tr("%1 levels: %2").arg(config.levels).arg(windowText(e)));
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
    // Every weight, before anything of the model is shown: a damaged file is refused here, in one dialog,
    // rather than by the worker after the window has switched to it.
    mrcae::Trainer::checkModelFile(path.toStdString());
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(GuiProblem::OpenModel, windowText(e));
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
      problems << windowText(e);
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
      problems = {windowText(e)};
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
  setTrainingData(data);
  Q_EMIT datasetShown(DatasetAdapter::summarize(dataset_),
                      tr("Dataset %1 (%2)")
                          .arg(QString::fromStdString(dataset_->name),
                               found->path.empty() ? tr("the model's data") : QString::fromStdString(found->path)));
  return true;
}

} // namespace mrcae::app
