#include "Commands.h"

#include "Options.h"
#include "Reports.h"
#include "SettingOptions.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/SnapshotReader.h"
#include "mrcae/model/ToyData.h"
#include "mrcae/model/ToyGenerator.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>

namespace mrcae::cli
{

namespace
{

struct GenerateArgs
{
  std::string name;
  std::string output;
  int snapshots = 500;
  int size = 127;
  bool uncompressed = false;
};

struct InfoArgs
{
  std::string path;
  std::string field, mask;
  bool json = false, onDemand = false, full = false, scan = false;
};

int generate(const GenerateArgs& o)
{
  const std::string& name = o.name;
  const std::string out = o.output.empty() ? name + ".h5" : o.output;
  Dataset d;
  if (std::filesystem::path(out).extension() == ".npy")
  {
    d = generateToy(name, o.snapshots, o.size);
    writeNpy(out, {d.field.t, d.field.h, d.field.w}, d.field.data);
  }
  else
  {
    // One pass for the range, then snapshot by snapshot into the file: memory stays small at any size.
    const ToyGenerator toy(name, o.snapshots, o.size);
    d = toy.metadata();
    WriteOptions options;
    options.compress = !o.uncompressed;
    writeDataset(
        d, [&toy](int k, float* values) { toy.snapshot(k, values); }, out, options);
  }
  std::printf("wrote %s: %s, %d x %d x %d, scaled from [%.6g, %.6g]\n", out.c_str(), name.c_str(), d.field.t, d.field.h,
              d.field.w, d.originalMin, d.originalMax);
  return 0;
}

int info(const InfoArgs& o)
{
  const std::string& path = o.path;
  if (!std::filesystem::exists(path))
  {
    throw InputError::fileNotFound(path);
  }
  if (ModelFile::isModelFile(path))
  {
    ModelSummary s = ModelFile::summary(path);
    if (o.json)
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
  opts.field = o.field;
  opts.maskPath = o.mask;
  if (o.full && (o.onDemand || o.scan))
  {
    throw InputError("choose either --full (load every snapshot) or --on-demand / --scan (read from the file)");
  }
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  bool onDemand = o.onDemand || o.scan;
  if (onDemand && (ext == ".npy" || !hdf5Available()))
  {
    throw InputError(path + ": --on-demand and --scan read HDF5 datasets in our layout only");
  }
  std::unique_ptr<SnapshotReader> reader;
  if (ext != ".npy" && hdf5Available() && !o.full)
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
    const bool scanned = o.scan;
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
    if (o.json)
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
  if (o.json)
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

} // namespace

void addDataCommands(CLI::App& app, Action& action)
{
  auto g = std::make_shared<GenerateArgs>();
  CLI::App* generate = app.add_subcommand("generate", "write a toy dataset of the paper (SPEC 5)");
  generate->add_option("NAME", g->name, "the toy name (toy1 or toy2)")->required();
  generate->add_option("-o,--output", g->output, "the file: .h5 (our layout) or .npy (default: NAME.h5)")
      ->type_name("FILE.h5|FILE.npy");
  addInt(*generate, "--snapshots", g->snapshots, "how many snapshots", 5);
  addInt(*generate, "--size", g->size, "the side of the square grid", 7);
  generate->add_flag("--uncompressed", g->uncompressed,
                     "store the snapshots without deflate: a larger file that a streamed training run reads faster");
  generate->callback([g, &action] { action = [g] { return mrcae::cli::generate(*g); }; });

  auto i = std::make_shared<InfoArgs>();
  CLI::App* info = app.add_subcommand(
      "info", "describe a dataset (.h5/.npy) or a model (.mrcae.h5); an HDF5 dataset larger than half the "
              "available memory is read on demand (its metadata and first snapshot)");
  info->add_option("FILE", i->path, "a file name")->required();
  info->add_flag("--json", i->json, "the description as JSON");
  info->add_flag("--on-demand", i->onDemand, "read an HDF5 dataset on demand, whatever its size");
  info->add_flag("--scan", i->scan, "on demand, and stream every snapshot for the exact range and hash");
  info->add_flag("--full", i->full, "load every snapshot, whatever the size");
  info->add_option(*optionName(Setting::Field), i->field, "the field of an HDF5 dataset")->type_name("NAME");
  info->add_option(*optionName(Setting::MaskFile), i->mask, "a land mask beside a .npy dataset")->type_name("LAND.npy");
  info->callback([i, &action] { action = [i] { return mrcae::cli::info(*i); }; });
}

} // namespace mrcae::cli
