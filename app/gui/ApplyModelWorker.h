#pragma once
// Lives on the apply thread: opens a saved model (ModelCodec) and a dataset brought to the model's form, scores
// every snapshot, and computes the level views of the snapshot asked for. Only value types leave it, through
// queued signals.

#include "TrainingMetaTypes.h"

#include "mrcae/engine/ModelCodec.h"
#include "mrcae/model/ModelInput.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mrcae::app
{

/// What opening found: enough for the window to lay out its views and draw the curve.
struct AppliedModel
{
  QString modelPath;
  QString dataPath;
  int levels = 0;        ///< the model's L (rows of the level views)
  int trainedLevel = -1; ///< the highest level with a reconstruction
  int height = 0, width = 0;
  int snapshots = 0;
  mrcae::Map2D valid;
  double originalMin = 0, originalMax = 1;
  QString units;
  QString note;                   ///< what fitting the data to the model found (values outside its range, resizing)
  std::vector<std::string> parts; ///< per snapshot: train, val, test or new
  std::vector<mrcae::SnapshotErrors> errors; ///< every snapshot at every trained level
};

class ApplyModelWorker : public QObject
{
  Q_OBJECT

public:
  ApplyModelWorker() = default;

public Q_SLOTS:
  void open(const QString& modelPath, const QString& dataPath, mrcae::SizePolicy policy);
  /// The level views of snapshot `index` (snapshotReady follows).
  void computeSnapshot(int index);

Q_SIGNALS:
  void opened(const mrcae::app::AppliedModel& model);
  void snapshotReady(const std::shared_ptr<const mrcae::widgets::LiveFields>& fields);
  void failed(const QString& message);

private:
  std::optional<mrcae::ModelCodec> codec_;
  mrcae::Dataset data_;
};

} // namespace mrcae::app

Q_DECLARE_METATYPE(mrcae::app::AppliedModel)
Q_DECLARE_METATYPE(mrcae::SizePolicy)
