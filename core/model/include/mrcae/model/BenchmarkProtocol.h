#pragma once
// How a benchmark compares MrCAE with its baselines (SPEC §7.1): the one definition that the Benchmark tab and
// `mrcae benchmark` both run (the engine's runBenchmark executes it). MrCAE (PR) trains first, because its
// tolerances decide the architecture every baseline is trained on; the other methods follow in the order of
// Names.h's Method table. Every method gets the same data, budgets (steps per stage, per level), batch,
// optimiser settings and seed as PR. The compressors (POD, ZFP) come last: each is set, for every stage of PR,
// to take per snapshot what PR's codes take then, and is scored on the same split in the same measures.

#include "mrcae/model/Names.h"
#include "mrcae/model/TrainingConfig.h"

#include <string>
#include <vector>

namespace mrcae
{

class BenchmarkProtocol
{
public:
  /// `methods`: those to report, in any order (duplicates count once). Throws InputError when none is given or
  /// `base` has no tolerances (MrCAE (PR) needs them to reach an architecture).
  BenchmarkProtocol(TrainingConfig base, const std::vector<Method>& methods);

  const TrainingConfig& base() const { return base_; }
  /// The methods reported, in table order.
  const std::vector<Method>& methods() const { return methods_; }
  bool reports(Method method) const;
  /// The methods trained, in run order: MrCAE (PR) first, also when it is not reported.
  std::vector<Method> runOrder() const;

  /// The settings of `method`'s run. MrCAE (PR): base(). Every other method: base() without tolerances, with
  /// the architecture PR reached (`prArchitecture`, cumulative widths per level) and the method's activation.
  TrainingConfig configFor(Method method, const std::vector<std::vector<int>>& prArchitecture) const;

  /// What runs a method: the MrCAE trainer, RED-Net's fresh network per stage (RedNetBaseline), or a compressor
  /// set up for each stage of MrCAE (PR) to take what its codes take per snapshot (POD, ZFP; nothing trains).
  enum class Kind
  {
    Mrcae,
    RedNet,
    Compressor
  };
  static Kind kindOf(Method method);
  static Activation activationOf(Method method);
  /// The methods ticked when nothing was chosen: all but RED-Net + ReLU and the compressors.
  static std::vector<Method> defaultMethods();
  /// The methods a comma-separated list of tokens names ("pr,relu,pod,zfp"); "zfp" stands for both ZFP modes.
  /// Throws InputError for an unknown token.
  static std::vector<Method> methodsFromList(const std::string& list);

private:
  TrainingConfig base_;
  std::vector<Method> methods_;
};

} // namespace mrcae
