#pragma once
// One setting of a benchmark compressor (POD, ZFP), matched to one stage of MrCAE (PR): what it stores and how
// well it reconstructs. The engine computes it (CompressionBaselines.h); the benchmark table writes it.

#include "mrcae/model/TrainingTypes.h"

#include <string>

namespace mrcae
{

struct CompressionResult
{
  std::string setting;         ///< "rank 37", "tolerance 2^-9", "rate 0.8125 bits/value"
  int matchedStage = 0;        ///< index of the MrCAE stage whose bytes per snapshot it was set to
  int matchedLevel = 0;        ///< that stage's level
  double parameter = 0;        ///< the rank, tolerance or rate
  long long onceBytes = 0;     ///< stored once for any number of snapshots
  double bytesPerSnapshot = 0; ///< stored per snapshot (a mean for ZFP's fixed accuracy)
  LevelErrors val;             ///< on the validation snapshots (what the benchmark table shows)
  LevelErrors test;
  bool fits = true; ///< false when no setting of the method is as small as the target (nothing was run)
};

} // namespace mrcae
