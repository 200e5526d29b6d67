#include "mrcae/engine/BenchmarkRun.h"

#include "mrcae/engine/CompressionBaselines.h"
#include "mrcae/engine/RedNetBaseline.h"
#include "mrcae/engine/Trainer.h"

#include <algorithm>
#include <chrono>

namespace mrcae
{

namespace
{

struct Trained
{
  std::vector<StageRecord> stages;
  std::vector<std::vector<int>> architecture; ///< cumulative widths reached (MrCAE runs)
  std::vector<CompressionResult> settings;    ///< a compressor's, one per stage of MrCAE (PR)
};

/// A compressor set, for each stage of MrCAE (PR), to take per snapshot what PR's codes take then, on the split
/// PR trained with.
std::vector<CompressionResult> compress(const Dataset& data, Method method, const TrainingConfig& config,
                                        const std::vector<StageRecord>& prStages, StopToken* stop)
{
  std::vector<long long> targets;
  for (const auto& s : prStages)
  {
    targets.push_back(std::max<long long>(s.codeValues, 0));
  }
  const Split split = Dataset::makeSplit(data.field.t, config.seed, config.trainFraction, config.valFraction);
  std::vector<CompressionResult> out =
      method == Method::Pod ? podAgainstStages(data, split, config, targets, stop)
                            : zfpAgainstStages(data, split, config, targets, method == Method::ZfpRate, stop);
  for (auto& r : out)
  {
    r.matchedLevel = prStages.at(static_cast<size_t>(r.matchedStage)).level;
  }
  return out;
}

Trained train(const Dataset& data, Method method, const TrainingConfig& config,
              const std::vector<std::vector<int>>& prArchitecture, const std::vector<StageRecord>& prStages,
              TrainingObserver* observer, StopToken* stop)
{
  switch (BenchmarkProtocol::kindOf(method))
  {
  case BenchmarkProtocol::Kind::Mrcae:
  {
    Trainer t(data, config);
    t.run(observer, stop);
    return {t.stages(), t.architecture().cumulativeWidths(), {}};
  }
  case BenchmarkProtocol::Kind::RedNet:
  {
    RedNetBaseline r(data, config, prArchitecture);
    r.run(observer, stop);
    return {r.stages(), {}, {}};
  }
  case BenchmarkProtocol::Kind::Compressor: return {{}, {}, compress(data, method, config, prStages, stop)};
  }
  return {};
}

} // namespace

BenchmarkTable runBenchmark(const Dataset& data, const BenchmarkProtocol& protocol, BenchmarkObserver* observer,
                            StopToken* stop)
{
  BenchmarkTable table;
  std::vector<std::vector<int>> prArchitecture;
  std::vector<StageRecord> prStages;
  for (Method method : protocol.runOrder())
  {
    if (method != Method::MrcaePr && stop && stop->stopRequested())
    {
      break;
    }
    const TrainingConfig config = protocol.configFor(method, prArchitecture);
    TrainingObserver* progress = observer ? observer->methodStarted(method, config) : nullptr;
    const auto t0 = std::chrono::steady_clock::now();
    Trained trained = train(data, method, config, prArchitecture, prStages, progress, stop);
    MethodRun run{method, std::move(trained.stages), std::move(trained.settings),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
    if (method == Method::MrcaePr)
    {
      prArchitecture = trained.architecture;
      prStages = run.stages;
    }
    if (protocol.reports(method))
    {
      for (const auto& s : run.stages)
      {
        table.addStage(method, s);
      }
      for (const auto& r : run.settings)
      {
        table.addSetting(method, r);
        if (observer)
        {
          observer->settingFinished(method, r);
        }
      }
      table.setSeconds(method, run.seconds);
    }
    if (observer)
    {
      observer->methodFinished(run, stop && stop->stopRequested());
    }
  }
  return table;
}

} // namespace mrcae
