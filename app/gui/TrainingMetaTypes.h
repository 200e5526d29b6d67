#pragma once
// The value types that cross from the training thread to the GUI in queued signals. Each needs a
// Q_DECLARE_METATYPE here and qRegisterMetaType before the first connection (registerTrainingMetaTypes()).

#include "engine/Trainer.h"
#include "engine/TrainingConfig.h"
#include "engine/TrainingTypes.h"
#include "io/Dataset.h"

#include <QMetaType>

#include <vector>

Q_DECLARE_METATYPE(mrcae::Snapshot)
Q_DECLARE_METATYPE(mrcae::StageRecord)
Q_DECLARE_METATYPE(std::vector<mrcae::StepRecord>)
Q_DECLARE_METATYPE(std::vector<mrcae::StageRecord>)
Q_DECLARE_METATYPE(mrcae::ArchitectureInfo)
Q_DECLARE_METATYPE(mrcae::Dataset)
Q_DECLARE_METATYPE(mrcae::TrainingConfig)

namespace mrcae::app
{

inline void registerTrainingMetaTypes()
{
  qRegisterMetaType<mrcae::Snapshot>();
  qRegisterMetaType<mrcae::StageRecord>();
  qRegisterMetaType<std::vector<mrcae::StepRecord>>();
  qRegisterMetaType<std::vector<mrcae::StageRecord>>();
  qRegisterMetaType<mrcae::ArchitectureInfo>();
  qRegisterMetaType<mrcae::Dataset>();
  qRegisterMetaType<mrcae::TrainingConfig>();
}

} // namespace mrcae::app
