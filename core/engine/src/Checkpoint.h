#pragma once
// The saved state of a training run as a value: what a model file holds (ModelFile writes and reads it) and
// what the trainer makes of itself and is restored from. Private: LibTorch.

#include "MrcaeModel.h"
#include "StageProgress.h"
#include "mrcae/model/Dataset.h"
#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mrcae
{

/// What a run knows of the dataset it was trained on (the model file's /data).
struct DatasetDescription
{
  std::string path; ///< as given; the model file stores it absolute
  std::string hash; ///< Dataset::contentHash
  std::string name;
  int t = 0, h = 0, w = 0;
  double originalMin = 0.0, originalMax = 1.0;
  int cropTop = 0, cropLeft = 0;
  Map2D valid; ///< [H,W], 1 = valid; empty = every cell

  static DatasetDescription of(const Dataset& data);
  /// The same with a hash computed elsewhere (a streamed dataset hashes the file as it reads it).
  static DatasetDescription of(const Dataset& data, std::string hash);
};

struct Checkpoint
{
  TrainingConfig config;
  ArchitectureInfo architecture;
  /// Every parameter, in the order of parameterLayout(architecture).
  std::vector<torch::Tensor> parameters;
  /// R_k[g] per level and group; undefined where a group has no resolved map.
  std::vector<std::vector<torch::Tensor>> resolvedMaps;
  std::vector<StageRecord> stages;
  std::vector<StepRecord> curves;
  DatasetDescription data;
  Split split;
  std::vector<int> snapshotIndices;
  /// The last stage's state, for exact resume; empty() when the run has none (a file without /optimizer).
  StageProgress lastStage;

  /// A fresh model on `device` with this architecture, its parameters, resolved maps and level_clear flags.
  MrcaeModel network(const torch::Device& device) const;

  /// One parameter of the model: its reference name ("L0_Conv_0/weight") and shape.
  struct Parameter
  {
    std::string name;
    std::vector<int64_t> shape;
  };
  /// Every parameter of a model of this architecture, level by level and group by group, in the order the
  /// stages train them (encoder weight and bias, decoder weight and bias).
  static std::vector<Parameter> parameterLayout(const ArchitectureInfo& architecture);
};

} // namespace mrcae
