#pragma once
// The value types that cross from the training thread to the GUI in queued signals. Each needs a
// Q_DECLARE_METATYPE here and qRegisterMetaType before the first connection (registerTrainingMetaTypes()).

#include "LiveSnapshot.h"

#include "mrcae/engine/Trainer.h"
#include "mrcae/model/CompressionResult.h"
#include "mrcae/model/Dataset.h"
#include "mrcae/model/StreamedDataset.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <QMetaType>
#include <QString>

#include <functional>

#include <vector>

namespace mrcae::app
{
/// What went wrong on the training thread, so that the dialog names it and says what to do.
enum class Failure
{
  Settings,       ///< the settings or the data were refused before training (InputError)
  Training,       ///< training stopped with an error mid-way
  ModelFile,      ///< a model file could not be opened or saved
  Snapshot,       ///< the views could not be computed for a snapshot
  Device,         ///< the device ran out of memory (or could not be used); what was trained is kept
  DeviceFallback, ///< not a failure: the GPU ran out of memory and training went on on the CPU
  Processes       ///< a process of a run over several failed, or could not join
};
/// Work done with the trainer on the training thread (exports): returns "" or one line saying what went wrong;
/// `progress(done, total)` returns false when the user cancelled.
using TrainerJob = std::function<QString(const mrcae::Trainer&, const std::function<bool(int, int)>& progress)>;
} // namespace mrcae::app

Q_DECLARE_METATYPE(mrcae::app::Failure)
Q_DECLARE_METATYPE(std::vector<mrcae::GroupWeights>)
Q_DECLARE_METATYPE(std::vector<mrcae::GroupCodes>)
Q_DECLARE_METATYPE(mrcae::Snapshot)
Q_DECLARE_METATYPE(mrcae::widgets::LiveSnapshotPtr)
Q_DECLARE_METATYPE(std::shared_ptr<const mrcae::widgets::LiveFields>)
Q_DECLARE_METATYPE(mrcae::StageRecord)
Q_DECLARE_METATYPE(std::vector<mrcae::StepRecord>)
Q_DECLARE_METATYPE(std::vector<mrcae::StageRecord>)
Q_DECLARE_METATYPE(mrcae::ArchitectureInfo)
Q_DECLARE_METATYPE(mrcae::Dataset)
Q_DECLARE_METATYPE(mrcae::TrainingConfig)
Q_DECLARE_METATYPE(mrcae::Method)
Q_DECLARE_METATYPE(mrcae::CompressionResult)
Q_DECLARE_METATYPE(std::shared_ptr<const mrcae::StreamedDataset>)

namespace mrcae::app
{

inline void registerTrainingMetaTypes()
{
  qRegisterMetaType<mrcae::app::Failure>();
  qRegisterMetaType<std::vector<mrcae::GroupWeights>>();
  qRegisterMetaType<std::vector<mrcae::GroupCodes>>();
  qRegisterMetaType<mrcae::Snapshot>();
  qRegisterMetaType<mrcae::StageRecord>();
  qRegisterMetaType<std::vector<mrcae::StepRecord>>();
  qRegisterMetaType<std::vector<mrcae::StageRecord>>();
  qRegisterMetaType<mrcae::ArchitectureInfo>();
  qRegisterMetaType<mrcae::Dataset>();
  qRegisterMetaType<mrcae::TrainingConfig>();
  qRegisterMetaType<mrcae::CompressionResult>();
  qRegisterMetaType<std::shared_ptr<const mrcae::StreamedDataset>>();
  qRegisterMetaType<mrcae::Method>();
  qRegisterMetaType<mrcae::widgets::LiveSnapshotPtr>();
  qRegisterMetaType<std::shared_ptr<const mrcae::widgets::LiveFields>>();
}

} // namespace mrcae::app
