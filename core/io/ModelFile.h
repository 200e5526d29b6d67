#pragma once
// The model file (.mrcae.h5, DESIGN.md §4): self-describing, versioned, readable with h5py. Weights are stored
// under the reference's parameter names, so a PyTorch state_dict converts one to one.
//
// /optimizer (optional; written whenever the run has trained a stage, read by format 1 readers that know it,
// ignored by older ones) holds what the last stage needs to take more steps exactly where it ended:
//   attributes  stage, level, group, steps, max_steps, budget, open (1 = stopped or granted steps: resume goes
//               on with it), stop_reason, best_step, best_score, rule_previous_average
//   current/<L{k}_Conv_{i}>/<weight|bias>      the iterate after the last step (/weights has the restored best)
//   best/<...>/<weight|bias>                   the best state so far and its score
//   adam/<...>/<weight|bias>/exp_avg, exp_avg_sq (+ attribute step): Adam's moments (absent = no gradient yet)
//   rule_window float64 [<= K]                 the last global training losses the slow-convergence rule averages
//   generator uint8 [n]                        the batch sampler's LibTorch CPU generator state

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
  bool hasOptimizer = false; ///< the /optimizer group (the last stage's state, for exact resume) is present
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
/// The per-step curves of the run, read without a dataset (to show a model whose data are not at hand).
std::vector<StepRecord> curves(const std::string& path);
/// True for an HDF5 file whose root says format = "mrcae-model" (false for anything else, never throws).
bool isModelFile(const std::string& path);

} // namespace ModelFile

Json toJson(const StageRecord& r);
StageRecord stageFromJson(const Json& j);

} // namespace mrcae
