#include "mrcae/model/TrainingConfig.h"

#include "PresetData.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/NumberText.h"

#include <algorithm>
#include <cmath>

namespace mrcae
{

namespace
{

bool positiveFinite(double v)
{
  return std::isfinite(v) && v > 0;
}

} // namespace

int TrainingConfig::checkEvery(int level) const
{
  return std::max(1, steps.at(level) / 10);
}

void TrainingConfig::validate() const
{
  auto fail = [](const std::string& m) { throw InputError(m); };
  if (levels < 1 || levels > 10)
  {
    fail("levels must be between 1 and 10 (got " + std::to_string(levels) + ")");
  }
  if (static_cast<int>(archs.size()) != levels)
  {
    fail("archs has " + std::to_string(archs.size()) + " levels but levels is " + std::to_string(levels) +
         ": give one width list per level");
  }
  for (int k = 0; k < levels; ++k)
  {
    const auto& a = archs[k];
    if (a.empty() || a[0] < 1)
    {
      fail("archs of level " + std::to_string(k) + " must start with 1 (the deepen channel)");
    }
    for (size_t j = 1; j < a.size(); ++j)
    {
      if (a[j] <= a[j - 1])
      {
        fail("archs of level " + std::to_string(k) + " must be increasing cumulative widths (got " +
             std::to_string(a[j - 1]) + " then " + std::to_string(a[j]) + ")");
      }
    }
  }
  if (!tols.empty() && static_cast<int>(tols.size()) != levels)
  {
    fail("tols has " + std::to_string(tols.size()) + " values but levels is " + std::to_string(levels) +
         ": give one tolerance per level, or none for the +ReLU variant");
  }
  for (double t : tols)
  {
    if (!positiveFinite(t))
    {
      fail("tolerances must be positive numbers");
    }
  }
  if (static_cast<int>(steps.size()) != levels)
  {
    fail("steps has " + std::to_string(steps.size()) + " values but levels is " + std::to_string(levels) +
         ": give one budget per level");
  }
  for (int s : steps)
  {
    if (s < 1)
    {
      fail("steps per stage must be at least 1 (got " + std::to_string(s) + ")");
    }
  }
  if (batch < 1)
  {
    fail("batch must be at least 1");
  }
  if (!positiveFinite(lr) || !positiveFinite(adamEps))
  {
    fail("learning rate and Adam eps must be positive");
  }
  if (!std::isfinite(weightDecay) || weightDecay < 0)
  {
    fail("weight decay must be zero or positive");
  }
  if (!(w >= 0 && w <= 1))
  {
    fail("w must be between 0 and 1 (got " + number::shortest(w) + ")");
  }
  if (!std::isfinite(initStd) || initStd < 0)
  {
    fail("init std must be zero or positive");
  }
  if (threads < 0 || threads > 256)
  {
    fail("threads must be between 0 (all cores) and 256");
  }
  if (device != "cpu" && device != "cuda" && device != "auto")
  {
    fail("device must be cpu, cuda or auto (got '" + device + "')");
  }
  if (!(trainFraction > 0 && valFraction > 0 && trainFraction + valFraction <= 1.0))
  {
    fail("train and validation fractions must be positive and sum to at most 1");
  }
  if (!(slowConvergence >= 0))
  {
    fail("the slow-convergence threshold must be zero or positive");
  }
  if (!(std::isfinite(memoryLimitGb) && memoryLimitGb >= 0))
  {
    fail("the memory limit must be zero (what the machine has) or a positive number of GB");
  }
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
    throw InputError("unknown preset '" + name + "': choose one of " + names);
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
  throw InputError("unknown activation '" + s + "': use identity or relu");
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
  throw InputError("unknown best-state selection '" + s + "': use global, local or last");
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
  throw InputError("unknown land-mask mode '" + s + "': use reference or consistent");
}

} // namespace mrcae
