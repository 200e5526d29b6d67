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

/// The method column: its display name, quoted (it has spaces and parentheses).
std::string methodCell(Method m)
{
  return '"' + displayName(m) + '"';
}

const std::vector<StageField> kResultFields = {StageField::Stage,         StageField::Level,        StageField::Params,
                                               StageField::BestGlobalVal, StageField::EncodingSize, StageField::Steps,
                                               StageField::StopReason};
const std::vector<StageField> kTimingFields = {StageField::Stage, StageField::Level, StageField::Seconds};

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
  runs_.push_back({method, {}, 0.0});
  return runs_.back();
}

void BenchmarkTable::addStage(Method method, const StageRecord& record)
{
  runOf(method).stages.push_back(record);
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

void BenchmarkTable::writeCsv(std::ostream& out) const
{
  // The fields of the stage records, with ln(best_global_val) after best_global_val (the paper's y axis).
  out << "method";
  for (StageField f : kResultFields)
  {
    out << ',' << token(f);
    if (f == StageField::BestGlobalVal)
    {
      out << ",ln_" << token(f);
    }
  }
  out << '\n';
  for (const auto& run : runs_)
  {
    for (const auto& s : run.stages)
    {
      out << methodCell(run.method);
      for (StageField f : kResultFields)
      {
        out << ',' << stageFieldText(s, f);
        if (f == StageField::BestGlobalVal)
        {
          out << ',' << number::shortest(std::log(s.bestGlobalVal));
        }
      }
      out << '\n';
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
      out << methodCell(run.method);
      for (StageField f : kTimingFields)
      {
        out << ',' << stageFieldText(s, f);
      }
      out << '\n';
    }
  }
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
