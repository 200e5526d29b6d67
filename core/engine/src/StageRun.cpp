#include "StageRun.h"

#include "Losses.h"
#include "ShardFeed.h"

#include <torch/version.h>

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

/// A copy of `t` for the stage state: in host memory when `t` is on a CUDA device (after an out-of-memory error
/// nothing more is allocated there, and the state survives a move to another device), a clone on the CPU.
torch::Tensor stateCopy(const torch::Tensor& t)
{
  return t.device().is_cpu() ? t.detach().clone() : t.detach().to(torch::kCPU);
}

std::vector<torch::Tensor> stateCopies(const std::vector<torch::Tensor>& ts)
{
  std::vector<torch::Tensor> out;
  for (const auto& t : ts)
  {
    out.push_back(stateCopy(t));
  }
  return out;
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

torch::Device deviceOf(const StageData& data)
{
  return data.partitioned() ? data.maxMask.device() : data.xTrain.device();
}

int64_t trainingSnapshots(const StageData& data)
{
  return data.partitioned() ? data.feed->total(ShardFeed::Part::Train) : data.xTrain.size(0);
}

std::vector<int64_t> toVector(const torch::Tensor& t)
{
  const torch::Tensor c = t.to(torch::kCPU, torch::kLong).contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

/// The budget the stopping rule's cadence comes from: the stage's own, or the one it had when it stopped.
int ruleBudget(const StageTask& task, const StageHooks& hooks)
{
  return hooks.progress && !hooks.progress->empty() ? hooks.progress->budget : task.maxSteps;
}

} // namespace

// ------------------------------------------------------------------------------------------------------------
// prepare

StageRun::StageRun(const TrainingConfig& config, StageTask task, torch::Generator& generator, StageHooks hooks)
  : config_(config), task_(std::move(task)), gen_(generator), hooks_(std::move(hooks)), device_(deviceOf(task_.data)),
    nTrain_(trainingSnapshots(task_.data)), fullBatch_(config.batch >= nTrain_),
    trackBest_(config.selectOn != BestSelection::LastIterate), budget_(ruleBudget(task_, hooks_)),
    rule_(budget_, task_.tolerance, config.slowConvergence),
    // Every stage trains every parameter with a fresh Adam (SPEC §2.4, §4.3).
    optimizer_(task_.params, torch::optim::AdamOptions(config.lr).eps(config.adamEps).weight_decay(config.weightDecay))
{
  prepare();
}

StageRun::~StageRun() = default;

void StageRun::prepare()
{
  rule_.extendTo(task_.maxSteps);
  // Best state kept on the device and updated in place without a host round trip: a deep copy, unlike the
  // reference's aliased state_dict (SPEC §8.1).
  for (const auto& p : task_.params)
  {
    bestParams_.push_back(p.detach().clone());
  }
  bestScore_ = torch::full({}, std::numeric_limits<float>::infinity(), torch::TensorOptions(device_));
  bestStep_ = torch::zeros({}, torch::TensorOptions(device_).dtype(torch::kLong));
  stepNumber_ = torch::zeros({}, torch::TensorOptions(device_).dtype(torch::kLong));
  const StageProgress* progress = hooks_.progress;
  if (progress && !progress->empty())
  {
    // Where the stage ended: the iterate after its last step, not the restored best state.
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < task_.params.size(); ++i)
    {
      task_.params[i].detach().copy_(progress->current[i]);
      bestParams_[i].copy_(progress->best[i]);
    }
    setAdamMoments(optimizer_, task_.params, progress->adam);
    rule_.restore(progress->rule);
    bestScore_.fill_(progress->bestScore);
    bestStep_.fill_(static_cast<int64_t>(progress->bestStep));
    gen_.set_state(progress->generator);
    outcome_.steps = ruleSteps_ = flushed_ = progress->steps;
    if (task_.maxSteps <= progress->steps && progress->reason != StopReason::UserStop)
    {
      // No step left: a stage that had ended on its own and could not be recorded (out of memory then).
      outcome_.reason = progress->reason;
    }
  }
  first_ = step_ = outcome_.steps + 1;
  ranks_ = task_.data.group ? task_.data.group->size() : 1;
  stepLosses_ = torch::zeros({std::max(0, task_.maxSteps - outcome_.steps), 4}, torch::TensorOptions(device_));
  loopStart_ = lastFlush_ = lastSnapshot_ = Clock::now();
  if (hooks_.probeSteps && hooks_.timing && device_.is_cuda())
  {
    probe_.emplace(device_);
  }
}

