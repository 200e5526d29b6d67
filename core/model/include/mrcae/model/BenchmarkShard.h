#pragma once
// A benchmark split into independent jobs (issue 15 part 3), e.g. the tasks of a cluster's job array:
// `mrcae benchmark --shard I/N` reports the I-th of N parts of the benchmark's grid and writes its partial table
// (benchmark_part.json); `mrcae benchmark --merge DIR...` joins the parts into the table one run writes.
// The grid is the reported methods in table order (a benchmark has one budget and one seed); part I reports the
// methods at positions I, I + N, ... (1-based). Every part that reports a baseline still trains MrCAE (PR)
// first, unreported: its tolerances decide the baselines' architecture (BenchmarkProtocol::runOrder). The runs
// are seeded, so a part's stages are the ones the whole run has, and the merged benchmark.csv and figures are
// byte for byte those of one run; only the wall-clock seconds (benchmark_timing.csv, benchmark.json) differ.

#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/Dataset.h"

#include <string>
#include <vector>

namespace mrcae
{

struct BenchmarkShard
{
  int index = 1; ///< 1 to count
  int count = 1;

  /// "I/N" with 1 <= I <= N; throws InputError naming `option` otherwise.
  static BenchmarkShard parse(const std::string& text, const std::string& option);
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }

  /// The protocol that reports this part's methods of `whole` (same settings). Throws InputError when the part
  /// has no method (more parts than methods).
  BenchmarkProtocol of(const BenchmarkProtocol& whole) const;
};

/// Writes `folder`/benchmark_part.json: the part, the whole benchmark's methods and settings, the data's content
/// hash and size (for the figures of the merge) and the part's table, compressor settings included. Throws
/// InputError when it cannot be written. Returns its path.
std::string writePartialTable(const std::string& folder, const BenchmarkShard& shard, const BenchmarkProtocol& whole,
                              const Dataset& data, const BenchmarkTable& table);

/// What the parts of a sharded benchmark make together: the whole run's table, and the size of its data.
struct MergedBenchmark
{
  BenchmarkTable table;
  int snapshots = 0;        ///< T of the data benchmarked
  double snapshotBytes = 0; ///< 4·H·W: one raw snapshot
};

/// The table of the whole benchmark from the partial tables in `folders` (each holds a benchmark_part.json):
/// the parts must be 1..N of one benchmark (same N, methods, settings and data), each once. Throws InputError
/// naming the folder that is missing, repeated or foreign.
MergedBenchmark mergePartialTables(const std::vector<std::string>& folders);

} // namespace mrcae
