#pragma once
// Writing and reading a whole run in the model file (.mrcae.h5, DESIGN.md §4): self-describing, versioned, readable with h5py. Weights are stored
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

#include "Checkpoint.h"
#include "MrcaeModel.h"
#include "mrcae/model/ModelSummary.h"

#include <string>

namespace mrcae::ModelFile
{

/// Writes the run atomically (temporary file + rename). Throws InputError.
void write(const std::string& path, const Checkpoint& checkpoint);
/// Reads a whole run, its tensors on the CPU: checks the format, the architecture against the stored weights
/// (before reading any), the resolved maps the architecture needs and the optimizer state against the model and
/// its history. Whether it fits a dataset is the reader's question (Checkpoint::data). Throws InputError.
Checkpoint read(const std::string& path);
/// Reads only the network (architecture, weights, resolved maps, level_clear) onto `device`, checked as read()
/// checks it, with the file's summary in `summary`: a model applied to data other than its own. Throws
/// InputError.
MrcaeModel readNetwork(const std::string& path, const torch::Device& device, ModelSummary* summary = nullptr);

} // namespace mrcae::ModelFile
