#include "Commands.h"

#include "ApplyCommands.h"

#include "CommandLine.h"
#include "ImportCommand.h"
#include "Progress.h"

#ifdef MRCAE_WITH_PLOTS
#include "BenchmarkFigures.h"
#include "HeadlessGui.h"
#include "ModelFigures.h"
#endif
#include "mrcae/engine/BenchmarkRun.h"
#include "mrcae/engine/Device.h"
#include "mrcae/engine/Exporter.h"
#include "mrcae/engine/RedNetBaseline.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/DeviceError.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/SnapshotReader.h"
#include "mrcae/model/ToyData.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

namespace mrcae::cli
{

namespace
{

const std::set<std::string> kTrainFlags = {"--json", "--quiet", "--crop", "--random-deepen-init", "--no-autosave"};
const std::set<std::string> kTrainOptions = {"--preset",
                                             "--levels",
                                             "--archs",
                                             "--tols",
                                             "--steps",
                                             "--batch",
                                             "--lr",
                                             "--eps",
                                             "--weight-decay",
                                             "--w",
                                             "--std",
                                             "--activation",
                                             "--variant",
                                             "--seed",
                                             "--threads",
                                             "--device",
                                             "--select-on",
                                             "--land-mask",
                                             "--pad",
                                             "--field",
                                             "--mask",
                                             "--snapshots",
                                             "-o",
                                             "--output",
                                             "--train-fraction",
                                             "--val-fraction",
                                             "--slow-convergence",
                                             "--memory-limit"};

double secondsSince(std::chrono::steady_clock::time_point t0)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double peakRssMb()
{
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

/// Refuses an output that cannot be written before any work is done (a full-budget run would otherwise train for
/// hours and then fail). `folder`: the output is a folder, created if needed.
void checkWritable(const std::string& path, bool folder)
{
  namespace fs = std::filesystem;
  std::error_code ec;
  if (folder)
  {
    fs::create_directories(path, ec);
    if (ec || !fs::is_directory(path))
    {
      throw InputError("cannot create the output folder " + path + ": choose another with -o");
    }
  }
  else if (fs::is_directory(path))
  {
    throw InputError(path + " is a folder: give a file name with -o, e.g. run.mrcae.h5");
  }
  const fs::path dir = folder ? fs::path(path) : fs::absolute(path, ec).parent_path();
  if (!fs::is_directory(dir, ec))
  {
    throw InputError("cannot write " + path + ": the folder " + dir.string() + " does not exist");
  }
  // Saves write a temporary file beside the target, then rename it: the folder itself must be writable.
  const fs::path probe = dir / (".mrcae-write-test-" + std::to_string(::getpid()));
  if (!std::ofstream(probe))
  {
    throw InputError("cannot write into " + dir.string() + ": choose another output with -o");
  }
  fs::remove(probe, ec);
}

/// Preset first, then every explicit option on top of it.
TrainingConfig configFromOptions(const CommandLine& cl)
{
  TrainingConfig c = TrainingConfig::preset(cl.value("--preset").value_or("toy1"));
  if (auto v = cl.value("--variant"))
  {
    const auto method = fromToken<Method>(*v);
    if (method == Method::MrcaeRelu)
    {
      c.activation = Activation::ReLU;
      c.tols.clear();
    }
    else if (method != Method::MrcaePr)
    {
      throw InputError("--variant must be " + token(Method::MrcaePr) + " (masked, linear) or " +
                       token(Method::MrcaeRelu) + " (no maps, ReLU)");
    }
  }
  c.levels = cl.intValue("--levels", c.levels);
  if (auto v = cl.value("--archs"))
  {
    c.archs = parseArchs(*v);
  }
  if (auto v = cl.value("--tols"))
  {
    c.tols = *v == "none" ? std::vector<double>{} : parseDoubleList(*v, "--tols");
  }
  if (auto v = cl.value("--steps"))
  {
    c.steps = parseIntList(*v, "--steps");
    if (c.steps.size() == 1)
    {
      c.steps.assign(c.levels, c.steps.front());
    }
  }
  c.batch = cl.intValue("--batch", c.batch);
  c.lr = cl.doubleValue("--lr", c.lr);
  c.adamEps = cl.doubleValue("--eps", c.adamEps);
  c.weightDecay = cl.doubleValue("--weight-decay", c.weightDecay);
  c.w = cl.doubleValue("--w", c.w);
  c.initStd = cl.doubleValue("--std", c.initStd);
  if (auto v = cl.value("--activation"))
  {
    c.activation = activationFromString(*v);
  }
  if (auto v = cl.value("--seed"))
  {
    const double s = cl.doubleValue("--seed", 0);
    if (s < 0)
    {
      throw InputError("--seed must be zero or positive");
    }
    c.seed = static_cast<std::uint64_t>(s);
  }
  c.threads = cl.intValue("--threads", c.threads);
  c.device = cl.value("--device").value_or(c.device);
  requireDevice(c.device); // before any data is read
  if (auto v = cl.value("--select-on"))
  {
    c.selectOn = bestSelectionFromString(*v);
  }
  if (auto v = cl.value("--land-mask"))
  {
    c.landMask = landMaskModeFromString(*v);
  }
  c.trainFraction = cl.doubleValue("--train-fraction", c.trainFraction);
  c.valFraction = cl.doubleValue("--val-fraction", c.valFraction);
  c.slowConvergence = cl.doubleValue("--slow-convergence", c.slowConvergence);
  c.memoryLimitGb = cl.doubleValue("--memory-limit", c.memoryLimitGb);
  c.constantDeepenInit = !cl.flag("--random-deepen-init");
  c.validate();
  return c;
}

/// Reads the dataset (at most `maxSnapshots`, 0 = all) and brings it to c·2^L − 1 when --crop or --pad asks.
Dataset loadData(const std::string& path, const CommandLine& cl, int levels, int maxSnapshots)
{
  ReadOptions opts;
  opts.field = cl.value("--field").value_or("");
  opts.maskPath = cl.value("--mask").value_or("");
  opts.maxSnapshots = maxSnapshots;
  Dataset d = readDataset(path, opts);
  SizePolicy policy = SizePolicy::Strict;
  if (cl.flag("--crop"))
  {
    policy = SizePolicy::Crop;
  }
  if (auto pad = cl.value("--pad"))
  {
    if (policy == SizePolicy::Crop)
    {
      throw InputError("choose either --crop or --pad, not both");
    }
    policy = sizePolicyFromString(*pad);
    if (policy == SizePolicy::Strict || policy == SizePolicy::Crop)
    {
      throw InputError("--pad takes reflect or periodic");
    }
  }
  const int h = d.field.h, w = d.field.w;
  Dataset out = d.conformed(levels, policy);
  if (out.field.h != h || out.field.w != w)
  {
    std::fprintf(stderr, "note: %s %dx%d to %dx%d for %d levels\n", toString(policy).c_str(), h, w, out.field.h,
                 out.field.w, levels);
  }
  return out;
}

/// The dataset of a saved model. A model trained on the first N snapshots of a file (--snapshots N) reopens
/// with those N when they are its data (same content hash); any other file is read whole, so that a dataset
/// of another size is reported rather than silently cut.
Dataset loadDataForModel(const std::string& path, const CommandLine& cl, const ModelSummary& s)
{
  Dataset first = loadData(path, cl, s.config.levels, s.dataT);
  if (first.contentHash() == s.dataHash)
  {
    return first;
  }
  return loadData(path, cl, s.config.levels, 0);
}

void printStages(const std::vector<StageRecord>& stages)
{
  std::printf("%-5s %-3s %-3s %-6s %4s %7s %6s %-16s %12s %11s %9s %8s\n", "stage", "L", "grp", "op", "+ch", "params",
              "steps", "stop", "best_val", "unresolved", "encoding", "seconds");
  for (const auto& s : stages)
  {
    std::string unresolved = s.unresolved >= 0 ? std::to_string(s.unresolved) + "/" + std::to_string(s.mapPixels) : "-";
    std::printf("%-5d %-3d %-3d %-6s %4d %7lld %6d %-16s %12.4e %11s %9lld %8.1f\n", s.stage, s.level, s.group,
                token(s.op).c_str(), s.addedChannels, s.params, s.steps, toString(s.stopReason).c_str(),
                s.bestGlobalVal, unresolved.c_str(), s.encodingSize, s.seconds);
  }
}

Json evaluationJson(const std::vector<LevelEvaluation>& ev)
{
  Json out = Json::array();
  for (const auto& e : ev)
  {
    Json j = Json::object();
    j["level"] = e.level;
    for (auto [name, errs] :
         {std::pair<const char*, const LevelErrors*>{"train", &e.train}, {"val", &e.val}, {"test", &e.test}})
    {
      Json p = Json::object();
      p["global_mse"] = errs->globalMse;
      p["global_max"] = errs->globalMax;
      p["global"] = errs->global;
      p["local_mse"] = errs->localMse;
      p["local_max"] = errs->localMax;
      p["local"] = errs->local;
      j[name] = p;
    }
    out.push_back(j);
  }
  return out;
}

void printEvaluation(const std::vector<LevelEvaluation>& ev)
{
  std::printf("%-5s %-5s %12s %12s %12s %12s\n", "level", "part", "global_mse", "global_max", "global", "local");
  for (const auto& e : ev)
  {
    for (auto [name, errs] :
         {std::pair<const char*, const LevelErrors*>{"train", &e.train}, {"val", &e.val}, {"test", &e.test}})
    {
      std::printf("%-5d %-5s %12.4e %12.4e %12.4e %12.4e\n", e.level, name, errs->globalMse, errs->globalMax,
                  errs->global, errs->local);
    }
  }
}

Json stagesJson(const std::vector<StageRecord>& stages)
{
  Json a = Json::array();
  for (const auto& s : stages)
  {
    a.push_back(toJson(s));
  }
  return a;
}

/// Progress on stderr, and an atomic save after every stage so that a crash or kill loses one stage at most.
class AutosavingProgress : public Progress
{
public:
  AutosavingProgress(Trainer& trainer, std::string output, bool quiet)
    : Progress(trainer.config(), static_cast<int>(trainer.stages().size()), quiet), trainer_(trainer),
      output_(std::move(output))
  {
  }

  void stageFinished(const StageRecord& record) override
  {
    Progress::stageFinished(record);
    if (!output_.empty())
    {
      trainer_.save(output_);
    }
  }

private:
  Trainer& trainer_;
  std::string output_;
};

/// Trains, saves and reports; shared by train and resume.
int trainAndReport(Trainer& trainer, const std::string& output, bool autosave, bool json, bool quiet, StopToken& stop)
{
  AutosavingProgress progress(trainer, autosave ? output : std::string(), quiet);
  const auto t0 = std::chrono::steady_clock::now();
  const size_t stagesBefore = trainer.stages().size();
  std::string error;
  std::optional<DeviceError> deviceError;
  try
  {
    trainer.run(&progress, &stop);
  }
  catch (const DeviceError& e)
  {
    // Out of device memory: the stage that ran out is kept as stopped (with its best state), exactly as after
    // Ctrl-C, so the file is saved and `mrcae resume` goes on with that stage.
    deviceError = e;
  }
  catch (const std::exception& e)
  {
    // Keep what was trained: save it before reporting the failure.
    error = e.what();
  }
  const double seconds = secondsSince(t0);
  const bool stopped = stop.stopRequested();
  if (!output.empty() && (trainer.stages().size() > stagesBefore || deviceError))
  {
    trainer.save(output);
  }
  if (deviceError)
  {
    SettingText message = deviceError->message();
    if (!output.empty())
    {
      message << "; saved to " << output << ": mrcae resume " << output << " --device cpu goes on with that stage";
    }
    throw DeviceError(deviceError->kind(), deviceError->device(), message, deviceError->stage(), deviceError->steps(),
                      deviceError->exact());
  }
  if (!error.empty())
  {
    throw std::runtime_error("training failed: " + error +
                             (output.empty() ? "" : " (stages finished so far were saved to " + output + ")"));
  }
  const auto ev = trainer.evaluate();
  const bool diverged = !trainer.stages().empty() && trainer.stages().back().stopReason == StopReason::Diverged;
  if (json)
  {
    Json j = Json::object();
    j["config"] = trainer.config().toJson();
    j["device"] = trainer.deviceName();
    j["seconds"] = seconds;
    j["stopped"] = stopped;
    j["finished"] = trainer.finished();
    j["output"] = output;
    j["stages"] = stagesJson(trainer.stages());
    j["evaluation"] = evaluationJson(ev);
    std::printf("%s\n", j.dump(2).c_str());
  }
  else
  {
    printStages(trainer.stages());
    std::printf("\n");
    printEvaluation(ev);
    std::printf("\ndevice %s, %.1f s%s%s\n", trainer.deviceName().c_str(), seconds,
                stopped ? ", stopped by the user (best state of the last stage kept)" : "",
                output.empty() ? "" : (", saved to " + output).c_str());
  }
  if (diverged)
  {
    std::fprintf(stderr, "mrcae: training diverged (a loss became NaN or infinite); the best state was kept. "
                         "Try a smaller --lr.\n");
    return 1;
  }
  return 0;
}

} // namespace

std::string usage()
{
  return R"(mrcae — multiresolution convolutional autoencoders (MrCAE), headless

usage:
  mrcae generate toy1|toy2 -o FILE.h5|FILE.npy [--snapshots N] [--size N]
  mrcae info FILE [--json] [--on-demand [--scan] | --full]
                                                dataset (.h5/.npy) or model (.mrcae.h5); an HDF5 dataset
                                                larger than half the available memory is read on demand
                                                (metadata and the first snapshot; --scan streams every
                                                snapshot for the exact range and hash), --full loads it all
  mrcae train DATA [options] [-o RUN.mrcae.h5] [--json] [--quiet]
  mrcae eval MODEL DATA [--json]                per-level errors on train/val/test
  mrcae eval MODEL DATA --per-snapshot [--snapshots all|A:B|3,7] [-o FILE.csv|FILE.json] [--json]
                                                every snapshot's errors at every level, scored on its own
                                                (the data may have any number of snapshots: the model's
                                                grid, mask and scaling apply; part = train/val/test for the
                                                model's own snapshots, new for others)
  mrcae encode MODEL DATA -o CODES.h5 [--snapshots all|A:B|3,7] [--levels all|top|0,2]
                                                the codes that rebuild each level: level 0's coarse code
                                                and the refined codes inside each level's mask, the masks,
                                                and the bytes they take
  mrcae decode MODEL CODES.h5 -o FIELDS.h5     the fields of every encoded level, rebuilt from the codes
                                                (what export --what fields writes, bit for bit)
  mrcae resume MODEL [--more-steps N] [--data DATA] [-o OUT] [--threads N] [--device D] [--json]
                                                a stopped stage goes on exactly where it stopped (with the
                                                saved optimizer state), then the schedule; --more-steps N
                                                grants the last stage N more steps
  mrcae export MODEL DATA --format h5|vti|csv [--what fields,codes,maps] [--snapshots test|all|1,5]
               [--level K] -o OUT                (h5: a file; vti and csv: a folder)
  mrcae export MODEL DATA --format png|svg|pdf [--what figure|curves] [--snapshots 7|test|all]
               [--size WxH | --scale S] [--no-curves] -o OUT
                                                a figure (one snapshot: a file) or an animation (several
                                                snapshots: a folder of numbered PNGs)
  mrcae bench [--threads 1,2] [--steps 200,150,60] [--snapshots 500] [--json]
  mrcae bench --gpu [--cases toy1,channel] [--quick | --steps-scale X] [--no-probe] [--json]
                                                CUDA training (docs/cuda.md): toy1 at its full budget
                                                (5000 steps per stage) and the channel-flow-sized case
                                                (500 x 511 x 127, L = 4, Arch (A)); seconds per step per
                                                level, host-wait and device-idle shares, peak device memory;
                                                --quick: 2 % of the steps; refused without CUDA
                                                (--device cpu: a dry run of the same cases on the CPU)
  mrcae benchmark DATA [training options] [--methods pr,relu,rednet,rednet-relu,pod,zfp] [-o DIR] [--json]
                 [--plot-size WxH]
                                                MrCAE vs its baselines: table per method and stage
)" + importUsage() +
         R"(
training options (a preset first, then any override):
  --preset NAME        toy1 toy2 isotropic channel sst (+ "-relu" for MrCAE + ReLU); default toy1
  --variant pr|relu    masked linear MrCAE (pr) or no maps + ReLU
  --levels L --archs "1,2,3,4;1,2,3,4;1,3,5,7" --tols 1e-3,5e-4,1e-4|none
  --steps 200,150,60   max steps per stage, per level (one value = every level)
  --batch N --lr X --eps X --weight-decay X --w X --std X --activation identity|relu
  --seed S --threads N --device cpu|cuda|auto --select-on global|local|last
  --land-mask consistent|reference   consistent (default): invalid cells are left out of every loss, metric
                       and map at every level; reference: only the global max term masks them (the authors' code)
  --random-deepen-init
  --memory-limit GB    the memory budget the run is checked against before training (default: what the
                       machine has available; the run is refused, with what would fit, when it needs more)
  --slow-convergence X relative improvement below which a stage stops (default 1e-3)
  --train-fraction X --val-fraction X   the split (default 0.7 and 0.2)
  --no-autosave        save only at the end (default: the model file is rewritten after every stage)
data options:
  --field NAME (HDF5) --mask LAND.npy (1 = land) --snapshots N (first N only)
  --crop | --pad reflect|periodic  bring sizes to c*2^L-1
  --range-tolerance X  (encode, eval --per-snapshot) how far values may lie outside the model's range, as a
                       fraction of it, before the data are refused (default 0.5)

exit codes: 0 ok, 2 bad input (one-line reason), 1 internal error or divergence.
Ctrl-C stops after the current step, restores the best state and still saves.
)";
}

int generateCommand(const Args& args)
{
  CommandLine cl(args, {}, {"-o", "--output", "--snapshots", "--size"});
  const std::string name = cl.positional(0, "the toy name (toy1 or toy2)");
  const std::string out = cl.value("-o").value_or(cl.value("--output").value_or(name + ".h5"));
  const int snapshots = cl.intValue("--snapshots", 500);
  const int size = cl.intValue("--size", 127);
  if (snapshots < 5 || size < 7)
  {
    throw InputError("--snapshots must be at least 5 and --size at least 7");
  }
  Dataset d = generateToy(name, snapshots, size);
  if (std::filesystem::path(out).extension() == ".npy")
  {
    writeNpy(out, {d.field.t, d.field.h, d.field.w}, d.field.data);
  }
  else
  {
    writeDataset(d, out);
  }
  std::printf("wrote %s: %s, %d x %d x %d, scaled from [%.6g, %.6g]\n", out.c_str(), name.c_str(), d.field.t, d.field.h,
              d.field.w, d.originalMin, d.originalMax);
  return 0;
}

int infoCommand(const Args& args)
{
  CommandLine cl(args, {"--json", "--on-demand", "--full", "--scan"}, {"--field", "--mask"});
  const std::string path = cl.positional(0, "a file name");
  if (!std::filesystem::exists(path))
  {
    throw InputError::fileNotFound(path);
  }
  if (ModelFile::isModelFile(path))
  {
    ModelSummary s = ModelFile::summary(path);
    if (cl.flag("--json"))
    {
      Json j = Json::object();
      j["kind"] = "model";
      j["format_version"] = s.formatVersion;
      j["app_version"] = s.appVersion;
      j["created"] = s.created;
      j["config"] = s.config.toJson();
      j["params"] = s.architecture.params;
      Json ch = Json::array();
      for (const auto& level : s.architecture.groupChannels)
      {
        ch.push_back(Json(level));
      }
      j["channels"] = ch;
      j["stages"] = stagesJson(s.stages);
      j["optimizer_state"] = s.hasOptimizer;
      j["data"] = Json::object();
      j["data"]["path"] = s.dataPath;
      j["data"]["hash"] = s.dataHash;
      j["data"]["shape"] = Json(std::vector<int>{s.dataT, s.dataH, s.dataW});
      std::printf("%s\n", j.dump(2).c_str());
      return 0;
    }
    std::printf("model %s (format %d, MrCAE Studio %s, created %s)\n", path.c_str(), s.formatVersion,
                s.appVersion.c_str(), s.created.c_str());
    std::printf("preset %s, %d levels, %s, %lld parameters\n", s.config.presetName.c_str(), s.config.levels,
                s.config.useMaps() ? "masked (PR)" : "no maps", s.architecture.params);
    for (int k = 0; k < s.architecture.levels; ++k)
    {
      std::printf("  level %d: groups", k);
      for (int c : s.architecture.groupChannels[k])
      {
        std::printf(" %d", c);
      }
      std::printf("%s\n", s.architecture.levelClear[k] ? " (clear)" : "");
    }
    std::printf("data %s (%dx%dx%d, hash %s)\n", s.dataPath.c_str(), s.dataT, s.dataH, s.dataW, s.dataHash.c_str());
    std::printf("%zu stages, %zu curve points; encoding size %lld\n", s.stages.size(), s.curvePoints,
                s.stages.empty() ? 0LL : s.stages.back().encodingSize);
    std::printf("%s\n\n", s.hasOptimizer
                              ? "optimizer state saved: resume and --more-steps continue the last stage exactly"
                              : "no optimizer state: resume starts the next stage");
    printStages(s.stages);
    return 0;
  }
  ReadOptions opts;
  opts.field = cl.value("--field").value_or("");
  opts.maskPath = cl.value("--mask").value_or("");
  if (cl.flag("--full") && (cl.flag("--on-demand") || cl.flag("--scan")))
  {
    throw InputError("choose either --full (load every snapshot) or --on-demand / --scan (read from the file)");
  }
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  bool onDemand = cl.flag("--on-demand") || cl.flag("--scan");
  if (onDemand && (ext == ".npy" || !hdf5Available()))
  {
    throw InputError(path + ": --on-demand and --scan read HDF5 datasets in our layout only");
  }
  std::unique_ptr<SnapshotReader> reader;
  if (ext != ".npy" && hdf5Available() && !cl.flag("--full"))
  {
    // Opening reads the metadata only; a field larger than half the available memory is browsed, not loaded.
    reader = std::make_unique<SnapshotReader>(path, opts.field);
    const MemoryBudget budget = availableMemory(false);
    onDemand = onDemand || (budget.bytes >= 0 && reader->bytesInMemory() > budget.bytes / 2);
  }
  if (onDemand)
  {
    SnapshotReader& r = *reader;
    const auto t0 = std::chrono::steady_clock::now();
    const Field first = r.snapshot(0);
    const double firstSeconds = secondsSince(t0);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (size_t p = 0; p < first.data.size(); ++p)
    {
      if (!r.hasMask() || r.valid().data[p] > 0.5f)
      {
        lo = std::min(lo, static_cast<double>(first.data[p]));
        hi = std::max(hi, static_cast<double>(first.data[p]));
      }
    }
    // Without a scan the scaling is the file's attributes; with one, what a full load would compose.
    double originalMin = r.originalMin(), originalMax = r.originalMax();
    SnapshotReader::Scan scan;
    const bool scanned = cl.flag("--scan");
    if (scanned)
    {
      scan = r.scan();
      if (!scan.finite || !(scan.max > scan.min))
      {
        throw InputError(
            path + ": field '" + r.name() + "' " +
            (scan.finite ? "is constant: it cannot be scaled to [0,1]" : "has NaN or infinite values in valid cells"));
      }
      originalMin = r.originalMin() + scan.min * (r.originalMax() - r.originalMin());
      originalMax = r.originalMin() + scan.max * (r.originalMax() - r.originalMin());
    }
    const int maxL = std::min(Dataset::maxLevelsFor(r.height()), Dataset::maxLevelsFor(r.width()));
    const Split s = Dataset::makeSplit(r.snapshots(), 0);
    if (cl.flag("--json"))
    {
      Json j = Json::object();
      j["kind"] = "dataset";
      j["on_demand"] = true;
      j["name"] = r.name();
      j["shape"] = Json(std::vector<int>{r.snapshots(), r.height(), r.width()});
      j["bytes_in_memory"] = static_cast<double>(r.bytesInMemory());
      j["original_min"] = originalMin;
      j["original_max"] = originalMax;
      j["scaling_from"] = scanned ? "scan" : "attributes";
      j["max_levels"] = maxL;
      j["valid_cells"] = static_cast<double>(r.validCells());
      j["units"] = r.units();
      j["source"] = r.source();
      if (scanned)
      {
        j["hash"] = scan.contentHash;
      }
      Json f = Json::object();
      f["min"] = lo;
      f["max"] = hi;
      f["seconds"] = firstSeconds;
      j["first_snapshot"] = f;
      std::printf("%s\n", j.dump(2).c_str());
      return 0;
    }
    std::printf("dataset %s: field '%s', %d snapshots of %d x %d, read on demand (%s as float32, not loaded; "
                "--full loads it)\n",
                path.c_str(), r.name().c_str(), r.snapshots(), r.height(), r.width(),
                formatBytes(r.bytesInMemory()).c_str());
    std::printf("values scaled to [0,1] from [%.6g, %.6g]%s%s (%s)\n", originalMin, originalMax,
                r.units().empty() ? "" : " ", r.units().c_str(),
                scanned ? ("every snapshot scanned, hash " + scan.contentHash).c_str()
                        : "the file's attributes; --scan checks every snapshot");
    std::printf("snapshot 0: values in [%.6g, %.6g], read in %.1f ms\n", lo, hi, firstSeconds * 1e3);
    std::printf("valid cells %zu of %zu%s\n", r.validCells(), static_cast<size_t>(r.height()) * r.width(),
                r.hasMask() ? " (land mask)" : "");
    if (maxL > 0)
    {
      std::printf("levels allowed as it is: 1..%d\n", maxL);
    }
    else
    {
      std::printf("levels allowed as it is: none (sides are not c*2^L-1: use --crop or --pad when training)\n");
    }
    std::printf("split 70/20/10: %zu train, %zu validation, %zu test\n", s.train.size(), s.val.size(), s.test.size());
    return 0;
  }
  reader.reset();
  Dataset d = readDataset(path, opts);
  size_t validCells = d.field.frameSize();
  if (d.hasMask())
  {
    validCells = static_cast<size_t>(std::count(d.valid.data.begin(), d.valid.data.end(), 1.0f));
  }
  if (cl.flag("--json"))
  {
    Json j = Json::object();
    j["kind"] = "dataset";
    j["name"] = d.name;
    j["shape"] = Json(std::vector<int>{d.field.t, d.field.h, d.field.w});
    j["original_min"] = d.originalMin;
    j["original_max"] = d.originalMax;
    j["max_levels"] = d.maxLevels();
    j["valid_cells"] = static_cast<double>(validCells);
    j["units"] = d.units;
    j["source"] = d.source;
    j["hash"] = d.contentHash();
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("dataset %s: field '%s', %d snapshots of %d x %d\n", path.c_str(), d.name.c_str(), d.field.t, d.field.h,
              d.field.w);
  std::printf("values scaled to [0,1] from [%.6g, %.6g]%s%s\n", d.originalMin, d.originalMax,
              d.units.empty() ? "" : " ", d.units.c_str());
  std::printf("valid cells %zu of %zu%s\n", validCells, d.field.frameSize(), d.hasMask() ? " (land mask)" : "");
  const int maxL = d.maxLevels();
  if (maxL > 0)
  {
    std::printf("levels allowed as it is: 1..%d\n", maxL);
  }
  else
  {
    std::printf("levels allowed as it is: none (sides are not c*2^L-1: use --crop or --pad when training)\n");
  }
  Split s = Dataset::makeSplit(d.field.t, 0);
  std::printf("split 70/20/10: %zu train, %zu validation, %zu test\n", s.train.size(), s.val.size(), s.test.size());
  return 0;
}

int trainCommand(const Args& args, StopToken& stop)
{
  CommandLine cl(args, kTrainFlags, kTrainOptions);
  const std::string dataPath = cl.positional(0, "the dataset file (e.g. toy1.h5)");
  TrainingConfig config = configFromOptions(cl);
  std::string output = cl.value("-o").value_or(cl.value("--output").value_or(""));
  if (output.empty() && hdf5Available())
  {
    output = std::filesystem::path(dataPath).stem().string() + ".mrcae.h5";
  }
  if (!output.empty())
  {
    checkWritable(output, false);
  }
  Dataset data = loadData(dataPath, cl, config.levels, cl.intValue("--snapshots", 0));
  Trainer trainer(std::move(data), config);
  if (!cl.flag("--quiet"))
  {
    std::fprintf(stderr, "training %s on %s (%d snapshots: %zu train, %zu val, %zu test), device %s\n",
                 config.presetName.c_str(), dataPath.c_str(), trainer.dataset().field.t, trainer.split().train.size(),
                 trainer.split().val.size(), trainer.split().test.size(), trainer.deviceName().c_str());
  }
  return trainAndReport(trainer, output, !cl.flag("--no-autosave"), cl.flag("--json"), cl.flag("--quiet"), stop);
}

int evalCommand(const Args& args)
{
  CommandLine cl(
      args, {"--json", "--crop", "--per-snapshot"},
      {"--field", "--mask", "--pad", "--device", "--threads", "-o", "--output", "--snapshots", "--range-tolerance"});
  if (cl.flag("--per-snapshot"))
  {
    return perSnapshotEval(cl);
  }
  for (const char* option : {"-o", "--output", "--snapshots", "--range-tolerance"})
  {
    if (cl.value(option))
    {
      throw InputError(std::string(option) + " belongs to eval --per-snapshot");
    }
  }
  const std::string modelPath = cl.positional(0, "the model file");
  const std::string dataPath = cl.positional(1, "the dataset file");
  ModelSummary s = ModelFile::summary(modelPath);
  Dataset data = loadDataForModel(dataPath, cl, s);
  Trainer trainer = Trainer::fromModelFile(modelPath, std::move(data), cl.value("--device").value_or(""),
                                           cl.intValue("--threads", 0));
  const auto ev = trainer.evaluate();
  if (cl.flag("--json"))
  {
    Json j = Json::object();
    j["model"] = modelPath;
    j["params"] = trainer.architecture().params;
    j["evaluation"] = evaluationJson(ev);
    std::printf("%s\n", j.dump(2).c_str());
  }
  else
  {
    std::printf("model %s: %lld parameters, %zu stages\n\n", modelPath.c_str(), trainer.architecture().params,
                trainer.stages().size());
    printEvaluation(ev);
  }
  return 0;
}

int resumeCommand(const Args& args, StopToken& stop)
{
  CommandLine cl(args, {"--json", "--quiet", "--crop", "--no-autosave"},
                 {"--data", "-o", "--output", "--device", "--field", "--mask", "--pad", "--threads", "--more-steps"});
  const std::string modelPath = cl.positional(0, "the model file");
  if (auto d = cl.value("--device"))
  {
    requireDevice(*d); // before any data is read
  }
  const bool moreSteps = cl.value("--more-steps").has_value();
  const int extraSteps = cl.intValue("--more-steps", 0);
  if (moreSteps && extraSteps < 1)
  {
    throw InputError("--more-steps must be at least 1 (got " + std::to_string(extraSteps) + ")");
  }
  ModelSummary s = ModelFile::summary(modelPath);
  const std::string dataPath = cl.value("--data").value_or(s.dataPath);
  if (dataPath.empty() || !std::filesystem::exists(dataPath))
  {
    throw InputError("the model's dataset " + (dataPath.empty() ? std::string("(unknown)") : dataPath) +
                     " was not found: pass it with --data FILE");
  }
  Dataset data = loadDataForModel(dataPath, cl, s);
  if (data.contentHash() != s.dataHash)
  {
    std::fprintf(stderr, "note: %s differs from the data the model was trained on (hash %s, expected %s)\n",
                 dataPath.c_str(), data.contentHash().c_str(), s.dataHash.c_str());
  }
  Trainer trainer = Trainer::fromModelFile(modelPath, std::move(data), cl.value("--device").value_or(""),
                                           cl.intValue("--threads", 0));
  const auto& stages = trainer.stages();
  if (moreSteps)
  {
    trainer.extendLastStage(extraSteps);
  }
  else if (!stages.empty() && stages.back().stopReason == StopReason::UserStop && !trainer.hasStageState())
  {
    std::fprintf(stderr,
                 "resume: %s has no optimizer state (an older file), so stopped stage %d stays at step %d "
                 "and the next stage starts\n",
                 modelPath.c_str(), stages.back().stage + 1, stages.back().steps);
  }
  if (trainer.finished())
  {
    std::printf("%s: the schedule is complete (%zu stages); nothing to resume (--more-steps N trains the last "
                "stage longer)\n",
                modelPath.c_str(), stages.size());
    return 0;
  }
  const ResumePoint next = trainer.resumePoint();
  if (next.continuesStage)
  {
    std::fprintf(stderr, "resume: stage %d (L%d %s, group %d) goes on from step %d to at most %d%s\n", next.stage + 1,
                 next.level, token(next.op).c_str(), next.group, next.fromStep, next.maxSteps,
                 moreSteps ? (", " + std::to_string(extraSteps) + " more steps granted").c_str()
                           : ", exactly where it was stopped");
  }
  else
  {
    std::fprintf(stderr, "resume: next stage %d (L%d %s, group %d), up to %d steps\n", next.stage + 1, next.level,
                 token(next.op).c_str(), next.group, next.maxSteps);
  }
  const std::string output = cl.value("-o").value_or(cl.value("--output").value_or(modelPath));
  checkWritable(output, false);
  // trainAndReport saves at the end only when stages were added; a continued stage replaces its record, so
  // without autosave it is saved here.
  const size_t stagesBefore = stages.size(), curvesBefore = trainer.curves().size();
  auto saveContinuedStage = [&] {
    if (next.continuesStage && cl.flag("--no-autosave") && trainer.stages().size() == stagesBefore &&
        trainer.curves().size() > curvesBefore)
    {
      trainer.save(output);
    }
  };
  int rc = 0;
  try
  {
    rc = trainAndReport(trainer, output, !cl.flag("--no-autosave"), cl.flag("--json"), cl.flag("--quiet"), stop);
  }
  catch (...)
  {
    saveContinuedStage();
    throw;
  }
  saveContinuedStage();
  return rc;
}

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
int benchGpu(const CommandLine& cl, StopToken& stop)
{
  for (const char* option : {"--threads", "--steps", "--snapshots"})
  {
    if (cl.value(option))
    {
      throw InputError(std::string("bench --gpu runs fixed cases: ") + option +
                       " does not apply (use --cases and --steps-scale or --quick)");
    }
  }
  const std::string device = cl.value("--device").value_or("cuda");
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
  double scale = cl.flag("--quick") ? 0.02 : 1.0;
  if (auto v = cl.value("--steps-scale"))
  {
    if (cl.flag("--quick"))
    {
      throw InputError("give --quick or --steps-scale, not both");
    }
    scale = cl.doubleValue("--steps-scale", 1.0);
    if (!(scale > 0 && scale <= 1))
    {
      throw InputError("--steps-scale must be in (0, 1] (got " + *v + ")");
    }
  }
  std::vector<std::string> cases;
  {
    std::stringstream in(cl.value("--cases").value_or("toy1,channel"));
    for (std::string c; std::getline(in, c, ',');)
    {
      if (c != "toy1" && c != "channel")
      {
        throw InputError("unknown case '" + c + "' in --cases (toy1, channel)");
      }
      cases.push_back(c);
    }
  }
  const bool json = cl.flag("--json"), quiet = cl.flag("--quiet"), probe = !cl.flag("--no-probe");
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
    c.seed = static_cast<std::uint64_t>(cl.intValue("--seed", 0));
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

int benchCommand(const Args& args, StopToken& stop)
{
  CommandLine cl(args, {"--json", "--quiet", "--gpu", "--quick", "--no-probe"},
                 {"--threads", "--steps", "--snapshots", "--seed", "--device", "--cases", "--steps-scale"});
  if (cl.flag("--gpu"))
  {
    return benchGpu(cl, stop);
  }
  for (const char* option : {"--quick", "--no-probe"})
  {
    if (cl.flag(option))
    {
      throw InputError(std::string(option) + " belongs to bench --gpu");
    }
  }
  for (const char* option : {"--cases", "--steps-scale"})
  {
    if (cl.value(option))
    {
      throw InputError(std::string(option) + " belongs to bench --gpu");
    }
  }
  const std::vector<int> threadCounts = parseIntList(cl.value("--threads").value_or("1,2"), "--threads");
  const std::string steps = cl.value("--steps").value_or("200,150,60");
  const int snapshots = cl.intValue("--snapshots", 500);
  // The authors' Python code on this machine kind, same settings (docs/reference/python-toy1-cpu-run.md).
  const double referenceSeconds1Thread = 663.9;

  std::fprintf(stderr, "bench: toy1 %d x 127 x 127, notebook configuration, steps %s per stage\n", snapshots,
               steps.c_str());
  Dataset data = generateToy("toy1", snapshots, 127);
  Json runs = Json::array();
  // With --json, stdout carries the JSON alone; the table goes to stderr.
  FILE* table = cl.flag("--json") ? stderr : stdout;
  const bool referenceSettings = steps == "200,150,60" && snapshots == 500 && !cl.value("--seed");
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
    c.seed = static_cast<std::uint64_t>(cl.intValue("--seed", 0));
    c.device = cl.value("--device").value_or("cpu");
    c.validate();
    Trainer trainer(data, c);
    Progress progress(c, 0, cl.flag("--quiet"));
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
  if (cl.flag("--json"))
  {
    std::printf("%s\n", runs.dump(2).c_str());
  }
  return 0;
}

} // namespace mrcae::cli

namespace mrcae::cli
{

namespace
{

std::string methodList(const std::vector<Method>& methods)
{
  std::string out;
  for (Method m : methods)
  {
    out += (out.empty() ? "" : ",") + token(m);
  }
  return out;
}

/// The table's rows as the Benchmark tab shows them (BenchmarkTable::rowTexts), in aligned columns.
void printBenchmarkRows(const BenchmarkTable& table)
{
  const auto titles = BenchmarkTable::columnTitles();
  const auto rows = table.rowTexts();
  std::vector<size_t> width(titles.size());
  for (size_t c = 0; c < titles.size(); ++c)
  {
    width[c] = titles[c].size();
    for (const auto& row : rows)
    {
      width[c] = std::max(width[c], row.cells[c].size());
    }
  }
  auto print = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c)
    {
      // The method and the setting are text (left-aligned), the rest numbers (right-aligned).
      const std::string pad(width[c] - cells[c].size(), ' ');
      line += (c == 0 ? "" : "  ") + (c == 0 || c + 1 == cells.size() ? cells[c] + pad : pad + cells[c]);
    }
    while (!line.empty() && line.back() == ' ')
    {
      line.pop_back();
    }
    std::printf("%s\n", line.c_str());
  };
  print(titles);
  for (const auto& row : rows)
  {
    print(row.cells);
  }
}

/// Each method's training progress on stderr, as `mrcae train` shows it.
class BenchmarkProgress : public BenchmarkObserver
{
public:
  explicit BenchmarkProgress(bool quiet) : quiet_(quiet) {}

  TrainingObserver* methodStarted(Method method, const TrainingConfig& config) override
  {
    if (BenchmarkProtocol::kindOf(method) == BenchmarkProtocol::Kind::Compressor)
    {
      if (!quiet_)
      {
        std::fprintf(stderr, "%s: one setting per stage of MrCAE (PR)\n", displayName(method).c_str());
      }
      return nullptr; // nothing trains
    }
    // RED-Net stage s trains for s x the level's steps (SPEC 7.2): the ETA counts that.
    progress_ = std::make_unique<Progress>(config, 0, quiet_,
                                           BenchmarkProtocol::kindOf(method) == BenchmarkProtocol::Kind::RedNet);
    return progress_.get();
  }

private:
  bool quiet_;
  std::unique_ptr<Progress> progress_;
};

} // namespace

int benchmarkCommand(const Args& args, StopToken& stop)
{
  std::set<std::string> options = kTrainOptions;
  options.insert("--methods");
  options.insert("--plot-size");
  CommandLine cl(args, kTrainFlags, options);
  const std::string dataPath = cl.positional(0, "the dataset file");
  TrainingConfig base = configFromOptions(cl);
  const std::vector<Method> methods = BenchmarkProtocol::methodsFromList(
      cl.value("--methods").value_or(methodList(BenchmarkProtocol::defaultMethods())));
  const BenchmarkProtocol protocol(base, methods);
  const std::string outDir = cl.value("-o").value_or(cl.value("--output").value_or("benchmark"));
  int plotWidth = 1200, plotHeight = 900;
  if (const auto size = cl.value("--plot-size"))
  {
    char x = 0;
    std::istringstream in(*size);
    if (!(in >> plotWidth >> x >> plotHeight) || x != 'x' || plotWidth < 100 || plotHeight < 100 || plotWidth > 10000 ||
        plotHeight > 10000)
    {
      throw InputError("--plot-size expects WIDTHxHEIGHT in pixels, 100 to 10000 each (e.g. 1200x900)");
    }
  }
  checkWritable(outDir, true);
  Dataset data = loadData(dataPath, cl, base.levels, cl.intValue("--snapshots", 0));

  BenchmarkProgress progress(cl.flag("--quiet"));
  const BenchmarkTable table = runBenchmark(data, protocol, &progress, &stop);
  const auto files = table.writeFiles(outDir);
  const auto& runs = table.runs();
  std::string figuresLine;
#ifdef MRCAE_WITH_PLOTS
  {
    const auto app = guiApplicationIfNone();
    const QStringList written =
        widgets::writeBenchmarkFigures(QString::fromStdString(outDir), table, data.field.t,
                                       4.0 * data.field.h * data.field.w, QSize(plotWidth, plotHeight));
    figuresLine = "figures: " + written.join(", ").toStdString() + "\n";
  }
#else
  (void)plotWidth;
  (void)plotHeight;
  std::fprintf(stderr, "mrcae: note: the figures need the GUI build (MRCAE_BUILD_GUI=ON); the table is written\n");
#endif
  if (cl.flag("--json"))
  {
    std::printf("%s\n", table.toJson().dump(2).c_str());
    return 0;
  }
  printBenchmarkRows(table);
  std::printf("\n");
  for (const auto& r : runs)
  {
    if (r.settings.empty())
    {
      std::printf("%-20s %zu stages, %.1f s\n", displayName(r.method).c_str(), r.stages.size(), r.seconds);
    }
    else
    {
      std::printf("%-20s %zu settings, %.1f s\n", displayName(r.method).c_str(), r.settings.size(), r.seconds);
    }
  }
  std::printf("table: %s, %s, %s\n", files.at(0).c_str(), files.at(1).c_str(), files.at(2).c_str());
  std::printf("%s", figuresLine.c_str());
  return 0;
}

} // namespace mrcae::cli

namespace mrcae::cli
{

#ifdef MRCAE_WITH_PLOTS
namespace
{

/// "1200x900" -> (1200, 900); throws InputError otherwise.
std::pair<int, int> parsePixelSize(const std::string& text, const char* option)
{
  int w = 0, h = 0;
  char x = 0;
  std::istringstream in(text);
  if (!(in >> w >> x >> h) || x != 'x' || w < 16 || h < 16 || w > 20000 || h > 20000)
  {
    throw InputError(std::string(option) + " expects WIDTHxHEIGHT in pixels, 16 to 20000 each (e.g. 1200x900)");
  }
  return {w, h};
}

} // namespace
#endif

int exportCommand(const Args& args)
{
  CommandLine cl(args, {"--crop", "--no-curves"},
                 {"--format", "--what", "--snapshots", "--level", "-o", "--output", "--field", "--mask", "--pad",
                  "--device", "--threads", "--size", "--scale"});
  const std::string modelPath = cl.positional(0, "the model file");
  const std::string dataPath = cl.positional(1, "the dataset file");
  const std::string format = cl.value("--format").value_or("h5");
  const bool figure = format == "png" || format == "svg" || format == "pdf";
  if (format != "h5" && format != "vti" && format != "csv" && !figure)
  {
    throw InputError("--format must be h5, vti, csv (data) or png, svg, pdf (figures)");
  }
#ifndef MRCAE_WITH_PLOTS
  if (figure)
  {
    throw InputError("figures need the GUI build (MRCAE_BUILD_GUI=ON); this mrcae writes h5, vti and csv");
  }
#endif
  const std::string output = cl.value("-o").value_or(cl.value("--output").value_or(""));
  if (output.empty())
  {
    throw InputError("give the output with -o (a file for h5 and one figure, a folder for vti, csv and a figure "
                     "series)");
  }
  // What each format can hold: refuse the rest rather than quietly write something else.
  const std::string defaultWhat = format == "h5"    ? "fields,codes,maps"
                                  : format == "csv" ? "curves"
                                  : figure          ? "figure"
                                                    : "fields";
  const std::map<std::string, std::set<std::string>> allowed = {
      {"h5", {"fields", "codes", "maps"}}, {"vti", {"fields"}},           {"csv", {"curves"}},
      {"png", {"figure", "curves"}},       {"svg", {"figure", "curves"}}, {"pdf", {"figure", "curves"}}};
  ExportContent content{false, false, false};
  std::string figureWhat;
  std::stringstream what(cl.value("--what").value_or(defaultWhat));
  for (std::string item; std::getline(what, item, ',');)
  {
    if (!allowed.at(format).count(item))
    {
      std::string options;
      for (const auto& a : allowed.at(format))
      {
        options += (options.empty() ? "" : ", ") + a;
      }
      throw InputError("--what " + item + " is not something --format " + format + " holds: use " + options);
    }
    content.fields = content.fields || item == "fields";
    content.codes = content.codes || item == "codes";
    content.maps = content.maps || item == "maps";
    if (figure)
    {
      if (!figureWhat.empty() && figureWhat != item)
      {
        throw InputError("a figure is either --what figure or --what curves, not both");
      }
      figureWhat = item;
    }
  }
  ModelSummary s = ModelFile::summary(modelPath);
  Dataset data = loadDataForModel(dataPath, cl, s);
  Trainer trainer = Trainer::fromModelFile(modelPath, std::move(data), cl.value("--device").value_or(""),
                                           cl.intValue("--threads", 0));
  if (trainer.trainedLevel() < 0)
  {
    throw InputError(modelPath + ": the model has no trained stage to export");
  }
  const std::string selection = cl.value("--snapshots").value_or(figure ? "" : "test");
  std::vector<int> snapshots = selection.empty()
                                   ? std::vector<int>{trainer.split().test.empty() ? 0 : trainer.split().test.front()}
                                   : parseSnapshotSelection(trainer, selection);
  if (figure)
  {
#ifdef MRCAE_WITH_PLOTS
    FigureOptions options;
    options.curves = figureWhat == "curves";
    options.withCurves = !cl.flag("--no-curves");
    if (const auto size = cl.value("--size"))
    {
      std::tie(options.width, options.height) = parsePixelSize(*size, "--size");
    }
    options.scale = cl.doubleValue("--scale", 1.0);
    if (!(options.scale >= 0.1 && options.scale <= 10))
    {
      throw InputError("--scale must be between 0.1 and 10");
    }
    if (snapshots.size() > 1 && format != "png")
    {
      throw InputError("an animation is a PNG series: use --format png with several --snapshots");
    }
    const auto written = writeFigures(trainer, snapshots, output, options);
    std::printf("%s\n", written.c_str());
#endif
    return 0;
  }
  if (format == "h5")
  {
    exportHdf5(trainer, snapshots, output, content);
    std::printf("wrote %s (%zu snapshots, levels 0..%d)\n", output.c_str(), snapshots.size(), trainer.trainedLevel());
  }
  else if (format == "vti")
  {
    const int level = cl.intValue("--level", trainer.trainedLevel());
    const std::string name = std::filesystem::path(dataPath).stem().string() + "_L" + std::to_string(level);
    const std::string pvd = exportVtkSeries(trainer, snapshots, level, output, name);
    std::printf("wrote %s and %zu .vti files (open the .pvd in ParaView)\n", pvd.c_str(), snapshots.size());
  }
  else
  {
    exportCsv(trainer, output);
    std::printf("wrote %s/curves.csv and %s/stages.csv\n", output.c_str(), output.c_str());
  }
  return 0;
}

} // namespace mrcae::cli