// ------------------------------------------------------------------------------------------------------------
// The loop: step, record, evaluate and decide at checks; one place handles the device running out of memory.

StageOutcome StageRun::run()
{
  try
  {
    for (; step_ <= task_.maxSteps; ++step_)
    {
      waitWhilePaused();
      step();
      const bool checkStep = rule_.isCheckStep(step_);
      if (!record(checkStep))
      {
        outcome_.reason = StopReason::Diverged;
        break;
      }
      // The tolerance check's value first (the check's only device work), then the rule's decision.
      if (checkStep && decide(evaluate()))
      {
        break;
      }
      if (stopRequested())
      {
        outcome_.reason = StopReason::UserStop;
        break;
      }
      snapshot();
    }
  }
  catch (const std::exception& e)
  {
    // Over several processes one rank cannot end the stage alone: the error ends the run (the others hear of it).
    if (!device::isOutOfMemory(e) || ranks_ > 1)
    {
      throw;
    }
    device::releaseCachedMemory(device_);
    outOfMemory_ = device::firstLine(e);
    // Memory ran out in a tolerance check: that check's test is lost (taken as not met), and the rule still
    // decides on the check. A stage that ends on its own there lost nothing.
    if (phase_ == Phase::Evaluate && decide(std::nullopt))
    {
      outOfMemory_.clear();
    }
  }
  return outOfMemory_.empty() ? finish() : finishAfterOutOfMemory();
}

void StageRun::waitWhilePaused()
{
  if (ranks_ == 1)
  {
    if (hooks_.stop)
    {
      hooks_.stop->waitWhilePaused();
    }
    return;
  }
  // Every rank waits together, and they keep talking (a few times a second) so that none of them takes the
  // pause for a lost rank; the pause ends when no rank asks for it any more, or one asks to stop.
  while (pausedAll_ && !stopAll_)
  {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    torch::Tensor control = torch::tensor(
        {hooks_.stop && hooks_.stop->stopRequested() ? 1.0f : 0.0f, hooks_.stop && hooks_.stop->paused() ? 1.0f : 0.0f},
        torch::TensorOptions(device_));
    allSum(task_.data.group, control);
    const torch::Tensor c = control.to(torch::kCPU);
    stopAll_ = c[0].item<float>() > 0;
    pausedAll_ = c[1].item<float>() > 0;
  }
}

bool StageRun::stopRequested() const
{
  return ranks_ > 1 ? stopAll_ : hooks_.stop && hooks_.stop->stopRequested();
}

void StageRun::step()
{
  phase_ = Phase::Step;
  if (!fullBatch_)
  {
    generatorBefore_ = gen_.get_state();
  }
  const int K = rule_.checkEvery();
  // A few probed steps per stage, in the middle of each check window (not the stage's first steps).
  const bool probing = probe_ && probe_->available() && step_ - first_ >= 3 && step_ % K == std::max(1, K / 2);
  if (probing)
  {
    ++probed_;
    probe_->begin();
  }
  seam::outOfMemoryAt(seam::OutOfMemoryPoint::BeforeStep, task_.position.stage, step_);
  const StepLosses losses = task_.data.partitioned() ? partitionedStep() : residentStep();
  {
    // The best state and the step's losses are written after the backward pass, in place: a step that runs out
    // of memory before this block has changed nothing. (The parameters are those the step evaluated: the
    // update comes after.)
    torch::NoGradGuard noGrad;
    if (trackBest_)
    {
      torch::Tensor score = config_.selectOn == BestSelection::LocalVal ? losses.localVal : losses.globalVal;
      torch::Tensor improved = score < bestScore_;
      stepNumber_.fill_(static_cast<int64_t>(step_));
      at::where_out(bestScore_, improved, score, bestScore_);
      at::where_out(bestStep_, improved, stepNumber_, bestStep_);
      for (size_t i = 0; i < task_.params.size(); ++i)
      {
        at::where_out(bestParams_[i], improved, task_.params[i].detach(), bestParams_[i]);
      }
    }
    torch::Tensor row = stepLosses_.select(0, step_ - first_);
    at::stack_out(row, {losses.localTrain, losses.localVal, losses.globalTrain, losses.globalVal}, 0);
  }
  phase_ = Phase::Update;
  optimizer_.step();
  seam::outOfMemoryAt(seam::OutOfMemoryPoint::InUpdate, task_.position.stage, step_);
  outcome_.steps = step_;
  phase_ = Phase::Complete;
  if (probing)
  {
    probeSeconds_ += probe_->end(*hooks_.timing);
  }
}

