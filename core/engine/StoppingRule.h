#pragma once
// The stage stopping rules of SPEC.md §4.4, apart from the training loop so that they can be tested on
// constructed loss sequences. Checks run every K = max(1, maxSteps/10) steps.

#include "engine/TrainingTypes.h"

#include <functional>
#include <optional>
#include <vector>

namespace mrcae
{

class StoppingRule
{
public:
  /// `tolerance` <= 0 disables the tolerance rule (runs without maps).
  StoppingRule(int maxSteps, double tolerance, double slowConvergence);

  int checkEvery() const { return checkEvery_; }
  bool isCheckStep(int step) const { return step % checkEvery_ == 0; }

  /// Records the global training loss of `step` (1-based, consecutive) and decides whether the stage stops
  /// after it. `worstPixelLoss` (max of the averaged pixel loss on the training set) is only called on check
  /// steps where the tolerance rule applies.
  std::optional<StopReason> afterStep(int step, double globalTrain, const std::function<double()>& worstPixelLoss);

private:
  int maxSteps_;
  int checkEvery_;
  double tolerance_;
  double slowConvergence_;
  double previousAverage_ = 1e10; ///< the reference's ave_old
  std::vector<double> globalTrain_;
};

} // namespace mrcae
