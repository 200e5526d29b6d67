#include "BenchArgs.h"
#include "Commands.h"

#include "Options.h"
#include "Progress.h"
#include "Ranks.h"
#include "Reports.h"
#include "SettingOptions.h"

#include "mrcae/engine/Device.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/ToyData.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mrcae::cli
{

namespace
{

/// Runs `args` (this program's words after its name) as a separate process with stdout to `stdoutFile`; returns
/// its wait status.
int runSelf(const std::vector<std::string>& args, const std::string& stdoutFile)
{
  const std::string self = thisProgram();
  std::vector<std::string> words{self};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words)
  {
    argv.push_back(w.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdoutFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int err = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0)
  {
    throw std::runtime_error("cannot start " + self + ": " + std::strerror(err));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR)
  {
  }
  return status;
}

} // namespace

/// `mrcae bench --ranks 1,2`: toy1 trained by separate `mrcae train` processes, R ranks × 1 thread for each R,
/// then 1 rank × the largest R threads; wall time of each process, ratios to the first.
int benchRanks(const BenchArgs& o, StopToken& stop)
{
  for (const auto& [option, given] : {std::pair<const char*, bool>{"--threads", o.threads.has_value()},
                                      {"--gpu", o.gpu},
                                      {"--quick", o.quick},
                                      {"--no-probe", o.noProbe},
                                      {"--cases", o.cases.has_value()},
                                      {"--steps-scale", o.stepsScale.has_value()}})
  {
    if (given)
    {
      throw InputError(std::string("bench --ranks runs 1 thread per rank and one rank with as many threads as the "
                                   "most ranks: ") +
                       option + " does not apply");
    }
  }
  const std::vector<int> rankCounts = parseIntList(*o.ranks, "--ranks");
  int most = 1;
  for (int r : rankCounts)
  {
    if (r < 1 || r > 64)
    {
      throw InputError("--ranks takes counts from 1 to 64 (got " + std::to_string(r) + ")");
    }
    most = std::max(most, r);
  }
  std::vector<std::pair<int, int>> runs; // (ranks, threads)
  for (int r : rankCounts)
  {
    runs.push_back({r, 1});
  }
  if (most > 1)
  {
    runs.push_back({1, most});
  }
  const std::string steps = o.steps.value_or("200,150,60");
  parseIntList(steps, "--steps");
  const int snapshots = o.snapshots ? parseInt(*o.snapshots, "--snapshots") : 500;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("mrcae-bench-ranks-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct Cleanup
  {
    fs::path dir;
    ~Cleanup()
    {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  const std::string data = (dir / (hdf5Available() ? "toy1.h5" : "toy1.npy")).string();
  {
    Dataset d = generateToy("toy1", snapshots, 127);
    if (hdf5Available())
    {
      writeDataset(d, data);
    }
    else
    {
      writeNpy(data, {d.field.t, d.field.h, d.field.w}, d.field.data);
    }
  }
  FILE* table = o.json ? stderr : stdout;
  std::fprintf(stderr, "bench: toy1 %d x 127 x 127, steps %s per stage, each run a separate mrcae train\n", snapshots,
               steps.c_str());
  std::fprintf(table, "%-6s %-8s %9s %12s %12s\n", "ranks", "threads", "total_s", "vs_first", "test_err");
  Json out = Json::array();
  double base = 0;
  for (const auto& [ranks, threads] : runs)
  {
    const std::string result = (dir / "result.json").string();
    std::vector<std::string> args{"train",        data,
                                  "--preset",     "toy1",
                                  "--steps",      steps,
                                  "--threads",    std::to_string(threads),
                                  "--seed",       std::to_string(o.seed.value_or(0)),
                                  "--device",     o.device.value_or("cpu"),
                                  "--quiet",      "--json",
                                  "--no-autosave"};
    if (hdf5Available())
    {
      args.insert(args.end(), {"-o", (dir / "run.mrcae.h5").string()});
    }
    if (ranks > 1)
    {
      args.insert(args.end(), {"--ranks", std::to_string(ranks)});
    }
    const auto t0 = std::chrono::steady_clock::now();
    const int status = runSelf(args, result);
    const double seconds = secondsSince(t0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    {
      throw std::runtime_error("the run with " + std::to_string(ranks) + " ranks x " + std::to_string(threads) +
                               " threads failed (wait status " + std::to_string(status) + ")");
    }
    std::ifstream in(result);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const Json j = parseJson(text, "the run's --json output");
    const double testErr =
        j.at("evaluation").empty() ? 0.0 : j.at("evaluation").back().at("test").at("global").get<double>();
    if (base == 0)
    {
      base = seconds;
    }
    std::fprintf(table, "%-6d %-8d %9.1f %11.2fx %12.4e\n", ranks, threads, seconds, base / seconds, testErr);
    std::fflush(table);
    Json r = Json::object();
    r["ranks"] = ranks;
    r["threads"] = threads;
    r["total_seconds"] = seconds;
    r["speedup_vs_first"] = base / seconds;
    r["test_global_error"] = testErr;
    out.push_back(r);
    if (stop.stopRequested())
    {
      break;
    }
  }
  if (o.json)
  {
    std::printf("%s\n", out.dump(2).c_str());
  }
  return 0;
}

} // namespace mrcae::cli
