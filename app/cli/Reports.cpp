#include "Reports.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelSummary.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/resource.h>
#include <unistd.h>

namespace mrcae::cli
{

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

} // namespace mrcae::cli
