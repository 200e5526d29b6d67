#pragma once
// The stage stopping rules of SPEC.md §4.4, apart from the training loop so that they can be tested on
// constructed loss sequences. Checks run every K = max(1, maxSteps/10) steps.

#include "mrcae/model/TrainingTypes.h"

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
  int maxSteps() const { return maxSteps_; }
  bool isCheckStep(int step) const { return step % checkEvery_ == 0; }

  /// Lets the stage run up to `maxSteps` (more than the budget the rule was built with), for extra steps granted
  /// to a finished stage. The checks keep their cadence K (a tenth of the original budget) and the running
  /// average; the slow-convergence rule stays armed from half the original budget on; neither rule fires on the
  /// new last step (as neither fires on a budget's last step).
  void extendTo(int maxSteps);

  /// What the rule remembers between steps: the reference's ave_old and the last K global training losses.
  struct State
  {
    double previousAverage = 1e10;
    std::vector<double> window; ///< oldest first, at most K values
  };
  State state() const;
  /// Continues a stage from `state()` of a rule with the same budget (after `extendTo`, if it was extended).
  void restore(const State& state);

  /// Records the global training loss of `step` (1-based, consecutive) and decides whether the stage stops
  /// after it. `worstPixelLoss` (max of the averaged pixel loss on the training set) is only called on check
  /// steps where the tolerance rule applies.
  std::optional<StopReason> afterStep(int step, double globalTrain, const std::function<double()>& worstPixelLoss);

private:
  int maxSteps_;
  int checkEvery_;
  int slowAfter_; ///< the slow-convergence rule applies after this step (half the original budget)
  double tolerance_;
  double slowConvergence_;
  double previousAverage_ = 1e10; ///< the reference's ave_old
  std::vector<double> globalTrain_;
};

} // namespace mrcae
