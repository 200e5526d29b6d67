#include "Commands.h"

#include "Options.h"
#include "Progress.h"
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

/// Both sections of `mrcae bench`: the CPU speed benchmark and, with --gpu, the GPU one. Options of one section
/// are refused in the other, so each is kept as given (or not).
struct BenchArgs
{
  std::optional<std::string> threads, steps, snapshots, device, cases, stepsScale, ranks;
  std::optional<int> seed;
  bool json = false, quiet = false, gpu = false, quick = false, noProbe = false;
};

/// A toy1 field of the channel flow's size (SPEC §5: 500 x 511 x 127): the toy1 formula on a grid 4x longer in x
/// with the same spacing, so that its narrow mode stays about 3 cells wide.
Dataset channelSizedToy(int snapshots)
{
  const int h = 511, w = 127;
  Field raw(snapshots, h, w);
  for (int k = 0; k < snapshots; ++k)
  {
    const double t = toyTime("toy1", k, snapshots);
    for (int i = 0; i < h; ++i)
    {
      const double x = -20.0 + 40.0 * i / (h - 1);
      for (int j = 0; j < w; ++j)
      {
        const double y = -5.0 + 10.0 * j / (w - 1);
        raw.data[(static_cast<size_t>(k) * h + i) * w + j] = static_cast<float>(toyValue("toy1", x, y, t));
      }
    }
  }
  Dataset d = Dataset::fromRaw(std::move(raw), Map2D(), "toy1-channel-sized");
  d.source = "generated: toy1 on 511 x 127 (x in [-20, 20], y in [-5, 5])";
  return d;
}

std::string formatPeak(long long bytes)
{
  return bytes < 0 ? std::string("n/a") : formatBytes(bytes);
}