StageRun::StepLosses StageRun::residentStep()
{
  const StageData& data = task_.data;
  const Forward& forward = task_.forward;
  // With batch >= n_train every step sees the whole training set; the losses do not depend on its order, so the
  // reference's randperm gather is skipped. Batches are drawn on the host, so every device trains on the same
  // batches; the indices go up without making the host wait (device::upload).
  torch::Tensor xb = data.xTrain, nb = data.nativeTrain;
  if (!fullBatch_)
  {
    torch::Tensor idx =
        device::upload(torch::randperm(nTrain_, gen_, torch::kLong).slice(0, 0, config_.batch), device_);
    xb = data.xTrain.index_select(0, idx);
    nb = data.nativeTrain.index_select(0, idx);
  }
  torch::Tensor yb = forward(xb);
  LossParts loss = localLoss(yb, xb, config_.w, data.localValid);
  torch::Tensor lv, gTrain, gVal;
  {
    torch::NoGradGuard noGrad;
    torch::Tensor yv = forward(data.xVal);
    lv = localLoss(yv, data.xVal, config_.w, data.localValid).total;
    // The global metrics reuse this step's forward outputs (SPEC §8.3).
    gTrain = data.globalIsLocal ? loss.total.detach() : globalTotal(yb.detach(), nb, data, config_.w);
    gVal = data.globalIsLocal ? lv : globalTotal(yv, data.nativeVal, data, config_.w);
  }
  zeroGrad(optimizer_);
  loss.total.backward();
  return {loss.total.detach(), lv, gTrain, gVal};
}

StageRun::StepLosses StageRun::partitionedStep()
{
  const StageData& data = task_.data;
  ShardFeed& feed = *data.feed;
  // The batch every rank draws (the same generator everywhere, and the same draw as a resident run); each rank
  // computes its own snapshots of it.
  std::vector<int64_t> positions;
  if (fullBatch_)
  {
    for (int64_t p = 0; p < nTrain_; ++p)
    {
      positions.push_back(p);
    }
  }
  else
  {
    positions = toVector(torch::randperm(nTrain_, gen_, torch::kLong).slice(0, 0, config_.batch));
  }
  const ShardFeed::Snapshots part = feed.batch(data.level, positions);
  if (!fullBatch_ && feed.streamsTraining())
  {
    // The next step's draw, from a copy of the generator: read in the background while this step computes.
    torch::Generator ahead = gen_.clone();
    feed.prefetch(toVector(torch::randperm(nTrain_, ahead, torch::kLong).slice(0, 0, config_.batch)));
  }
  const double batch = static_cast<double>(positions.size());
  torch::Tensor mine; // this rank's Σ (y−x)², with autograd; undefined when none of the batch is this rank's
  torch::Tensor trainGlobal = data.globalIsLocal ? torch::Tensor() : zeroNativeMap(data);
  if (part.level.defined() && part.level.size(0) > 0)
  {
    const torch::Tensor y = task_.forward(part.level);
    mine = localPixelSums(y, part.level);
    if (!data.globalIsLocal)
    {
      torch::NoGradGuard noGrad;
      trainGlobal = globalPixelSums(y.detach(), part.native, data.prolongations, *data.prolong);
    }
  }
  const PartSums val = partSums(task_.forward, data, ShardFeed::Part::Val);
  // One all-reduce for every map of the step.
  std::vector<torch::Tensor> maps{mine.defined() ? mine.detach() : zeroLevelMap(data), val.local};
  if (!data.globalIsLocal)
  {
    maps.push_back(trainGlobal);
    maps.push_back(val.global);
  }
  std::vector<torch::Tensor> flat;
  for (const auto& m : maps)
  {
    flat.push_back(m.reshape({-1}));
  }
  torch::Tensor sums = torch::cat(flat);
  allSum(data.group, sums);
  std::vector<torch::Tensor> total;
  int64_t offset = 0;
  for (const auto& m : maps)
  {
    total.push_back(sums.slice(0, offset, offset + m.numel()).view(m.sizes()));
    offset += m.numel();
  }
  const double valCount = static_cast<double>(feed.total(ShardFeed::Part::Val));
  // The whole batch's per-pixel means, as a leaf: the loss's gradient with respect to them is the same on every
  // rank, and goes back through each rank's own part of the sums.
  torch::Tensor means = (total[0] / batch).detach().requires_grad_(true);
  LossParts loss = lossFromPixelMeans(means, config_.w, data.localValid, data.localValid);
  StepLosses out;
  {
    torch::NoGradGuard noGrad;
    out.localTrain = loss.total.detach();
    out.localVal = lossFromPixelMeans(total[1] / valCount, config_.w, data.localValid, data.localValid).total;
    out.globalTrain = data.globalIsLocal
                          ? out.localTrain
                          : lossFromPixelMeans(total[2] / batch, config_.w, data.meanMask, data.maxMask).total;
    out.globalVal = data.globalIsLocal
                        ? out.localVal
                        : lossFromPixelMeans(total[3] / valCount, config_.w, data.meanMask, data.maxMask).total;
  }
  const torch::Tensor dMeans = torch::autograd::grad({loss.total}, {means})[0];
  zeroGrad(optimizer_);
  if (mine.defined())
  {
    mine.backward(dMeans / batch);
  }
  reduceGradients();
  return out;
}

