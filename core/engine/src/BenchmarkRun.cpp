#include "mrcae/engine/BenchmarkRun.h"

#include "mrcae/engine/RedNetBaseline.h"
#include "mrcae/engine/Trainer.h"

#include <chrono>

namespace mrcae
{

namespace
{

struct Trained
{
  std::vector<StageRecord> stages;
  std::vector<std::vector<int>> architecture; ///< cumulative widths reached (MrCAE runs)
};

Trained train(const Dataset& data, Method method, const TrainingConfig& config,
              const std::vector<std::vector<int>>& prArchitecture, TrainingObserver* observer, StopToken* stop)
{
  switch (BenchmarkProtocol::kindOf(method))
  {
  case BenchmarkProtocol::Kind::Mrcae:
  {
    Trainer t(data, config);
    t.run(observer, stop);
    return {t.stages(), t.architecture().cumulativeWidths()};
  }
  case BenchmarkProtocol::Kind::RedNet:
  {
    RedNetBaseline r(data, config, prArchitecture);
    r.run(observer, stop);
    return {r.stages(), {}};
  }
  }
  return {};
}

} // namespace

BenchmarkTable runBenchmark(const Dataset& data, const BenchmarkProtocol& protocol, BenchmarkObserver* observer,
                            StopToken* stop)
{
  BenchmarkTable table;
  std::vector<std::vector<int>> prArchitecture;
  for (Method method : protocol.runOrder())
  {
    if (method != Method::MrcaePr && stop && stop->stopRequested())
    {
      break;
    }
    const TrainingConfig config = protocol.configFor(method, prArchitecture);
    TrainingObserver* progress = observer ? observer->methodStarted(method, config) : nullptr;
    const auto t0 = std::chrono::steady_clock::now();
    Trained trained = train(data, method, config, prArchitecture, progress, stop);
    MethodRun run{method, std::move(trained.stages),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
    if (method == Method::MrcaePr)
    {
      prArchitecture = trained.architecture;
    }
    if (protocol.reports(method))
    {
      for (const auto& s : run.stages)
      {
        table.addStage(method, s);
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
