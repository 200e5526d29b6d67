#pragma once
// The model file (.mrcae.h5, DESIGN.md §4): self-describing, versioned, readable with h5py. Weights are stored
// under the reference's parameter names, so a PyTorch state_dict converts one to one.

#include "engine/Trainer.h"
#include "engine/TrainingConfig.h"
#include "engine/TrainingTypes.h"

#include <string>
#include <vector>

namespace mrcae
{

class Json;

/// What a model file says about itself, read without a dataset or LibTorch tensors.
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
};

namespace ModelFile
{

constexpr int kFormatVersion = 1;

/// Writes the run atomically (temporary file + rename). Throws InputError.
void write(const std::string& path, const Trainer::Impl& run);
/// Reads a run into `run`, whose `data` must already hold the dataset: checks the format, the architecture
/// against the stored weights (before reading any) and the dataset's size. Throws InputError.
void read(const std::string& path, Trainer::Impl& run, const std::string& device, int threads = 0);
/// Reads the description only. Throws InputError.
ModelSummary summary(const std::string& path);
/// True for an HDF5 file whose root says format = "mrcae-model" (false for anything else, never throws).
bool isModelFile(const std::string& path);

} // namespace ModelFile

Json toJson(const StageRecord& r);
StageRecord stageFromJson(const Json& j);

} // namespace mrcae
