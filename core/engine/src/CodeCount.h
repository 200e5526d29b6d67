#pragma once
// How many code values one snapshot takes to rebuild level k (SPEC §7.4): what `mrcae encode` stores and what
// the trainer reports per stage (StageRecord::codeValues). Private: LibTorch.

#include "MrcaeModel.h"

namespace mrcae
{

/// Level 0's code grid plus, for every widened group of levels 0..k, its channels times the ones of its dilated
/// mask (the level's whole code grid without maps). `nativeH`, `nativeW`: the data's native size.
long long codeValueCount(const MrcaeModelImpl& model, int level, int nativeH, int nativeW);

} // namespace mrcae
