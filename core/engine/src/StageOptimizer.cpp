#include "StageOptimizer.h"

#include "DeviceSupport.h"
#include "Losses.h"
#include "StoppingRule.h"

#include <torch/version.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>
#include <type_traits>

namespace mrcae
{

namespace
{

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The key of a parameter in Adam's state map: LibTorch 1.13 uses the TensorImpl address printed as a string
/// (c10::guts::to_string), LibTorch 2.x the address itself.
template <typename StateMap>
typename StateMap::key_type stateKey(const StateMap&, const torch::Tensor& p)
{
  using Key = typename StateMap::key_type;
  if constexpr (std::is_same_v<Key, std::string>)
  {
    std::ostringstream os;
    os << p.unsafeGetTensorImpl();
    return os.str();
  }
  else
  {
    return static_cast<Key>(p.unsafeGetTensorImpl());
  }
}

/// A copy of `t` for the stage state: in host memory when `t` is on a CUDA device (after an out-of-memory error
/// nothing more is allocated there, and the state survives a move to another device), a clone on the CPU.
torch::Tensor stateCopy(const torch::Tensor& t)
{
  return t.device().is_cpu() ? t.detach().clone() : t.detach().to(torch::kCPU);
}

std::vector<AdamMoments> adamMoments(torch::optim::Adam& optimizer, const std::vector<torch::Tensor>& params)
{
  auto& state = optimizer.state();
  std::vector<AdamMoments> out(params.size());
  for (size_t i = 0; i < params.size(); ++i)
  {
    auto it = state.find(stateKey(state, params[i]));
    if (it != state.end())
    {
      auto& s = static_cast<torch::optim::AdamParamState&>(*it->second);
      out[i] = {stateCopy(s.exp_avg()), stateCopy(s.exp_avg_sq()), static_cast<int64_t>(s.step())};
    }
  }
  return out;
}

/// Gives Adam back the moments of `adamMoments` (fresh tensors: Adam updates them in place).
void setAdamMoments(torch::optim::Adam& optimizer, const std::vector<torch::Tensor>& params,
                    const std::vector<AdamMoments>& moments)
{
  auto& state = optimizer.state();
  for (size_t i = 0; i < params.size(); ++i)
  {
    if (!moments[i].expAvg.defined())
    {
      continue;
    }
    auto s = std::make_unique<torch::optim::AdamParamState>();
    // Fresh tensors on the parameter's device, whatever device the saved moments are on.
    const auto& p = params[i];
    s->exp_avg(moments[i].expAvg.to(p.device(), p.scalar_type(), /*non_blocking=*/false, /*copy=*/true));
    s->exp_avg_sq(moments[i].expAvgSq.to(p.device(), p.scalar_type(), /*non_blocking=*/false, /*copy=*/true));
    s->step(static_cast<std::decay_t<decltype(s->step())>>(moments[i].step));
    state[stateKey(state, params[i])] = std::move(s);
  }
}

/// Gradients zeroed in place, as LibTorch 1.13 does. 2.x sets them to none by default, and every backward would
/// then allocate new gradient tensors; in place, the values are the same and the buffers stay.
void zeroGrad(torch::optim::Optimizer& optimizer)
{
#if defined(TORCH_VERSION_MAJOR) && TORCH_VERSION_MAJOR >= 2
  optimizer.zero_grad(false);
#else
  optimizer.zero_grad();
#endif
}

/// Where a step is when the device runs out of memory: what the stage state is worth then.
enum class Phase
{
  Step,   ///< before the step changed anything: the state is the one after the previous step
  Update, ///< inside the parameter update: the iterate and Adam's moments are half-updated
  Check   ///< after the step was complete (stopping checks, snapshot)
};

torch::Tensor globalOf(const torch::Tensor& y, const torch::Tensor& native, const StageData& d, double w)
{
  return globalLoss(y, native, d.prolongations, *d.prolong, w, d.maxMask, d.meanMask).total;
}

} // namespace

torch::Tensor forwardNoGrad(const Forward& forward, const torch::Tensor& x)
{
  torch::NoGradGuard noGrad;
  const int64_t chunk = 128;
  if (x.size(0) <= chunk)
  {
    return forward(x);
  }
  std::vector<torch::Tensor> parts;
  for (int64_t s = 0; s < x.size(0); s += chunk)
  {
    parts.push_back(forward(x.slice(0, s, std::min(s + chunk, x.size(0)))));
  }
  return torch::cat(parts, 0);
}

torch::Tensor pixelLossMapOnTrain(const Forward& forward, const StageData& data)
{
  torch::NoGradGuard noGrad;
  return pixelLossMap(forwardNoGrad(forward, data.xTrain), data.xTrain, data.localValid);
}

double globalValError(const Forward& forward, const StageData& data, double w)
{
  torch::NoGradGuard noGrad;
  return globalOf(forwardNoGrad(forward, data.xVal), data.nativeVal, data, w).item<double>();
}

StageOutcome optimizeStage(const TrainingConfig& config, const StageData& data, const Forward& forward,
                           const std::vector<torch::Tensor>& params, int maxSteps, double tolerance,
                           const StagePosition& position, torch::Generator& gen, std::vector<StepRecord>& curves,
                           TrainingObserver* observer, StopToken* stop,
                           const std::function<void(int)>& midStageSnapshot, StageProgress* progress,
                           const StageRunOptions& run)
{
  const torch::Device device = data.xTrain.device();
  const int64_t nTrain = data.xTrain.size(0);
  const bool fullBatch = config.batch >= nTrain;
  const bool continues = progress && !progress->empty();
  const int budget = continues ? progress->budget : maxSteps;
  StoppingRule rule(budget, tolerance, config.slowConvergence);
  rule.extendTo(maxSteps);
  int ruleSteps = 0; // steps already fed to the rule

  // Every stage trains every parameter with a fresh Adam (SPEC §2.4, §4.3).
  torch::optim::Adam optimizer(
      params, torch::optim::AdamOptions(config.lr).eps(config.adamEps).weight_decay(config.weightDecay));

  // Best state kept on the device and updated in place without a host round trip: a deep copy, unlike the
  // reference's aliased state_dict (SPEC §8.1).
  const bool trackBest = config.selectOn != BestSelection::LastIterate;
  std::vector<torch::Tensor> bestParams;
  for (const auto& p : params)
  {
    bestParams.push_back(p.detach().clone());
  }
  torch::Tensor bestScore = torch::full({}, std::numeric_limits<float>::infinity(), torch::TensorOptions(device));
  torch::Tensor bestStep = torch::zeros({}, torch::TensorOptions(device).dtype(torch::kLong));
  // The step number on the device, for bestStep: filled in place each step (no new tensor, no copy).
  torch::Tensor stepNumber = torch::zeros({}, torch::TensorOptions(device).dtype(torch::kLong));
  StageOutcome outcome;
  int flushed = 0;
  if (continues)
  {
    // Where the stage ended: the iterate after its last step, not the restored best state.
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < params.size(); ++i)
    {
      params[i].detach().copy_(progress->current[i]);
      bestParams[i].copy_(progress->best[i]);
    }
    setAdamMoments(optimizer, params, progress->adam);
    rule.restore(progress->rule);
    bestScore.fill_(progress->bestScore);
    bestStep.fill_(static_cast<int64_t>(progress->bestStep));
    gen.set_state(progress->generator);
    outcome.steps = ruleSteps = flushed = progress->steps;
    if (maxSteps <= progress->steps && progress->reason != StopReason::UserStop)
    {
      // No step left: a stage that had ended on its own and could not be recorded (out of memory then).
      outcome.reason = progress->reason;
    }
  }
  // Losses of the steps this call takes: row i is step first + i.
  const int first = outcome.steps + 1;
  torch::Tensor stepLosses = torch::zeros({std::max(0, maxSteps - outcome.steps), 4}, torch::TensorOptions(device));
  const auto loopStart = Clock::now();
  double hostWait = 0;     // seconds the host was blocked on the device inside the loop
  double probeSeconds = 0; // host seconds of probed steps, left out of the loop's time
  int probed = 0;
  std::optional<device::StepProbe> probe;
  if (run.probeSteps && run.timing && device.is_cuda())
  {
    probe.emplace(device);
  }
  auto lastFlush = Clock::now();
  auto lastSnapshot = Clock::now();

