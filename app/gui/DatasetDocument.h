#pragma once
// What the window has open: a dataset (loaded, or read one snapshot at a time when too large), the data the
// current or last run trains on, and the model opened from a file. It opens, imports and generates datasets,
// finds a model's dataset, and says what went wrong as a GuiProblem; it shows no dialog of its own (the
// questions it needs answered come through the choosers the window gives it).

#include "GuiProblem.h"

#include "DatasetSummary.h"

#include "mrcae/model/Dataset.h"
#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingConfig.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace mrcae
{
class StreamedDataset;
struct ImportOptions;
struct ModelSummary;
} // namespace mrcae

namespace mrcae::app
{

class OnDemandDataset;
class Settings;
class TrainingController;

class DatasetDocument : public QObject
{
  Q_OBJECT

public:
  DatasetDocument(Settings& settings, TrainingController* controller, QObject* parent = nullptr);
  ~DatasetDocument() override;

  /// The dataset on screen when it is loaded; null for none or one read on demand.
  const std::shared_ptr<const mrcae::Dataset>& dataset() const { return dataset_; }
  /// The dataset shown one snapshot at a time because it is too large to load; null otherwise.
  const OnDemandDataset* onDemand() const { return onDemand_.get(); }
  /// The conformed copy the current or last run trains on (or the opened model's data); null when the data on
  /// screen has no model.
  const std::shared_ptr<const mrcae::Dataset>& trainingData() const { return trainingData_; }
  /// (Null while a streamed run opens its file: trainingStreamOpened follows.)
  void setTrainingData(std::shared_ptr<const mrcae::Dataset> data);
  /// The file the current or last run reads in batches (trainingData() then holds its metadata only); null for
  /// loaded data.
  const std::shared_ptr<const mrcae::StreamedDataset>& trainingStream() const { return trainingStream_; }
  /// What the views show for snapshot `index`: the training data's, else the dataset's (loaded or read on
  /// demand); empty when there is none or it cannot be read.
  mrcae::Map2D nativeFrame(int index) const;
  /// The data the views show (the training data, else the loaded dataset); null for none.
  const mrcae::Dataset* shown() const { return trainingData_ ? trainingData_.get() : dataset_.get(); }
  /// Files whose full load would take more than `bytes` are browsed on demand; negative: half the memory
  /// available when the file is opened.
  void setOnDemandLimit(qint64 bytes) { onDemandLimit_ = bytes; }
  /// Also the memory budget of a run on a file read on demand (the whole process, window included).
  qint64 onDemandLimit() const { return onDemandLimit_; }

  /// Opens a dataset of our layout (HDF5 or .npy), or browses it on demand when too large. False (and
  /// `failed`) when it cannot be read: the dataset on screen stays.
  bool openDataset(const QString& path);
  /// Imports on a background thread; `datasetImported` or `failed` follows.
  void importWith(const QString& path, const mrcae::ImportOptions& options);
  bool generateToy(const QString& name, int snapshots);
  /// Shows `dataset` (`origin` for the status bar).
  void setDataset(mrcae::Dataset dataset, const QString& origin);
  /// At start: the dataset opened last (one dialog when it cannot be read), else the bundled toy1. True when
  /// the bundled sample is shown.
  bool loadStartupDataset();
  /// The dataset on screen fitted to `config.levels` with `policy` (crop or pad); null after `failed`.
  std::shared_ptr<const mrcae::Dataset> dataFor(const mrcae::TrainingConfig& config, mrcae::SizePolicy policy);
  /// A snapshot of the dataset read on demand could not be read: `failed` once per opened file.
  void onDemandReadFailed(const QString& reason);

  /// Opens a saved run: with its dataset (the one on screen, the stored path, a file of that name beside the
  /// model, or one the chooser names) it is opened on the training thread; without, `modelWithoutData` shows its
  /// architecture, stages and curves. False (and `failed`) when it cannot be used: what was open stays.
  bool openModel(const QString& path);
  /// Asked for the model's dataset when it is not found: gets the summary and what was tried, returns a path or
  /// "" for "architecture and curves only".
  using DatasetChooser = std::function<QString(const mrcae::ModelSummary&, const QString& problems)>;
  void setDatasetChooser(DatasetChooser chooser) { datasetChooser_ = std::move(chooser); }
  /// The settings of the model opened last (Resume and the status bar follow them).
  const mrcae::TrainingConfig& openedConfig() const { return openedConfig_; }

Q_SIGNALS:
  /// A new dataset is on screen (`onDemand`: read one snapshot at a time); `note` for the status bar.
  void datasetShown(const mrcae::widgets::DatasetSummary& summary, const QString& note);
  void datasetImported(const QString& path);
  /// A model file without its dataset: only its architecture, stages and curves can be shown.
  void modelWithoutData(const QString& path, const mrcae::ModelSummary& summary);
  void failed(mrcae::app::GuiProblem problem, const QString& what);
  void note(const QString& message);
  /// The recent files changed (a file was opened).
  void recentFilesChanged();
  /// A streamed run has opened its file: trainingData() and nativeFrame() now follow it.
  void trainingStreamOpened();

private:
  void remember(const QString& path);
  void browse(const std::shared_ptr<OnDemandDataset>& browsed);
  std::shared_ptr<const mrcae::Dataset> readOrReport(const QString& path, GuiProblem problem);

  Settings& settings_;
  TrainingController* controller_;
  std::shared_ptr<const mrcae::Dataset> dataset_;
  std::shared_ptr<OnDemandDataset> onDemand_; // instead of dataset_ for a file too large to load
  std::shared_ptr<const mrcae::Dataset> trainingData_;
  std::shared_ptr<const mrcae::StreamedDataset> trainingStream_;
  qint64 onDemandLimit_ = -1;
  bool onDemandFailureReported_ = false;
  mrcae::TrainingConfig openedConfig_;
  DatasetChooser datasetChooser_;
};

} // namespace mrcae::app
