#include "ApplyModelWorker.h"
#include "ErrorText.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"

namespace mrcae::app
{

void ApplyModelWorker::open(const QString& modelPath, const QString& dataPath, mrcae::SizePolicy policy)
{
  try
  {
    codec_.reset();
    mrcae::ModelCodec codec = mrcae::ModelCodec::open(modelPath.toStdString());
    if (codec.trainedLevel() < 0)
    {
      throw mrcae::InputError(modelPath.toStdString() + ": the model has no trained stage to apply");
    }
    mrcae::ModelInputOptions options;
    options.sizePolicy = policy;
    mrcae::ModelInputReport report;
    const std::string path = dataPath.toStdString();
    data_ = mrcae::fitToModel(codec.summary(), mrcae::readDataset(path), options, path, &report);
    AppliedModel m;
    m.modelPath = modelPath;
    m.dataPath = dataPath;
    m.levels = codec.summary().config.levels;
    m.trainedLevel = codec.trainedLevel();
    m.height = data_.field.h;
    m.width = data_.field.w;
    m.snapshots = data_.field.t;
    m.valid = data_.valid;
    m.originalMin = data_.originalMin;
    m.originalMax = data_.originalMax;
    m.units = QString::fromStdString(data_.units);
    m.note = QString::fromStdString(report.note);
    m.parts = mrcae::snapshotParts(codec.summary(), path, {}, policy, data_.field.t);
    std::vector<int> all(data_.field.t);
    for (int i = 0; i < data_.field.t; ++i)
    {
      all[i] = i;
    }
    m.errors = codec.perSnapshotErrors(data_, all);
    codec_.emplace(std::move(codec));
    Q_EMIT opened(m);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(windowText(e));
  }
}

void ApplyModelWorker::computeSnapshot(int index)
{
  if (!codec_ || index < 0 || index >= data_.field.t)
  {
    return;
  }
  try
  {
    Q_EMIT snapshotReady(mrcae::widgets::LiveFields::fromEngine(codec_->snapshot(data_, {index})));
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(windowText(e));
  }
}

} // namespace mrcae::app
