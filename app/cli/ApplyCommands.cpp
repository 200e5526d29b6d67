#include "ApplyCommands.h"

#include "Options.h"
#include "SettingOptions.h"

#include "mrcae/engine/Exporter.h"
#include "mrcae/engine/ModelCodec.h"
#include "mrcae/model/Codes.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelInput.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/NumberText.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <locale>
#include <sstream>

namespace mrcae::cli
{

namespace
{

/// Reads `path` (at most `maxSnapshots`, 0 = all) and brings it to the model's form (fitToModel); a note goes to
/// stderr when something is worth knowing.
Dataset dataForModel(const std::string& path, const ModelDataArgs& o, const ModelSummary& model, int maxSnapshots = 0,
                     bool quiet = false)
{
  ReadOptions opts;
  opts.field = o.dataOptions.field;
  opts.maskPath = o.dataOptions.mask;
  opts.maxSnapshots = maxSnapshots;
  ModelInputOptions fit;
  fit.sizePolicy = o.dataOptions.sizePolicy();
  fit.rangeTolerance = o.rangeTolerance.value_or(fit.rangeTolerance);
  ModelInputReport report;
  Dataset d = fitToModel(model, readDataset(path, opts), fit, path, &report);
  d.path = path;
  if (!report.note.empty() && !quiet)
  {
    std::fprintf(stderr, "note: %s: %s\n", path.c_str(), report.note.c_str());
  }
  return d;
}

/// "all", "A:B" (snapshots A to B−1; either end may be left out) or "i,j,k".
std::vector<int> selectSnapshots(const std::string& text, int count)
{
  std::vector<int> out;
  auto number = [&](const std::string& s, int fallback) {
    if (s.empty())
    {
      return fallback;
    }
    size_t used = 0;
    int v = -1;
    try
    {
      v = std::stoi(s, &used);
    }
    catch (const std::exception&)
    {
      used = 0;
    }
    if (used != s.size() || v < 0 || v > count)
    {
      throw InputError("--snapshots: '" + s + "' is not a snapshot index between 0 and " + std::to_string(count - 1) +
                       " (use all, A:B or a list such as 3,7,9)");
    }
    return v;
  };
  if (text == "all")
  {
    for (int i = 0; i < count; ++i)
    {
      out.push_back(i);
    }
  }
  else if (const size_t colon = text.find(':'); colon != std::string::npos)
  {
    const int a = number(text.substr(0, colon), 0), b = number(text.substr(colon + 1), count);
    for (int i = a; i < b; ++i)
    {
      out.push_back(i);
    }
  }
  else
  {
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');)
    {
      const int i = number(item, -1);
      if (i >= count)
      {
        number("x", 0); // the same message
      }
      out.push_back(i);
    }
  }
  if (out.empty())
  {
    throw InputError("--snapshots '" + text + "' selects no snapshot of the " + std::to_string(count));
  }
  return out;
}

/// "all" (default: every trained level), "top" or "0,2".
std::vector<int> selectLevels(const std::string& text, int top)
{
  if (text == "all")
  {
    return {};
  }
  if (text == "top")
  {
    return {top};
  }
  return parseIntList(text, "--levels");
}

std::string formatNumber(double v)
{
  std::ostringstream o;
  o.imbue(std::locale::classic());
  o.precision(9);
  o << v;
  return o.str();
}

/// The part of the model's split of each snapshot of the file (ModelInput.h).
std::vector<std::string> partsOf(const std::string& path, const ModelDataArgs& o, const ModelSummary& model, int count)
{
  ReadOptions opts;
  opts.field = o.dataOptions.field;
  opts.maskPath = o.dataOptions.mask;
  return snapshotParts(model, path, opts, o.dataOptions.sizePolicy(), count);
}

int encode(const ModelDataArgs& o)
{
  const std::string& modelPath = o.model;
  const std::string& dataPath = o.data;
  const std::string& output = o.output;
  if (output.empty())
  {
    throw InputError("give the codes file with -o, e.g. -o codes.h5");
  }
  const ModelCodec codec = ModelCodec::open(modelPath, o.device.value_or("cpu"), o.threads.value_or(0));
  if (codec.trainedLevel() < 0)
  {
    throw InputError(modelPath + ": the model has no trained stage to encode with");
  }
  const Dataset data = dataForModel(dataPath, o, codec.summary());
  const std::vector<int> snapshots = selectSnapshots(o.snapshots.empty() ? "all" : o.snapshots, data.field.t);
  const std::vector<int> levels = selectLevels(o.levels.empty() ? "all" : o.levels, codec.trainedLevel());
  const EncodedSnapshots codes = codec.encode(data, snapshots, levels, dataPath);
  writeCodes(codes, output);

  const long long raw = 4LL * data.field.h * data.field.w;
  const long long once = codec.modelBytes();
  const long long n = codes.snapshotCount();
  if (o.json)
  {
    Json j = Json::object();
    j["model"] = modelPath;
    j["data"] = dataPath;
    j["output"] = output;
    j["snapshots"] = static_cast<double>(n);
    j["model_bytes"] = static_cast<double>(once);
    j["raw_bytes_per_snapshot"] = static_cast<double>(raw);
    Json ls = Json::array();
    for (const auto& l : codes.levels)
    {
      Json e = Json::object();
      e["level"] = l.level;
      e["values_per_snapshot"] = static_cast<double>(l.valuesPerSnapshot());
      e["bytes_per_snapshot"] = static_cast<double>(codeBytes(l));
      ls.push_back(e);
    }
    j["levels"] = ls;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("encoded %lld snapshots of %s with %s into %s\n", n, dataPath.c_str(), modelPath.c_str(), output.c_str());
  std::printf("%-5s %16s %15s %22s\n", "level", "values/snapshot", "bytes/snapshot", "of the raw float32 field");
  for (const auto& l : codes.levels)
  {
    std::printf("%-5d %16lld %15lld %21.2f%%\n", l.level, l.valuesPerSnapshot(), codeBytes(l),
                100.0 * codeBytes(l) / raw);
  }
  const LevelCodes& top = codes.levels.back();
  std::printf("once for any number of snapshots: %lld bytes (%lld parameters as float32 and the masks, one bit per "
              "code cell)\n",
              once, codes.modelParams);
  std::printf("level %d for all %lld snapshots: %lld bytes with the model, %lld raw (%.1f%% of the raw size)\n",
              top.level, n, once + n * codeBytes(top), n * raw,
              100.0 * static_cast<double>(once + n * codeBytes(top)) / static_cast<double>(n * raw));
  return 0;
}

int decode(const ModelDataArgs& o)
{
  const std::string& modelPath = o.model;
  const std::string& codesPath = o.data;
  const std::string& output = o.output;
  if (output.empty())
  {
    throw InputError("give the output with -o, e.g. -o fields.h5");
  }
  const EncodedSnapshots codes = readCodes(codesPath);
  const ModelCodec codec = ModelCodec::open(modelPath, o.device.value_or("cpu"), o.threads.value_or(0));
  const std::vector<Field> fields = codec.decode(codes);
  exportDecodedHdf5(codes, fields, output);
  std::string levels;
  for (const auto& l : codes.levels)
  {
    levels += (levels.empty() ? "" : ", ") + std::to_string(l.level);
  }
  std::printf("wrote %s: %d snapshots, level%s %s, in the units of the model's data%s%s\n", output.c_str(),
              codes.snapshotCount(), codes.levels.size() == 1 ? "" : "s", levels.c_str(),
              codes.units.empty() ? "" : " ", codes.units.c_str());
  return 0;
}

} // namespace

int perSnapshotEval(const ModelDataArgs& o)
{
  const std::string& modelPath = o.model;
  const std::string& dataPath = o.data;
  const ModelCodec codec = ModelCodec::open(modelPath, o.device.value_or("cpu"), o.threads.value_or(0));
  if (codec.trainedLevel() < 0)
  {
    throw InputError(modelPath + ": the model has no trained stage to evaluate");
  }
  const Dataset data = dataForModel(dataPath, o, codec.summary());
  const std::vector<int> snapshots = selectSnapshots(o.snapshots.empty() ? "all" : o.snapshots, data.field.t);
  const std::vector<std::string> parts = partsOf(dataPath, o, codec.summary(), data.field.t);
  const std::vector<SnapshotErrors> rows = codec.perSnapshotErrors(data, snapshots);

  const std::string& output = o.output;
  const bool json = o.json || std::filesystem::path(output).extension() == ".json";
  std::ostringstream text;
  text.imbue(std::locale::classic());
  if (json)
  {
    Json j = Json::object();
    j["model"] = modelPath;
    j["data"] = dataPath;
    j["w"] = codec.summary().config.w;
    Json list = Json::array();
    for (const auto& r : rows)
    {
      Json e = Json::object();
      e["snapshot"] = r.snapshot;
      e["part"] = parts[r.snapshot];
      e["level"] = r.level;
      e["global_mse"] = r.errors.globalMse;
      e["global_max"] = r.errors.globalMax;
      e["global"] = r.errors.global;
      e["local_mse"] = r.errors.localMse;
      e["local_max"] = r.errors.localMax;
      e["local"] = r.errors.local;
      list.push_back(e);
    }
    j["errors"] = list;
    text << j.dump(2) << '\n';
  }
  else
  {
    text << "snapshot,part,level,global_mse,global_max,global,local_mse,local_max,local\n";
    for (const auto& r : rows)
    {
      const LevelErrors& e = r.errors;
      text << r.snapshot << ',' << parts[r.snapshot] << ',' << r.level << ',' << formatNumber(e.globalMse) << ','
           << formatNumber(e.globalMax) << ',' << formatNumber(e.global) << ',' << formatNumber(e.localMse) << ','
           << formatNumber(e.localMax) << ',' << formatNumber(e.local) << '\n';
    }
  }
  if (output.empty())
  {
    std::fputs(text.str().c_str(), stdout);
    return 0;
  }
  std::ofstream out(output);
  out << text.str();
  if (!out)
  {
    throw InputError("cannot write " + output + " (check the folder exists and is writable)");
  }
  // A short summary beside the file: the mean of the per-snapshot global error at the top level, by part.
  const int top = codec.trainedLevel();
  std::printf("wrote %s: %zu snapshots x %d levels\n", output.c_str(), snapshots.size(), top + 1);
  for (const char* part : {"train", "val", "test", "new"})
  {
    double sum = 0;
    int n = 0;
    for (const auto& r : rows)
    {
      if (r.level == top && parts[r.snapshot] == part)
      {
        sum += r.errors.global;
        ++n;
      }
    }
    if (n > 0)
    {
      std::printf("  %-5s %4d snapshots, mean global error at level %d: %.4e\n", part, n, top, sum / n);
    }
  }
  return 0;
}

void addModelDataOptions(CLI::App& command, ModelDataArgs& o, bool forData)
{
  command.add_option("MODEL", o.model, "the model file (.mrcae.h5)")->required();
  if (forData)
  {
    command.add_option("DATA", o.data, "the dataset file")->required();
  }
  else
  {
    command.add_option("CODES", o.data, "the codes file (from mrcae encode)")->required();
  }
  addSettingText(command, Setting::Device, o.device, "the device that runs the model (default: cpu)")
      ->type_name("cpu|cuda|auto");
  addSettingInt(command, Setting::Threads, o.threads, "intra-op threads (0: all cores)");
  if (!forData)
  {
    return;
  }
  command.add_flag("--json", o.json, "the result as JSON");
  addFieldOptions(command, o.dataOptions);
  addSizeOptions(command, o.dataOptions);
  addSettingNumber(command, Setting::RangeTolerance, o.rangeTolerance,
                   "how far values may lie outside the model's range, as a fraction of it, before the data are "
                   "refused")
      ->default_str(number::shortest(ModelInputOptions().rangeTolerance));
}

void addApplyCommands(CLI::App& app, Action& action)
{
  auto e = std::make_shared<ModelDataArgs>();
  CLI::App* encode = app.add_subcommand(
      "encode", "the codes that rebuild each level of a dataset's snapshots: level 0's coarse code and the refined "
                "codes inside each level's mask, the masks, and the bytes they take");
  addModelDataOptions(*encode, *e, true);
  encode->add_option("-o,--output", e->output, "the codes file")->type_name("CODES.h5");
  encode->add_option("--snapshots", e->snapshots, "which snapshots")->type_name("all|A:B|3,7")->default_str("all");
  encode->add_option("--levels", e->levels, "which levels (all: every trained one)")
      ->type_name("all|top|0,2")
      ->default_str("all");
  encode->callback([e, &action] { action = [e] { return mrcae::cli::encode(*e); }; });

  auto d = std::make_shared<ModelDataArgs>();
  CLI::App* decode = app.add_subcommand(
      "decode", "the fields of every encoded level, rebuilt from the codes (what export --what fields writes, bit "
                "for bit)");
  addModelDataOptions(*decode, *d, false);
  decode->add_option("-o,--output", d->output, "the fields file")->type_name("FIELDS.h5");
  decode->callback([d, &action] { action = [d] { return mrcae::cli::decode(*d); }; });
}

} // namespace mrcae::cli
