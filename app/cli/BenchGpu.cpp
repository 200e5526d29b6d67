#include "BenchArgs.h"
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
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>

namespace mrcae::cli
{

namespace
{

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

} // namespace

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

} // namespace mrcae::cli
