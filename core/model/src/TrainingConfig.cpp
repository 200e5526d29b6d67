#include "mrcae/model/TrainingConfig.h"

#include "PresetData.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/NumberText.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace mrcae
{

namespace
{

[[noreturn]] void wrongCount(Setting setting, size_t count, int levels, const char* advice)
{
  throw InputError(Problem::WrongCount,
                   SettingText() << setting << " has " << count << " values but " << Setting::Levels << " is " << levels
                                 << ": " << advice,
                   setting, std::string(), {{"count", double(count)}, {"expected", double(levels)}});
}

} // namespace

std::optional<SettingRange> settingRange(Setting s)
{
  const double inf = std::numeric_limits<double>::infinity();
  switch (s)
  {
  case Setting::Levels: return SettingRange{1, 10};
  case Setting::Steps:
  case Setting::Batch: return SettingRange{1, inf};
  case Setting::Threads: return SettingRange{0, 256};
  case Setting::W: return SettingRange{0, 1};
  case Setting::Tols:
  case Setting::LearningRate:
  case Setting::AdamEps: return SettingRange{0, inf, true};
  case Setting::WeightDecay:
  case Setting::InitStd:
  case Setting::Seed:
  case Setting::SlowConvergence:
  case Setting::MemoryLimit:
  case Setting::RangeTolerance: return SettingRange{0, inf};
  case Setting::TrainFraction:
  case Setting::ValFraction: return SettingRange{0, 1, true};
  default: return std::nullopt;
  }
}

void checkRange(Setting s, double value)
{
  const auto r = settingRange(s);
  if (!r)
  {
    return;
  }
  const bool above = r->minExclusive ? value > r->min : value >= r->min;
  // NaN is in no range; infinity only in one with an infinite end.
  if (above && (std::isfinite(r->max) ? value <= r->max : std::isfinite(value)))
  {
    return;
  }
  SettingText m;
  m << s << " must be ";
  if (std::isfinite(r->max))
  {
    m << "between " << r->min << " and " << r->max;
  }
  else if (r->min == 0)
  {
    m << (r->minExclusive ? "positive" : "zero or positive");
  }
  else
  {
    m << "at least " << r->min;
  }
  std::map<std::string, double> numbers = {{"value", value}, {"min", r->min}};
  if (std::isfinite(r->max))
  {
    numbers["max"] = r->max;
  }
  throw InputError(Problem::OutOfRange, m << " (got " << value << ")", s, std::string(), numbers);
}

int TrainingConfig::checkEvery(int level) const
{
  return std::max(1, steps.at(level) / 10);
}

void TrainingConfig::validate() const
{
  checkRange(Setting::Levels, levels);
  if (static_cast<int>(archs.size()) != levels)
  {
    throw InputError(Problem::WrongCount,
                     SettingText() << Setting::Archs << " has " << archs.size() << " levels but " << Setting::Levels
                                   << " is " << levels << ": give one width list per level",
                     Setting::Archs, std::string(), {{"count", double(archs.size())}, {"expected", double(levels)}});
  }
  for (int k = 0; k < levels; ++k)
  {
    const auto& a = archs[k];
    auto fail = [&](const SettingText& what) {
      throw InputError(Problem::NotIncreasing, SettingText() << Setting::Archs << " of level " << k << what,
                       Setting::Archs, std::string(), {{"level", double(k)}});
    };
    if (a.empty() || a[0] < 1)
    {
      fail(" must start with 1 (the deepen channel)");
    }
    for (size_t j = 1; j < a.size(); ++j)
    {
      if (a[j] <= a[j - 1])
      {
        fail(SettingText() << " must be increasing cumulative widths (got " << a[j - 1] << " then " << a[j] << ")");
      }
    }
  }
  if (!tols.empty() && static_cast<int>(tols.size()) != levels)
  {
    wrongCount(Setting::Tols, tols.size(), levels, "give one tolerance per level, or none for the +ReLU variant");
  }
  for (double t : tols)
  {
    checkRange(Setting::Tols, t);
  }
  if (static_cast<int>(steps.size()) != levels)
  {
    wrongCount(Setting::Steps, steps.size(), levels, "give one budget per level");
  }
  for (int s : steps)
  {
    checkRange(Setting::Steps, s);
  }
  checkRange(Setting::Batch, batch);
  checkRange(Setting::LearningRate, lr);
  checkRange(Setting::AdamEps, adamEps);
  checkRange(Setting::WeightDecay, weightDecay);
  checkRange(Setting::W, w);
  checkRange(Setting::InitStd, initStd);
  checkRange(Setting::Threads, threads);
  if (device != "cpu" && device != "cuda" && device != "auto")
  {
    throw InputError(Problem::UnknownChoice,
                     SettingText() << Setting::Device << " must be cpu, cuda or auto (got '" << device << "')",
                     Setting::Device, device);
  }
  checkRange(Setting::TrainFraction, trainFraction);
  checkRange(Setting::ValFraction, valFraction);
  if (trainFraction + valFraction > 1.0)
  {
    throw InputError(Problem::OutOfRange,
                     SettingText() << Setting::TrainFraction << " and " << Setting::ValFraction
                                   << " must sum to at most 1 (got " << trainFraction << " and " << valFraction << ")",
                     Setting::ValFraction, std::string(), {{"value", trainFraction + valFraction}, {"max", 1.0}});
  }
  checkRange(Setting::SlowConvergence, slowConvergence);
  checkRange(Setting::MemoryLimit, memoryLimitGb);
}

Json TrainingConfig::toJson() const
{
  Json j = Json::object();
  j["preset"] = presetName;
  j["levels"] = levels;
  j["archs"] = archs;
  j["tols"] = tols;
  j["steps"] = steps;
  j["batch"] = batch;
  j["lr"] = lr;
  j["adam_eps"] = adamEps;
  j["weight_decay"] = weightDecay;
  j["w"] = w;
  j["init_std"] = initStd;
  j["activation"] = toString(activation);
  j["seed"] = seed;
  j["threads"] = threads;
  j["device"] = device;
  j["select_on"] = toString(selectOn);
  j["land_mask"] = toString(landMask);
  j["constant_deepen_init"] = constantDeepenInit;
  j["train_fraction"] = trainFraction;
  j["val_fraction"] = valFraction;
  j["slow_convergence"] = slowConvergence;
  return j;
}

TrainingConfig TrainingConfig::fromJson(const Json& j)
{
  TrainingConfig c;
  c.apply(j, true);
  return c;
}

void TrainingConfig::apply(const Json& j, bool requireAll)
{
  if (!j.is_object())
  {
    throw InputError("a training configuration must be a JSON object");
  }
  // A key nobody reads is a typo: refuse it rather than train with a default the user did not mean.
  const Json known = toJson();
  for (const auto& entry : j.items())
  {
    if (!known.contains(entry.key()) && entry.key() != "description" && entry.key() != "base")
    {
      throw InputError("unknown training setting '" + entry.key() + "'");
    }
  }
  auto has = [&](const char* key) {
    if (!j.contains(key) && requireAll)
    {
      throw InputError(std::string("the training configuration has no '") + key + "'");
    }
    return j.contains(key);
  };
  auto read = [&](const char* key, auto& out) {
    if (has(key))
    {
      readJson(j, key, out);
    }
  };
  auto readName = [&](const char* key, auto& out, auto fromString) {
    if (has(key))
    {
      std::string name;
      readJson(j, key, name);
      out = fromString(name);
    }
  };
  read("preset", presetName);
  read("levels", levels);
  read("archs", archs);
  read("tols", tols);
  read("steps", steps);
  read("batch", batch);
  read("lr", lr);
  read("adam_eps", adamEps);
  read("weight_decay", weightDecay);
  read("w", w);
  read("init_std", initStd);
  readName("activation", activation, activationFromString);
  read("seed", seed);
  read("threads", threads);
  read("device", device);
  readName("select_on", selectOn, bestSelectionFromString);
  readName("land_mask", landMask, landMaskModeFromString);
  read("constant_deepen_init", constantDeepenInit);
  read("train_fraction", trainFraction);
  read("val_fraction", valFraction);
  read("slow_convergence", slowConvergence);
}

std::vector<std::string> TrainingConfig::presetNames()
{
  std::vector<std::string> names;
  for (const auto& [name, text] : presetSources())
  {
    (void)text;
    names.push_back(name);
  }
  // The paper's runs first, each followed by its + ReLU variant.
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    static const std::vector<std::string> order = {"toy1", "toy2", "isotropic", "channel", "sst"};
    auto rank = [&](const std::string& n) {
      const std::string base = n.substr(0, n.find('-'));
      const auto it = std::find(order.begin(), order.end(), base);
      return 2 * static_cast<int>(it - order.begin()) + (n.size() > base.size() ? 1 : 0);
    };
    return rank(a) < rank(b);
  });
  return names;
}

