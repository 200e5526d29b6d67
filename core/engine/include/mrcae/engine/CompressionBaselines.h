#pragma once
// The benchmark's compressors that are not autoencoders (issue 16): POD and ZFP, set up to take what MrCAE's
// codes take per snapshot at each of its stages, and scored in the same measures on the same split (the
// validation and test snapshots of the run's seeded split; POD's basis comes from its training snapshots).
//
// Bytes: what a method stores once for any number of snapshots (MrCAE: weights and masks; POD: the mean and the
// modes over the valid cells; ZFP: its header) and what it stores per snapshot (MrCAE: its code values; POD: r
// coefficients; ZFP: the compressed stream), all float32 where they are values.

#include "mrcae/model/CompressionResult.h"
#include "mrcae/model/Dataset.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <string>
#include <vector>

namespace mrcae
{

/// POD of the training snapshots with, for each stage, rank r = min(its code values per snapshot, the modes
/// there are). `targetValues[i]`: code values per snapshot of MrCAE's stage i.
std::vector<CompressionResult> podAgainstStages(const Dataset& data, const Split& split, const TrainingConfig& config,
                                                const std::vector<long long>& targetValues, StopToken* stop = nullptr);

/// ZFP in `fixedRate` or fixed-accuracy mode, for each stage at the setting whose mean compressed size over the
/// validation snapshots is the largest not above 4·targetValues[i] bytes.
std::vector<CompressionResult> zfpAgainstStages(const Dataset& data, const Split& split, const TrainingConfig& config,
                                                const std::vector<long long>& targetValues, bool fixedRate,
                                                StopToken* stop = nullptr);

} // namespace mrcae
