#include "engine/StageOptimizer.h"

#include "engine/Losses.h"
#include "engine/StoppingRule.h"

#include <chrono>
#include <cmath>
#include <limits>
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
      out[i] = {s.exp_avg().detach().clone(), s.exp_avg_sq().detach().clone(), static_cast<int64_t>(s.step())};
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
    s->exp_avg(moments[i].expAvg.clone());
    s->exp_avg_sq(moments[i].expAvgSq.clone());
    s->step(static_cast<std::decay_t<decltype(s->step())>>(moments[i].step));
    state[stateKey(state, params[i])] = std::move(s);
  }
}

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
                           TrainingObserver* observer, StopToken* stop, const std::function<void(int)>& midStageSnapshot,
                           StageProgress* progress)
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

  // Best state kept on the device and updated without a host round trip: a deep copy, unlike the reference's
  // aliased state_dict (SPEC §8.1).
  const bool trackBest = config.selectOn != BestSelection::LastIterate;
  std::vector<torch::Tensor> bestParams;
  for (const auto& p : params)
  {
    bestParams.push_back(p.detach().clone());
  }
  torch::Tensor bestScore = torch::full({}, std::numeric_limits<float>::infinity(), torch::TensorOptions(device));
  torch::Tensor bestStep = torch::zeros({}, torch::TensorOptions(device).dtype(torch::kLong));
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
  }
  // Losses of the steps this call takes: row i is step first + i.
  const int first = outcome.steps + 1;
  torch::Tensor stepLosses = torch::zeros({std::max(0, maxSteps - outcome.steps), 4}, torch::TensorOptions(device));
  auto lastFlush = Clock::now();
  auto lastSnapshot = Clock::now();

  // Moves the recorded losses of steps (flushed, upto] to the host; false if any of them is not finite.
  auto flush = [&](int upto) {
    if (upto <= flushed)
    {
      return true;
    }
    torch::Tensor rows =
      stepLosses.slice(0, flushed + 1 - first, upto + 1 - first).to(torch::kCPU, torch::kFloat64).contiguous();
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

  for (int step = first; step <= maxSteps; ++step)
  {
    while (stop && stop->pause.load() && !stop->stopRequested())
    {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // With batch >= n_train every step sees the whole training set; the losses do not depend on its order,
    // so the reference's randperm gather is skipped.
    torch::Tensor xb = data.xTrain, nb = data.nativeTrain;
    if (!fullBatch)
    {
      torch::Tensor idx = torch::randperm(nTrain, gen, torch::kLong).slice(0, 0, config.batch).to(device);
      xb = data.xTrain.index_select(0, idx);
      nb = data.nativeTrain.index_select(0, idx);
    }
    torch::Tensor yb = forward(xb);
    LossParts loss = localLoss(yb, xb, config.w, data.localValid);
    {
      torch::NoGradGuard noGrad;
      torch::Tensor yv = forward(data.xVal);
      torch::Tensor lv = localLoss(yv, data.xVal, config.w, data.localValid).total;
      // The global metrics reuse this step's forward outputs (SPEC §8.3).
      torch::Tensor gTrain = data.globalIsLocal ? loss.total.detach() : globalOf(yb.detach(), nb, data, config.w);
      torch::Tensor gVal = data.globalIsLocal ? lv : globalOf(yv, data.nativeVal, data, config.w);
      if (trackBest)
      {
        torch::Tensor score = config.selectOn == BestSelection::LocalVal ? lv : gVal;
        torch::Tensor improved = score < bestScore;
        bestScore = torch::where(improved, score, bestScore);
        bestStep = torch::where(improved, torch::full({}, step, bestStep.options()), bestStep);
        for (size_t i = 0; i < params.size(); ++i)
        {
          bestParams[i].copy_(torch::where(improved, params[i].detach(), bestParams[i]));
        }
      }
      stepLosses.select(0, step - first).copy_(torch::stack({loss.total.detach(), lv, gTrain, gVal}));
    }
    optimizer.zero_grad();
    loss.total.backward();
    optimizer.step();
    outcome.steps = step;

    const bool check = rule.isCheckStep(step);
    if (check || step == maxSteps || secondsSince(lastFlush) > 0.2)
    {
      if (!flush(step))
      {
        outcome.reason = StopReason::Diverged;
        break;
      }
    }
    if (check)
    {
      // The rule needs the global train losses of the last K steps, all flushed above.
      bool stopNow = false;
      for (size_t i = curves.size() - (step - ruleSteps); i < curves.size(); ++i)
      {
        ++ruleSteps;
        auto decision = rule.afterStep(ruleSteps, curves[i].globalTrain,
                                       [&] { return pixelLossMapOnTrain(forward, data).max().item<double>(); });
        if (decision)
        {
          outcome.reason = *decision;
          stopNow = true;
        }
      }
      if (stopNow)
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
      midStageSnapshot(step);
      lastSnapshot = Clock::now();
    }
  }
  flush(outcome.steps);
  if (progress)
  {
    StageProgress& p = *progress;
    p.steps = outcome.steps;
    p.maxSteps = maxSteps;
    p.budget = budget;
    p.reason = outcome.reason;
    p.open = outcome.reason == StopReason::UserStop;
    p.current.clear();
    for (const auto& t : params)
    {
      p.current.push_back(t.detach().clone());
    }
    p.adam = adamMoments(optimizer, params);
    p.rule = rule.state();
    p.best.clear();
    for (const auto& t : bestParams)
    {
      p.best.push_back(t.clone());
    }
    p.bestScore = bestScore.item<double>();
    p.bestStep = static_cast<int>(bestStep.item<int64_t>());
    p.generator = gen.get_state().clone();
  }

  // The final iterate (after the last update) competes too; then the best state is restored for real.
  if (trackBest)
  {
    torch::NoGradGuard noGrad;
    torch::Tensor yv = forward(data.xVal);
    const double finalScore = (config.selectOn == BestSelection::LocalVal
                                 ? localLoss(yv, data.xVal, config.w, data.localValid).total
                                 : globalOf(yv, data.nativeVal, data, config.w))
                                .item<double>();
    const double best = bestScore.item<double>();
    if (!(std::isfinite(finalScore) && finalScore <= best) && std::isfinite(best))
    {
      for (size_t i = 0; i < params.size(); ++i)
      {
        params[i].detach().copy_(bestParams[i]);
      }
      outcome.restoredStep = static_cast<int>(bestStep.item<int64_t>());
    }
  }
  return outcome;
}

} // namespace mrcae
