// Device plumbing without a GPU: the refusal of CUDA where there is none, "auto", Trainer::moveTo, and what a
// run keeps when the device runs out of memory (a test seam throws LibTorch's out-of-memory error at chosen
// points). Where CUDA exists, moveTo also does a CPU -> CUDA -> CPU round trip. Plain C++ (no Qt).

#include "Check.h"

#include "DeviceSupport.h"
#include "mrcae/engine/Device.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DeviceError.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>

using namespace mrcae;
using devicetest::curvesDiffer;
using devicetest::smallConfig;
using devicetest::smallData;
using devicetest::stagesDiffer;
using devicetest::weightsDiffer;

namespace
{

/// Asks to stop once the run has passed step `step` of stage `stage` (seen at the next flush of losses).
class StopAfter : public TrainingObserver
{
public:
  StopAfter(StopToken& token, int stage, int step) : token_(token), stage_(stage), step_(step) {}
  void stepsDone(const std::vector<StepRecord>& steps) override
  {
    for (const auto& s : steps)
    {
      if (s.stage == stage_ && s.step >= step_)
      {
        token_.requestStop();
      }
    }
  }

private:
  StopToken& token_;
  int stage_, step_;
};

bool sameReconstructions(const Snapshot& a, const Snapshot& b)
{
  if (a.reconstructions.size() != b.reconstructions.size())
  {
    return false;
  }
  for (size_t k = 0; k < a.reconstructions.size(); ++k)
  {
    if (a.reconstructions[k].data != b.reconstructions[k].data)
    {
      return false;
    }
  }
  return true;
}

/// Runs `b` until the seam fires, checks the DeviceError it throws, and returns it.
template <typename F>
void expectOutOfMemory(Trainer& b, int stage, int steps, bool exact, const F& more)
{
  bool thrown = false;
  try
  {
    b.run();
  }
  catch (const DeviceError& e)
  {
    thrown = true;
    const std::string m = e.what();
    VERIFY_MSG(e.kind() == DeviceError::Kind::OutOfMemory, m);
    VERIFY_MSG(e.stage() == stage, "stage " << e.stage() << ", expected " << stage);
    VERIFY_MSG(e.steps() == steps, "steps " << e.steps() << ", expected " << steps);
    VERIFY_MSG(e.exact() == exact, m);
    VERIFY_MSG(m.find("ran out of memory") != std::string::npos, m);
    // What to change, named as settings: each front end says them its own way (--batch, "Batch").
    const auto named = e.message().settings();
    VERIFY_MSG(std::count(named.begin(), named.end(), Setting::Batch) == 1 &&
                   std::count(named.begin(), named.end(), Setting::Device) == 1,
               m);
    VERIFY_MSG(m.find("smaller batch") != std::string::npos && m.find("device cpu") != std::string::npos, m);
    VERIFY_MSG(m.find('\n') == std::string::npos, "not one line: " << m);
    more(e);
  }
  VERIFY_MSG(thrown, "no DeviceError from the run");
}

// ------------------------------------------------------------------------------------------------------------

void cudaIsRefusedWithAClearMessage()
{
  const CudaStatus s = cudaStatus();
  if (s.available)
  {
    std::printf("  (CUDA is available here: the refusal is not checked)\n");
    return;
  }
  VERIFY(!s.reason.empty());
  TrainingConfig c = smallConfig({3, 2, 2});
  c.device = "cuda";
  // A DeviceError is an InputError (exit code 2 in the CLI) with one line that says what to do.
  VERIFY_THROWS(InputError, Trainer(smallData(), c), "use device cpu");
  try
  {
    Trainer t(smallData(), c);
  }
  catch (const DeviceError& e)
  {
    VERIFY(e.kind() == DeviceError::Kind::Unavailable);
    VERIFY(e.device() == "cuda");
    VERIFY_MSG(std::string(e.what()).find("CUDA was asked for but cannot be used") != std::string::npos, e.what());
  }
  // moveTo refuses too, and the trainer stays usable where it is.
  c.device = "cpu";
  Trainer t(smallData(), c);
  VERIFY_THROWS(DeviceError, t.moveTo("cuda"), "use device cpu");
  VERIFY_THROWS(InputError, t.moveTo("tpu"), "device must be cpu, cuda or auto");
  VERIFY(t.deviceName() == "cpu");
  VERIFY(t.config().device == "cpu");
  t.run();
  VERIFY(t.finished());
}

void autoPicksCudaWhenAvailable()
{
  TrainingConfig c = smallConfig({3, 2, 2});
  c.device = "auto";
  Trainer t(smallData(), c);
  VERIFY(t.deviceName() == (cudaStatus().available ? "cuda" : "cpu"));
}

void moveToKeepsTrainingBitForBit()
{
  const TrainingConfig c = smallConfig();
  Trainer a(smallData(), c);
  a.run();

  Trainer b(smallData(), c);
  StopToken stop;
  StopAfter observer(stop, 1, 5);
  b.run(&observer, &stop);
  VERIFY(!b.finished());
  VERIFY(b.stages().size() == 2 && b.stages()[1].stopReason == StopReason::UserStop);
  const Snapshot before = b.snapshot();
  b.moveTo("cpu"); // the same device: nothing moves
  VERIFY(b.deviceName() == "cpu");
  VERIFY(sameReconstructions(before, b.snapshot()));
  if (cudaStatus().available)
  {
    // A round trip through the GPU copies every tensor there and back: nothing changes.
    b.moveTo("cuda");
    VERIFY(b.deviceName() == "cuda" && b.config().device == "cuda");
    b.moveTo("cpu");
    VERIFY(sameReconstructions(before, b.snapshot()));
  }
  stop.stop = false;
  b.run();
  VERIFY(b.finished());
  const std::string curves = curvesDiffer(a.curves(), b.curves()), stages = stagesDiffer(a.stages(), b.stages()),
                    weights = weightsDiffer(a, b);
  VERIFY_MSG(curves.empty(), curves);
  VERIFY_MSG(stages.empty(), stages);
  VERIFY_MSG(weights.empty(), weights);
}

/// Out of memory before a step (the forward, the losses, the backward: where memory runs out in practice): the
/// stage stops at the step before, and going on (on the CPU) gives the uninterrupted run bit for bit; with full
/// and with sampled batches (the failed step draws its batch again).
void outOfMemoryBeforeAStepIsExact()
{
  for (int batch : {350, 6})
  {
    TrainingConfig c = smallConfig();
    c.batch = batch; // 14 training snapshots: 350 is the full batch
    Trainer a(smallData(), c);
    a.run();
    Trainer b(smallData(), c);
    seam::armOutOfMemory(seam::OutOfMemoryPoint::BeforeStep, 1, 7);
    const int failuresBefore = check::failures();
    expectOutOfMemory(b, 1, 6, true, [](const DeviceError&) {});
    if (check::failures() != failuresBefore)
    {
      return;
    }
    VERIFY(b.stages().size() == 2);
    VERIFY(b.stages()[1].stopReason == StopReason::UserStop);
    VERIFY(b.stages()[1].steps == 6);
    VERIFY(b.hasStageState());
    const ResumePoint p = b.resumePoint();
    VERIFY(p.continuesStage && p.stage == 1 && p.fromStep == 6 && p.maxSteps == 20);
    b.moveTo("cpu");
    b.run();
    VERIFY(b.finished());
    const std::string curves = curvesDiffer(a.curves(), b.curves()), stages = stagesDiffer(a.stages(), b.stages()),
                      weights = weightsDiffer(a, b);
    VERIFY_MSG(curves.empty(), "batch " << batch << ": " << curves);
    VERIFY_MSG(stages.empty(), "batch " << batch << ": " << stages);
    VERIFY_MSG(weights.empty(), "batch " << batch << ": " << weights);
  }
}

/// Out of memory inside the parameter update: the iterate and Adam's moments are dropped, the model holds the
/// stage's best state, and the stage goes on from it with a fresh Adam for the steps that remain.
void outOfMemoryInTheUpdateKeepsTheBestState()
{
  const TrainingConfig c = smallConfig();
  Trainer a(smallData(), c);
  a.run();
  Trainer b(smallData(), c);
  seam::armOutOfMemory(seam::OutOfMemoryPoint::InUpdate, 1, 7);
  const int failuresBefore = check::failures();
  expectOutOfMemory(b, 1, 6, false, [](const DeviceError& e) {
    VERIFY_MSG(std::string(e.what()).find("fresh Adam") != std::string::npos, e.what());
  });
  if (check::failures() != failuresBefore)
  {
    return;
  }
  const StageRecord& r = b.stages().at(1);
  VERIFY(r.stopReason == StopReason::UserStop && r.steps == 6);
  VERIFY(r.bestStep >= 1 && r.bestStep <= 7);
  double lowest = std::numeric_limits<double>::infinity();
  for (const auto& s : b.curves())
  {
    if (s.stage == 1)
    {
      lowest = std::min(lowest, s.globalVal);
    }
  }
  VERIFY_MSG(r.bestGlobalVal <= lowest, r.bestGlobalVal << " > " << lowest);
  b.run();
  VERIFY(b.finished());
  VERIFY(b.stages().size() == a.stages().size());
  VERIFY(b.stages()[1].steps > 6);
  // Stage 1's curve has each step once, in order (1..6, then 7.. from the best state).
  int expected = 1;
  for (const auto& s : b.curves())
  {
    if (s.stage == 1)
    {
      VERIFY_MSG(s.step == expected, "step " << s.step << ", expected " << expected);
      ++expected;
    }
  }
  VERIFY(expected == b.stages()[1].steps + 1);
  // Stage 0 is untouched.
  VERIFY(b.stages()[0].bestGlobalVal == a.stages()[0].bestGlobalVal);
}

/// Out of memory in a stopping check (the tolerance test's forward over the training set), after a complete
/// step: that check's tolerance test is lost (taken as not met; nothing meets these tolerances), the rest is
/// exact.
void outOfMemoryAtACheckIsExact()
{
  const TrainingConfig c = smallConfig();
  Trainer a(smallData(), c);
  a.run();
  Trainer b(smallData(), c);
  seam::armOutOfMemory(seam::OutOfMemoryPoint::AtCheck, 1, 8); // K = 2: step 8 is a check
  const int failuresBefore = check::failures();
  expectOutOfMemory(b, 1, 8, true, [](const DeviceError&) {});
  if (check::failures() != failuresBefore)
  {
    return;
  }
  VERIFY(b.stages().size() == 2 && b.stages()[1].steps == 8);
  b.run();
  const std::string curves = curvesDiffer(a.curves(), b.curves()), stages = stagesDiffer(a.stages(), b.stages()),
                    weights = weightsDiffer(a, b);
  VERIFY_MSG(curves.empty(), curves);
  VERIFY_MSG(stages.empty(), stages);
  VERIFY_MSG(weights.empty(), weights);
}

/// Out of memory while a finished stage is recorded (its validation error, its resolved map): every step is
/// kept; going on records the stage again without more steps. Also through a saved file (HDF5 builds), as the
/// CLI saves after a failure and `mrcae resume --device cpu` goes on.
void outOfMemoryWhileRecordingIsExact()
{
  const TrainingConfig c = smallConfig();
  Trainer a(smallData(), c);
  a.run();
  Trainer b(smallData(), c);
  seam::armOutOfMemory(seam::OutOfMemoryPoint::AfterStage, 2);
  const int failuresBefore = check::failures();
  const int steps = a.stages().at(2).steps; // the level-1 deepen: 10 steps, or fewer on slow convergence
  expectOutOfMemory(b, 2, steps, true, [](const DeviceError&) {});
  if (check::failures() != failuresBefore)
  {
    return;
  }
  VERIFY(b.stages().size() == 3);
  VERIFY(b.stages()[2].stopReason == a.stages()[2].stopReason); // how it ended; the rest of the record is provisional
  VERIFY(b.stages()[2].unresolved == -1);
  const ResumePoint p = b.resumePoint();
  VERIFY(p.continuesStage && p.stage == 2 && p.fromStep == steps && p.maxSteps == steps);
#ifdef MRCAE_WITH_HDF5
  const std::filesystem::path dir = std::filesystem::path(TEST_OUTPUT_DIR) / "test_device";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "oom.mrcae.h5").string();
  b.save(file);
  Trainer r = Trainer::fromModelFile(file, smallData(), "cpu");
  r.run();
  VERIFY(r.finished());
  const std::string fileStages = stagesDiffer(a.stages(), r.stages()), fileWeights = weightsDiffer(a, r);
  VERIFY_MSG(fileStages.empty(), "through the file: " << fileStages);
  VERIFY_MSG(fileWeights.empty(), "through the file: " << fileWeights);
#endif
  b.run();
  VERIFY(b.finished());
  VERIFY(b.stages()[2].stopReason == a.stages()[2].stopReason);
  const std::string curves = curvesDiffer(a.curves(), b.curves()), stages = stagesDiffer(a.stages(), b.stages()),
                    weights = weightsDiffer(a, b);
  VERIFY_MSG(curves.empty(), curves);
  VERIFY_MSG(stages.empty(), stages);
  VERIFY_MSG(weights.empty(), weights);
}

