#include "StoppingRule.h"

#include <algorithm>

namespace mrcae
{

StoppingRule::StoppingRule(int maxSteps, double tolerance, double slowConvergence)
  : maxSteps_(maxSteps), checkEvery_(std::max(1, maxSteps / 10)), slowAfter_(maxSteps / 2), tolerance_(tolerance),
    slowConvergence_(slowConvergence)
{
}

void StoppingRule::extendTo(int maxSteps)
{
  maxSteps_ = std::max(maxSteps_, maxSteps);
}

StoppingRule::State StoppingRule::state() const
{
  State s;
  s.previousAverage = previousAverage_;
  const size_t keep = std::min(globalTrain_.size(), static_cast<size_t>(checkEvery_));
  s.window.assign(globalTrain_.end() - static_cast<std::ptrdiff_t>(keep), globalTrain_.end());
  return s;
}

void StoppingRule::restore(const State& state)
{
  previousAverage_ = state.previousAverage;
  globalTrain_ = state.window;
}

std::optional<StopReason> StoppingRule::afterStep(int step, double globalTrain,
                                                  const std::function<double()>& worstPixelLoss)
{
  globalTrain_.push_back(globalTrain);
  if (!isCheckStep(step))
  {
    return std::nullopt;
  }
  // "Satisfying reconstruction": never on the last step (the reference tests epoch < max_epoch).
  if (tolerance_ > 0 && step < maxSteps_ && worstPixelLoss() <= tolerance_)
  {
    return StopReason::Tolerance;
  }
  // Slow convergence, only in the second half: the first comparison is against 1e10, so the earliest real
  // stop is at 0.7·maxSteps.
  if (slowAfter_ < step && step < maxSteps_)
  {
    const int k = checkEvery_;
    double sum = 0;
    for (size_t i = globalTrain_.size() - k; i < globalTrain_.size(); ++i)
    {
      sum += globalTrain_[i];
    }
    const double average = sum / k;
    if ((previousAverage_ - average) / previousAverage_ < slowConvergence_)
    {
      return StopReason::SlowProgress;
    }
    previousAverage_ = average;
  }
  return std::nullopt;
}

} // namespace mrcae
