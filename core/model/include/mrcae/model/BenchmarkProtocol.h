#pragma once
// How a benchmark compares MrCAE with its baselines (SPEC §7.1): the one definition that the Benchmark tab and
// `mrcae benchmark` both run (the engine's runBenchmark executes it). MrCAE (PR) trains first, because its
// tolerances decide the architecture every baseline is trained on; the other methods follow in the order of
// Names.h's Method table. Every method gets the same data, budgets (steps per stage, per level), batch,
// optimiser settings and seed as PR.

#include "mrcae/model/Names.h"
#include "mrcae/model/TrainingConfig.h"

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

  /// What trains a method: the MrCAE trainer, or RED-Net's fresh network per stage (RedNetBaseline).
  enum class Kind
  {
    Mrcae,
    RedNet
  };
  static Kind kindOf(Method method);
  static Activation activationOf(Method method);
  /// The methods ticked when nothing was chosen: all but RED-Net + ReLU.
  static std::vector<Method> defaultMethods();

private:
  TrainingConfig base_;
  std::vector<Method> methods_;
};

} // namespace mrcae