/// A real CUDA out-of-memory error (the caching allocator capped just above the data): the run stops with a
/// DeviceError before its first step changed anything, moves to the CPU and finishes there, bit for bit as a run
/// that was on the CPU all along (the initial weights come from the CPU generator on both).
void realCudaOutOfMemoryFallsBackToTheCpu()
{
  if (!cudaStatus().available)
  {
    std::printf("  (no CUDA device: not run)\n");
    return;
  }
  TrainingConfig c = smallConfig({6, 4, 4});
  const Dataset data = generateToy("toy1", 100, 255); // 26 MB native; a level-0 step prolongates to 255 x 255
  Trainer cpu(data, c);
  cpu.run();
  c.device = "cuda";
  Trainer b(data, c);
  const torch::Device cuda(torch::kCUDA);
  VERIFY(device::capDeviceMemory(cuda, 1 << 20)); // 1 MB more than the data hold
  bool thrown = false;
  try
  {
    b.run();
  }
  catch (const DeviceError& e)
  {
    thrown = true;
    std::printf("  %s\n", e.what());
    VERIFY(e.kind() == DeviceError::Kind::OutOfMemory && e.device() == "cuda");
  }
  device::capDeviceMemory(cuda, -1);
  VERIFY_MSG(thrown, "no out-of-memory error under a 1 MB cap");
  b.moveTo("cpu");
  b.run();
  VERIFY(b.finished());
  if (b.stages().front().steps > 0 && b.curves().front().stage == 0 && b.stages().size() == cpu.stages().size())
  {
    const std::string weights = weightsDiffer(cpu, b);
    std::printf("  after the fallback: %s\n", weights.empty() ? "bit for bit the CPU run" : weights.c_str());
  }
}

