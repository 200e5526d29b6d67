#pragma once
// The results of a benchmark and their files, written the same by the Benchmark tab and `mrcae benchmark`:
//   benchmark.csv         one row per finished stage of each reported method: what the run computed (method,
//                         stage, level, params, best_global_val, ln_best_global_val, encoding_size, steps,
//                         stop_reason). No clock in it: the same benchmark gives the same bytes from either
//                         front end (tests/app/test_benchmark_tab.cpp compares them).
//   benchmark_timing.csv  the wall-clock seconds of each stage (method, stage, level, seconds).
//   benchmark.json        per method its seconds and every stage record.

#include "mrcae/model/Names.h"
#include "mrcae/model/TrainingTypes.h"

#include <nlohmann/json_fwd.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace mrcae
{

/// One method's finished stages and its wall-clock seconds.
struct MethodRun
{
  Method method = Method::MrcaePr;
  std::vector<StageRecord> stages;
  double seconds = 0;
};

class BenchmarkTable
{
public:
  /// Appends a stage of `method`; a method's first stage starts its run, after the runs so far.
  void addStage(Method method, const StageRecord& record);
  /// The method's whole run time (its stages' seconds do not count the set-up between them). A method without
  /// a finished stage has no run in the table: nothing is set.
  void setSeconds(Method method, double seconds);
  void clear() { runs_.clear(); }

  const std::vector<MethodRun>& runs() const { return runs_; }
  bool empty() const { return runs_.empty(); }

  void writeCsv(std::ostream& out) const;
  void writeTimingCsv(std::ostream& out) const;
  nlohmann::json toJson() const;
  /// Writes the three files into `folder` (which must exist); throws InputError naming a file that cannot be
  /// written. Returns their paths.
  std::vector<std::string> writeFiles(const std::string& folder) const;

private:
  MethodRun& runOf(Method method);

  std::vector<MethodRun> runs_;
};

} // namespace mrcae
