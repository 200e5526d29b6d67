#include "engine/Trainer.h"

#include "engine/InputError.h"
#include "engine/Losses.h"
#include "engine/StoppingRule.h"
#include "engine/TrainerImpl.h"
#include "io/ModelFile.h"

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cmath>
#include <thread>

namespace mrcae
{

namespace
{

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// One generator per stage, derived from the run's seed (splitmix64), so a resumed run draws exactly what an
/// uninterrupted one would.
torch::Generator stageGenerator(std::uint64_t seed, int stage)
{
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(stage + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return at::make_generator<at::CPUGeneratorImpl>(z);
}

torch::Tensor indexTensor(const std::vector<int>& idx, const torch::Device& device)
{
  std::vector<int64_t> v(idx.begin(), idx.end());
  return torch::tensor(v, torch::kLong).to(device);
}

Field toField(const torch::Tensor& t)
{
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  Field f(static_cast<int>(c.size(0)), static_cast<int>(c.size(2)), static_cast<int>(c.size(3)));
  std::memcpy(f.data.data(), c.data_ptr<float>(), f.data.size() * sizeof(float));
  return f;
}

Map2D toMap(const torch::Tensor& t)
{
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  Map2D m(static_cast<int>(c.size(-2)), static_cast<int>(c.size(-1)));
  std::memcpy(m.data.data(), c.data_ptr<float>(), m.data.size() * sizeof(float));
  return m;
}

} // namespace

std::string toString(StopReason r)
{
  switch (r)
  {
    case StopReason::MaxSteps: return "max_steps";
    case StopReason::Tolerance: return "tolerance";
    case StopReason::SlowProgress: return "slow_convergence";
    case StopReason::UserStop: return "stopped";
    case StopReason::Diverged: return "diverged";
  }
  return "max_steps";
}

StopReason stopReasonFromString(const std::string& s)
{
  for (StopReason r : {StopReason::MaxSteps, StopReason::Tolerance, StopReason::SlowProgress,
                       StopReason::UserStop, StopReason::Diverged})
  {
    if (toString(r) == s)
    {
      return r;
    }
  }
  throw InputError("unknown stop reason '" + s + "'");
}

// ------------------------------------------------------------------------------------------------------------
// Setup

void Trainer::Impl::prepare()
{
  config.validate();
  data.checkTrainable(config.levels, config.trainFraction, config.valFraction);
  const bool cudaAvailable = torch::cuda::is_available();
  if (config.device == "cuda" && !cudaAvailable)
  {
    throw InputError("CUDA was asked for but is not available (no GPU, or this LibTorch is CPU-only): "
                     "use --device cpu");
  }
  device = (config.device == "cuda" || (config.device == "auto" && cudaAvailable)) ? torch::Device(torch::kCUDA)
                                                                                     : torch::Device(torch::kCPU);
  const int threads = config.threads > 0 ? config.threads : static_cast<int>(std::thread::hardware_concurrency());
  torch::set_num_threads(std::max(1, threads));

  if (split.train.empty())
  {
    split = Dataset::makeSplit(data.field.t, config.seed, config.trainFraction, config.valFraction);
  }
  const auto& f = data.field;
  native = torch::from_blob(const_cast<float*>(f.data.data()), {f.t, 1, f.h, f.w}, torch::kFloat32)
             .clone()
             .to(device);
  const int L = config.levels;
  levelData.assign(L, {});
  validLevel.assign(L, {});
  torch::Tensor valid = data.hasMask()
                          ? torch::from_blob(const_cast<float*>(data.valid.data.data()), {1, 1, f.h, f.w},
                                             torch::kFloat32).clone()
                          : torch::ones({1, 1, f.h, f.w});
  validNative = valid.to(device);
  // Level data are pure subsampling: computed once and kept on the device (SPEC §8.5).
  torch::Tensor trainIdx = indexTensor(split.train, device), valIdx = indexTensor(split.val, device),
                testIdx = indexTensor(split.test, device);
  for (int k = 0; k < L; ++k)
  {
    const int times = L - 1 - k;
    levelData[k].train = ops::restrict(native.index_select(0, trainIdx), times).contiguous();
    levelData[k].val = ops::restrict(native.index_select(0, valIdx), times).contiguous();
    levelData[k].test = split.test.empty() ? torch::Tensor()
                                           : ops::restrict(native.index_select(0, testIdx), times).contiguous();
    validLevel[k] = ops::restrict(validNative, times).contiguous();
  }
  prolong = std::make_unique<ops::Prolongation>(device);
  if (snapshotIndices.empty())
  {
    snapshotIndices = {split.test.empty() ? split.val.front() : split.test.front()};
  }
}

void Trainer::Impl::createModel()
{
  model = MrcaeModel(config.levels, config.activation, config.useMaps());
  model->to(device);
}

NextStage Trainer::Impl::nextStage() const
{
  NextStage next;
  for (int k = 0; k < config.levels; ++k)
  {
    const int g = model->groups(k);
    const auto& arch = config.archs[k];
    if (g == 0)
    {
      return {false, k, 0, 1, "deepen"};
    }
    if (model->levelClear(k) || g >= static_cast<int>(arch.size()))
    {
      continue;
    }
    return {false, k, g, arch[g] - arch[g - 1], "widen"};
  }
  return next;
}

torch::Tensor Trainer::Impl::localValid(int level) const
{
  return config.landMask == LandMaskMode::Consistent && data.hasMask() ? validLevel[level] : torch::Tensor();
}

torch::Tensor Trainer::Impl::meanMask() const
{
  return config.landMask == LandMaskMode::Consistent && data.hasMask() ? validNative : torch::Tensor();
}

torch::Tensor Trainer::Impl::forwardNoGrad(const torch::Tensor& x, int level) const
{
  torch::NoGradGuard noGrad;
  // Bounded chunks keep evaluation memory flat on large grids.
  const int64_t chunk = 128;
  if (x.size(0) <= chunk)
  {
    return model->forward(x, level);
  }
  std::vector<torch::Tensor> parts;
  for (int64_t s = 0; s < x.size(0); s += chunk)
  {
    parts.push_back(model->forward(x.slice(0, s, std::min(s + chunk, x.size(0))), level));
  }
  return torch::cat(parts, 0);
}

torch::Tensor Trainer::Impl::pixelLossMapOnTrain(int level) const
{
  torch::NoGradGuard noGrad;
  const torch::Tensor& x = levelData[level].train;
  return pixelLossMap(forwardNoGrad(x, level), x, localValid(level));
}

LevelErrors Trainer::Impl::errors(int level, const torch::Tensor& x, const torch::Tensor& nativeX) const
{
  LevelErrors e;
  if (!x.defined() || x.size(0) == 0)
  {
    return e;
  }
  torch::NoGradGuard noGrad;
  torch::Tensor y = forwardNoGrad(x, level);
  LossParts l = localLoss(y, x, config.w, localValid(level));
  LossParts g = globalLoss(y, nativeX, config.levels - 1 - level, *prolong, config.w, validNative, meanMask());
  e.localMse = l.mse.item<double>();
  e.localMax = l.max.item<double>();
  e.local = l.total.item<double>();
  e.globalMse = g.mse.item<double>();
  e.globalMax = g.max.item<double>();
  e.global = g.total.item<double>();
  return e;
}

// ------------------------------------------------------------------------------------------------------------
// One stage: change the architecture, train, restore the best state, compute the resolved map.

bool Trainer::Impl::runStage(const NextStage& next, TrainingObserver* observer, StopToken* stop)
{
  const auto t0 = Clock::now();
  const int stageIndex = static_cast<int>(stages.size());
  const int k = next.level;
  const int L = config.levels;
  torch::Generator gen = stageGenerator(config.seed, stageIndex);
  if (next.op == "deepen")
  {
    model->deepen(k, config.initStd, config.constantDeepenInit, gen);
  }
  else
  {
    model->widen(k, next.channels, config.initStd, gen);
  }
  const int maxSteps = config.steps[k];
  StoppingRule rule(maxSteps, config.useMaps() ? config.tols[k] : 0.0, config.slowConvergence);
  int ruleSteps = 0; // steps already fed to the rule
  if (observer)
  {
    observer->stageStarted(stageIndex, k, next.group, next.op, maxSteps);
  }

  const torch::Tensor& xTrain = levelData[k].train;
  const torch::Tensor& xVal = levelData[k].val;
  const torch::Tensor& nativeTrain = levelData[L - 1].train;
  const torch::Tensor& nativeVal = levelData[L - 1].val;
  const int prolongations = L - 1 - k;
  const torch::Tensor valid = localValid(k);
  const torch::Tensor mMask = meanMask();
  const int64_t nTrain = xTrain.size(0);
  const bool fullBatch = config.batch >= nTrain;

  // Every stage trains every parameter with a fresh Adam (SPEC §2.4, §4.3).
  std::vector<torch::Tensor> params = model->parameters();
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
  torch::Tensor stepLosses = torch::zeros({maxSteps, 4}, torch::TensorOptions(device));

  StopReason reason = StopReason::MaxSteps;
  int stepsDone = 0;
  int flushed = 0;
  auto lastFlush = Clock::now();
  auto lastSnapshot = Clock::now();

  // Moves the recorded losses of steps (flushed, upto] to the host; false if any of them is not finite.
  auto flush = [&](int upto) {
    if (upto <= flushed)
    {
      return true;
    }
    torch::Tensor rows = stepLosses.slice(0, flushed, upto).to(torch::kCPU, torch::kFloat64).contiguous();
    auto a = rows.accessor<double, 2>();
    std::vector<StepRecord> batch;
    bool finite = true;
    for (int i = 0; i < upto - flushed; ++i)
    {
      StepRecord r;
      r.stage = stageIndex;
      r.level = k;
      r.group = next.group;
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

  for (int step = 1; step <= maxSteps; ++step)
  {
    while (stop && stop->pause.load() && !stop->stopRequested())
    {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    torch::Tensor xb = xTrain, nb = nativeTrain;
    if (!fullBatch)
    {
      torch::Tensor idx = torch::randperm(nTrain, gen, torch::kLong).slice(0, 0, config.batch).to(device);
      xb = xTrain.index_select(0, idx);
      nb = nativeTrain.index_select(0, idx);
    }
    // With batch >= n_train every step sees the whole training set; the losses do not depend on its order,
    // so the reference's randperm gather is skipped.
    torch::Tensor yb = model->forward(xb, k);
    LossParts loss = localLoss(yb, xb, config.w, valid);
    {
      torch::NoGradGuard noGrad;
      torch::Tensor yv = model->forward(xVal, k);
      torch::Tensor lv = localLoss(yv, xVal, config.w, valid).total;
      // The global metrics reuse this step's forward outputs (SPEC §8.3).
      // At the native level without a land mask the global metric is the local loss: reuse it.
      const bool globalIsLocal = prolongations == 0 && !data.hasMask();
      torch::Tensor gTrain = globalIsLocal ? loss.total.detach()
                                           : globalLoss(yb.detach(), nb, prolongations, *prolong, config.w,
                                                        validNative, mMask).total;
      torch::Tensor gVal = globalIsLocal ? lv
                                         : globalLoss(yv, nativeVal, prolongations, *prolong, config.w, validNative,
                                                      mMask).total;
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
      stepLosses.select(0, step - 1).copy_(torch::stack({loss.total.detach(), lv, gTrain, gVal}));
    }
    optimizer.zero_grad();
    loss.total.backward();
    optimizer.step();
    stepsDone = step;

    const bool check = rule.isCheckStep(step);
    if (check || step == maxSteps || secondsSince(lastFlush) > 0.2)
    {
      if (!flush(step))
      {
        reason = StopReason::Diverged;
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
                                       [&] { return pixelLossMapOnTrain(k).max().item<double>(); });
        if (decision)
        {
          reason = *decision;
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
      reason = StopReason::UserStop;
      break;
    }
    if (observer && observer->snapshotInterval() > 0 && secondsSince(lastSnapshot) > observer->snapshotInterval())
    {
      observer->snapshotReady(makeSnapshot(snapshotIndices, stageIndex, step));
      lastSnapshot = Clock::now();
    }
  }
  flush(stepsDone);

  // The final iterate (after the last update) competes too; then the best state is restored for real.
  int restoredStep = 0;
  if (trackBest)
  {
    torch::NoGradGuard noGrad;
    torch::Tensor yv = model->forward(xVal, k);
    torch::Tensor finalScore = config.selectOn == BestSelection::LocalVal
                                 ? localLoss(yv, xVal, config.w, valid).total
                                 : globalLoss(yv, nativeVal, prolongations, *prolong, config.w, validNative, mMask).total;
    const bool finalIsBest = std::isfinite(finalScore.item<double>()) && finalScore.item<double>() <= bestScore.item<double>();
    if (!finalIsBest && std::isfinite(bestScore.item<double>()))
    {
      for (size_t i = 0; i < params.size(); ++i)
      {
        params[i].detach().copy_(bestParams[i]);
      }
      restoredStep = static_cast<int>(bestStep.item<int64_t>());
    }
  }

  StageRecord rec;
  rec.stage = stageIndex;
  rec.level = k;
  rec.group = next.group;
  rec.op = next.op;
  rec.addedChannels = next.channels;
  rec.params = model->parameterCount();
  rec.steps = stepsDone;
  rec.bestStep = restoredStep;
  rec.stopReason = reason;
  {
    torch::NoGradGuard noGrad;
    rec.bestGlobalVal =
      globalLoss(model->forward(xVal, k), nativeVal, prolongations, *prolong, config.w, validNative, mMask)
        .total.item<double>();
  }
  // Resolved map of the group just trained (SPEC §3), on the training set, after the restore.
  const int mapH = static_cast<int>(xTrain.size(2) - 1) / 2, mapW = static_cast<int>(xTrain.size(3) - 1) / 2;
  rec.mapPixels = mapH * mapW;
  if (config.useMaps())
  {
    torch::Tensor resolved = (pixelLossMapOnTrain(k) <= config.tols[k]).to(torch::kFloat32);
    model->setResolvedMap(k, next.group, resolved);
    rec.unresolved = static_cast<int>((1.0 - resolved).sum().item<double>());
    rec.dilated = static_cast<int>(ops::dilate((1.0 - resolved).view({1, 1, mapH, mapW})).sum().item<double>());
    if (rec.unresolved == 0)
    {
      model->setLevelClear(k, true);
    }
  }
  rec.levelClear = model->levelClear(k);
  // Size of encoding (SPEC §7.3): a deepen adds the level's code grid; a widen adds the unresolved count of the
  // previous map times its channels (the whole grid without maps).
  long long previous = stages.empty() ? 0 : stages.back().encodingSize;
  long long added = rec.mapPixels;
  if (next.op == "widen")
  {
    added = config.useMaps() ? static_cast<long long>((1.0 - model->resolvedMap(k, next.group - 1)).sum().item<double>()) *
                                 next.channels
                             : static_cast<long long>(rec.mapPixels) * next.channels;
  }
  rec.encodingSize = previous + added;
  rec.seconds = secondsSince(t0);
  stages.push_back(rec);
  if (observer)
  {
    observer->stageFinished(rec);
    observer->snapshotReady(makeSnapshot(snapshotIndices, stageIndex, stepsDone));
  }
  return reason != StopReason::UserStop && reason != StopReason::Diverged;
}

Snapshot Trainer::Impl::makeSnapshot(const std::vector<int>& indices, int stage, int step) const
{
  Snapshot s;
  s.stage = stage;
  s.step = step;
  s.snapshotIndices = indices;
  const int top = model->topLevel();
  s.level = std::max(0, top);
  if (top < 0)
  {
    return s;
  }
  for (int i : indices)
  {
    if (i < 0 || i >= data.field.t)
    {
      throw InputError("snapshot " + std::to_string(i) + " is out of range (0.." + std::to_string(data.field.t - 1) + ")");
    }
  }
  torch::Tensor x = native.index_select(0, indexTensor(indices, device));
  for (int k = 0; k <= top; ++k)
  {
    torch::Tensor xk = ops::restrict(x, config.levels - 1 - k);
    s.inputs.push_back(toField(xk));
    s.reconstructions.push_back(toField(forwardNoGrad(xk, k)));
    std::vector<Map2D> maps, masks;
    for (int g = 0; g < model->resolvedMapCount(k); ++g)
    {
      maps.push_back(model->hasResolvedMap(k, g) ? toMap(model->resolvedMap(k, g)) : Map2D());
    }
    for (int g = 0; g < model->groups(k); ++g)
    {
      masks.push_back(g >= 1 && model->useMaps() && model->groupMask(k, g).defined() ? toMap(model->groupMask(k, g))
                                                                                     : Map2D());
    }
    s.maps.push_back(maps);
    s.masks.push_back(masks);
  }
  return s;
}

// ------------------------------------------------------------------------------------------------------------
// Public facade

Trainer::Trainer(Dataset data, TrainingConfig config) : impl_(std::make_unique<Impl>())
{
  impl_->data = std::move(data);
  impl_->config = std::move(config);
  impl_->prepare();
  impl_->createModel();
}

Trainer::Trainer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Trainer::~Trainer() = default;
Trainer::Trainer(Trainer&&) noexcept = default;
Trainer& Trainer::operator=(Trainer&&) noexcept = default;

Trainer Trainer::fromModelFile(const std::string& path, Dataset data, const std::string& device, int threads)
{
  auto impl = std::make_unique<Impl>();
  impl->data = std::move(data);
  ModelFile::read(path, *impl, device, threads);
  return Trainer(std::move(impl));
}

void Trainer::run(TrainingObserver* observer, StopToken* stop)
{
  while (true)
  {
    NextStage next = impl_->nextStage();
    if (next.done || (stop && stop->stopRequested()))
    {
      return;
    }
    if (!impl_->runStage(next, observer, stop))
    {
      return;
    }
  }
}

bool Trainer::finished() const
{
  return impl_->nextStage().done;
}

void Trainer::save(const std::string& path) const
{
  ModelFile::write(path, *impl_);
}

const TrainingConfig& Trainer::config() const
{
  return impl_->config;
}

const Dataset& Trainer::dataset() const
{
  return impl_->data;
}

const Split& Trainer::split() const
{
  return impl_->split;
}

const std::vector<StageRecord>& Trainer::stages() const
{
  return impl_->stages;
}

const std::vector<StepRecord>& Trainer::curves() const
{
  return impl_->curves;
}

ArchitectureInfo Trainer::architecture() const
{
  ArchitectureInfo a;
  a.levels = impl_->config.levels;
  for (int k = 0; k < a.levels; ++k)
  {
    std::vector<int> ch;
    for (int g = 0; g < impl_->model->groups(k); ++g)
    {
      ch.push_back(impl_->model->channels(k, g));
    }
    a.groupChannels.push_back(ch);
    a.levelClear.push_back(impl_->model->levelClear(k));
  }
  a.params = impl_->model->parameterCount();
  return a;
}

std::string Trainer::deviceName() const
{
  return impl_->device.is_cuda() ? "cuda" : "cpu";
}

int Trainer::trainedLevel() const
{
  return impl_->model->topLevel();
}

std::vector<LevelEvaluation> Trainer::evaluate() const
{
  std::vector<LevelEvaluation> out;
  const int L = impl_->config.levels;
  for (int k = 0; k <= impl_->model->topLevel(); ++k)
  {
    LevelEvaluation e;
    e.level = k;
    const auto& d = impl_->levelData;
    e.train = impl_->errors(k, d[k].train, d[L - 1].train);
    e.val = impl_->errors(k, d[k].val, d[L - 1].val);
    e.test = impl_->errors(k, d[k].test, d[L - 1].test);
    out.push_back(e);
  }
  return out;
}

Snapshot Trainer::snapshot(const std::vector<int>& indices) const
{
  const int stage = static_cast<int>(impl_->stages.size()) - 1;
  const int step = impl_->stages.empty() ? 0 : impl_->stages.back().steps;
  return impl_->makeSnapshot(indices.empty() ? impl_->snapshotIndices : indices, stage, step);
}

void Trainer::setSnapshotIndices(std::vector<int> indices)
{
  impl_->snapshotIndices = std::move(indices);
}

} // namespace mrcae