void timingIsKeptPerLevel()
{
  TrainingConfig c = smallConfig();
  Trainer t(smallData(), c);
  t.setDeviceTiming(true); // probes only on CUDA
  t.run();
  const auto timing = t.timing();
  VERIFY(timing.size() == 3);
  long long expected[3] = {0, 0, 0};
  for (const auto& s : t.stages())
  {
    expected[s.level] += s.steps;
  }
  for (int k = 0; k < 3; ++k)
  {
    VERIFY(timing[k].level == k);
    // Probed steps (CUDA) are left out of steps and loopSeconds.
    VERIFY_MSG(timing[k].steps > 0 && timing[k].steps <= expected[k],
               "level " << k << ": " << timing[k].steps << " steps");
    VERIFY(timing[k].loopSeconds > 0);
    VERIFY(timing[k].hostWaitSeconds >= 0 && timing[k].hostWaitSeconds <= timing[k].loopSeconds);
    if (t.deviceName() == "cpu")
    {
      VERIFY(timing[k].steps == expected[k]);
      VERIFY(timing[k].probedSteps == 0);
    }
  }
  const DeviceMemoryPeak peak = deviceMemoryPeak("cpu");
  VERIFY(peak.allocatedBytes == -1 && peak.reservedBytes == -1);
  t.resetTiming();
  VERIFY(t.timing()[0].steps == 0);
}

} // namespace

