#pragma once
// The results of a benchmark and their files, written the same by the Benchmark tab and `mrcae benchmark`:
//   benchmark.csv         one row per finished stage of each trained method and per setting of each compressor:
//                         what the run computed (method, stage, level, params, best_global_val,
//                         ln_best_global_val, encoding_size, steps, stop_reason, once_bytes, bytes_per_snapshot,
//                         setting). No clock in it: the same benchmark gives the same bytes from either front end
//                         (tests/app/test_benchmark_tab.cpp compares them).
//   benchmark_timing.csv  the wall-clock seconds of each stage (method, stage, level, seconds).
//   benchmark.json        per method its seconds, every stage record and every compressor setting.
// Bytes: once_bytes is what a method stores once for any number of snapshots (a network: its weights, 4 bytes
// per parameter; POD: its mean and modes; ZFP: its header), bytes_per_snapshot what each snapshot adds (a
// network: its code values, 4 bytes each; POD: r coefficients; ZFP: the compressed stream). A compressor's row
// is matched to the MrCAE (PR) stage of its `stage` and `level` columns; the columns of training (params,
// encoding_size, steps, stop_reason) are empty there.

#include "mrcae/model/CompressionResult.h"
#include "mrcae/model/Names.h"
#include "mrcae/model/TrainingTypes.h"

#include <nlohmann/json_fwd.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace mrcae
{

/// One method's finished stages (trained methods) or settings (compressors) and its wall-clock seconds.
struct MethodRun
{
  Method method = Method::MrcaePr;
  std::vector<StageRecord> stages;
  std::vector<CompressionResult> settings;
  double seconds = 0;
};

/// One row of the table as people read it (the Benchmark tab's table, `mrcae benchmark`'s output).
struct BenchmarkRowText
{
  Method method = Method::MrcaePr;
  std::vector<std::string> cells; ///< one per BenchmarkTable::columnTitles(), the method's display name first
};

class BenchmarkTable
{
public:
  /// Appends a stage of `method`; a method's first stage starts its run, after the runs so far.
  void addStage(Method method, const StageRecord& record);
  /// Appends a compressor setting of `method`, as addStage does a stage.
  void addSetting(Method method, const CompressionResult& result);
  /// The method's whole run time (its stages' seconds do not count the set-up between them). A method without
  /// a finished stage has no run in the table: nothing is set.
  void setSeconds(Method method, double seconds);
  void clear() { runs_.clear(); }

  const std::vector<MethodRun>& runs() const { return runs_; }
  bool empty() const { return runs_.empty(); }

  /// The titles of the rows people read: method, stage, level, params, ln(val err), encoding, bytes once,
  /// bytes/snapshot, setting.
  static std::vector<std::string> columnTitles();
  /// The text of every row, in CSV order: numbers as the CSV has them, but ln(val err) with 3 decimals and a
  /// compressor's mean bytes per snapshot with one.
  std::vector<BenchmarkRowText> rowTexts() const;

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

/// One compressor setting as toJson() writes it (benchmark.json, the partial tables of a sharded run); throws
/// InputError naming a missing key.
CompressionResult compressionFromJson(const nlohmann::json& json);

} // namespace mrcae