  // Moves the recorded losses of steps (flushed, upto] to the host in one copy; false if any of them is not
  // finite. (Copied as float32 and widened on the host: no temporary on the device.)
  auto flush = [&](int upto) {
    if (upto <= flushed)
    {
      return true;
    }
    const auto t0 = Clock::now();
    torch::Tensor rows =
        stepLosses.slice(0, flushed + 1 - first, upto + 1 - first).to(torch::kCPU).to(torch::kFloat64).contiguous();
    hostWait += secondsSince(t0);
    auto a = rows.accessor<double, 2>();
    std::vector<StepRecord> batch;
    bool finite = true;
    for (int i = 0; i < upto - flushed; ++i)
    {
      StepRecord r;
      r.stage = position.stage;
      r.level = position.level;
      r.group = position.group;
      r.step = flushed + i + 1;
      r.localTrain = a[i][0];
      r.localVal = a[i][1];
      r.globalTrain = a[i][2];
      r.globalVal = a[i][3];
      finite = finite && std::isfinite(r.localTrain) && std::isfinite(r.globalVal);
      batch.push_back(r);
      curves.push_back(r);
    }
    flushed = upto;
    lastFlush = Clock::now();
    if (observer)
    {
      observer->stepsDone(batch);
    }
    return finite;
  };

