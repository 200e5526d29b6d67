#include "Progress.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace mrcae::cli
{

namespace
{

std::string clock(double seconds)
{
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

} // namespace

Progress::Progress(const TrainingConfig& config, int stagesDone, bool quiet, bool growingBudget)
  : config_(config), quiet_(quiet), growingBudget_(growingBudget), terminal_(::isatty(STDERR_FILENO) != 0),
    stage_(stagesDone)
{
  plannedStages_ = 0;
  for (const auto& a : config.archs)
  {
    plannedStages_ += static_cast<int>(a.size());
  }
}

long long Progress::remainingSteps(int stepInStage) const
{
  long long rest = maxSteps_ - stepInStage;
  if (growingBudget_)
  {
    // Stages run in schedule order, stage s with s × its level's steps.
    int s = 0;
    for (int k = 0; k < config_.levels; ++k)
    {
      for (size_t j = 0; j < config_.archs[k].size(); ++j, ++s)
      {
        rest += s > stage_ ? static_cast<long long>(s + 1) * config_.steps[k] : 0;
      }
    }
    return rest;
  }
  // Later stages of this level, then whole later levels (levels may clear early: an upper bound).
  rest += static_cast<long long>(config_.archs[level_].size() - 1 - group_) * config_.steps[level_];
  for (int k = level_ + 1; k < config_.levels; ++k)
  {
    rest += static_cast<long long>(config_.archs[k].size()) * config_.steps[k];
  }
  return rest;
}

void Progress::stageStarted(int stage, int level, int group, StageOp op, int maxSteps)
{
  stage_ = stage;
  level_ = level;
  group_ = group;
  op_ = token(op);
  maxSteps_ = maxSteps;
  stageStart_ = std::chrono::steady_clock::now();
  lastPrint_ = stageStart_;
  stepBeforeStart_ = -1;
}

void Progress::print(const StepRecord& r, bool force)
{
  if (quiet_)
  {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (!force && std::chrono::duration<double>(now - lastPrint_).count() < (terminal_ ? 0.2 : 10.0))
  {
    return;
  }
  lastPrint_ = now;
  const double elapsed = std::chrono::duration<double>(now - stageStart_).count();
  // A resumed stage starts at its saved step: the rate counts the steps taken since this process began it.
  const double rate = elapsed > 0 ? (r.step - std::max(stepBeforeStart_, 0)) / elapsed : 0.0;
  const double eta = rate > 0 ? remainingSteps(r.step) / rate : 0.0;
  std::fprintf(stderr, "%sstage %d/%d L%d %s g%d | step %d/%d | loss %.3e val %.3e | %.1f steps/s | ETA <%s%s",
               terminal_ ? "\r" : "", stage_ + 1, plannedStages_, level_, op_.c_str(), group_, r.step, maxSteps_,
               r.globalTrain, r.globalVal, rate, clock(eta).c_str(), terminal_ ? "   " : "\n");
  std::fflush(stderr);
}

void Progress::stepsDone(const std::vector<StepRecord>& steps)
{
  if (!steps.empty())
  {
    if (stepBeforeStart_ < 0)
    {
      stepBeforeStart_ = steps.front().step - 1;
    }
    print(steps.back(), false);
  }
}

void Progress::stageFinished(const StageRecord& r)
{
  if (quiet_)
  {
    return;
  }
  std::fprintf(stderr, "%sstage %d/%d L%d %s g%d: %d steps (%s), params %lld, best global val %.4e, %.1f s",
               terminal_ ? "\r" : "", r.stage + 1, plannedStages_, r.level, token(r.op).c_str(), r.group, r.steps,
               toString(r.stopReason).c_str(), r.params, r.bestGlobalVal, r.seconds);
  if (r.unresolved >= 0)
  {
    std::fprintf(stderr, ", unresolved %d/%d (dilated %d)%s", r.unresolved, r.mapPixels, r.dilated,
                 r.levelClear ? ", level clear" : "");
  }
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

} // namespace mrcae::cli