void StageRun::reduceGradients()
{
  if (ranks_ == 1)
  {
    return;
  }
  // Every parameter's gradient summed over the ranks (each rank's is already its share of the whole batch's
  // loss), with a flag per parameter (a rank whose part was empty has none) and the ranks' stop and pause
  // requests, in one all-reduce.
  const auto& params = task_.params;
  std::vector<torch::Tensor> parts;
  std::vector<float> flags;
  for (const auto& p : params)
  {
    const torch::Tensor& g = p.grad();
    parts.push_back(g.defined() ? g.reshape({-1}) : torch::zeros({p.numel()}, p.options()));
    flags.push_back(g.defined() ? 1.0f : 0.0f);
  }
  flags.push_back(hooks_.stop && hooks_.stop->stopRequested() ? 1.0f : 0.0f);
  flags.push_back(hooks_.stop && hooks_.stop->paused() ? 1.0f : 0.0f);
  parts.push_back(torch::tensor(flags, torch::TensorOptions(device_)));
  torch::Tensor buffer = torch::cat(parts);
  allSum(task_.data.group, buffer);
  const torch::Tensor control = buffer.slice(0, buffer.numel() - static_cast<int64_t>(flags.size())).to(torch::kCPU);
  int64_t offset = 0;
  for (size_t i = 0; i < params.size(); ++i)
  {
    const int64_t n = params[i].numel();
    if (control[static_cast<int64_t>(i)].item<float>() > 0)
    {
      torch::Tensor reduced = buffer.slice(0, offset, offset + n).view(params[i].sizes());
      torch::Tensor p = params[i];
      if (p.grad().defined())
      {
        p.mutable_grad().copy_(reduced);
      }
      else
      {
        p.mutable_grad() = reduced.clone();
      }
    }
    offset += n;
  }
  stopAll_ = control[static_cast<int64_t>(params.size())].item<float>() > 0;
  pausedAll_ = control[static_cast<int64_t>(params.size()) + 1].item<float>() > 0;
}

StageRun::StepLosses StageRun::partitionedValidation()
{
  const StageData& data = task_.data;
  const PartSums val = partSums(task_.forward, data, ShardFeed::Part::Val);
  torch::Tensor sums =
      data.globalIsLocal ? val.local.reshape({-1}) : torch::cat({val.local.reshape({-1}), val.global.reshape({-1})});
  allSum(data.group, sums);
  const double count = static_cast<double>(data.feed->total(ShardFeed::Part::Val));
  const int64_t n = val.local.numel();
  StepLosses out;
  torch::NoGradGuard noGrad;
  out.localVal = lossFromPixelMeans(sums.slice(0, 0, n).view(val.local.sizes()) / count, config_.w, data.localValid,
                                    data.localValid)
                     .total;
  out.globalVal = data.globalIsLocal ? out.localVal
                                     : lossFromPixelMeans(sums.slice(0, n).view(val.global.sizes()) / count, config_.w,
                                                          data.meanMask, data.maxMask)
                                           .total;
  return out;
}

