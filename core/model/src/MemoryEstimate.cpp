#include "mrcae/model/MemoryEstimate.h"

#include "mrcae/model/NumberText.h"

#include "mrcae/model/InputError.h"

#include <map>

#include <dlfcn.h>
#include <link.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <vector>

namespace mrcae
{

namespace
{

constexpr std::int64_t kFloat = 4;

/// (n+1)/2^(L−1−k) − 1, as ops::levelSize, without LibTorch; at least 1.
std::int64_t levelSide(int n, int levels, int k)
{
  return std::max<std::int64_t>(1, (static_cast<std::int64_t>(n) + 1) / (std::int64_t(1) << (levels - 1 - k)) - 1);
}

int splitCount(double fraction, int t)
{
  return static_cast<int>(std::floor(fraction * t + 1e-9));
}

/// A number from a one-value file (cgroup files); -1 when absent or not a number ("max").
std::int64_t readNumber(const std::string& path)
{
  std::ifstream in(path);
  long long v = -1;
  if (!(in >> v))
  {
    return -1;
  }
  return v;
}

/// The memory cgroup's limit less its usage (v2, then v1), or -1 without a limit.
std::int64_t cgroupRoom()
{
  std::string v2Path, v1Path;
  std::ifstream self("/proc/self/cgroup");
  for (std::string line; std::getline(self, line);)
  {
    // "0::/path" (v2) or "N:memory:/path" (v1; the controller list may hold several names).
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos)
    {
      continue;
    }
    const std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (controllers.empty())
    {
      v2Path = path;
    }
    else if (("," + controllers + ",").find(",memory,") != std::string::npos)
    {
      v1Path = path;
    }
  }
  constexpr std::int64_t unlimited = std::int64_t(1) << 60;
  auto room = [&](const std::string& limitFile, const std::string& usageFile) -> std::int64_t {
    const std::int64_t limit = readNumber(limitFile), usage = readNumber(usageFile);
    if (limit <= 0 || limit >= unlimited || usage < 0)
    {
      return -1;
    }
    return std::max<std::int64_t>(0, limit - usage);
  };
  // Inside a container the process's own cgroup is usually mounted as the root; try both.
  for (const std::string& dir : {std::string("/sys/fs/cgroup") + v2Path, std::string("/sys/fs/cgroup")})
  {
    const std::int64_t r = room(dir + "/memory.max", dir + "/memory.current");
    if (r >= 0)
    {
      return r;
    }
  }
  for (const std::string& dir : {std::string("/sys/fs/cgroup/memory") + v1Path, std::string("/sys/fs/cgroup/memory")})
  {
    const std::int64_t r = room(dir + "/memory.limit_in_bytes", dir + "/memory.usage_in_bytes");
    if (r >= 0)
    {
      return r;
    }
  }
  return -1;
}

std::int64_t memAvailable()
{
  std::ifstream in("/proc/meminfo");
  for (std::string line; std::getline(in, line);)
  {
    if (line.rfind("MemAvailable:", 0) == 0)
    {
      std::istringstream s(line.substr(13));
      long long kb = -1;
      s >> kb;
      return kb >= 0 ? static_cast<std::int64_t>(kb) * 1024 : -1;
    }
  }
  return -1;
}

using MemGetInfo = int (*)(std::size_t*, std::size_t*);

int findCudart(dl_phdr_info* info, std::size_t, void* out)
{
  if (info->dlpi_name && std::strstr(info->dlpi_name, "libcudart"))
  {
    *static_cast<std::string*>(out) = info->dlpi_name;
    return 1;
  }
  return 0;
}

/// cudaMemGetInfo of the CUDA runtime the process has loaded (a CUDA LibTorch loads it; pip wheels carry it
/// under a hashed name), found at run time so that no build needs the CUDA headers or links cudart itself.
MemGetInfo cudaMemGetInfoFunction()
{
  if (void* f = dlsym(RTLD_DEFAULT, "cudaMemGetInfo"))
  {
    return reinterpret_cast<MemGetInfo>(f);
  }
  std::string name;
  dl_iterate_phdr(findCudart, &name);
  if (name.empty())
  {
    return nullptr;
  }
  void* handle = dlopen(name.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  return handle ? reinterpret_cast<MemGetInfo>(dlsym(handle, "cudaMemGetInfo")) : nullptr;
}

std::int64_t fitsLargest(std::int64_t lo, std::int64_t hi, const std::function<bool(std::int64_t)>& fits)
{
  // Largest v in [lo, hi] with fits(v), for a predicate that is true up to some point; lo − 1 if none.
  if (lo > hi || !fits(lo))
  {
    return lo - 1;
  }
  while (lo < hi)
  {
    const std::int64_t mid = lo + (hi - lo + 1) / 2;
    if (fits(mid))
    {
      lo = mid;
    }
    else
    {
      hi = mid - 1;
    }
  }
  return lo;
}

} // namespace

MemoryEstimate estimateTrainingMemory(const TrainingConfig& config, int t, int h, int w)
{
  return estimateTrainingMemory(config, t, h, w, splitCount(config.trainFraction, t),
                                splitCount(config.valFraction, t));
}

MemoryEstimate estimateTrainingMemory(const TrainingConfig& config, int t, int h, int w, int trainSnapshots,
                                      int valSnapshots)
{
  MemoryEstimate e;
  const int L = std::max(1, config.levels);
  const std::int64_t T = std::max(0, t), HW = static_cast<std::int64_t>(h) * w;
  const std::int64_t nTrain = std::max(0, trainSnapshots), nVal = std::max(0, valSnapshots);
  e.level = L - 1;
  e.trainSnapshots = static_cast<int>(nTrain);
  e.valSnapshots = static_cast<int>(nVal);
  const std::int64_t b = std::min<std::int64_t>(std::max(1, config.batch), std::max<std::int64_t>(1, nTrain));
  e.batchSize = static_cast<int>(b);

  std::int64_t levelCells = 0, forwardGrad = 0, codeCells = 0, params = 0;
  for (int k = 0; k < L; ++k)
  {
    const std::int64_t n = levelSide(h, L, k), m = levelSide(w, L, k);
    const std::int64_t q = std::max<std::int64_t>(0, (n - 1) / 2) * std::max<std::int64_t>(0, (m - 1) / 2);
    const bool hasArch = k < static_cast<int>(config.archs.size()) && !config.archs[k].empty();
    const std::int64_t channels = hasArch ? config.archs[k].back() : 1;
    const std::int64_t groups = hasArch ? static_cast<std::int64_t>(config.archs[k].size()) : 1;
    levelCells += n * m;
    forwardGrad += 2 * channels * q + 2 * n * m;
    codeCells += channels * q;
    params += 19 * channels + groups;
  }
  const std::int64_t forwardNoGrad = codeCells + 3 * HW + 2 * HW;
  const int longest = config.steps.empty() ? 0 : *std::max_element(config.steps.begin(), config.steps.end());

  e.data = kFloat * (T + 1) * (HW + levelCells);
  e.batch = b < nTrain ? kFloat * b * 2 * HW : 0;
  e.step = kFloat * (b * (2 * forwardGrad + 2 * HW) + nVal * forwardNoGrad);
  e.check = kFloat * (4 * nTrain * HW + std::min<std::int64_t>(nTrain, 128) * forwardNoGrad);
  e.activations = std::max(e.step, e.check);
  e.parameters = kFloat * (10 * params + 2 * codeCells + 4 * static_cast<std::int64_t>(std::max(0, longest)));
  return e;
}

namespace
{

/// Per-snapshot sizes of a run, in float32 values: D (native + every level), F (a forward with autograd), E (a
/// forward without), and the parameters' bytes.
struct SnapshotCosts
{
  std::int64_t hw = 0, levelCells = 0, forwardGrad = 0, forwardNoGrad = 0, parameterBytes = 0;
};

SnapshotCosts snapshotCosts(const TrainingConfig& config, int h, int w)
{
  // The parameters' part does not depend on the counts: an estimate for one snapshot gives it.
  const MemoryEstimate one = estimateTrainingMemory(config, 1, h, w, 1, 1);
  SnapshotCosts c;
  const int L = std::max(1, config.levels);
  c.hw = static_cast<std::int64_t>(h) * w;
  std::int64_t codeCells = 0;
  for (int k = 0; k < L; ++k)
  {
    const std::int64_t n = levelSide(h, L, k), m = levelSide(w, L, k);
    const std::int64_t q = std::max<std::int64_t>(0, (n - 1) / 2) * std::max<std::int64_t>(0, (m - 1) / 2);
    const bool hasArch = k < static_cast<int>(config.archs.size()) && !config.archs[k].empty();
    const std::int64_t channels = hasArch ? config.archs[k].back() : 1;
    c.levelCells += n * m;
    c.forwardGrad += 2 * channels * q + 2 * n * m;
    codeCells += channels * q;
  }
  c.forwardNoGrad = codeCells + 5 * c.hw;
  c.parameterBytes = one.parameters;
  return c;
}

std::int64_t streamedBytes(const SnapshotCosts& c, std::int64_t batch, bool fullBatch, int train, int residentEval,
                           std::int64_t chunk)
{
  const std::int64_t D = kFloat * (c.hw + c.levelCells);
  const std::int64_t resident = (residentEval + (fullBatch ? train : 0) + 1) * D;
  const std::int64_t batches = fullBatch ? 0 : 3 * batch * kFloat * c.hw + batch * D;
  const std::int64_t step =
      kFloat * batch * (2 * c.forwardGrad + 2 * c.hw) + kFloat * chunk * c.forwardNoGrad + chunk * D;
  return resident + batches + step + c.parameterBytes;
}

} // namespace

bool fitsInMemory(const TrainingConfig& config, int t, int h, int w, const MemoryBudget& budget)
{
  if (budget.bytes < 0)
  {
    return true;
  }
  const std::int64_t dataset = kFloat * static_cast<std::int64_t>(t) * h * w;
  return estimateTrainingMemory(config, t, h, w).total() + dataset <= budget.bytes;
}

std::int64_t residentBytes()
{
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
  {
    if (line.rfind("VmRSS:", 0) == 0)
    {
      std::istringstream s(line.substr(6));
      long long kb = -1;
      s >> kb;
      return kb >= 0 ? static_cast<std::int64_t>(kb) * 1024 : -1;
    }
  }
  return -1;
}

StreamPlan planStreamedTraining(const TrainingConfig& config, int h, int w, int train, int val, int test,
                                std::int64_t budgetBytes, const std::string& budgetSource, std::int64_t heldBytes)
{
  const std::int64_t budgetTotal = budgetBytes;
  budgetBytes -= std::max<std::int64_t>(0, heldBytes);
  const SnapshotCosts c = snapshotCosts(config, h, w);
  const bool fullBatch = config.batch >= train;
  const std::int64_t batch = std::min<std::int64_t>(std::max(1, config.batch), std::max(1, train));
  const int evalSnapshots = std::max({val, test, 1});
  const std::int64_t wholeChunk = std::min(128, evalSnapshots);
  StreamPlan plan;
  plan.residentTraining = fullBatch;
  // Evaluation in memory when it fits, else the largest chunk that does.
  const std::int64_t resident = streamedBytes(c, batch, fullBatch, train, val + test, wholeChunk);
  if (resident <= budgetBytes)
  {
    plan.residentEvaluation = true;
    plan.evalChunk = static_cast<int>(wholeChunk);
    plan.bytes = resident;
    return plan;
  }
  for (std::int64_t chunk = wholeChunk; chunk >= 1; chunk = chunk * 3 / 4)
  {
    const std::int64_t bytes = streamedBytes(c, batch, fullBatch, train, 0, chunk);
    if (bytes <= budgetBytes)
    {
      plan.evalChunk = static_cast<int>(chunk);
      plan.bytes = bytes;
      return plan;
    }
    if (chunk == 1)
    {
      break;
    }
  }
  // Not even chunks of one snapshot: say what the batch would have to be.
  std::int64_t fitting = 0;
  for (std::int64_t b = batch - 1; b >= 1; b = b * 3 / 4)
  {
    if (streamedBytes(c, b, false, train, 0, 1) <= budgetBytes)
    {
      fitting = b;
      break;
    }
    if (b == 1)
    {
      break;
    }
  }
  std::ostringstream msg;
  msg << "training from the file needs about " << formatBytes(streamedBytes(c, batch, fullBatch, train, 0, 1))
      << " even with evaluations one snapshot at a time (batch " << batch << (fullBatch ? ", the full batch" : "")
      << ") but only " << formatBytes(std::max<std::int64_t>(0, budgetTotal)) << " is " << budgetSource;
  if (heldBytes > 0)
  {
    msg << ", of which the program already holds " << formatBytes(heldBytes);
  }
  msg << ": ";
  if (fitting >= 1)
  {
    msg << "use a smaller batch (--batch " << fitting << " fits)";
  }
  else
  {
    msg << "use a machine with more memory or a crop of the field";
  }
  throw InputError(msg.str());
}

MemoryBudget availableMemory(bool cuda)
{
  MemoryBudget b;
  if (cuda)
  {
    if (MemGetInfo f = cudaMemGetInfoFunction())
    {
      std::size_t freeBytes = 0, totalBytes = 0;
      if (f(&freeBytes, &totalBytes) == 0)
      {
        b.bytes = static_cast<std::int64_t>(freeBytes);
        b.source = "free on the CUDA device";
      }
    }
    return b;
  }
  b.bytes = memAvailable();
  b.source = "available (MemAvailable)";
  const std::int64_t room = cgroupRoom();
  if (room >= 0 && (b.bytes < 0 || room < b.bytes))
  {
    b.bytes = room;
    b.source = "left under the cgroup's memory limit";
  }
  return b;
}

MemoryBudget memoryBudget(const TrainingConfig& config, bool cuda)
{
  if (config.memoryLimitGb > 0)
  {
    MemoryBudget b;
    b.bytes = static_cast<std::int64_t>(std::llround(config.memoryLimitGb * 1e9));
    b.source = "allowed by the memory limit";
    return b;
  }
  return availableMemory(cuda);
}

std::string formatBytes(std::int64_t bytes)
{
  // '.' decimals in every locale: these sizes appear in mrcae's output and in messages that scripts read.
  const double v = static_cast<double>(bytes);
  if (v >= 1e9)
  {
    return number::fixed(v / 1e9, 2) + " GB";
  }
  if (v >= 1e6)
  {
    return number::fixed(v / 1e6, 1) + " MB";
  }
  return number::fixed(std::ceil(v / 1e3), 0) + " kB";
}

void checkMemory(const TrainingConfig& config, const MemoryEstimate& e, const MemoryBudget& budget, int t, int h, int w,
                 const std::string& deviceName)
{
  if (budget.bytes < 0 || e.total() <= budget.bytes)
  {
    return;
  }
  // The run's own split for the same snapshots; fewer snapshots are split with the config's fractions.
  auto fits = [&](const TrainingConfig& c, int tt, int hh, int ww) {
    const MemoryEstimate x = tt == t ? estimateTrainingMemory(c, tt, hh, ww, e.trainSnapshots, e.valSnapshots)
                                     : estimateTrainingMemory(c, tt, hh, ww);
    return x.total() <= budget.bytes;
  };
  SettingText msg;
  msg << "training needs about " << formatBytes(e.total()) << " on " << deviceName << " (data " << formatBytes(e.data)
      << ", activations of level " << e.level << " at batch " << e.batchSize << ": "
      << formatBytes(e.activations + e.batch) << ", parameters and optimizer " << formatBytes(e.parameters)
      << ") but only " << formatBytes(budget.bytes) << " is " << budget.source << ":";
  std::map<std::string, double> numbers = {{"needed_bytes", double(e.total())}, {"budget_bytes", double(budget.bytes)}};
  std::vector<SettingText> options;
  TrainingConfig c = config;
  const std::int64_t batch = fitsLargest(1, e.batchSize - 1, [&](std::int64_t bb) {
    c.batch = static_cast<int>(bb);
    return fits(c, t, h, w);
  });
  if (batch >= 1)
  {
    options.push_back(SettingText() << "a smaller batch (" << Setting::Batch << " " << batch << " fits)");
    numbers["batch_fits"] = double(batch);
  }
  const std::int64_t snapshots =
      fitsLargest(5, t - 1, [&](std::int64_t tt) { return fits(config, static_cast<int>(tt), h, w); });
  if (snapshots >= 5)
  {
    options.push_back(SettingText() << "fewer snapshots"
                                    << SettingText().optional(SettingText() << " (" << Setting::Snapshots << " "
                                                                            << snapshots << " fits)"));
    numbers["snapshots_fits"] = double(snapshots);
  }
  // A crop keeps both sides of the form c·2^L − 1 and their proportions.
  const int step = 1 << std::max(0, config.levels);
  const int ch = (h + 1) / step, cw = (w + 1) / step;
  for (double r = 0.9; r > 0.05; r *= 0.9)
  {
    const int nh = std::max(2, static_cast<int>(ch * r)) * step - 1,
              nw = std::max(2, static_cast<int>(cw * r)) * step - 1;
    if (nh >= h && nw >= w)
    {
      continue;
    }
    if (fits(config, t, std::min(nh, h), std::min(nw, w)))
    {
      options.push_back(SettingText() << "a crop of the field to " << std::min(nh, h) << " x " << std::min(nw, w)
                                      << " (fits)");
      numbers["crop_height"] = std::min(nh, h);
      numbers["crop_width"] = std::min(nw, w);
      break;
    }
    if (nh <= 2 * step && nw <= 2 * step)
    {
      break;
    }
  }
  if (options.empty())
  {
    msg << " even the smallest batch, snapshot count and crop do not fit; use a machine with more memory";
  }
  else
  {
    msg << " use ";
    for (size_t i = 0; i < options.size(); ++i)
    {
      msg << (i == 0 ? "" : i + 1 == options.size() ? " or " : ", ") << options[i];
    }
  }
  if (config.memoryLimitGb <= 0)
  {
    // Where a front end has no memory limit to set (the application), it says nothing about it.
    msg.optional(SettingText() << " (" << Setting::MemoryLimit << " GB sets the budget)");
  }
  throw InputError(Problem::MemoryRefused, msg, Setting::Batch, std::string(), numbers);
}

} // namespace mrcae
