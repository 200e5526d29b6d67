#include "Ranks.h"

#include "Commands.h"

#include "mrcae/engine/Device.h"
#include "mrcae/engine/LocalRanks.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/SnapshotReader.h"
#include "mrcae/model/StreamedDataset.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace mrcae::cli
{

namespace
{

bool isHdf5Path(const std::string& path)
{
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".h5" || ext == ".hdf5";
}

bool onCuda(const TrainingConfig& config)
{
  return config.device == "cuda" || (config.device == "auto" && cudaStatus().available);
}

/// Whether the run reads its data from the file: asked for (--stream), or an HDF5 dataset of our layout whose
/// in-memory run would not fit the memory budget.
bool streams(const std::string& path, const CommandLine& cl, const TrainingConfig& config, int maxSnapshots, bool rank0)
{
  const bool hdf5 = isHdf5Path(path) && hdf5Available();
  if (cl.flag("--stream"))
  {
    if (!hdf5 || cl.value("--mask"))
    {
      throw InputError("--stream reads HDF5 datasets in MrCAE Studio's layout (with their own land mask); " + path +
                       " is not one: import it first (mrcae import)");
    }
    return true;
  }
  if (!hdf5 || cl.value("--mask"))
  {
    return false;
  }
  int t = 0, h = 0, w = 0;
  try
  {
    SnapshotReader reader(path, cl.value("--field").value_or(""));
    t = maxSnapshots > 0 ? std::min(maxSnapshots, reader.snapshots()) : reader.snapshots();
    h = reader.height();
    w = reader.width();
  }
  catch (const InputError&)
  {
    return false; // not our layout: the full load says why
  }
  const MemoryBudget budget = memoryBudget(config, onCuda(config));
  if (fitsInMemory(config, t, h, w, budget))
  {
    return false;
  }
  if (rank0)
  {
    std::fprintf(stderr,
                 "note: %s (%s as float32) and its training do not fit the %s %s: training reads it from the file "
                 "in batches\n",
                 path.c_str(), formatBytes(static_cast<std::int64_t>(t) * h * w * 4).c_str(),
                 formatBytes(budget.bytes).c_str(), budget.source.c_str());
  }
  return true;
}

std::shared_ptr<const StreamedDataset> openStream(const std::string& path, const CommandLine& cl, int levels,
                                                  int maxSnapshots, bool rank0)
{
  ReadOptions options;
  options.field = cl.value("--field").value_or("");
  options.maxSnapshots = maxSnapshots;
  const bool show = rank0 && !cl.flag("--quiet");
  int shown = -1;
  auto progress = [&](int done, int total) {
    const int percent = static_cast<int>(100LL * done / std::max(1, total));
    if (show && percent / 10 != shown / 10)
    {
      shown = percent;
      std::fprintf(stderr, "\rreading %s through once (value range and hash): %d%%", path.c_str(), percent);
      if (done == total)
      {
        std::fprintf(stderr, "\n");
      }
    }
  };
  auto stream = std::make_shared<const StreamedDataset>(path, options, levels, sizePolicyOf(cl), progress);
  const Dataset& d = stream->metadata();
  if (rank0 && (d.field.h != stream->fileHeight() || d.field.w != stream->fileWidth()))
  {
    std::fprintf(stderr, "note: %s %dx%d to %dx%d for %d levels\n", toString(sizePolicyOf(cl)).c_str(),
                 stream->fileHeight(), stream->fileWidth(), d.field.h, d.field.w, levels);
  }
  return stream;
}

/// The program every local rank runs: this one.
std::string thisProgram()
{
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
  {
    throw InputError("cannot find the mrcae program to start the ranks with (" + ec.message() + ")");
  }
  return self.string();
}

} // namespace

bool launchedRank()
{
  const char* v = std::getenv("MRCAE_LAUNCHED");
  return v && std::string(v) == "1";
}

std::shared_ptr<RankGroup> joinGroup(const CommandLine& cl)
{
  auto setup = RankSetup::fromEnvironment();
  if (!setup || setup->worldSize == 1)
  {
    return nullptr;
  }
  setup->timeoutSeconds = cl.doubleValue("--rank-timeout", setup->timeoutSeconds);
  if (!(setup->timeoutSeconds > 0) || setup->timeoutSeconds > 86400)
  {
    throw InputError("--rank-timeout must be between 0 and 86400 seconds");
  }
  setup->backend = cl.value("--backend").value_or("auto");
  return RankGroup::join(*setup);
}

Args withoutRanks(const Args& args)
{
  Args out;
  for (size_t i = 0; i < args.size(); ++i)
  {
    if (args[i] == "--ranks")
    {
      ++i; // and its value
      continue;
    }
    out.push_back(args[i]);
  }
  return out;
}

int launchLocalRanks(const std::string& command, const Args& args, int ranks, const std::string& output)
{
  if (!distributedAvailable())
  {
    throw InputError("this build cannot train on several processes (its LibTorch has no c10d, or libgloo-dev was "
                     "missing when it was configured): leave out --ranks");
  }
  LocalRanks::Options options;
  options.executable = thisProgram();
  options.arguments = {command};
  const Args rest = withoutRanks(args);
  options.arguments.insert(options.arguments.end(), rest.begin(), rest.end());
  options.worldSize = ranks;
  LocalRanks group(options);
  std::string pids;
  for (int pid : group.pids())
  {
    pids += (pids.empty() ? "" : " ") + std::to_string(pid);
  }
  std::fprintf(stderr, "mrcae: %d ranks on 127.0.0.1:%d (pids %s)\n", ranks, group.port(), pids.c_str());
  std::fflush(stderr);
  double timeout = 60;
  for (size_t i = 0; i + 1 < rest.size(); ++i)
  {
    if (rest[i] == "--rank-timeout")
    {
      timeout = std::atof(rest[i + 1].c_str());
    }
  }
  // The others notice a lost rank at once (a closed connection) or within the timeout (a rank that hangs).
  const std::vector<LocalRanks::Exit> exits = group.wait(timeout + 10);
  const auto culprit = LocalRanks::culprit(exits);
  if (!culprit)
  {
    return 0;
  }
  const LocalRanks::Exit* rank0 = nullptr;
  for (const auto& e : exits)
  {
    rank0 = e.rank == 0 ? &e : rank0;
  }
  // Every rank refused the same input: rank 0 has said why.
  if (!culprit->lostAnother && !culprit->endedByLauncher && culprit->signal == 0 && rank0 && rank0->signal == 0 &&
      rank0->code == culprit->code)
  {
    return culprit->code;
  }
  // A save that rank 0 did not finish leaves its temporary file: nothing half-written stays behind.
  std::string saved = "nothing was saved";
  if (!output.empty())
  {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target = fs::absolute(output, ec);
    fs::remove(target.parent_path() / ("." + target.filename().string() + ".tmp" + std::to_string(group.pids()[0])),
               ec);
    if (fs::exists(target, ec))
    {
      saved = output + " holds the last complete stage: mrcae resume " + output + " --ranks " + std::to_string(ranks) +
              " goes on from there";
    }
    else
    {
      saved = "no stage was complete, nothing was saved: train again";
    }
  }
  std::fprintf(stderr, "mrcae: error: rank %d of %d %s; the other ranks were ended: %s\n", culprit->rank, ranks,
               culprit->describe().c_str(), saved.c_str());
  return 3;
}

Trainer makeTrainer(const std::string& dataPath, const CommandLine& cl, const TrainingConfig& config,
                    std::shared_ptr<RankGroup> group, bool rank0)
{
  const int maxSnapshots = cl.intValue("--snapshots", 0);
  if (streams(dataPath, cl, config, maxSnapshots, rank0))
  {
    return Trainer(openStream(dataPath, cl, config.levels, maxSnapshots, rank0), config, std::move(group));
  }
  return Trainer(loadData(dataPath, cl, config.levels, maxSnapshots), config, std::move(group));
}

Trainer resumeTrainer(const std::string& modelPath, const std::string& dataPath, const CommandLine& cl,
                      const ModelSummary& s, std::shared_ptr<RankGroup> group, bool rank0)
{
  const std::string device = cl.value("--device").value_or("");
  const int threads = cl.intValue("--threads", 0);
  TrainingConfig config = s.config;
  if (!device.empty())
  {
    config.device = device;
  }
  auto note = [&](const std::string& hash) {
    if (rank0 && hash != s.dataHash)
    {
      std::fprintf(stderr, "note: %s differs from the data the model was trained on (hash %s, expected %s)\n",
                   dataPath.c_str(), hash.c_str(), s.dataHash.c_str());
    }
  };
  if (streams(dataPath, cl, config, s.dataT, rank0))
  {
    auto stream = openStream(dataPath, cl, s.config.levels, s.dataT, rank0);
    note(stream->contentHash());
    return Trainer::fromModelFile(modelPath, stream, device, threads, std::move(group));
  }
  Dataset data = loadDataForModel(dataPath, cl, s);
  note(data.contentHash());
  return Trainer::fromModelFile(modelPath, std::move(data), device, threads, std::move(group));
}

} // namespace mrcae::cli
