#include "mrcae/model/BenchmarkShard.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"

#include <fstream>
#include <map>
#include <sstream>

namespace mrcae
{

namespace
{

const char* kPartFile = "benchmark_part.json";
// Version 2 carries the compressors' settings and the data's size; version 1 parts lack them.
const char* kPartFormat = "mrcae-benchmark-part-2";
const char* kOldPartFormat = "mrcae-benchmark-part";

Json methodTokens(const std::vector<Method>& methods)
{
  Json out = Json::array();
  for (Method m : methods)
  {
    out.push_back(token(m));
  }
  return out;
}

Method methodFrom(const std::string& text, const std::string& source)
{
  const auto m = fromToken<Method>(text);
  if (!m)
  {
    throw InputError(Problem::BadFile, SettingText(source + ": unknown method '" + text + "'"), std::nullopt, source);
  }
  return *m;
}

} // namespace

BenchmarkShard BenchmarkShard::parse(const std::string& text, const std::string& option)
{
  BenchmarkShard s;
  char slash = 0;
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  if (!(in >> s.index >> slash >> s.count) || slash != '/' || !in.eof() || s.count < 1 || s.index < 1 ||
      s.index > s.count)
  {
    throw InputError(option + " expects I/N with 1 <= I <= N (part I of N, e.g. 2/4), got '" + text + "'");
  }
  return s;
}

BenchmarkProtocol BenchmarkShard::of(const BenchmarkProtocol& whole) const
{
  std::vector<Method> mine;
  const auto& all = whole.methods();
  for (size_t k = static_cast<size_t>(index - 1); k < all.size(); k += static_cast<size_t>(count))
  {
    mine.push_back(all[k]);
  }
  if (mine.empty())
  {
    throw InputError("part " + text() + " of the benchmark has no method: the benchmark reports " +
                     std::to_string(all.size()) + " methods, so split it into at most " + std::to_string(all.size()) +
                     " parts");
  }
  return BenchmarkProtocol(whole.base(), mine);
}

std::string writePartialTable(const std::string& folder, const BenchmarkShard& shard, const BenchmarkProtocol& whole,
                              const Dataset& data, const BenchmarkTable& table)
{
  Json j = Json::object();
  j["format"] = kPartFormat;
  j["part"] = shard.index;
  j["parts"] = shard.count;
  j["methods"] = methodTokens(whole.methods());
  j["config"] = whole.base().toJson();
  j["data_hash"] = data.contentHash();
  j["snapshots"] = data.field.t;
  j["snapshot_bytes"] = 4.0 * data.field.h * data.field.w;
  j["table"] = table.toJson();
  const std::string path = folder + "/" + kPartFile;
  std::ofstream out(path, std::ios::binary);
  out << j.dump(2) << '\n';
  out.close();
  if (!out)
  {
    throw InputError(path + ": cannot write the file (check that the folder is writable)");
  }
  return path;
}

MergedBenchmark mergePartialTables(const std::vector<std::string>& folders)
{
  if (folders.empty())
  {
    throw InputError("--merge needs the folders of the parts (each with a " + std::string(kPartFile) + ")");
  }
  Json first;
  std::string firstSource;
  std::map<int, std::string> seen; // part -> its file
  std::map<Method, MethodRun> runs;
  for (const auto& folder : folders)
  {
    const std::string path = folder + "/" + kPartFile;
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
      throw InputError(
          Problem::FileNotFound,
          SettingText(path + ": no partial table here (run mrcae benchmark --shard I/N -o " + folder + " first)"),
          std::nullopt, path);
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const Json j = parseJson(text, path);
    if (j.is_object() && j.value("format", "") == kOldPartFormat)
    {
      throw InputError(Problem::BadFile,
                       SettingText(path + ": a partial table of an older mrcae, without POD/ZFP settings and the "
                                          "data's size: run that part again"),
                       std::nullopt, path);
    }
    if (!j.is_object() || j.value("format", "") != kPartFormat)
    {
      throw InputError(Problem::BadFile, SettingText(path + ": not a partial benchmark table"), std::nullopt, path);
    }
    int part = 0, parts = 0;
    readJson(j, "part", part);
    readJson(j, "parts", parts);
    if (firstSource.empty())
    {
      first = j;
      firstSource = path;
    }
    else
    {
      for (const char* key : {"parts", "methods", "config", "data_hash", "snapshots", "snapshot_bytes"})
      {
        if (j.at(key) != first.at(key))
        {
          throw InputError(Problem::BadFile,
                           SettingText(path + ": a part of another benchmark than " + firstSource + " (its " + key +
                                       " differ): merge the parts of one benchmark"),
                           std::nullopt, path);
        }
      }
    }
    if (part < 1 || part > parts)
    {
      throw InputError(
          Problem::BadFile,
          SettingText(path + ": part " + std::to_string(part) + " of " + std::to_string(parts) + " is not a part"),
          std::nullopt, path);
    }
    if (!seen.emplace(part, path).second)
    {
      throw InputError(Problem::BadFile,
                       SettingText(path + ": part " + std::to_string(part) + "/" + std::to_string(parts) +
                                   " is given twice (also " + seen[part] + ")"),
                       std::nullopt, path);
    }
    for (const auto& m : j.at("table"))
    {
      std::string tokenText;
      readJson(m, "method_token", tokenText);
      MethodRun run;
      run.method = methodFrom(tokenText, path);
      readJson(m, "seconds", run.seconds);
      for (const auto& s : m.at("stages"))
      {
        run.stages.push_back(stageFromJson(s));
      }
      for (const auto& s : m.value("settings", Json::array()))
      {
        run.settings.push_back(compressionFromJson(s));
      }
      runs[run.method] = std::move(run);
    }
  }
  int parts = 0;
  readJson(first, "parts", parts);
  for (int p = 1; p <= parts; ++p)
  {
    if (!seen.count(p))
    {
      throw InputError(Problem::FileNotFound,
                       SettingText("part " + std::to_string(p) + "/" + std::to_string(parts) +
                                   " is missing: give the folders of all " + std::to_string(parts) + " parts"));
    }
  }
  // The whole benchmark's table order: the order of Names.h's Method table, as one run has it.
  MergedBenchmark merged;
  readJson(first, "snapshots", merged.snapshots);
  readJson(first, "snapshot_bytes", merged.snapshotBytes);
  for (Method m : allValues<Method>())
  {
    const auto it = runs.find(m);
    if (it == runs.end())
    {
      continue;
    }
    for (const auto& s : it->second.stages)
    {
      merged.table.addStage(m, s);
    }
    for (const auto& r : it->second.settings)
    {
      merged.table.addSetting(m, r);
    }
    merged.table.setSeconds(m, it->second.seconds);
  }
  return merged;
}

} // namespace mrcae
