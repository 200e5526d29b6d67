#include "engine/TrainingConfig.h"

#include "engine/InputError.h"
#include "io/Json.h"

#include <algorithm>
#include <cmath>

namespace mrcae
{

namespace
{

const std::vector<std::vector<int>> kToyArchs = {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 3, 5, 7}};
// "Arch (A)" of the fluid and SST runs (SPEC §5).
const std::vector<std::vector<int>> kArchA = {{1, 2, 3, 4, 5}, {1, 3, 5, 7, 9}, {1, 4, 7, 10, 13}, {1, 6, 11, 16, 21}};

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
    fail("w must be between 0 and 1 (got " + std::to_string(w) + ")");
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
}

Json TrainingConfig::toJson() const
{
  Json j = Json::object();
  j["preset"] = presetName;
  j["levels"] = levels;
  Json a = Json::array();
  for (const auto& level : archs)
  {
    a.push_back(Json(level));
  }
  j["archs"] = a;
  j["tols"] = Json(tols);
  j["steps"] = Json(steps);
  j["batch"] = batch;
  j["lr"] = lr;
  j["adam_eps"] = adamEps;
  j["weight_decay"] = weightDecay;
  j["w"] = w;
  j["init_std"] = initStd;
  j["activation"] = toString(activation);
  j["seed"] = static_cast<double>(seed);
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
  c.presetName = j.at("preset").string();
  c.levels = j.at("levels").integer();
  c.archs = j.at("archs").intMatrix();
  c.tols.clear();
  for (const auto& v : j.at("tols").items())
  {
    c.tols.push_back(v.number());
  }
  c.steps = j.at("steps").intVector();
  c.batch = j.at("batch").integer();
  c.lr = j.at("lr").number();
  c.adamEps = j.at("adam_eps").number();
  c.weightDecay = j.at("weight_decay").number();
  c.w = j.at("w").number();
  c.initStd = j.at("init_std").number();
  c.activation = activationFromString(j.at("activation").string());
  c.seed = static_cast<std::uint64_t>(j.at("seed").number());
  c.threads = j.at("threads").integer();
  c.device = j.at("device").string();
  c.selectOn = bestSelectionFromString(j.at("select_on").string());
  c.landMask = landMaskModeFromString(j.at("land_mask").string());
  c.constantDeepenInit = j.at("constant_deepen_init").boolean();
  c.trainFraction = j.at("train_fraction").number();
  c.valFraction = j.at("val_fraction").number();
  c.slowConvergence = j.at("slow_convergence").number();
  return c;
}

std::vector<std::string> TrainingConfig::presetNames()
{
  return {"toy1", "toy2", "isotropic", "channel", "sst", "toy1-relu", "toy2-relu", "isotropic-relu",
          "channel-relu", "sst-relu"};
}

TrainingConfig TrainingConfig::preset(const std::string& name)
{
  std::string base = name;
  bool relu = false;
  const std::string suffix = "-relu";
  if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0)
  {
    relu = true;
    base = base.substr(0, base.size() - suffix.size());
  }
  TrainingConfig c;
  c.presetName = name;
  if (base == "toy1" || base == "toy2")
  {
    c.levels = 3;
    c.archs = kToyArchs;
    c.tols = {1e-3, 5e-4, 1e-4};
    c.steps = {5000, 5000, 5000};
  }
  else if (base == "isotropic" || base == "channel" || base == "sst")
  {
    c.levels = 4;
    c.archs = kArchA;
    c.tols = base == "channel" ? std::vector<double>{0.02, 0.01, 0.008, 0.005}
                               : std::vector<double>{0.04, 0.02, 0.01, 0.005};
    c.steps = {4000, 4000, 4000, 4000};
  }
  else
  {
    std::string names;
    for (const auto& n : presetNames())
    {
      names += (names.empty() ? "" : ", ") + n;
    }
    throw InputError("unknown preset '" + name + "': choose one of " + names);
  }
  c.batch = 350;
  if (relu)
  {
    // MrCAE + ReLU (SPEC §7.1): no maps, no tolerance stop, every widen performed.
    c.activation = Activation::ReLU;
    c.tols.clear();
  }
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
