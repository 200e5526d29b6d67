#include "TrainingOptions.h"

#include "Options.h"
#include "SettingOptions.h"

#include "mrcae/engine/Device.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/NumberText.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace mrcae::cli
{

namespace
{

const char* const kTraining = "Training options (a preset first, then any override; =X: the toy1 preset's value)";
const char* const kData = "Data options";

/// The toy1 preset's values as the defaults the help shows (another preset brings its own).
void showPresetDefaults(CLI::App& app)
{
  const TrainingConfig d = TrainingConfig::preset("toy1");
  const auto show = [&app](Setting s, const std::string& value) { app.get_option(*optionName(s))->default_str(value); };
  const auto list = [](const auto& values, const auto& write) {
    std::string out;
    for (const auto& v : values)
    {
      out += (out.empty() ? "" : ",") + write(v);
    }
    return out;
  };
  const auto real = [](double v) { return number::shortest(v); };
  const auto whole = [](int v) { return std::to_string(v); };
  std::string archs;
  for (const auto& level : d.archs)
  {
    archs += (archs.empty() ? "" : ";") + list(level, whole);
  }
  show(Setting::Preset, d.presetName);
  show(Setting::Levels, whole(d.levels));
  show(Setting::Archs, archs);
  show(Setting::Tols, d.tols.empty() ? "none" : list(d.tols, real));
  show(Setting::Steps, list(d.steps, whole));
  show(Setting::Batch, whole(d.batch));
  show(Setting::LearningRate, real(d.lr));
  show(Setting::AdamEps, real(d.adamEps));
  show(Setting::WeightDecay, real(d.weightDecay));
  show(Setting::W, real(d.w));
  show(Setting::InitStd, real(d.initStd));
  show(Setting::Activation, toString(d.activation));
  show(Setting::Seed, std::to_string(d.seed));
  show(Setting::Threads, whole(d.threads));
  show(Setting::Device, d.device);
  show(Setting::SelectOn, toString(d.selectOn));
  show(Setting::LandMask, toString(d.landMask));
  show(Setting::SlowConvergence, real(d.slowConvergence));
  show(Setting::TrainFraction, real(d.trainFraction));
  show(Setting::ValFraction, real(d.valFraction));
}

/// A whole config as TrainingConfig::toJson writes it; a key missing or unknown is refused, naming it.
TrainingConfig configFromFile(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
  {
    throw InputError::fileNotFound(path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return TrainingConfig::fromJson(parseJson(text.str(), path));
}

} // namespace

TrainingConfig TrainingOptions::config() const
{
  if (configFile && preset)
  {
    throw InputError("--config and --preset both give the starting settings: pass one of them");
  }
  TrainingConfig c = configFile ? configFromFile(*configFile) : TrainingConfig::preset(preset.value_or("toy1"));
  if (variant)
  {
    const auto method = fromToken<Method>(*variant);
    if (method == Method::MrcaeRelu)
    {
      c.activation = Activation::ReLU;
      c.tols.clear();
    }
    else if (method != Method::MrcaePr)
    {
      throw InputError("--variant must be " + token(Method::MrcaePr) + " (masked, linear) or " +
                       token(Method::MrcaeRelu) + " (no maps, ReLU)");
    }
  }
  c.levels = levels.value_or(c.levels);
  c.archs = archs.value_or(c.archs);
  c.tols = tols.value_or(c.tols);
  if (steps)
  {
    c.steps = *steps;
    if (c.steps.size() == 1)
    {
      c.steps.assign(c.levels, c.steps.front()); // one value: every level
    }
  }
  c.batch = batch.value_or(c.batch);
  c.lr = lr.value_or(c.lr);
  c.adamEps = adamEps.value_or(c.adamEps);
  c.weightDecay = weightDecay.value_or(c.weightDecay);
  c.w = w.value_or(c.w);
  c.initStd = initStd.value_or(c.initStd);
  if (activation)
  {
    c.activation = activationFromString(*activation);
  }
  if (seed)
  {
    c.seed = static_cast<std::uint64_t>(*seed);
  }
  c.threads = threads.value_or(c.threads);
  c.device = device.value_or(c.device);
  requireDevice(c.device); // before any data is read
  if (selectOn)
  {
    c.selectOn = bestSelectionFromString(*selectOn);
  }
  if (landMask)
  {
    c.landMask = landMaskModeFromString(*landMask);
  }
  c.trainFraction = trainFraction.value_or(c.trainFraction);
  c.valFraction = valFraction.value_or(c.valFraction);
  c.slowConvergence = slowConvergence.value_or(c.slowConvergence);
  c.memoryLimitGb = memoryLimit.value_or(c.memoryLimitGb);
  if (randomDeepenInit)
  {
    c.constantDeepenInit = false;
  }
  c.validate();
  return c;
}

void addTrainingOptions(CLI::App& app, TrainingOptions& o)
{
  std::string presets;
  for (const auto& name : TrainingConfig::presetNames())
  {
    presets += (presets.empty() ? "" : " ") + name;
  }
  const auto text = [&](Setting s, std::optional<std::string>& target, const std::string& help,
                        std::function<void(const std::string&)> check) {
    addSettingText(app, s, target, help, std::move(check))->group(kTraining);
  };
  text(Setting::Preset, o.preset, "the paper's settings for a dataset: " + presets,
       [](const std::string& s) { TrainingConfig::preset(s); });
  app.get_option(*optionName(Setting::Preset))->type_name("NAME");
  app.add_option("--config", o.configFile,
                 "every setting from a JSON file instead of a preset: the \"config\" object that `mrcae info MODEL "
                 "--json` prints, or what the application writes for its processes")
      ->type_name("FILE")
      ->group(kTraining);
  app.add_option("--variant", o.variant,
                 token(Method::MrcaePr) + ": masked linear MrCAE; " + token(Method::MrcaeRelu) + ": no maps + ReLU")
      ->type_name(token(Method::MrcaePr) + "|" + token(Method::MrcaeRelu))
      ->group(kTraining);
  addSettingInt(app, Setting::Levels, o.levels, "the number of levels L")->group(kTraining);
  const std::string archsName = *optionName(Setting::Archs);
  app.add_option_function<std::string>(
         archsName, [&o, archsName](const std::string& s) { o.archs = parseArchs(s, archsName); },
         "cumulative widths per level, levels separated by ';'")
      ->type_name("W,..;W,..")
      ->group(kTraining);
  const std::string tolsName = *optionName(Setting::Tols);
  app.add_option_function<std::string>(
         tolsName,
         [&o, tolsName](const std::string& s) {
           o.tols = s == "none" ? std::vector<double>{} : parseNumberList(s, tolsName);
           for (double t : *o.tols)
           {
             checkRange(Setting::Tols, t);
           }
         },
         "one tolerance per level for the refinement maps; none: no maps (MrCAE + ReLU)")
      ->type_name("X,..|none")
      ->group(kTraining);
  const std::string stepsName = *optionName(Setting::Steps);
  app.add_option_function<std::string>(
         stepsName,
         [&o, stepsName](const std::string& s) {
           o.steps = parseIntList(s, stepsName);
           for (int v : *o.steps)
           {
             checkRange(Setting::Steps, v);
           }
         },
         "max steps per stage, per level (one value: every level)")
      ->type_name("N,..")
      ->group(kTraining);
  addSettingInt(app, Setting::Batch, o.batch, "snapshots per step (at least the training set: full batch)")
      ->group(kTraining);
  addSettingNumber(app, Setting::LearningRate, o.lr, "Adam's learning rate")->group(kTraining);
  addSettingNumber(app, Setting::AdamEps, o.adamEps, "Adam's eps (the reference uses 1e-3)")->group(kTraining);
  addSettingNumber(app, Setting::WeightDecay, o.weightDecay, "L2 weight decay")->group(kTraining);
  addSettingNumber(app, Setting::W, o.w, "weight of the mean against the max term of the losses")->group(kTraining);
  addSettingNumber(app, Setting::InitStd, o.initStd, "standard deviation of the initial weights")->group(kTraining);
  text(Setting::Activation, o.activation, "identity (MrCAE) or relu",
       [](const std::string& s) { activationFromString(s); });
  app.get_option(*optionName(Setting::Activation))->type_name("identity|relu");
  addSettingNumber(app, Setting::Seed, o.seed, "one seed for the split, the batches and the initial weights")
      ->type_name("S")
      ->group(kTraining);
  addSettingInt(app, Setting::Threads, o.threads, "intra-op threads (0: all cores)")->group(kTraining);
  text(Setting::Device, o.device, "the training device", {});
  app.get_option(*optionName(Setting::Device))->type_name("cpu|cuda|auto");
  text(Setting::SelectOn, o.selectOn, "which validation error picks the state kept at the end of a stage",
       [](const std::string& s) { bestSelectionFromString(s); });
  app.get_option(*optionName(Setting::SelectOn))->type_name("global|local|last");
  text(Setting::LandMask, o.landMask,
       "consistent: invalid cells are left out of every loss, metric and map at every level; reference: "
       "only the global max term masks them (the authors' code)",
       [](const std::string& s) { landMaskModeFromString(s); });
  app.get_option(*optionName(Setting::LandMask))->type_name("consistent|reference");
  app.add_flag(*optionName(Setting::ConstantDeepenInit), o.randomDeepenInit,
               "random initial deepen weights (without it: every tap = init std, as the reference)")
      ->group(kTraining);
  addSettingNumber(
      app, Setting::MemoryLimit, o.memoryLimit,
      "the memory budget in GB the run is checked against before training (default: what the machine "
      "has available). train and resume read an HDF5 dataset of our layout whose run does not fit from the "
      "file in batches; any other run that needs more is refused, saying what would fit")
      ->type_name("GB")
      ->group(kTraining);
  addSettingNumber(app, Setting::SlowConvergence, o.slowConvergence, "relative improvement below which a stage stops")
      ->group(kTraining);
  addSettingNumber(app, Setting::TrainFraction, o.trainFraction, "the training part of the split")->group(kTraining);
  addSettingNumber(app, Setting::ValFraction, o.valFraction, "the validation part of the split")->group(kTraining);
  showPresetDefaults(app);
}

void addFieldOptions(CLI::App& app, DataOptions& o)
{
  app.add_option(*optionName(Setting::Field), o.field, "the field of an HDF5 dataset (default: its first)")
      ->type_name("NAME")
      ->group(kData);
  app.add_option(*optionName(Setting::MaskFile), o.mask, "a land mask beside a .npy dataset (1 = land)")
      ->type_name("LAND.npy")
      ->group(kData);
}

void addSizeOptions(CLI::App& app, DataOptions& o)
{
  app.add_flag("--crop", o.crop, "crop each side to c*2^L-1 (centred)")->group(kData);
  app.add_option_function<std::string>(
         "--pad",
         [&o](const std::string& s) {
           if (s != toString(SizePolicy::PadReflect) && s != toString(SizePolicy::PadPeriodic))
           {
             throw InputError(Problem::UnknownChoice,
                              SettingText("--pad: unknown size policy '" + s + "': use reflect or periodic"),
                              Setting::SizePolicy, s);
           }
           o.pad = s;
         },
         "pad each side to c*2^L-1: by reflection, or periodically in x")
      ->type_name("reflect|periodic")
      ->group(kData);
}

void addDataOptions(CLI::App& app, DataOptions& o, bool withSnapshots)
{
  addFieldOptions(app, o);
  if (withSnapshots)
  {
    addInt(app, *optionName(Setting::Snapshots), o.snapshots, "read the first N snapshots only (0: all)", 0)
        ->group(kData);
  }
  addSizeOptions(app, o);
}

SizePolicy DataOptions::sizePolicy() const
{
  if (crop && pad)
  {
    throw InputError("choose either --crop or --pad, not both");
  }
  return crop ? SizePolicy::Crop : pad ? sizePolicyFromString(*pad) : SizePolicy::Strict;
}

Dataset DataOptions::load(const std::string& path, int levels, int maxSnapshots) const
{
  ReadOptions opts;
  opts.field = field;
  opts.maskPath = mask;
  opts.maxSnapshots = maxSnapshots;
  const SizePolicy policy = sizePolicy();
  Dataset d = readDataset(path, opts);
  const int h = d.field.h, w = d.field.w;
  Dataset out = d.conformed(levels, policy);
  if (out.field.h != h || out.field.w != w)
  {
    std::fprintf(stderr, "note: %s %dx%d to %dx%d for %d levels\n", toString(policy).c_str(), h, w, out.field.h,
                 out.field.w, levels);
  }
  return out;
}

Dataset DataOptions::loadForModel(const std::string& path, const ModelSummary& s) const
{
  Dataset first = load(path, s.config.levels, s.dataT);
  if (first.contentHash() == s.dataHash)
  {
    return first;
  }
  return load(path, s.config.levels, 0);
}

} // namespace mrcae::cli
