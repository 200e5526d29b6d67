#include "mrcae/engine/Trainer.h"

#include "CodeCount.h"
#include "DeviceSupport.h"
#include "Losses.h"
#include "ModelFile.h"
#include "SnapshotFields.h"
#include "StageRun.h"
#include "TrainerImpl.h"
#include "mrcae/model/DeviceError.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/StreamedDataset.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/cuda.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

namespace mrcae
{

namespace
{

using Clock = std::chrono::steady_clock;

/// A bound on extended stages, 2000 times the paper's budget (5000): a stage holds its losses on the device.
constexpr long long kMaxStageSteps = 10000000LL;

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

} // namespace

// ------------------------------------------------------------------------------------------------------------
// Setup

void Trainer::Impl::prepare()
{
  config.validate();
  data.checkTrainable(config.levels, config.trainFraction, config.valFraction);
  // "auto": CUDA when LibTorch sees a device, else the CPU; "cuda" without one is refused (DeviceError).
  device = device::choose(config.device);
  if (device.is_cuda() && group && torch::cuda::device_count() > 1)
  {
    // One device per rank on a machine with several: the rank on the machine picks it (torchrun's LOCAL_RANK).
    device = torch::Device(torch::kCUDA,
                           static_cast<c10::DeviceIndex>(group->setup().localRank % torch::cuda::device_count()));
  }
  device::configure(device);
  const int threads = config.threads > 0 ? config.threads : static_cast<int>(std::thread::hardware_concurrency());
  torch::set_num_threads(std::max(1, threads));

  if (split.train.empty())
  {
    split = Dataset::makeSplit(data.field.t, config.seed, config.trainFraction, config.valFraction);
  }
  if (stream || (group && group->size() > 1))
  {
    preparePartitioned();
  }
  else
  {
    prepareResident();
  }
  if (snapshotIndices.empty())
  {
    snapshotIndices = {split.test.empty() ? split.val.front() : split.test.front()};
  }
}

torch::Tensor Trainer::Impl::validMask() const
{
  const auto& f = data.field;
  torch::Tensor valid =
      data.hasMask()
          ? torch::from_blob(const_cast<float*>(data.valid.data.data()), {1, 1, f.h, f.w}, torch::kFloat32).clone()
          : torch::ones({1, 1, f.h, f.w});
  return valid.to(device);
}

void Trainer::Impl::prepareResident()
{
  const auto& f = data.field;
  // Before anything is allocated: a run that cannot fit is refused with what would fit, instead of failing
  // inside LibTorch (MemoryEstimate.h).
  checkMemory(config,
              estimateTrainingMemory(config, f.t, f.h, f.w, static_cast<int>(split.train.size()),
                                     static_cast<int>(split.val.size())),
              memoryBudget(config, device.is_cuda()), f.t, f.h, f.w, device.is_cuda() ? "the CUDA device" : "the CPU");
  native = torch::from_blob(const_cast<float*>(f.data.data()), {f.t, 1, f.h, f.w}, torch::kFloat32).clone().to(device);
  const int L = config.levels;
  levelData.assign(L, {});
  validLevel.assign(L, {});
  validNative = validMask();
  if (config.landMask == LandMaskMode::Consistent && data.hasMask())
  {
    // Values under the mask (fill values, NaN) never reach the network, a loss or a map: the input is 0 there.
    native.masked_fill_(validNative <= 0.5f, 0.0f);
  }
  // Level data are pure subsampling: computed once and kept on the device (SPEC §8.5). The coarser levels are
  // taken from the native level's parts, so no native-size copy is made on the way.
  torch::Tensor trainIdx = indexTensor(split.train, device), valIdx = indexTensor(split.val, device),
                testIdx = indexTensor(split.test, device);
  LevelData& top = levelData[L - 1];
  top.train = native.index_select(0, trainIdx);
  top.val = native.index_select(0, valIdx);
  top.test = split.test.empty() ? torch::Tensor() : native.index_select(0, testIdx);
  for (int k = 0; k < L; ++k)
  {
    const int times = L - 1 - k;
    if (k < L - 1)
    {
      levelData[k].train = ops::restrict(top.train, times).contiguous();
      levelData[k].val = ops::restrict(top.val, times).contiguous();
      levelData[k].test = top.test.defined() ? ops::restrict(top.test, times).contiguous() : torch::Tensor();
    }
    validLevel[k] = ops::restrict(validNative, times).contiguous();
  }
  prolong = std::make_unique<ops::Prolongation>(device);
}

void Trainer::Impl::preparePartitioned()
{
  const auto& f = data.field;
  const int rank = group ? group->rank() : 0, world = group ? group->size() : 1;
  if (static_cast<int>(split.train.size()) < world || static_cast<int>(split.val.size()) < world)
  {
    throw InputError("the split has " + std::to_string(split.train.size()) + " training and " +
                     std::to_string(split.val.size()) + " validation snapshots, fewer than the " +
                     std::to_string(world) + " processes: use fewer processes or more snapshots");
  }
  // This rank's share of each part: every world-th snapshot.
  auto share = [&](size_t n) { return static_cast<int>((n + static_cast<size_t>(world - 1 - rank)) / world); };
  const int train = share(split.train.size()), val = share(split.val.size()), test = share(split.test.size());
  const MemoryBudget budget = memoryBudget(config, device.is_cuda());
  const std::string deviceName = device.is_cuda() ? "the CUDA device" : "the CPU";
  StreamPlan plan;
  if (stream)
  {
    // A memory limit caps the whole process: what it holds already (LibTorch, the metadata) is not available.
    const std::int64_t room = budget.bytes < 0 ? std::numeric_limits<std::int64_t>::max() / 4 : budget.bytes;
    const bool capsProcess = budget.bytes >= 0 && config.memoryLimitGb > 0 && !device.is_cuda();
    plan = planStreamedTraining(config, f.h, f.w, train, val, test, room, budget.source,
                                capsProcess ? residentBytes() : 0);
    if (streamOptions.evaluationChunk > 0)
    {
      plan.residentEvaluation = false;
      plan.evalChunk = streamOptions.evaluationChunk;
    }
  }
  else
  {
    checkMemory(config, estimateTrainingMemory(config, train + val + test, f.h, f.w, train, val), budget, f.t, f.h, f.w,
                deviceName);
  }
  const int L = config.levels;
  validNative = validMask();
  validLevel.assign(L, {});
  for (int k = 0; k < L; ++k)
  {
    validLevel[k] = ops::restrict(validNative, L - 1 - k).contiguous();
  }
  prolong = std::make_unique<ops::Prolongation>(device);
  feed = std::make_unique<ShardFeed>(data, stream, split, rank, world, L, validNative,
                                     config.landMask == LandMaskMode::Consistent && data.hasMask(), device,
                                     stream ? &plan : nullptr);
}

bool Trainer::Impl::stopRequested(StopToken* stop) const
{
  const bool mine = stop && stop->stopRequested();
  if (!group || group->size() == 1)
  {
    return mine;
  }
  torch::Tensor any = torch::full({1}, mine ? 1.0f : 0.0f, torch::TensorOptions(device));
  allSum(groupImpl(), any);
  return any.item<float>() > 0;
}

DatasetDescription Trainer::Impl::dataDescription() const
{
  return stream ? DatasetDescription::of(data, stream->contentHash()) : DatasetDescription::of(data);
}

torch::Tensor Trainer::Impl::snapshotsAt(const std::vector<int>& indices) const
{
  for (int i : indices)
  {
    if (i < 0 || i >= data.field.t)
    {
      throw InputError("snapshot " + std::to_string(i) + " is out of range (0.." + std::to_string(data.field.t - 1) +
                       ")");
    }
  }
  return partitioned() ? feed->snapshots(indices) : native.index_select(0, indexTensor(indices, device));
}

void Trainer::Impl::createModel()
{
  model = MrcaeModel(config.levels, config.activation, config.useMaps());
  model->to(device);
}

NextStage Trainer::Impl::nextStage() const
{
  // A stage stopped by the user (or given extra steps) goes on before the schedule moves on.
  if (lastStage.open && !stages.empty())
  {
    const StageRecord& last = stages.back();
    return {false, last.level, last.group, last.addedChannels, last.op, true};
  }
  NextStage next;
  for (int k = 0; k < config.levels; ++k)
  {
    const int g = model->groups(k);
    const auto& arch = config.archs[k];
    if (g == 0)
    {
      return {false, k, 0, 1, StageOp::Deepen};
    }
    if (model->levelClear(k) || g >= static_cast<int>(arch.size()))
    {
      continue;
    }
    return {false, k, g, arch[g] - arch[g - 1], StageOp::Widen};
  }
  return next;
}

std::vector<torch::Tensor> Trainer::Impl::parameters() const
{
  std::vector<torch::Tensor> out;
  for (int k = 0; k < config.levels; ++k)
  {
    for (int g = 0; g < model->groups(k); ++g)
    {
      out.push_back(model->encoder(k, g)->weight);
      out.push_back(model->encoder(k, g)->bias);
      out.push_back(model->decoder(k, g)->weight);
      out.push_back(model->decoder(k, g)->bias);
    }
  }
  return out;
}

ArchitectureInfo Trainer::Impl::architecture() const
{
  ArchitectureInfo a;
  a.levels = config.levels;
  for (int k = 0; k < a.levels; ++k)
  {
    std::vector<int> ch;
    for (int g = 0; g < model->groups(k); ++g)
    {
      ch.push_back(model->channels(k, g));
    }
    a.groupChannels.push_back(ch);
    a.levelClear.push_back(model->levelClear(k));
  }
  a.params = model->parameterCount();
  return a;
}

Checkpoint Trainer::Impl::checkpoint() const
{
  Checkpoint c;
  c.config = config;
  c.architecture = architecture();
  c.parameters = parameters();
  for (int k = 0; k < config.levels; ++k)
  {
    std::vector<torch::Tensor> maps;
    for (int g = 0; g < model->resolvedMapCount(k); ++g)
    {
      maps.push_back(model->hasResolvedMap(k, g) ? model->resolvedMap(k, g) : torch::Tensor());
    }
    c.resolvedMaps.push_back(std::move(maps));
  }
  c.stages = stages;
  c.curves = curves;
  c.data = dataDescription();
  c.split = split;
  c.snapshotIndices = snapshotIndices;
  c.lastStage = lastStage;
  return c;
}

void Trainer::Impl::restore(const std::string& path, Checkpoint c, const std::string& deviceName, int threads,
                            double memoryLimitGb)
{
  const Field& f = data.field;
  if (f.t != c.data.t || f.h != c.data.h || f.w != c.data.w)
  {
    throw InputError(path + ": the model was trained on " + std::to_string(c.data.t) + "x" + std::to_string(c.data.h) +
                     "x" + std::to_string(c.data.w) + " data, but this dataset is " + std::to_string(f.t) + "x" +
                     std::to_string(f.h) + "x" + std::to_string(f.w) + ": open the model with its own dataset");
  }
  for (const auto* part : {&c.split.train, &c.split.val, &c.split.test})
  {
    for (int i : *part)
    {
      if (i < 0 || i >= f.t)
      {
        throw InputError(path + ": the stored split names snapshot " + std::to_string(i) + ", outside this dataset");
      }
    }
  }
  config = c.config; // a copy: c.network() below builds from it
  if (!deviceName.empty())
  {
    config.device = deviceName;
  }
  if (threads > 0)
  {
    config.threads = threads;
  }
  if (memoryLimitGb > 0)
  {
    config.memoryLimitGb = memoryLimitGb;
  }
  stages = std::move(c.stages);
  split = std::move(c.split);
  snapshotIndices = std::move(c.snapshotIndices);
  prepare();
  model = c.network(device);
  curves = std::move(c.curves);
  lastStage = std::move(c.lastStage);
}

torch::Tensor Trainer::Impl::localValid(int level) const
{
  return config.landMask == LandMaskMode::Consistent && data.hasMask() ? validLevel[level] : torch::Tensor();
}

torch::Tensor Trainer::Impl::meanMask() const
{
  return config.landMask == LandMaskMode::Consistent && data.hasMask() ? validNative : torch::Tensor();
}

StageData Trainer::Impl::stageData(int level) const
{
  const int L = config.levels;
  StageData d;
  if (!partitioned())
  {
    d.xTrain = levelData[level].train;
    d.xVal = levelData[level].val;
    d.nativeTrain = levelData[L - 1].train;
    d.nativeVal = levelData[L - 1].val;
  }
  d.prolongations = L - 1 - level;
  d.localValid = localValid(level);
  d.maxMask = validNative;
  d.meanMask = meanMask();
  d.prolong = prolong.get();
  // At the native level the global metric is the local loss without a mask, and in consistent mode with one.
  d.globalIsLocal = d.prolongations == 0 && (!data.hasMask() || config.landMask == LandMaskMode::Consistent);
  d.level = level;
  d.feed = feed.get();
  d.group = groupImpl();
  return d;
}

torch::Tensor Trainer::Impl::forwardNoGrad(const torch::Tensor& x, int level) const
{
  return mrcae::forwardNoGrad([this, level](const torch::Tensor& t) { return model->forward(t, level); }, x);
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

LevelErrors Trainer::Impl::errors(int level, ShardFeed::Part part) const
{
  LevelErrors e;
  const int64_t count = feed->total(part);
  if (count == 0)
  {
    return e;
  }
  const StageData d = stageData(level);
  const Forward forward = [this, level](const torch::Tensor& x) { return model->forward(x, level); };
  torch::NoGradGuard noGrad;
  // Local and global sums of every rank in one all-reduce, then the errors of the whole part from them.
  const PartSums sums = partSums(forward, d, part);
  torch::Tensor both = torch::cat({sums.local.reshape({-1}), sums.global.reshape({-1})});
  allSum(groupImpl(), both);
  const int64_t n = sums.local.numel();
  const double c = static_cast<double>(count);
  const LossParts l = lossFromPixelMeans(both.slice(0, 0, n).view(sums.local.sizes()) / c, config.w, localValid(level),
                                         localValid(level));
  const LossParts g =
      lossFromPixelMeans(both.slice(0, n).view(sums.global.sizes()) / c, config.w, validNative, meanMask());
  const torch::Tensor values =
      torch::stack({l.mse, l.max, l.total, g.mse, g.max, g.total}).to(torch::kCPU, torch::kDouble);
  e.localMse = values[0].item<double>();
  e.localMax = values[1].item<double>();
  e.local = values[2].item<double>();
  e.globalMse = values[3].item<double>();
  e.globalMax = values[4].item<double>();
  e.global = values[5].item<double>();
  return e;
}

// ------------------------------------------------------------------------------------------------------------
// One stage: change the architecture, train, restore the best state, compute the resolved map.

bool Trainer::Impl::runStage(const NextStage& next, TrainingObserver* observer, StopToken* stop)
{
  const auto t0 = Clock::now();
  // A continued stage keeps its index and replaces its record when it ends.
  const int stageIndex = static_cast<int>(stages.size()) - (next.continues ? 1 : 0);
  const double earlierSeconds = next.continues ? stages.back().seconds : 0.0;
  const int k = next.level;
  // A continued stage gets its generator, parameters and Adam back from lastStage (in StageRun).
  torch::Generator gen = stageGenerator(config.seed, stageIndex);
  if (!next.continues)
  {
    lastStage = {};
    if (next.op == StageOp::Deepen)
    {
      model->deepen(k, config.initStd, config.constantDeepenInit, gen);
    }
    else
    {
      model->widen(k, next.channels, config.initStd, gen);
    }
  }
  const int maxSteps = next.continues ? lastStage.maxSteps : config.steps[k];
  if (observer)
  {
    observer->stageStarted(stageIndex, k, next.group, next.op, maxSteps);
  }
  const StageData d = stageData(k);
  const Forward forward = [this, k](const torch::Tensor& x) { return model->forward(x, k); };
  if (static_cast<int>(timing.size()) < config.levels)
  {
    timing.resize(config.levels);
  }
  timing[k].level = k;
  StageTask task{
      d, forward, parameters(), maxSteps, config.useMaps() ? config.tols[k] : 0.0, {stageIndex, k, next.group}};
  StageHooks hooks;
  hooks.curves = &curves;
  hooks.observer = observer;
  hooks.stop = stop;
  hooks.midStageSnapshot = [&](int step) { observer->snapshotReady(makeSnapshot(snapshotIndices, stageIndex, step)); };
  hooks.progress = &lastStage;
  hooks.timing = &timing[k];
  hooks.probeSteps = probeSteps;
  const StageOutcome outcome = StageRun(config, std::move(task), gen, std::move(hooks)).run();

  StageRecord rec;
  rec.stage = stageIndex;
  rec.level = k;
  rec.group = next.group;
  rec.op = next.op;
  rec.addedChannels = next.channels;
  rec.params = model->parameterCount();
  rec.steps = outcome.steps;
  rec.bestStep = outcome.restoredStep;
  rec.stopReason = outcome.reason;
  const int mapH = static_cast<int>(validLevel[k].size(2) - 1) / 2,
            mapW = static_cast<int>(validLevel[k].size(3) - 1) / 2;
  rec.mapPixels = mapH * mapW;
  // Size of encoding (SPEC §7.3): a deepen adds the level's code grid; a widen adds the unresolved count of the
  // previous map (that of the stage before, the previous group of this level) times its channels (the whole
  // grid without maps).
  const long long previous = stageIndex == 0 ? 0 : stages[stageIndex - 1].encodingSize;
  auto encodingAdded = [&]() -> long long {
    if (next.op != StageOp::Widen)
    {
      return rec.mapPixels;
    }
    if (!config.useMaps())
    {
      return static_cast<long long>(rec.mapPixels) * next.channels;
    }
    const int before = stageIndex - 1;
    if (before >= 0 && stages[before].level == k && stages[before].group == next.group - 1 &&
        stages[before].unresolved >= 0)
    {
      return static_cast<long long>(stages[before].unresolved) * next.channels;
    }
    return static_cast<long long>((1.0 - model->resolvedMap(k, next.group - 1)).sum().item<double>()) * next.channels;
  };
  // The stage's record replaces the one a stopped run left, or is added; the observer sees it.
  auto publish = [&] {
    rec.seconds = earlierSeconds + secondsSince(t0);
    if (next.continues)
    {
      stages.back() = rec;
    }
    else
    {
      stages.push_back(rec);
    }
    if (observer)
    {
      observer->stageFinished(rec);
    }
  };
  // Keeps a record of a stage that the device could not finish (no device work: the stage goes on later and
  // its record is replaced then), and reports it.
  auto keepAfterOutOfMemory = [&](const std::string& error, bool exact) {
    // Stopped (inside the steps), or how the stage ended (its record could not be made): as the stage state says.
    rec.stopReason = lastStage.empty() ? StopReason::UserStop : lastStage.reason;
    rec.steps = lastStage.empty() ? outcome.steps : lastStage.steps;
    // The best score is the global validation error when it selects; otherwise the last step's.
    const bool scoreIsGlobal =
        config.selectOn == BestSelection::GlobalVal && !lastStage.empty() && std::isfinite(lastStage.bestScore);
    rec.bestGlobalVal = scoreIsGlobal
                            ? lastStage.bestScore
                            : (!curves.empty() && curves.back().stage == stageIndex ? curves.back().globalVal : 0.0);
    rec.unresolved = rec.dilated = -1;
    rec.levelClear = model->levelClear(k);
    try
    {
      rec.encodingSize =
          previous + (next.op == StageOp::Widen && config.useMaps() && !model->hasResolvedMap(k, next.group - 1)
                          ? 0
                          : encodingAdded());
    }
    catch (const std::exception&)
    {
      rec.encodingSize = previous;
    }
    publish();
    const std::string where = "stage " + std::to_string(stageIndex + 1) + " (level " + std::to_string(k) + " " +
                              token(next.op) + ") after " + std::to_string(rec.steps) + " steps";
    throw DeviceError(DeviceError::Kind::OutOfMemory, device.is_cuda() ? "cuda" : "cpu",
                      SettingText() << (device.is_cuda() ? "the CUDA device" : "the CPU") << " ran out of memory in "
                                    << where << " (" << error
                                    << "); what was trained is kept, with that stage's best state"
                                    << (exact ? ""
                                              : " (its optimizer state was dropped: it goes on from the best state "
                                                "with a fresh Adam)")
                                    << ": use a smaller " << Setting::Batch << " or fewer " << Setting::Snapshots
                                    << ", or continue on the CPU (" << Setting::Device << " cpu)",
                      stageIndex, rec.steps, exact);
  };
  if (outcome.outOfMemory)
  {
    keepAfterOutOfMemory(outcome.error, outcome.exact);
  }
  try
  {
    seam::outOfMemoryAt(seam::OutOfMemoryPoint::AfterStage, stageIndex);
    // The record's device work: the best global validation error and, with maps, the resolved map of the group
    // just trained (SPEC §3, on the training set, after the restore) with its counts, copied back together.
    torch::NoGradGuard noGrad;
    rec.bestGlobalVal = globalValError(forward, d, config.w);
    if (config.useMaps())
    {
      torch::Tensor resolved = (pixelLossMapOnTrain(forward, d) <= config.tols[k]).to(torch::kFloat32);
      const torch::Tensor unresolved = 1.0 - resolved;
      const torch::Tensor counts =
          torch::stack({unresolved.sum(), ops::dilate(unresolved.view({1, 1, mapH, mapW})).sum()}).to(torch::kCPU);
      model->setResolvedMap(k, next.group, resolved);
      rec.unresolved = static_cast<int>(counts[0].item<double>());
      rec.dilated = static_cast<int>(counts[1].item<double>());
      // Decided again when a stage goes on: it may have cleared its level when it was stopped.
      model->setLevelClear(k, rec.unresolved == 0);
    }
    rec.encodingSize = previous + encodingAdded();
    rec.codeValues = codeValueCount(*model, k, data.field.h, data.field.w);
  }
  catch (const std::exception& e)
  {
    if (!device::isOutOfMemory(e))
    {
      throw;
    }
    device::releaseCachedMemory(device);
    // Every step is complete and the stage state is kept: going on records the stage again (and a stage that
    // ended on its own takes no more steps). The model holds the restored state already.
    if (!lastStage.empty())
    {
      lastStage.open = true;
      if (lastStage.reason != StopReason::UserStop)
      {
        lastStage.maxSteps = lastStage.steps;
      }
    }
    keepAfterOutOfMemory(device::firstLine(e), true);
  }
  rec.levelClear = model->levelClear(k);
  publish();
  if (observer)
  {
    observer->snapshotReady(makeSnapshot(snapshotIndices, stageIndex, outcome.steps));
  }
  return outcome.reason != StopReason::UserStop && outcome.reason != StopReason::Diverged;
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
  torch::Tensor x = snapshotsAt(indices);
  for (int k = 0; k <= top; ++k)
  {
    torch::Tensor xk = ops::restrict(x, config.levels - 1 - k);
    s.inputs.push_back(toField(xk));
    s.reconstructions.push_back(toField(forwardNoGrad(xk, k)));
    appendLevelMaps(model, k, s);
  }
  return s;
}

// ------------------------------------------------------------------------------------------------------------
// Public facade

Trainer::Trainer(Dataset data, TrainingConfig config, std::shared_ptr<RankGroup> group)
  : impl_(std::make_unique<Impl>())
{
  impl_->data = std::move(data);
  impl_->config = std::move(config);
  impl_->group = std::move(group);
  impl_->prepare();
  impl_->createModel();
}

Trainer::Trainer(std::shared_ptr<const StreamedDataset> data, TrainingConfig config, std::shared_ptr<RankGroup> group,
                 StreamOptions options)
  : impl_(std::make_unique<Impl>())
{
  impl_->data = data->metadata();
  impl_->stream = std::move(data);
  impl_->streamOptions = options;
  impl_->config = std::move(config);
  impl_->group = std::move(group);
  impl_->prepare();
  impl_->createModel();
}

Trainer::Trainer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Trainer::~Trainer() = default;
Trainer::Trainer(Trainer&&) noexcept = default;
Trainer& Trainer::operator=(Trainer&&) noexcept = default;

Trainer Trainer::fromModelFile(const std::string& path, Dataset data, const std::string& device, int threads,
                               std::shared_ptr<RankGroup> group, double memoryLimitGb)
{
  auto impl = std::make_unique<Impl>();
  impl->data = std::move(data);
  impl->group = std::move(group);
  impl->restore(path, ModelFile::read(path), device, threads, memoryLimitGb);
  return Trainer(std::move(impl));
}

Trainer Trainer::fromModelFile(const std::string& path, std::shared_ptr<const StreamedDataset> data,
                               const std::string& device, int threads, std::shared_ptr<RankGroup> group,
                               double memoryLimitGb)
{
  auto impl = std::make_unique<Impl>();
  impl->data = data->metadata();
  impl->stream = std::move(data);
  impl->group = std::move(group);
  impl->restore(path, ModelFile::read(path), device, threads, memoryLimitGb);
  return Trainer(std::move(impl));
}

void Trainer::checkModelFile(const std::string& path)
{
  (void)ModelFile::read(path);
}

void Trainer::run(TrainingObserver* observer, StopToken* stop)
{
  while (true)
  {
    NextStage next = impl_->nextStage();
    if (next.done || impl_->stopRequested(stop))
    {
      return;
    }
    try
    {
      if (!impl_->runStage(next, observer, stop))
      {
        return;
      }
    }
    catch (const DeviceError&)
    {
      throw;
    }
    catch (const std::exception& e)
    {
      // Out of memory outside a stage's steps and record (the architecture change, the stage's last snapshot):
      // what was recorded is kept.
      if (!device::isOutOfMemory(e))
      {
        throw;
      }
      device::releaseCachedMemory(impl_->device);
      const bool cuda = impl_->device.is_cuda();
      throw DeviceError(DeviceError::Kind::OutOfMemory, cuda ? "cuda" : "cpu",
                        SettingText() << (cuda ? "the CUDA device" : "the CPU") << " ran out of memory ("
                                      << device::firstLine(e) << ") around stage " << impl_->stages.size()
                                      << "; the stages recorded so far are kept: use a smaller " << Setting::Batch
                                      << " or fewer " << Setting::Snapshots << ", or continue on the CPU ("
                                      << Setting::Device << " cpu)",
                        static_cast<int>(impl_->stages.size()) - 1, 0, false);
    }
  }
}

void Trainer::moveTo(const std::string& name)
{
  Impl& m = *impl_;
  if (name != "cpu" && name != "cuda" && name != "auto")
  {
    throw InputError("device must be cpu, cuda or auto (got '" + name + "')");
  }
  const torch::Device target = device::choose(name); // DeviceError when CUDA is asked for and absent
  if (target == m.device)
  {
    m.config.device = name;
    return; // nothing moves: outputs stay bit for bit what they were
  }
  if (m.partitioned())
  {
    throw InputError("a run read from its file or spread over several processes stays on its device: save it and "
                     "resume it on " +
                     std::string(target.is_cuda() ? "the CUDA device" : "the CPU"));
  }
  const auto& f = m.data.field;
  checkMemory(m.config,
              estimateTrainingMemory(m.config, f.t, f.h, f.w, static_cast<int>(m.split.train.size()),
                                     static_cast<int>(m.split.val.size())),
              memoryBudget(m.config, target.is_cuda()), f.t, f.h, f.w,
              target.is_cuda() ? "the CUDA device" : "the CPU");
  const torch::Device from = m.device;
  auto move = [&](const torch::Tensor& t) { return t.defined() ? t.to(target) : t; };
  try
  {
    // Everything is copied first and replaced only when every copy succeeded (the trainer stays usable on its
    // old device when the new one has no room).
    torch::Tensor native = move(m.native), validNative = move(m.validNative);
    std::vector<LevelData> levels;
    for (const auto& l : m.levelData)
    {
      levels.push_back({move(l.train), move(l.val), move(l.test)});
    }
    std::vector<torch::Tensor> validLevel;
    for (const auto& v : m.validLevel)
    {
      validLevel.push_back(move(v));
    }
    auto prolong = std::make_unique<ops::Prolongation>(target);
    m.model->moveTo(target);
    m.native = native;
    m.validNative = validNative;
    m.levelData = std::move(levels);
    m.validLevel = std::move(validLevel);
    m.prolong = std::move(prolong);
    // The stage state may stay where it is: StageRun reads it on any device.
  }
  catch (const std::exception& e)
  {
    m.model->moveTo(from);
    if (device::isOutOfMemory(e))
    {
      device::releaseCachedMemory(target);
      throw DeviceError(DeviceError::Kind::OutOfMemory, target.is_cuda() ? "cuda" : "cpu",
                        "moving the run to " + std::string(target.is_cuda() ? "the CUDA device" : "the CPU") +
                            " ran out of memory (" + device::firstLine(e) + "): it stays on " +
                            (from.is_cuda() ? "the CUDA device" : "the CPU"));
    }
    throw;
  }
  m.device = target;
  m.config.device = name;
  device::configure(target);
}

void Trainer::setDeviceTiming(bool probeSteps)
{
  impl_->probeSteps = probeSteps;
}

std::vector<LevelTiming> Trainer::timing() const
{
  std::vector<LevelTiming> out = impl_->timing;
  out.resize(impl_->config.levels);
  for (int k = 0; k < impl_->config.levels; ++k)
  {
    out[k].level = k;
  }
  return out;
}

void Trainer::resetTiming()
{
  impl_->timing.clear();
}

bool Trainer::finished() const
{
  return impl_->nextStage().done;
}

ResumePoint Trainer::resumePoint() const
{
  const Impl& m = *impl_;
  const NextStage next = m.nextStage();
  ResumePoint p;
  p.done = next.done;
  if (next.done)
  {
    return p;
  }
  p.continuesStage = next.continues;
  p.stage = static_cast<int>(m.stages.size()) - (next.continues ? 1 : 0);
  p.level = next.level;
  p.group = next.group;
  p.op = next.op;
  p.fromStep = next.continues ? m.lastStage.steps : 0;
  p.maxSteps = next.continues ? m.lastStage.maxSteps : m.config.steps[next.level];
  return p;
}

bool Trainer::hasStageState() const
{
  return !impl_->lastStage.empty();
}

void Trainer::extendLastStage(int extraSteps)
{
  Impl& m = *impl_;
  if (extraSteps < 1)
  {
    throw InputError("extra steps must be at least 1 (got " + std::to_string(extraSteps) + ")");
  }
  if (m.stages.empty())
  {
    throw InputError("there is no stage to give more steps to: train first");
  }
  if (m.lastStage.empty())
  {
    throw InputError("the last stage cannot take more steps: its optimizer state was not saved (a model file "
                     "without /optimizer, from an older version); resume continues with the next stage");
  }
  if (m.lastStage.reason == StopReason::Diverged)
  {
    throw InputError("the last stage diverged (a loss became NaN or infinite): more steps would not help; "
                     "train again with a smaller learning rate");
  }
  StageProgress& p = m.lastStage;
  // N more steps than the stage would take otherwise: an open stage still has its remaining budget.
  const long long limit = static_cast<long long>(p.open ? p.maxSteps : p.steps) + extraSteps;
  if (limit > kMaxStageSteps)
  {
    throw InputError("a stage can take at most " + std::to_string(kMaxStageSteps) + " steps (asked for " +
                     std::to_string(limit) + ")");
  }
  p.maxSteps = static_cast<int>(limit);
  p.open = true;
}

void Trainer::save(const std::string& path) const
{
  ModelFile::write(path, impl_->checkpoint());
}

const TrainingConfig& Trainer::config() const
{
  return impl_->config;
}

const Dataset& Trainer::dataset() const
{
  return impl_->data;
}

bool Trainer::streamed() const
{
  return impl_->stream != nullptr;
}

StreamStatistics Trainer::streamStatistics() const
{
  StreamStatistics s;
  if (impl_->feed)
  {
    s.readAhead = impl_->feed->prefetchHits();
    s.readInStep = impl_->feed->prefetchMisses();
  }
  return s;
}

int Trainer::rank() const
{
  return impl_->group ? impl_->group->rank() : 0;
}

int Trainer::ranks() const
{
  return impl_->group ? impl_->group->size() : 1;
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
  return impl_->architecture();
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
    if (impl_->partitioned())
    {
      e.train = impl_->errors(k, ShardFeed::Part::Train);
      e.val = impl_->errors(k, ShardFeed::Part::Val);
      e.test = impl_->errors(k, ShardFeed::Part::Test);
      out.push_back(e);
      continue;
    }
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

std::vector<GroupCodes> Trainer::codes(const std::vector<int>& indices) const
{
  const Impl& m = *impl_;
  torch::Tensor x = m.snapshotsAt(indices);
  std::vector<GroupCodes> out;
  torch::NoGradGuard noGrad;
  for (int k = 0; k <= m.model->topLevel(); ++k)
  {
    std::vector<torch::Tensor> c = m.model->codes(ops::restrict(x, m.config.levels - 1 - k), k);
    for (size_t g = 0; g < c.size(); ++g)
    {
      GroupCodes gc;
      gc.level = k;
      gc.group = static_cast<int>(g);
      gc.channels = static_cast<int>(c[g].size(1));
      // (n, ch, h, w) -> (n·ch, 1, h, w): snapshot-major, as the Field's time axis.
      gc.values = toField(c[g].reshape({-1, 1, c[g].size(2), c[g].size(3)}));
      out.push_back(std::move(gc));
    }
  }
  return out;
}

std::vector<GroupWeights> Trainer::weights() const
{
  const Impl& m = *impl_;
  torch::NoGradGuard noGrad;
  auto values = [](const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  };
  std::vector<GroupWeights> out;
  for (int k = 0; k <= m.model->topLevel(); ++k)
  {
    for (int g = 0; g < m.model->groups(k); ++g)
    {
      GroupWeights w;
      w.level = k;
      w.group = g;
      w.channels = m.model->channels(k, g);
      // Conv2d weight (n,1,3,3) and ConvTranspose2d weight (n,1,3,3): channel-major, row-major kernels.
      w.encoderWeight = values(m.model->encoder(k, g)->weight);
      w.encoderBias = values(m.model->encoder(k, g)->bias);
      w.decoderWeight = values(m.model->decoder(k, g)->weight);
      w.decoderBias = values(m.model->decoder(k, g)->bias).at(0);
      out.push_back(std::move(w));
    }
  }
  return out;
}

void Trainer::setSnapshotIndices(std::vector<int> indices)
{
  impl_->snapshotIndices = std::move(indices);
}

} // namespace mrcae
