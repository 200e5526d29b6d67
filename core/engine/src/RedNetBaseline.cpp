#include "mrcae/engine/RedNetBaseline.h"

#include "RedNet.h"
#include "StageRun.h"
#include "TrainerImpl.h"
#include "mrcae/model/DeviceError.h"
#include "mrcae/model/InputError.h"

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>

namespace mrcae
{

struct RedNetBaseline::Impl
{
  Trainer::Impl run; ///< data on the device, split, level data, prolongation (the MrCAE model stays unused)
  std::vector<std::vector<int>> arch;
  std::vector<StageRecord> stages;
  size_t nextPlanned = 0;
  long long previousParams = 0;
};

std::vector<RedNetBaseline::PlannedStage> RedNetBaseline::plan(const std::vector<std::vector<int>>& arch,
                                                               const std::vector<int>& steps)
{
  std::vector<PlannedStage> out;
  int s = 0;
  for (size_t k = 0; k < arch.size(); ++k)
  {
    for (size_t j = 0; j < arch[k].size(); ++j)
    {
      PlannedStage p;
      p.level = static_cast<int>(k);
      p.channels = {1, arch[k][j]};
      for (size_t c = k; c-- > 0;)
      {
        p.channels.push_back(arch[c].back());
      }
      p.steps = (++s) * steps.at(k);
      out.push_back(p);
    }
  }
  return out;
}

RedNetBaseline::RedNetBaseline(Dataset data, TrainingConfig config, std::vector<std::vector<int>> arch)
  : impl_(std::make_unique<Impl>())
{
  // The baseline has no maps and no tolerance; the arch doubles as the config's schedule for validation.
  config.tols.clear();
  config.archs = arch;
  impl_->run.data = std::move(data);
  impl_->run.config = std::move(config);
  impl_->run.prepare();
  impl_->arch = std::move(arch);
}

RedNetBaseline::~RedNetBaseline() = default;
RedNetBaseline::RedNetBaseline(RedNetBaseline&&) noexcept = default;

const std::vector<StageRecord>& RedNetBaseline::stages() const
{
  return impl_->stages;
}

const std::vector<StepRecord>& RedNetBaseline::curves() const
{
  return impl_->run.curves;
}

void RedNetBaseline::run(TrainingObserver* observer, StopToken* stop)
{
  Impl& m = *impl_;
  const TrainingConfig& c = m.run.config;
  const auto planned = plan(m.arch, c.steps);
  for (; m.nextPlanned < planned.size(); ++m.nextPlanned)
  {
    if (stop && stop->stopRequested())
    {
      return;
    }
    const PlannedStage& p = planned[m.nextPlanned];
    const long long params = RedNetImpl::parameterCount(p.channels);
    if (params <= m.previousParams)
    {
      continue; // no more parameters than the previous stage: skipped, as in the reference
    }
    const auto t0 = std::chrono::steady_clock::now();
    const int stageIndex = static_cast<int>(m.nextPlanned);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(c.seed * 1000003ULL + static_cast<std::uint64_t>(stageIndex));
    RedNet net(p.channels, c.activation, c.initStd, gen, m.run.device);
    if (observer)
    {
      observer->stageStarted(stageIndex, p.level, 0, StageOp::RedNet, p.steps);
    }
    StageData d = m.run.stageData(p.level);
    if (c.landMask == LandMaskMode::Reference)
    {
      // The reference's RED-Net reports its global metric without the land mask (SPEC §7.2). In consistent mode
      // (the default) it gets exactly MrCAE's treatment, so that the benchmark compares like with like.
      d.maxMask = torch::Tensor();
      d.globalIsLocal = d.prolongations == 0;
    }
    const Forward forward = [&net](const torch::Tensor& x) { return net->forward(x); };
    StageHooks hooks;
    hooks.curves = &m.run.curves;
    hooks.observer = observer;
    hooks.stop = stop;
    const StageOutcome outcome =
        StageRun(c, {d, forward, net->parameters(), p.steps, 0.0, {stageIndex, p.level, 0}}, gen, std::move(hooks))
            .run();
    if (outcome.outOfMemory)
    {
      // A baseline stage is a fresh network: nothing to go on with. The stages before it are kept.
      const bool cuda = m.run.device.is_cuda();
      throw DeviceError(DeviceError::Kind::OutOfMemory, cuda ? "cuda" : "cpu",
                        SettingText() << (cuda ? "the CUDA device" : "the CPU")
                                      << " ran out of memory in RED-Net stage " << stageIndex + 1 << " ("
                                      << outcome.error << "): use a smaller " << Setting::Batch << " or fewer "
                                      << Setting::Snapshots << ", or " << Setting::Device << " cpu",
                        stageIndex, outcome.steps, false);
    }
    StageRecord rec;
    rec.stage = stageIndex;
    rec.level = p.level;
    rec.op = StageOp::RedNet;
    rec.addedChannels = p.channels[1];
    rec.params = params;
    rec.steps = outcome.steps;
    rec.bestStep = outcome.restoredStep;
    rec.stopReason = outcome.reason;
    rec.bestGlobalVal = globalValError(forward, d, c.w);
    rec.mapPixels = static_cast<int>((d.xTrain.size(2) - 1) / 2 * ((d.xTrain.size(3) - 1) / 2));
    // Size of encoding for the baselines (SPEC §7.3), cumulative like MrCAE's: every finished level with its
    // final width, plus this level's code grid times the current width.
    rec.encodingSize = static_cast<long long>(rec.mapPixels) * p.channels[1];
    for (int k = 0; k < p.level; ++k)
    {
      const StageData earlier = m.run.stageData(k);
      rec.encodingSize += (earlier.xTrain.size(2) - 1) / 2 * ((earlier.xTrain.size(3) - 1) / 2) * m.arch[k].back();
    }
    // Decoding needs every hidden layer (the skips add them back), so the count is also what would be stored.
    rec.codeValues = rec.encodingSize;
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.stages.push_back(rec);
    m.previousParams = params;
    if (observer)
    {
      observer->stageFinished(rec);
    }
    if (outcome.reason == StopReason::UserStop || outcome.reason == StopReason::Diverged)
    {
      ++m.nextPlanned;
      return;
    }
  }
}

} // namespace mrcae
