#include "Ranks.h"

#include "Options.h"

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
#include <fstream>
#include <iterator>

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
bool streams(const std::string& path, const DataOptions& data, bool stream, const TrainingConfig& config,
             int maxSnapshots, bool rank0)
{
  const bool hdf5 = isHdf5Path(path) && hdf5Available();
  if (stream)
  {
    if (!hdf5 || !data.mask.empty())
    {
      throw InputError("--stream reads HDF5 datasets in MrCAE Studio's layout (with their own land mask); " + path +
                       " is not one: import it first (mrcae import)");
    }
    return true;
  }
  if (!hdf5 || !data.mask.empty())
  {
    return false;
  }
  int t = 0, h = 0, w = 0;
  try
  {
    SnapshotReader reader(path, data.field);
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

std::shared_ptr<const StreamedDataset> openStream(const std::string& path, const DataOptions& data, bool quiet,
                                                  int levels, int maxSnapshots, bool rank0)
{
  ReadOptions options;
  options.field = data.field;
  options.maxSnapshots = maxSnapshots;
  const bool show = rank0 && !quiet;
  int shown = -1;
  // On a terminal the percentage is rewritten in place; in a log, one line when the pass is done.
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  auto progress = [&](int done, int total) {
    const int percent = static_cast<int>(100LL * done / std::max(1, total));
    if (show && percent / 10 != shown / 10 && (terminal || done == total))
    {
      shown = percent;
      std::fprintf(stderr, "\rreading %s through once (value range and hash): %d%%", path.c_str(), percent);
      if (done == total)
      {
        std::fprintf(stderr, "\n");
      }
    }
  };
  auto stream = std::make_shared<const StreamedDataset>(path, options, levels, data.sizePolicy(), progress);
  const Dataset& d = stream->metadata();
  if (rank0 && (d.field.h != stream->fileHeight() || d.field.w != stream->fileWidth()))
  {
    std::fprintf(stderr, "note: %s %dx%d to %dx%d for %d levels\n", toString(data.sizePolicy()).c_str(),
                 stream->fileHeight(), stream->fileWidth(), d.field.h, d.field.w, levels);
  }
  if (show && stream->compressed())
  {
    std::fprintf(stderr,
                 "note: %s is deflate-compressed: inflating it costs about as much as the training steps; "
                 "an uncompressed copy (h5repack -f NONE %s COPY.h5, or mrcae generate/import "
                 "--uncompressed) streams about twice as fast\n",
                 path.c_str(), path.c_str());
  }
  return stream;
}

/// This process's command line after the program's name (as the kernel has it: every word, in order).
std::vector<std::string> thisCommandLine()
{
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> words;
  for (size_t start = 0; start < text.size();)
  {
    const size_t end = text.find('\0', start);
    words.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  if (words.size() < 2)
  {
    throw std::runtime_error("cannot read this process's command line to start the ranks with");
  }
  return {words.begin() + 1, words.end()};
}

} // namespace

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

void addRankOptions(CLI::App& command, RankOptions& o)
{
  const std::string group = "Several processes (docs/distributed.md)";
  addInt(command, "--ranks", o.ranks,
         "train with N processes on this machine (data-parallel; each reads its share); a process started by "
         "torchrun (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT) or Slurm (SLURM_PROCID, SLURM_NTASKS) joins its "
         "group by itself, and only rank 0 writes and prints",
         1, 256)
      ->group(group);
  command
      .add_option_function<std::string>(
          "--rank-timeout",
          [&o](const std::string& text) {
            const double v = parseNumber(text, "--rank-timeout");
            if (!(v > 0) || v > 86400)
            {
              throw InputError("--rank-timeout must be more than 0 and at most 86400 seconds (got " + text + ")");
            }
            o.rankTimeout = v;
          },
          "seconds a process waits for the others before it says which one is missing (> 0, <= 86400)")
      ->type_name("S")
      ->default_str("60")
      ->group(group);
  command
      .add_option_function<std::string>(
          "--backend",
          [&o](const std::string& text) {
            if (text != "gloo" && text != "nccl" && text != "auto")
            {
              throw InputError("--backend must be gloo, nccl or auto (got '" + text + "')");
            }
            o.backend = text;
          },
          "how the processes talk (auto: NCCL on CUDA where the build has it, else Gloo)")
      ->type_name("gloo|nccl|auto")
      ->default_str("auto")
      ->group(group);
  command.add_flag("--stream", o.stream, "read an HDF5 dataset from the file in batches even when it fits in memory");
}

bool startsLocalRanks(const RankOptions& options)
{
  return options.ranks > 1 && !RankSetup::fromEnvironment();
}

bool launchedRank()
{
  const char* v = std::getenv("MRCAE_LAUNCHED");
  return v && std::string(v) == "1";
}

std::shared_ptr<RankGroup> joinGroup(const RankOptions& options)
{
  auto setup = RankSetup::fromEnvironment();
  if (!setup || setup->worldSize == 1)
  {
    return nullptr;
  }
  setup->timeoutSeconds = options.rankTimeout;
  setup->backend = options.backend;
  return RankGroup::join(*setup);
}

std::vector<std::string> withoutRanks(const std::vector<std::string>& args)
{
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i)
  {
    if (args[i] == "--ranks")
    {
      ++i; // and its value
      continue;
    }
    if (args[i].rfind("--ranks=", 0) == 0)
    {
      continue;
    }
    out.push_back(args[i]);
  }
  return out;
}

int launchLocalRanks(const RankOptions& rankOptions, const std::string& output)
{
  const int ranks = rankOptions.ranks;
  if (!distributedAvailable())
  {
    throw InputError("this build cannot train on several processes (its LibTorch has no c10d, or libgloo-dev was "
                     "missing when it was configured): leave out --ranks");
  }
  LocalRanks::Options options;
  options.executable = thisProgram();
  options.arguments = withoutRanks(thisCommandLine());
  options.worldSize = ranks;
  LocalRanks group(options);
  std::string pids;
  for (int pid : group.pids())
  {
    pids += (pids.empty() ? "" : " ") + std::to_string(pid);
  }
  std::fprintf(stderr, "mrcae: %d ranks on 127.0.0.1:%d (pids %s)\n", ranks, group.port(), pids.c_str());
  std::fflush(stderr);
  // The others notice a lost rank at once (a closed connection) or within the timeout (a rank that hangs).
  const std::vector<LocalRanks::Exit> exits = group.wait(rankOptions.rankTimeout + 10);
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

Trainer makeTrainer(const std::string& dataPath, const DataOptions& data, const RankOptions& ranks, bool quiet,
                    const TrainingConfig& config, std::shared_ptr<RankGroup> group, bool rank0)
{
  const int maxSnapshots = data.snapshots;
  if (streams(dataPath, data, ranks.stream, config, maxSnapshots, rank0))
  {
    return Trainer(openStream(dataPath, data, quiet, config.levels, maxSnapshots, rank0), config, std::move(group));
  }
  return Trainer(data.load(dataPath, config.levels, maxSnapshots), config, std::move(group));
}

Trainer resumeTrainer(const std::string& modelPath, const std::string& dataPath, const DataOptions& data,
                      const RankOptions& ranks, bool quiet, const std::string& device, int threads,
                      const ModelSummary& s, std::shared_ptr<RankGroup> group, bool rank0)
{
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
  if (streams(dataPath, data, ranks.stream, config, s.dataT, rank0))
  {
    auto stream = openStream(dataPath, data, quiet, s.config.levels, s.dataT, rank0);
    note(stream->contentHash());
    return Trainer::fromModelFile(modelPath, stream, device, threads, std::move(group));
  }
  Dataset loaded = data.loadForModel(dataPath, s);
  note(loaded.contentHash());
  return Trainer::fromModelFile(modelPath, std::move(loaded), device, threads, std::move(group));
}

} // namespace mrcae::cli
