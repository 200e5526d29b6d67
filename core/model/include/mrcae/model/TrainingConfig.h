#pragma once
// Every setting of one MrCAE training run (SPEC.md §2.4, §4, §5), as a plain value type.

#include "mrcae/model/Names.h"
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mrcae
{

enum class Activation
{
  Identity, ///< MrCAE (PR): the model is linear (every masked run of the paper)
  ReLU      ///< "MrCAE + ReLU": after each widened encoder
};

/// Which validation error picks the state that is restored at the end of a stage (SPEC §8.1: the reference's
/// restore is a no-op, so it reports the last iterate).
enum class BestSelection
{
  GlobalVal,  ///< our default: the prolongated, native-resolution validation error
  LocalVal,   ///< the reference's intent: the level-k validation loss
  LastIterate ///< what the reference really does
};

/// How the land mask (valid cells) enters training (SPEC §1.6). Without a mask both are the same run.
enum class LandMaskMode
{
  Reference, ///< as the authors' code: only in the max term of the global metric; invalid cells are trained on
  Consistent ///< our default: invalid cells are zeroed in the input and left out everywhere: restricted to every
             ///< level, the local loss (mean and max), the global metric (mean and max), the resolved maps (a
             ///< code pixel's loss is the mean over its valid cells; one without any counts as resolved), hence
             ///< the tolerance rule, level_clear and the evaluation
};

struct TrainingConfig
{
  std::string presetName = "toy1";     ///< informational: where the settings came from
  int levels = 3;                      ///< L; level 0 is the coarsest
  std::vector<std::vector<int>> archs; ///< per level, cumulative channels; archs[k][0] is the deepen
  std::vector<double> tols;            ///< per level; empty = no maps, no tolerance stop (+ReLU variant)
  std::vector<int> steps;              ///< max steps per stage, per level ("max_epoch")
  int batch = 350;                     ///< snapshots per step; >= n_train means full batch
  double lr = 1e-3;
  double adamEps = 1e-3;     ///< the reference's unusually large eps (SPEC §4.3)
  double weightDecay = 1e-5; ///< L2 added to the gradient, as torch.optim.Adam
  double w = 0.5;            ///< mean/max weighting of the losses
  double initStd = 0.01;
  Activation activation = Activation::Identity;
  std::uint64_t seed = 0;     ///< one seed for split, batches and initialisation
  int threads = 0;            ///< intra-op threads; 0 = all cores
  std::string device = "cpu"; ///< "cpu", "cuda" or "auto"
  BestSelection selectOn = BestSelection::GlobalVal;
  LandMaskMode landMask = LandMaskMode::Consistent;
  bool constantDeepenInit = true; ///< SPEC §8.7: every deepen-encoder tap = std (faithful)
  double trainFraction = 0.7;
  double valFraction = 0.2;
  double slowConvergence = 1e-3; ///< relative improvement below which a stage stops
  /// Memory budget in GB (1e9 bytes) for the estimate checked before training (MemoryEstimate.h); 0 = what the
  /// machine has available. A property of the machine, not of the run: not in toJson(), so not in model files.
  double memoryLimitGb = 0;

  bool useMaps() const { return !tols.empty(); }
  /// Stage check cadence K = max(1, steps/10).
  int checkEvery(int level) const;

  /// Throws InputError with one line naming the first inconsistent setting.
  void validate() const;

  nlohmann::json toJson() const;
  /// Reads every setting; throws InputError naming a missing or unknown key.
  static TrainingConfig fromJson(const nlohmann::json& json);
  /// Overrides the settings `json` names (all of them when `requireAll`); unknown keys are refused.
  void apply(const nlohmann::json& json, bool requireAll = false);

  /// The paper's runs (SPEC.md §5), from resources/presets: "toy1", "toy2", "isotropic", "channel", "sst",
  /// each with a "-relu" MrCAE + ReLU variant (the benchmark notebooks' settings). Throws InputError otherwise.
  static TrainingConfig preset(const std::string& name);
  static std::vector<std::string> presetNames();
};

/// The range of a numeric setting (of each entry of a list: steps, tols). TrainingConfig::validate() checks the
/// training settings', and the command line each as it reads the option.
struct SettingRange
{
  double min = 0;
  double max = 0;
  bool minExclusive = false; ///< min itself is outside ("positive")
};
std::optional<SettingRange> settingRange(Setting setting);
/// Throws InputError (Problem::OutOfRange) when `value` is outside the setting's range (none: nothing checked).
void checkRange(Setting setting, double value);

std::string toString(Activation a);
std::string toString(BestSelection s);
std::string toString(LandMaskMode m);
Activation activationFromString(const std::string& s);
BestSelection bestSelectionFromString(const std::string& s);
LandMaskMode landMaskModeFromString(const std::string& s);

} // namespace mrcae
