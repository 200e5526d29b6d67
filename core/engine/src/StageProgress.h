#pragma once
// What a stage needs to take more steps exactly where it ended (exact resume, more steps, a move to another
// device). Private: LibTorch.

#include "StoppingRule.h"
#include "mrcae/model/TrainingTypes.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace mrcae
{

/// Adam's state of one parameter (LibTorch's AdamParamState); undefined moments = the parameter never had a
/// gradient in this stage, so Adam holds nothing for it.
struct AdamMoments
{
  torch::Tensor expAvg, expAvgSq;
  int64_t step = 0;
};

/// Everything a stage needs to take more steps exactly where it ended: the current iterate (the model holds
/// the restored best state instead), Adam's moments, the stopping rule, the best state so far and the batch
/// generator. Vectors follow the order of the stage's parameters. Its tensors may live on any device (they are
/// kept in host memory when the stage runs on CUDA).
struct StageProgress
{
  int steps = 0;    ///< steps taken; 0 = nothing yet
  int maxSteps = 0; ///< the stage's step limit (its budget, or more when extra steps were granted)
  int budget = 0;   ///< the budget the stopping rule's cadence comes from
  StopReason reason = StopReason::MaxSteps;
  /// The stage may take more steps: it was stopped by the user, or extra steps were granted.
  bool open = false;
  std::vector<torch::Tensor> current;
  std::vector<AdamMoments> adam;
  StoppingRule::State rule;
  std::vector<torch::Tensor> best;
  double bestScore = 0; ///< float32 value of the best score (+inf before any)
  int bestStep = 0;
  torch::Tensor generator; ///< uint8 state of the batch generator (CPU)

  bool empty() const { return steps == 0; }
};

} // namespace mrcae