TrainingConfig TrainingConfig::preset(const std::string& name)
{
  const auto& sources = presetSources();
  const auto it = std::find_if(sources.begin(), sources.end(), [&](const auto& p) { return p.first == name; });
  if (it == sources.end())
  {
    std::string names;
    for (const auto& n : presetNames())
    {
      names += (names.empty() ? "" : ", ") + n;
    }
    throw InputError(Problem::UnknownChoice,
                     SettingText() << "unknown preset '" << name << "': choose one of " << names, Setting::Preset,
                     name);
  }
  const Json j = parseJson(it->second, "preset " + name);
  std::string base;
  if (j.contains("base"))
  {
    readJson(j, "base", base);
  }
  TrainingConfig c = base.empty() ? TrainingConfig{} : preset(base);
  c.apply(j, false);
  c.presetName = name;
  return c;
}

std::string toString(Activation a)
{
  return a == Activation::ReLU ? "relu" : "identity";
}

std::string toString(BestSelection s)
{
  switch (s)
  {
  case BestSelection::GlobalVal: return "global";
  case BestSelection::LocalVal: return "local";
  case BestSelection::LastIterate: return "last";
  }
  return "global";
}

std::string toString(LandMaskMode m)
{
  return m == LandMaskMode::Consistent ? "consistent" : "reference";
}

Activation activationFromString(const std::string& s)
{
  if (s == "identity" || s == "linear")
  {
    return Activation::Identity;
  }
  if (s == "relu")
  {
    return Activation::ReLU;
  }
  throw InputError(Problem::UnknownChoice, SettingText() << "unknown activation '" << s << "': use identity or relu",
                   Setting::Activation, s);
}

BestSelection bestSelectionFromString(const std::string& s)
{
  if (s == "global")
  {
    return BestSelection::GlobalVal;
  }
  if (s == "local")
  {
    return BestSelection::LocalVal;
  }
  if (s == "last")
  {
    return BestSelection::LastIterate;
  }
  throw InputError(Problem::UnknownChoice,
                   SettingText() << "unknown best-state selection '" << s << "': use global, local or last",
                   Setting::SelectOn, s);
}

LandMaskMode landMaskModeFromString(const std::string& s)
{
  if (s == "reference")
  {
    return LandMaskMode::Reference;
  }
  if (s == "consistent")
  {
    return LandMaskMode::Consistent;
  }
  throw InputError(Problem::UnknownChoice,
                   SettingText() << "unknown land-mask mode '" << s << "': use reference or consistent",
                   Setting::LandMask, s);
}

} // namespace mrcae
