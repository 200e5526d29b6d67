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