  // Feeds the rule every flushed step it has not seen: the steps after the last check when a stage ends, so that
  // a stage that goes on has the same window as one that never stopped. These are never check steps (a check
  // feeds at once), so the rule decides nothing here.
  auto feedRule = [&] {
    for (size_t i = curves.size() - (flushed - ruleSteps); i < curves.size(); ++i)
    {
      ++ruleSteps;
      rule.afterStep(ruleSteps, curves[i].globalTrain, [] { return std::numeric_limits<double>::infinity(); });
    }
  };
  // Adds this call's steps and times to the level's timing.
  auto addTiming = [&] {
    if (run.timing)
    {
      run.timing->steps += outcome.steps - (first - 1) - probed;
      run.timing->loopSeconds += secondsSince(loopStart) - probeSeconds;
      run.timing->hostWaitSeconds += hostWait;
      run.timing->probeWallSeconds += probeSeconds;
    }
  };

  // The stage's state for StageProgress (host copies on CUDA).
  auto copies = [](const std::vector<torch::Tensor>& ts) {
    std::vector<torch::Tensor> out;
    for (const auto& t : ts)
    {
      out.push_back(stateCopy(t));
    }
    return out;
  };

  Phase phase = Phase::Step;
  int step = first;
  torch::Tensor generatorBefore;  // the batch generator before this step's draw (sampled batches only)
  std::string pendingOutOfMemory; // memory ran out after a complete step (a check, a snapshot)
  try
  {
    for (; step <= maxSteps; ++step)
    {
      while (stop && stop->pause.load() && !stop->stopRequested())
      {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      phase = Phase::Step;
      if (!fullBatch)
      {
        generatorBefore = gen.get_state();
      }
      const int K = rule.checkEvery();
      // A few probed steps per stage, in the middle of each check window (not the stage's first steps).
      const bool probing = probe && probe->available() && step - first >= 3 && step % K == std::max(1, K / 2);
      if (probing)
      {
        ++probed;
        probe->begin();
      }
      seam::outOfMemoryAt(seam::OutOfMemoryPoint::BeforeStep, position.stage, step);
      // With batch >= n_train every step sees the whole training set; the losses do not depend on its order,
      // so the reference's randperm gather is skipped. Batches are drawn on the host, so every device trains on
      // the same batches; the indices go up without making the host wait (device::upload).
      torch::Tensor xb = data.xTrain, nb = data.nativeTrain;
      if (!fullBatch)
      {
        torch::Tensor idx =
            device::upload(torch::randperm(nTrain, gen, torch::kLong).slice(0, 0, config.batch), device);
        xb = data.xTrain.index_select(0, idx);
        nb = data.nativeTrain.index_select(0, idx);
      }
      torch::Tensor yb = forward(xb);
      LossParts loss = localLoss(yb, xb, config.w, data.localValid);
      torch::Tensor lv, gTrain, gVal;
      {
        torch::NoGradGuard noGrad;
        torch::Tensor yv = forward(data.xVal);
        lv = localLoss(yv, data.xVal, config.w, data.localValid).total;
        // The global metrics reuse this step's forward outputs (SPEC §8.3).
        gTrain = data.globalIsLocal ? loss.total.detach() : globalOf(yb.detach(), nb, data, config.w);
        gVal = data.globalIsLocal ? lv : globalOf(yv, data.nativeVal, data, config.w);
      }
      zeroGrad(optimizer);
      loss.total.backward();
      {
        // The best state and the step's losses are written after the backward pass, in place: a step that runs
        // out of memory before this block has changed nothing. (The parameters are those the step evaluated: the
        // update comes after.)
        torch::NoGradGuard noGrad;
        if (trackBest)
        {
          torch::Tensor score = config.selectOn == BestSelection::LocalVal ? lv : gVal;
          torch::Tensor improved = score < bestScore;
          stepNumber.fill_(static_cast<int64_t>(step));
          at::where_out(bestScore, improved, score, bestScore);
          at::where_out(bestStep, improved, stepNumber, bestStep);
          for (size_t i = 0; i < params.size(); ++i)
          {
            at::where_out(bestParams[i], improved, params[i].detach(), bestParams[i]);
          }
        }
        torch::Tensor row = stepLosses.select(0, step - first);
        at::stack_out(row, {loss.total.detach(), lv, gTrain, gVal}, 0);
      }
      phase = Phase::Update;
      optimizer.step();
      seam::outOfMemoryAt(seam::OutOfMemoryPoint::InUpdate, position.stage, step);
      outcome.steps = step;
      phase = Phase::Check;
      if (probing)
      {
        probeSeconds += probe->end(*run.timing);
      }

      const bool check = rule.isCheckStep(step);
      // Without an observer nobody looks at the curves between checks: no copy back then.
      if (check || step == maxSteps || (observer && secondsSince(lastFlush) > 0.2))
      {
        if (!flush(step))
        {
          outcome.reason = StopReason::Diverged;
          break;
        }
      }
      if (check)
      {
        // The tolerance check's value first (the check's only device work: a forward over the training set),
        // so that memory running out here leaves the rule as it was fed so far.
        std::optional<double> worst;
        if (tolerance > 0 && step < rule.maxSteps())
        {
          try
          {
            seam::outOfMemoryAt(seam::OutOfMemoryPoint::AtCheck, position.stage, step);
            const auto t0 = Clock::now();
            worst = pixelLossMapOnTrain(forward, data).max().item<double>();
            hostWait += secondsSince(t0);
          }
          catch (const std::exception& e)
          {
            if (!device::isOutOfMemory(e))
            {
              throw;
            }
            // This check's tolerance test is lost (taken as not met); the stage stops here, exactly resumable.
            device::releaseCachedMemory(device);
            pendingOutOfMemory = device::firstLine(e);
          }
        }
        // The rule needs the global train losses of the last K steps, all flushed above.
        bool stopNow = false;
        for (size_t i = curves.size() - (step - ruleSteps); i < curves.size(); ++i)
        {
          ++ruleSteps;
          auto decision = rule.afterStep(ruleSteps, curves[i].globalTrain,
                                         [&] { return worst ? *worst : std::numeric_limits<double>::infinity(); });
          if (decision)
          {
            outcome.reason = *decision;
            stopNow = true;
          }
        }
        if (stopNow)
        {
          pendingOutOfMemory.clear(); // the stage ends on its own: nothing was lost
          break;
        }
        if (!pendingOutOfMemory.empty())
        {
          break;
        }
      }
      if (stop && stop->stopRequested())
      {
        outcome.reason = StopReason::UserStop;
        break;
      }
      if (midStageSnapshot && observer && observer->snapshotInterval() > 0 &&
          secondsSince(lastSnapshot) > observer->snapshotInterval())
      {
        try
        {
          midStageSnapshot(step);
        }
        catch (const std::exception& e)
        {
          if (!device::isOutOfMemory(e))
          {
            throw;
          }
          device::releaseCachedMemory(device);
          pendingOutOfMemory = device::firstLine(e);
          break;
        }
        lastSnapshot = Clock::now();
      }
    }
  }
  catch (const std::exception& e)
  {
    if (!device::isOutOfMemory(e))
    {
      throw;
    }
    device::releaseCachedMemory(device);
    pendingOutOfMemory = device::firstLine(e);
  }

  if (!pendingOutOfMemory.empty())
  {
    // Out of memory: keep everything (the complete steps, the best state) and leave the stage open, so that it
    // can go on here or on another device. Nothing more is allocated on the device from here on.
    const bool consistent = phase != Phase::Update; // iterate and Adam as after step outcome.steps
    outcome.outOfMemory = true;
    outcome.exact = consistent;
    outcome.error = pendingOutOfMemory;
    outcome.reason = StopReason::UserStop;
    flush(outcome.steps);
    feedRule();
    addTiming();
    torch::NoGradGuard noGrad;
    const double best = bestScore.item<double>();
    const bool haveBest = trackBest && std::isfinite(best);
    if (progress)
    {
      StageProgress& p = *progress;
      p.steps = outcome.steps;
      p.maxSteps = maxSteps;
      p.budget = budget;
      p.reason = StopReason::UserStop;
      p.open = true;
      p.current = copies(consistent || !haveBest ? params : bestParams);
      // A half-done update leaves no usable moments: the stage goes on with a fresh Adam (no moments).
      p.adam = consistent ? adamMoments(optimizer, params) : std::vector<AdamMoments>(params.size());
      p.rule = rule.state();
      p.best = copies(bestParams);
      p.bestScore = best;
      p.bestStep = static_cast<int>(bestStep.item<int64_t>());
      // The step that failed draws its batch again.
      p.generator = (phase == Phase::Check || !generatorBefore.defined() ? gen.get_state() : generatorBefore).clone();
    }
    if (haveBest)
    {
      for (size_t i = 0; i < params.size(); ++i)
      {
        params[i].detach().copy_(bestParams[i]);
      }
      outcome.restoredStep = static_cast<int>(bestStep.item<int64_t>());
    }
    return outcome;
  }

  flush(outcome.steps);
  feedRule();
  addTiming();
  if (progress)
  {
    StageProgress& p = *progress;
    p.steps = outcome.steps;
    p.maxSteps = maxSteps;
    p.budget = budget;
    p.reason = outcome.reason;
    p.open = outcome.reason == StopReason::UserStop;
    p.current = copies(params);
    p.adam = adamMoments(optimizer, params);
    p.rule = rule.state();
    p.best = copies(bestParams);
    // The best score and step together: one copy back.
    const torch::Tensor both =
        torch::stack({bestScore.to(torch::kDouble), bestStep.to(torch::kDouble)}).to(torch::kCPU);
    p.bestScore = both[0].item<double>();
    p.bestStep = static_cast<int>(both[1].item<double>());
    p.generator = gen.get_state().clone();
  }

  // The final iterate (after the last update) competes too; then the best state is restored for real.
  if (trackBest)
  {
    torch::NoGradGuard noGrad;
    torch::Tensor yv = forward(data.xVal);
    const torch::Tensor finalScore = config.selectOn == BestSelection::LocalVal
                                         ? localLoss(yv, data.xVal, config.w, data.localValid).total
                                         : globalOf(yv, data.nativeVal, data, config.w);
    // Final score, best score and best step in one copy back.
    const torch::Tensor values =
        torch::stack({finalScore.to(torch::kDouble), bestScore.to(torch::kDouble), bestStep.to(torch::kDouble)})
            .to(torch::kCPU);
    const double finalValue = values[0].item<double>(), best = values[1].item<double>();
    if (!(std::isfinite(finalValue) && finalValue <= best) && std::isfinite(best))
    {
      for (size_t i = 0; i < params.size(); ++i)
      {
        params[i].detach().copy_(bestParams[i]);
      }
      outcome.restoredStep = static_cast<int>(values[2].item<double>());
    }
  }
  return outcome;
}

} // namespace mrcae