int main()
{
  const CudaStatus s = cudaStatus();
  std::printf("CUDA: built %s, available %s%s%s\n", s.built ? "yes" : "no", s.available ? "yes" : "no",
              s.name.empty() ? "" : ", ", s.name.c_str());
  int passed = 0, failed = 0;
  for (auto [name, test] : std::initializer_list<std::pair<const char*, void (*)()>>{
           {"cudaIsRefusedWithAClearMessage", cudaIsRefusedWithAClearMessage},
           {"autoPicksCudaWhenAvailable", autoPicksCudaWhenAvailable},
           {"moveToKeepsTrainingBitForBit", moveToKeepsTrainingBitForBit},
           {"outOfMemoryBeforeAStepIsExact", outOfMemoryBeforeAStepIsExact},
           {"outOfMemoryInTheUpdateKeepsTheBestState", outOfMemoryInTheUpdateKeepsTheBestState},
           {"outOfMemoryAtACheckIsExact", outOfMemoryAtACheckIsExact},
           {"outOfMemoryWhileRecordingIsExact", outOfMemoryWhileRecordingIsExact},
           {"realCudaOutOfMemoryFallsBackToTheCpu", realCudaOutOfMemoryFallsBackToTheCpu},
           {"timingIsKeptPerLevel", timingIsKeptPerLevel}})
  {
    (check::run(name, test) ? passed : failed)++;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