/// `mrcae bench --gpu`: the GPU section of the benchmark (docs/cuda.md). Cases: toy1 with the notebook's full
/// budget (5000 steps per stage) and the channel-flow-sized case (500 x 511 x 127, L = 4, Arch (A), 4000 steps
/// per stage); --steps-scale or --quick shorten every stage.
int benchGpu(const BenchArgs& o, StopToken& stop)
{
  for (const auto& [option, given] : {std::pair<const char*, bool>{"--threads", o.threads.has_value()},
                                      {"--steps", o.steps.has_value()},
                                      {"--snapshots", o.snapshots.has_value()}})
  {
    if (given)
    {
      throw InputError(std::string("bench --gpu runs fixed cases: ") + option +
                       " does not apply (use --cases and --steps-scale or --quick)");
    }
  }
  const std::string device = o.device.value_or("cuda");
  const CudaStatus cuda = cudaStatus();
  if (device != "cpu")
  {
    if (device != "cuda")
    {
      throw InputError("bench --gpu runs on --device cuda (default) or, as a dry run, --device cpu");
    }
    if (!cuda.available)
    {
      throw InputError("no CUDA device: " + cuda.reason +
                       "; run mrcae bench --gpu on a GPU machine with a build against a CUDA LibTorch (docs/cuda.md), "
                       "or mrcae bench for the CPU benchmark");
    }
  }
  double scale = o.quick ? 0.02 : 1.0;
  if (const auto& v = o.stepsScale)
  {
    if (o.quick)
    {
      throw InputError("give --quick or --steps-scale, not both");
    }
    scale = parseNumber(*v, "--steps-scale");
    if (!(scale > 0 && scale <= 1))
    {
      throw InputError("--steps-scale must be in (0, 1] (got " + *v + ")");
    }
  }
  std::vector<std::string> cases;
  {
    std::stringstream in(o.cases.value_or("toy1,channel"));
    for (std::string c; std::getline(in, c, ',');)
    {
      if (c != "toy1" && c != "channel")
      {
        throw InputError("unknown case '" + c + "' in --cases (toy1, channel)");
      }
      cases.push_back(c);
    }
  }
  const bool json = o.json, quiet = o.quiet, probe = !o.noProbe;
  FILE* out = json ? stderr : stdout;
  std::fprintf(out, "bench --gpu: device %s%s%s, steps x%g%s\n", device.c_str(),
               device == "cuda" && !cuda.name.empty() ? " " : "", device == "cuda" ? cuda.name.c_str() : "", scale,
               device == "cpu" ? " (dry run on the CPU: device columns n/a)" : "");
  Json results = Json::array();
  for (const std::string& name : cases)
  {
    TrainingConfig c = TrainingConfig::preset(name);
    for (int& s : c.steps)
    {
      s = std::max(10, static_cast<int>(std::lround(s * scale)));
    }
    c.device = device;
    c.seed = static_cast<std::uint64_t>(o.seed.value_or(0));
    c.validate();
    std::fprintf(stderr, "bench --gpu: generating the %s data\n", name.c_str());
    Dataset data = name == "toy1" ? generateToy("toy1", 500, 127) : channelSizedToy(500);
    resetDeviceMemoryPeak(device);
    Trainer trainer(std::move(data), c);
    trainer.setDeviceTiming(probe);
    Progress progress(c, 0, quiet);
    const auto t0 = std::chrono::steady_clock::now();
    trainer.run(&progress, &stop);
    const double total = secondsSince(t0);
    const DeviceMemoryPeak peak = deviceMemoryPeak(device);
    const auto timing = trainer.timing();
    const auto ev = trainer.evaluate();
    const auto& f = trainer.dataset().field;

    std::fprintf(out, "\ncase %s: %d x %d x %d, L = %d, archs %s, steps %s per stage, batch %d\n", name.c_str(), f.t,
                 f.h, f.w, c.levels, c.toJson()["archs"].dump().c_str(), c.toJson()["steps"].dump().c_str(), c.batch);
    std::fprintf(out, "%-5s %7s %10s %10s %12s %10s %10s %7s\n", "level", "steps", "s/step", "host_wait", "device_ms",
                 "dev_idle", "issue_ms", "probes");
    Json levels = Json::array();
    long long steps = 0;
    double probeSeconds = 0;
    for (const auto& t : timing)
    {
      const double perStep = t.steps > 0 ? t.loopSeconds / t.steps : 0.0;
      const double hostWait = t.loopSeconds > 0 ? t.hostWaitSeconds / t.loopSeconds : 0.0;
      const bool probed = t.probedSteps > 0;
      const double deviceMs = probed ? 1e3 * t.probeDeviceSeconds / t.probedSteps : 0.0;
      const double issueMs = probed ? 1e3 * t.probeIssueSeconds / t.probedSteps : 0.0;
      // The share of a step during which the device has nothing queued: it waits for the host to issue kernels.
      const double idle = probed && perStep > 0 ? std::max(0.0, 1.0 - deviceMs / 1e3 / perStep) : 0.0;
      steps += t.steps + t.probedSteps;
      probeSeconds += t.probeWallSeconds;
      auto cell = [&](double v, const char* fmt) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), fmt, v);
        return probed ? std::string(buf) : std::string("n/a");
      };
      std::fprintf(out, "%-5d %7lld %10.3e %9.1f%% %12s %10s %10s %7lld\n", t.level, t.steps + t.probedSteps, perStep,
                   100.0 * hostWait, cell(deviceMs, "%.4f").c_str(), cell(100.0 * idle, "%.1f%%").c_str(),
                   cell(issueMs, "%.4f").c_str(), t.probedSteps);
      Json l = Json::object();
      l["level"] = t.level;
      l["steps"] = static_cast<double>(t.steps + t.probedSteps);
      l["seconds_per_step"] = perStep;
      l["loop_seconds"] = t.loopSeconds;
      l["host_wait_fraction"] = hostWait;
      l["probed_steps"] = static_cast<double>(t.probedSteps);
      if (probed)
      {
        l["device_ms_per_step"] = deviceMs;
        l["issue_ms_per_step"] = issueMs;
        l["device_idle_fraction"] = idle;
      }
      levels.push_back(l);
    }
    const double testErr = ev.empty() ? 0.0 : ev.back().test.global;
    std::fprintf(out,
                 "total %.1f s for %lld steps (%.1f s of it in timing probes), peak device memory %s allocated / "
                 "%s reserved, test error %.4e, %lld parameters, %zu stages\n",
                 total, steps, probeSeconds, formatPeak(peak.allocatedBytes).c_str(),
                 formatPeak(peak.reservedBytes).c_str(), testErr, trainer.architecture().params,
                 trainer.stages().size());
    std::fflush(out);
    Json r = Json::object();
    r["case"] = name;
    r["device"] = trainer.deviceName();
    r["device_name"] = device == "cuda" ? cuda.name : std::string();
    r["shape"] =
        Json(std::vector<double>{static_cast<double>(f.t), static_cast<double>(f.h), static_cast<double>(f.w)});
    r["steps_scale"] = scale;
    r["config"] = c.toJson();
    r["total_seconds"] = total;
    r["probe_seconds"] = probeSeconds;
    r["steps"] = static_cast<double>(steps);
    r["levels"] = levels;
    if (peak.allocatedBytes >= 0)
    {
      r["peak_allocated_bytes"] = static_cast<double>(peak.allocatedBytes);
      r["peak_reserved_bytes"] = static_cast<double>(peak.reservedBytes);
    }
    r["test_global_error"] = testErr;
    r["params"] = trainer.architecture().params;
    r["stages"] = stagesJson(trainer.stages());
    results.push_back(r);
    if (stop.stopRequested())
    {
      break;
    }
  }
  if (json)
  {
    std::printf("%s\n", results.dump(2).c_str());
  }
  return 0;
}

