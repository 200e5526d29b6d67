// CPU and CUDA agree: one stage trained with the same seed and configuration on both gives the same errors
// within a stated tolerance. The CPU half runs everywhere (two CPU runs with one seed agree bit for bit, so this
// fails here when the CPU path breaks); without a CUDA device the test then exits with 77, which CTest shows as
// skipped. Plain C++ (no Qt): the GPU machine builds it with MRCAE_BUILD_GUI=OFF.

#include "Check.h"

#include "mrcae/engine/Device.h"
#include "mrcae/engine/Trainer.h"

#include <cstdio>

using namespace mrcae;
using devicetest::curvesDiffer;
using devicetest::relativeDifference;
using devicetest::stagesDiffer;
using devicetest::weightsDiffer;

namespace
{

constexpr int kSkipped = 77;

/// Stops the run when its first stage has ended: "one stage".
class FirstStageOnly : public TrainingObserver
{
public:
  explicit FirstStageOnly(StopToken& token) : token_(token) {}
  void stageFinished(const StageRecord&) override { token_.requestStop(); }

private:
  StopToken& token_;
};

/// toy1 (20 snapshots at the paper's 127 x 127), the notebook configuration, 100 steps in the first stage: the
/// level-0 deepen, whose global metric prolongates twice to the native grid. `batch` < 14 samples batches. No
/// tolerance is met and the slow-convergence rule fires only when the error rises from one check window to the
/// next (it does at step 80 here), so that no stopping decision hangs on rounding: both devices stop at the same
/// step.
TrainingConfig agreementConfig(int batch, const std::string& device)
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.steps = {100, 10, 10};
  c.tols = {1e-12, 1e-12, 1e-12};
  c.slowConvergence = 0;
  c.batch = batch;
  c.threads = 1;
  c.seed = 3;
  c.device = device;
  return c;
}

Trainer trainFirstStage(const TrainingConfig& c)
{
  Trainer t(generateToy("toy1", 20, 127), c);
  StopToken stop;
  FirstStageOnly observer(stop);
  t.run(&observer, &stop);
  return t;
}

void cpuRunsWithOneSeedAgreeBitForBit()
{
  for (int batch : {350, 6})
  {
    const TrainingConfig c = agreementConfig(batch, "cpu");
    const Trainer a = trainFirstStage(c), b = trainFirstStage(c);
    VERIFY_MSG(a.stages().size() == 1 && a.stages()[0].steps >= 50,
               a.stages().size() << " stages, the first " << a.stages().at(0).steps << " steps, "
                                 << toString(a.stages().at(0).stopReason));
    const std::string curves = curvesDiffer(a.curves(), b.curves()), stages = stagesDiffer(a.stages(), b.stages()),
                      weights = weightsDiffer(a, b);
    VERIFY_MSG(curves.empty(), "batch " << batch << ": " << curves);
    VERIFY_MSG(stages.empty(), "batch " << batch << ": " << stages);
    VERIFY_MSG(weights.empty(), "batch " << batch << ": " << weights);
  }
}

/// Tolerance: 1e-3 relative on the stage's best and last global validation errors. Both devices start from
/// the same weights (drawn on the CPU generator), see the same split and the same batches (drawn on the host),
/// and compute in float32 (TF32 is off on CUDA: device::configure); what differs is the order of the sums (our
/// CPU row kernels against cuDNN and ATen's CUDA reductions), about 1e-7 relative per operation. Adam with eps
/// 1e-3 carries those differences along without amplifying them much in 100 steps, but the max term of the
/// loss can pick another pixel where two are within rounding, so the bound is well above float32 rounding
/// and well below the error's change between two checks (several per cent).
void cudaAgreesWithCpuOnOneStage()
{
  constexpr double kTolerance = 1e-3;
  for (int batch : {350, 6})
  {
    const Trainer cpu = trainFirstStage(agreementConfig(batch, "cpu"));
    const Trainer gpu = trainFirstStage(agreementConfig(batch, "cuda"));
    VERIFY(gpu.deviceName() == "cuda");
    VERIFY(cpu.stages().size() == 1 && gpu.stages().size() == 1);
    VERIFY_MSG(cpu.stages()[0].steps == gpu.stages()[0].steps, "the stage took "
                                                                   << cpu.stages()[0].steps << " steps on the CPU, "
                                                                   << gpu.stages()[0].steps << " on CUDA");
    VERIFY(cpu.curves().size() == gpu.curves().size());
    const double best = relativeDifference(cpu.stages()[0].bestGlobalVal, gpu.stages()[0].bestGlobalVal);
    const double last = relativeDifference(cpu.curves().back().globalVal, gpu.curves().back().globalVal);
    double worstStep = 0;
    for (size_t i = 0; i < cpu.curves().size(); ++i)
    {
      worstStep = std::max(worstStep, relativeDifference(cpu.curves()[i].globalVal, gpu.curves()[i].globalVal));
    }
    std::printf("  batch %d: best global val cpu %.9e cuda %.9e (rel. diff %.2e), last step %.2e, worst step "
                "%.2e\n",
                batch, cpu.stages()[0].bestGlobalVal, gpu.stages()[0].bestGlobalVal, best, last, worstStep);
    VERIFY_MSG(best <= kTolerance, "best global val differs by " << best << " (relative)");
    VERIFY_MSG(last <= kTolerance, "last step's global val differs by " << last << " (relative)");
  }
}

} // namespace

int main()
{
  int passed = 0, failed = 0;
  (check::run("cpuRunsWithOneSeedAgreeBitForBit", cpuRunsWithOneSeedAgreeBitForBit) ? passed : failed)++;
  const CudaStatus s = cudaStatus();
  if (failed == 0 && !s.available)
  {
    std::printf("SKIP cudaAgreesWithCpuOnOneStage: %s\n", s.reason.c_str());
    std::printf("%d passed, %d failed, 1 skipped\n", passed, failed);
    return kSkipped;
  }
  if (s.available)
  {
    std::printf("CUDA device: %s\n", s.name.empty() ? "(name unknown)" : s.name.c_str());
    (check::run("cudaAgreesWithCpuOnOneStage", cudaAgreesWithCpuOnOneStage) ? passed : failed)++;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
