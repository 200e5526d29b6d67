#include "mrcae/model/BenchmarkTable.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/NumberText.h"
#include "mrcae/model/StageTable.h"

#include <cmath>
#include <fstream>

namespace mrcae
{

namespace
{

const std::vector<StageField> kResultFields = {StageField::Stage,         StageField::Level,        StageField::Params,
                                               StageField::BestGlobalVal, StageField::EncodingSize, StageField::Steps,
                                               StageField::StopReason};
const std::vector<StageField> kTimingFields = {StageField::Stage, StageField::Level, StageField::Seconds};

/// A quoted text cell (settings have spaces).
std::string quoted(const std::string& text)
{
  return '"' + text + '"';
}

/// The byte columns of a trained stage: its weights once, its code values per snapshot (empty when unknown).
std::string onceBytesOf(const StageRecord& s)
{
  return std::to_string(4 * s.params);
}
std::string bytesPerSnapshotOf(const StageRecord& s)
{
  return s.codeValues < 0 ? std::string() : std::to_string(4 * s.codeValues);
}

/// The error, once and per-snapshot cells of a compressor setting: empty when no setting fitted.
std::string errorOf(const CompressionResult& r)
{
  return r.fits ? number::shortest(r.val.global) : std::string();
}
std::string onceBytesOf(const CompressionResult& r)
{
  return r.fits ? std::to_string(r.onceBytes) : std::string();
}
std::string bytesPerSnapshotOf(const CompressionResult& r)
{
  return r.fits ? number::shortest(r.bytesPerSnapshot) : std::string();
}

Json errorsJson(const LevelErrors& e)
{
  return Json{{"global", e.global}, {"global_mse", e.globalMse}, {"global_max", e.globalMax}};
}

Json settingJson(const CompressionResult& r)
{
  Json j = Json{{"setting", r.setting},
                {"stage", r.matchedStage},
                {"level", r.matchedLevel},
                {"parameter", r.parameter},
                {"fits", r.fits}};
  if (r.fits)
  {
    j["once_bytes"] = r.onceBytes;
    j["bytes_per_snapshot"] = r.bytesPerSnapshot;
    j["val"] = errorsJson(r.val);
    j["test"] = errorsJson(r.test);
  }
  return j;
}

} // namespace

MethodRun& BenchmarkTable::runOf(Method method)
{
  for (auto& r : runs_)
  {
    if (r.method == method)
    {
      return r;
    }
  }
  runs_.push_back({method, {}, {}, 0.0});
  return runs_.back();
}

void BenchmarkTable::addStage(Method method, const StageRecord& record)
{
  runOf(method).stages.push_back(record);
}

void BenchmarkTable::addSetting(Method method, const CompressionResult& result)
{
  runOf(method).settings.push_back(result);
}

void BenchmarkTable::setSeconds(Method method, double seconds)
{
  for (auto& r : runs_)
  {
    if (r.method == method)
    {
      r.seconds = seconds;
    }
  }
}

std::vector<std::string> BenchmarkTable::columnTitles()
{
  return {"method", "stage", "level", "params", "ln(val err)", "encoding", "bytes once", "bytes/snapshot", "setting"};
}

std::vector<BenchmarkRowText> BenchmarkTable::rowTexts() const
{
  std::vector<BenchmarkRowText> rows;
  for (const auto& run : runs_)
  {
    for (const auto& s : run.stages)
    {
      rows.push_back({run.method,
                      {displayName(run.method), std::to_string(s.stage), std::to_string(s.level),
                       std::to_string(s.params), number::fixed(std::log(s.bestGlobalVal), 3),
                       std::to_string(s.encodingSize), onceBytesOf(s), bytesPerSnapshotOf(s), ""}});
    }
    for (const auto& r : run.settings)
    {
      // A mean size (ZFP's fixed accuracy) to one decimal, whole bytes as they are.
      const double bytes = r.bytesPerSnapshot;
      const std::string bytesText = !r.fits ? "" : number::fixed(bytes, bytes == std::floor(bytes) ? 0 : 1);
      rows.push_back(
          {run.method,
           {displayName(run.method), std::to_string(r.matchedStage), std::to_string(r.matchedLevel), "",
            r.fits ? number::fixed(std::log(r.val.global), 3) : "", "", onceBytesOf(r), bytesText, r.setting}});
    }
  }
  return rows;
}

void BenchmarkTable::writeCsv(std::ostream& out) const
{
  // The fields of the stage records, with ln(best_global_val) after best_global_val (the paper's y axis), then
  // the bytes and the compressor's setting.
  out << "method";
  for (StageField f : kResultFields)
  {
    out << ',' << token(f);
    if (f == StageField::BestGlobalVal)
    {
      out << ",ln_" << token(f);
    }
  }
  out << ",once_bytes,bytes_per_snapshot,setting\n";
  for (const auto& run : runs_)
  {
    for (const auto& s : run.stages)
    {
      out << quoted(displayName(run.method));
      for (StageField f : kResultFields)
      {
        out << ',' << stageFieldText(s, f);
        if (f == StageField::BestGlobalVal)
        {
          out << ',' << number::shortest(std::log(s.bestGlobalVal));
        }
      }
      out << ',' << onceBytesOf(s) << ',' << bytesPerSnapshotOf(s) << ",\n";
    }
    for (const auto& r : run.settings)
    {
      // method, stage, level, params, best_global_val, ln, encoding_size, steps, stop_reason, bytes, setting
      out << quoted(displayName(run.method)) << ',' << r.matchedStage << ',' << r.matchedLevel << ",," << errorOf(r)
          << ',' << (r.fits ? number::shortest(std::log(r.val.global)) : std::string()) << ",,,," << onceBytesOf(r)
          << ',' << bytesPerSnapshotOf(r) << ',' << quoted(r.setting) << '\n';
    }
  }
}

void BenchmarkTable::writeTimingCsv(std::ostream& out) const
{
  out << "method," << csvHeader(kTimingFields) << '\n';
  for (const auto& run : runs_)
  {
    for (const auto& s : run.stages)
    {
      out << quoted(displayName(run.method));
      for (StageField f : kTimingFields)
      {
        out << ',' << stageFieldText(s, f);
      }
      out << '\n';
    }
  }
}

CompressionResult compressionFromJson(const Json& j)
{
  CompressionResult r;
  readJson(j, "setting", r.setting);
  readJson(j, "stage", r.matchedStage);
  readJson(j, "level", r.matchedLevel);
  readJson(j, "parameter", r.parameter);
  readJson(j, "fits", r.fits);
  if (r.fits)
  {
    readJson(j, "once_bytes", r.onceBytes);
    readJson(j, "bytes_per_snapshot", r.bytesPerSnapshot);
    for (auto [key, errors] : {std::pair{"val", &r.val}, std::pair{"test", &r.test}})
    {
      const Json& e = j.at(key);
      readJson(e, "global", errors->global);
      readJson(e, "global_mse", errors->globalMse);
      readJson(e, "global_max", errors->globalMax);
    }
  }
  return r;
}

Json BenchmarkTable::toJson() const
{
  Json out = Json::array();
  for (const auto& run : runs_)
  {
    Json m = Json::object();
    m["method"] = displayName(run.method);
    m["method_token"] = token(run.method);
    m["seconds"] = run.seconds;
    Json stages = Json::array();
    for (const auto& s : run.stages)
    {
      stages.push_back(mrcae::toJson(s));
    }
    m["stages"] = stages;
    if (!run.settings.empty())
    {
      Json settings = Json::array();
      for (const auto& r : run.settings)
      {
        settings.push_back(settingJson(r));
      }
      m["settings"] = settings;
    }
    out.push_back(m);
  }
  return out;
}

std::vector<std::string> BenchmarkTable::writeFiles(const std::string& folder) const
{
  const std::vector<std::string> paths = {folder + "/benchmark.csv", folder + "/benchmark_timing.csv",
                                          folder + "/benchmark.json"};
  for (size_t i = 0; i < paths.size(); ++i)
  {
    std::ofstream out(paths[i], std::ios::binary);
    if (i == 0)
    {
      writeCsv(out);
    }
    else if (i == 1)
    {
      writeTimingCsv(out);
    }
    else
    {
      out << toJson().dump(2) << '\n';
    }
    out.close();
    if (!out)
    {
      throw InputError(paths[i] + ": cannot write the file (check that the folder is writable)");
    }
  }
  return paths;
}

} // namespace mrcae