/// Runs `args` (this program's words after its name) as a separate process with stdout to `stdoutFile`; returns
/// its wait status.
int runSelf(const std::vector<std::string>& args, const std::string& stdoutFile)
{
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
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

int bench(const BenchArgs& o, StopToken& stop)
{
  if (o.ranks)
  {
    return benchRanks(o, stop);
  }
  if (o.gpu)
  {
    return benchGpu(o, stop);
  }
  for (const auto& [option, given] : {std::pair<const char*, bool>{"--quick", o.quick},
                                      {"--no-probe", o.noProbe},
                                      {"--cases", o.cases.has_value()},
                                      {"--steps-scale", o.stepsScale.has_value()}})
  {
    if (given)
    {
      throw InputError(std::string(option) + " belongs to bench --gpu");
    }
  }
  const std::vector<int> threadCounts = parseIntList(o.threads.value_or("1,2"), "--threads");
  const std::string steps = o.steps.value_or("200,150,60");
  const int snapshots = o.snapshots ? parseInt(*o.snapshots, "--snapshots") : 500;
  // The authors' Python code on this machine kind, same settings (docs/reference/python-toy1-cpu-run.md).
  const double referenceSeconds1Thread = 663.9;

  std::fprintf(stderr, "bench: toy1 %d x 127 x 127, notebook configuration, steps %s per stage\n", snapshots,
               steps.c_str());
  Dataset data = generateToy("toy1", snapshots, 127);
  Json runs = Json::array();
  // With --json, stdout carries the JSON alone; the table goes to stderr.
  FILE* table = o.json ? stderr : stdout;
  const bool referenceSettings = steps == "200,150,60" && snapshots == 500 && !o.seed;
  std::fprintf(table, "%-8s %9s %10s %10s %10s %12s %12s %9s\n", "threads", "total_s", "L0_s/step", "L1_s/step",
               "L2_s/step", "test_err", "params", "rss_MB");
  for (int threads : threadCounts)
  {
    TrainingConfig c = TrainingConfig::preset("toy1");
    c.steps = parseIntList(steps, "--steps");
    if (c.steps.size() == 1)
    {
      c.steps.assign(c.levels, c.steps.front());
    }
    c.threads = threads;
    c.seed = static_cast<std::uint64_t>(o.seed.value_or(0));
    c.device = o.device.value_or("cpu");
    c.validate();
    Trainer trainer(data, c);
    Progress progress(c, 0, o.quiet);
    const auto t0 = std::chrono::steady_clock::now();
    trainer.run(&progress, &stop);
    const double total = secondsSince(t0);
    std::vector<double> secs(c.levels, 0.0), count(c.levels, 0.0);
    for (const auto& s : trainer.stages())
    {
      secs[s.level] += s.seconds;
      count[s.level] += s.steps;
    }
    const auto ev = trainer.evaluate();
    const double testErr = ev.empty() ? 0.0 : ev.back().test.global;
    std::fprintf(table, "%-8d %9.1f %10.4f %10.4f %10.4f %12.4e %12lld %9.0f\n", threads, total,
                 count[0] ? secs[0] / count[0] : 0, count[1] ? secs[1] / count[1] : 0,
                 count[2] ? secs[2] / count[2] : 0, testErr, trainer.architecture().params, peakRssMb());
    std::fflush(table);
    Json r = Json::object();
    r["threads"] = threads;
    r["total_seconds"] = total;
    r["seconds_per_step"] = Json(std::vector<double>{
        count[0] ? secs[0] / count[0] : 0, count[1] ? secs[1] / count[1] : 0, count[2] ? secs[2] / count[2] : 0});
    r["test_global_error"] = testErr;
    r["test_global_mse"] = ev.empty() ? 0.0 : ev.back().test.globalMse;
    r["test_global_max"] = ev.empty() ? 0.0 : ev.back().test.globalMax;
    r["params"] = trainer.architecture().params;
    r["peak_rss_mb"] = peakRssMb(); // of the process so far: later rows include the earlier runs
    if (referenceSettings)
    {
      r["speedup_vs_reference_1_thread"] = referenceSeconds1Thread / total;
    }
    r["stages"] = stagesJson(trainer.stages());
    runs.push_back(r);
    if (referenceSettings)
    {
      std::fprintf(table, "         %.2fx faster than the Python reference's %.1f s on 1 thread\n",
                   referenceSeconds1Thread / total, referenceSeconds1Thread);
    }
    if (stop.stopRequested())
    {
      break;
    }
  }
  if (o.json)
  {
    std::printf("%s\n", runs.dump(2).c_str());
  }
  return 0;
}

} // namespace