bool StageRun::record(bool checkStep)
{
  // Without an observer nobody looks at the curves between checks: no copy back then.
  if (checkStep || step_ == task_.maxSteps || (hooks_.observer && secondsSince(lastFlush_) > 0.2))
  {
    return flush(step_);
  }
  return true;
}

std::optional<double> StageRun::evaluate()
{
  if (task_.tolerance <= 0 || step_ >= rule_.maxSteps())
  {
    return std::nullopt;
  }
  phase_ = Phase::Evaluate;
  seam::outOfMemoryAt(seam::OutOfMemoryPoint::AtCheck, task_.position.stage, step_);
  const auto t0 = Clock::now();
  const double worst = pixelLossMapOnTrain(task_.forward, task_.data).max().item<double>();
  hostWait_ += secondsSince(t0);
  phase_ = Phase::Complete;
  return worst;
}

bool StageRun::decide(std::optional<double> worstPixelLoss)
{
  // The rule needs the global train losses of the last K steps, all flushed at the check.
  const std::vector<StepRecord>& curves = *hooks_.curves;
  bool stopNow = false;
  for (size_t i = curves.size() - (step_ - ruleSteps_); i < curves.size(); ++i)
  {
    ++ruleSteps_;
    auto decision = rule_.afterStep(ruleSteps_, curves[i].globalTrain, [&] {
      return worstPixelLoss ? *worstPixelLoss : std::numeric_limits<double>::infinity();
    });
    if (decision)
    {
      outcome_.reason = *decision;
      stopNow = true;
    }
  }
  return stopNow;
}

void StageRun::snapshot()
{
  TrainingObserver* observer = hooks_.observer;
  if (hooks_.midStageSnapshot && observer && observer->snapshotInterval() > 0 &&
      secondsSince(lastSnapshot_) > observer->snapshotInterval())
  {
    hooks_.midStageSnapshot(step_);
    lastSnapshot_ = Clock::now();
  }
}

// ------------------------------------------------------------------------------------------------------------
// finish

StageOutcome StageRun::finish()
{
  flush(outcome_.steps);
  feedRule();
  addTiming();
  keepProgress(true, outcome_.reason);
  // The final iterate (after the last update) competes too; then the best state is restored for real.
  if (trackBest_)
  {
    torch::NoGradGuard noGrad;
    const StageData& data = task_.data;
    torch::Tensor finalScore;
    if (data.partitioned())
    {
      const StepLosses v = partitionedValidation();
      finalScore = config_.selectOn == BestSelection::LocalVal ? v.localVal : v.globalVal;
    }
    else
    {
      torch::Tensor yv = task_.forward(data.xVal);
      finalScore = config_.selectOn == BestSelection::LocalVal
                       ? localLoss(yv, data.xVal, config_.w, data.localValid).total
                       : globalTotal(yv, data.nativeVal, data, config_.w);
    }
    // Final score, best score and best step in one copy back.
    const torch::Tensor values =
        torch::stack({finalScore.to(torch::kDouble), bestScore_.to(torch::kDouble), bestStep_.to(torch::kDouble)})
            .to(torch::kCPU);
    const double finalValue = values[0].item<double>(), best = values[1].item<double>();
    if (!(std::isfinite(finalValue) && finalValue <= best) && std::isfinite(best))
    {
      for (size_t i = 0; i < task_.params.size(); ++i)
      {
        task_.params[i].detach().copy_(bestParams_[i]);
      }
      outcome_.restoredStep = static_cast<int>(values[2].item<double>());
    }
  }
  return outcome_;
}

StageOutcome StageRun::finishAfterOutOfMemory()
{
  // Keep everything (the complete steps, the best state) and leave the stage open, so that it can go on here or
  // on another device. Nothing more is allocated on the device from here on.
  const bool exact = phase_ != Phase::Update; // iterate and Adam as after step outcome_.steps
  outcome_.outOfMemory = true;
  outcome_.exact = exact;
  outcome_.error = outOfMemory_;
  outcome_.reason = StopReason::UserStop;
  flush(outcome_.steps);
  feedRule();
  addTiming();
  keepProgress(exact, StopReason::UserStop);
  torch::NoGradGuard noGrad;
  if (trackBest_ && std::isfinite(bestScore_.item<double>()))
  {
    for (size_t i = 0; i < task_.params.size(); ++i)
    {
      task_.params[i].detach().copy_(bestParams_[i]);
    }
    outcome_.restoredStep = static_cast<int>(bestStep_.item<int64_t>());
  }
  return outcome_;
}

