#pragma once
// Runs a BenchmarkProtocol: each method of its run order in turn (a compressor after MrCAE (PR), set to the code
// values per snapshot of each of PR's stages), on the thread that calls it, until every method ran or Stop was
// requested (the method that is running keeps its finished stages; no later one starts).
// The Benchmark tab's worker and `mrcae benchmark` both call it; they differ only in how they show progress.

#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/Dataset.h"
#include "mrcae/model/TrainingTypes.h"

namespace mrcae
{

/// Receives a benchmark's progress on the thread that runs it.
class BenchmarkObserver
{
public:
  virtual ~BenchmarkObserver() = default;
  /// The observer of `method`'s training (its stages and steps), trained with `config`; null for none. It
  /// must live until methodFinished.
  virtual TrainingObserver* methodStarted(Method /*method*/, const TrainingConfig& /*config*/) { return nullptr; }
  /// One setting of a compressor (POD, ZFP), computed for one stage of MrCAE (PR); reported methods only.
  virtual void settingFinished(Method /*method*/, const CompressionResult& /*result*/) {}
  /// `run`: its finished stages (or settings) and seconds; `stopped`: Stop ended it.
  virtual void methodFinished(const MethodRun& /*run*/, bool /*stopped*/) {}
};

/// The reported methods' runs (BenchmarkProtocol::reports), in table order. Errors propagate (InputError for
/// settings the data refuse); the observer knows which method was running.
BenchmarkTable runBenchmark(const Dataset& data, const BenchmarkProtocol& protocol,
                            BenchmarkObserver* observer = nullptr, StopToken* stop = nullptr);

} // namespace mrcae
