#pragma once
// What a model file (.mrcae.h5, DESIGN.md §4) says about itself, read without LibTorch: format, config,
// architecture, stages, curves and the dataset it was trained on. The weights and the optimizer state are the
// engine's (Trainer::fromModelFile, Trainer::save).

#include "mrcae/model/Dataset.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace mrcae
{

struct ModelSummary
{
  int formatVersion = 0;
  std::string appVersion;
  std::string created;
  TrainingConfig config;
  ArchitectureInfo architecture;
  std::vector<StageRecord> stages;
  size_t curvePoints = 0;
  std::string dataPath;
  std::string dataHash;
  std::string dataName;
  int dataT = 0, dataH = 0, dataW = 0;
  /// The normalisation the model was trained with: a scaled v stands for dataMin + v·(dataMax − dataMin).
  double dataOriginalMin = 0.0, dataOriginalMax = 1.0;
  int dataCropTop = 0, dataCropLeft = 0; ///< rows/columns cropped (> 0) or padded (< 0) to reach the model's size
  Map2D dataValid;                       ///< the land mask it was trained with ([H,W], 1 = valid); empty = none
  Split dataSplit;                       ///< its train/validation/test snapshot indices
  bool hasOptimizer = false;             ///< the /optimizer group (the last stage's state, for exact resume) is present
};

namespace ModelFile
{

constexpr int kFormatVersion = 1;

/// Reads the description only. Throws InputError.
ModelSummary summary(const std::string& path);
/// The per-step curves of the run, read without a dataset (to show a model whose data are not at hand).
std::vector<StepRecord> curves(const std::string& path);
/// True for an HDF5 file whose root says format = "mrcae-model" (false for anything else, never throws).
bool isModelFile(const std::string& path);

} // namespace ModelFile

nlohmann::json toJson(const StageRecord& r);
StageRecord stageFromJson(const nlohmann::json& j);

} // namespace mrcae