void addBenchCommand(CLI::App& app, Action& action, StopToken& stop)
{
  auto b = std::make_shared<BenchArgs>();
  CLI::App* bench = app.add_subcommand(
      "bench", "the speed benchmark: toy1 (500 x 127 x 127) with the notebook's settings on 1 and 2 threads; with "
               "--gpu, CUDA training (docs/cuda.md): toy1 at its full budget and the channel-flow-sized case "
               "(500 x 511 x 127, L = 4, Arch (A)), refused without CUDA (--device cpu: a dry run on the CPU)");
  bench->add_option("--threads", b->threads, "thread counts to time")->type_name("N,..")->default_str("1,2");
  bench->add_option("--steps", b->steps, "steps per stage, per level")->type_name("N,..")->default_str("200,150,60");
  bench->add_option("--snapshots", b->snapshots, "toy1 snapshots")->type_name("N")->default_str("500");
  bench
      ->add_option_function<std::string>(
          *optionName(Setting::Seed), [b](const std::string& s) { b->seed = parseInt(s, "--seed"); }, "the seed")
      ->type_name("S")
      ->default_str("0");
  addSettingText(*bench, Setting::Device, b->device, "the device (default: cpu; with --gpu: cuda)")
      ->type_name("cpu|cuda");
  bench->add_flag("--json", b->json, "the runs as JSON on stdout (the table goes to stderr)");
  bench->add_flag("--quiet", b->quiet, "no progress on stderr");
  bench->add_flag("--gpu", b->gpu, "the GPU section");
  bench->add_option("--cases", b->cases, "(--gpu) which cases")->type_name("LIST")->default_str("toy1,channel");
  bench->add_flag("--quick", b->quick, "(--gpu) 2 % of the steps");
  bench->add_option("--steps-scale", b->stepsScale, "(--gpu) scale every stage's steps, in (0, 1]")->type_name("X");
  bench->add_flag("--no-probe", b->noProbe, "(--gpu) no device timing probes");
  bench
      ->add_option("--ranks", b->ranks,
                   "rank counts: toy1 wall time for R ranks x 1 thread for each R, then 1 rank x the most R threads, "
                   "each a separate mrcae train (e.g. 1,2; docs/distributed.md)")
      ->type_name("1,2");
  bench->callback([b, &action, &stop] { action = [b, &stop] { return mrcae::cli::bench(*b, stop); }; });
}

} // namespace mrcae::cli
