#pragma once
// The RED-Net baseline of the paper's benchmarks (SPEC.md §7.2), trained with the same loss, metric, optimiser,
// stopping rules and seed handling as MrCAE. Torch-free header (pimpl).
//
// It walks the (level k, stage j) sequence of a MrCAE architecture and trains a *fresh* network per stage on
// level-k data, with channels [1, arch[k][j], arch[k−1].back(), …, arch[0].back()]. Stage s (1-based over the
// run) gets s × steps[k] steps. The reference's loop counts every step twice, so it really took half of its
// budget; we take the budget as stated. A stage whose network has no more parameters than the previous one is
// skipped, as in the reference.

#include "mrcae/model/Dataset.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <memory>
#include <vector>

namespace mrcae
{

class RedNetBaseline
{
public:
  /// `config` gives levels, base steps per level, activation (identity = linear RED-Net, relu) and every
  /// optimiser setting; `arch` is the architecture MrCAE reached (cumulative channels per level).
  RedNetBaseline(Dataset data, TrainingConfig config, std::vector<std::vector<int>> arch);
  ~RedNetBaseline();
  RedNetBaseline(RedNetBaseline&&) noexcept;

  void run(TrainingObserver* observer = nullptr, StopToken* stop = nullptr);
  const std::vector<StageRecord>& stages() const;
  const std::vector<StepRecord>& curves() const;

  /// One entry per stage of the schedule: level and channels (before skipping).
  struct PlannedStage
  {
    int level = 0;
    std::vector<int> channels;
    int steps = 0;
  };
  static std::vector<PlannedStage> plan(const std::vector<std::vector<int>>& arch, const std::vector<int>& steps);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mrcae