void StageRun::keepProgress(bool exact, StopReason reason)
{
  if (!hooks_.progress)
  {
    return;
  }
  StageProgress& p = *hooks_.progress;
  p.steps = outcome_.steps;
  p.maxSteps = task_.maxSteps;
  p.budget = budget_;
  p.reason = reason;
  p.open = reason == StopReason::UserStop;
  p.rule = rule_.state();
  if (outOfMemory_.empty())
  {
    p.current = stateCopies(task_.params);
    p.adam = adamMoments(optimizer_, task_.params);
    p.best = stateCopies(bestParams_);
    // The best score and step together: one copy back.
    const torch::Tensor both =
        torch::stack({bestScore_.to(torch::kDouble), bestStep_.to(torch::kDouble)}).to(torch::kCPU);
    p.bestScore = both[0].item<double>();
    p.bestStep = static_cast<int>(both[1].item<double>());
    p.generator = gen_.get_state().clone();
    return;
  }
  // After an out-of-memory error: nothing more on the device (single values copied back one by one).
  torch::NoGradGuard noGrad;
  const double best = bestScore_.item<double>();
  const bool haveBest = trackBest_ && std::isfinite(best);
  p.current = stateCopies(exact || !haveBest ? task_.params : bestParams_);
  // A half-done update leaves no usable moments: the stage goes on with a fresh Adam (no moments).
  p.adam = exact ? adamMoments(optimizer_, task_.params) : std::vector<AdamMoments>(task_.params.size());
  p.best = stateCopies(bestParams_);
  p.bestScore = best;
  p.bestStep = static_cast<int>(bestStep_.item<int64_t>());
  // The step that failed draws its batch again.
  const bool beforeComplete = phase_ == Phase::Step || phase_ == Phase::Update;
  p.generator = (beforeComplete && generatorBefore_.defined() ? generatorBefore_ : gen_.get_state()).clone();
}

// ------------------------------------------------------------------------------------------------------------
// Helpers

bool StageRun::flush(int upto)
{
  if (upto <= flushed_)
  {
    return true;
  }
  // Copied as float32 and widened on the host: no temporary on the device.
  const auto t0 = Clock::now();
  torch::Tensor rows =
      stepLosses_.slice(0, flushed_ + 1 - first_, upto + 1 - first_).to(torch::kCPU).to(torch::kFloat64).contiguous();
  hostWait_ += secondsSince(t0);
  auto a = rows.accessor<double, 2>();
  std::vector<StepRecord> batch;
  bool finite = true;
  for (int i = 0; i < upto - flushed_; ++i)
  {
    StepRecord r;
    r.stage = task_.position.stage;
    r.level = task_.position.level;
    r.group = task_.position.group;
    r.step = flushed_ + i + 1;
    r.localTrain = a[i][0];
    r.localVal = a[i][1];
    r.globalTrain = a[i][2];
    r.globalVal = a[i][3];
    finite = finite && std::isfinite(r.localTrain) && std::isfinite(r.globalVal);
    batch.push_back(r);
    hooks_.curves->push_back(r);
  }
  flushed_ = upto;
  lastFlush_ = Clock::now();
  if (hooks_.observer)
  {
    hooks_.observer->stepsDone(batch);
  }
  return finite;
}

void StageRun::feedRule()
{
  // These are never check steps (a check feeds at once), so the rule decides nothing here; a stage that goes on
  // has the same window as one that never stopped.
  const std::vector<StepRecord>& curves = *hooks_.curves;
  for (size_t i = curves.size() - (flushed_ - ruleSteps_); i < curves.size(); ++i)
  {
    ++ruleSteps_;
    rule_.afterStep(ruleSteps_, curves[i].globalTrain, [] { return std::numeric_limits<double>::infinity(); });
  }
}

void StageRun::addTiming()
{
  if (hooks_.timing)
  {
    hooks_.timing->steps += outcome_.steps - (first_ - 1) - probed_;
    hooks_.timing->loopSeconds += secondsSince(loopStart_) - probeSeconds_;
    hooks_.timing->hostWaitSeconds += hostWait_;
    hooks_.timing->probeWallSeconds += probeSeconds_;
  }
}

} // namespace mrcae
