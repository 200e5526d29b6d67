#pragma once
// Training progress on stderr: stage k/N, step, losses, steps/s and ETA. A live line on a terminal, one line
// per check otherwise (logs stay readable).

#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <chrono>
#include <string>

namespace mrcae::cli
{

class Progress : public TrainingObserver
{
public:
  /// `growingBudget`: stage s (1-based over the run) has s × the level's steps, as RED-Net's stages (SPEC §7.2).
  Progress(const TrainingConfig& config, int stagesDone, bool quiet, bool growingBudget = false);

  void stageStarted(int stage, int level, int group, StageOp op, int maxSteps) override;
  void stepsDone(const std::vector<StepRecord>& steps) override;
  void stageFinished(const StageRecord& record) override;

private:
  void print(const StepRecord& last, bool force);
  /// Upper bound of the steps still to run: the rest of this stage plus every later stage's budget.
  long long remainingSteps(int stepInStage) const;

  TrainingConfig config_;
  bool quiet_;
  bool growingBudget_;
  bool terminal_;
  int plannedStages_;
  int stage_ = 0;
  int level_ = 0;
  int group_ = 0;
  int maxSteps_ = 0;
  std::string op_;
  std::chrono::steady_clock::time_point stageStart_;
  std::chrono::steady_clock::time_point lastPrint_;
  int stepBeforeStart_ = -1; ///< the step a stage was at when this process began it (a resume starts mid-stage)
};

} // namespace mrcae::cli
