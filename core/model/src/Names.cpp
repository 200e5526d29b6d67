#include "mrcae/model/Names.h"

#include "mrcae/model/InputError.h"

namespace mrcae
{

// The tokens are what files written so far hold: change one and old files no longer read.

template <>
const std::vector<NameEntry<StopReason>>& nameTable<StopReason>()
{
  static const std::vector<NameEntry<StopReason>> table = {
      {StopReason::MaxSteps, "max_steps", "max steps", "max steps"},
      {StopReason::Tolerance, "tolerance", "tolerance met", "tolerance"},
      {StopReason::SlowProgress, "slow_convergence", "slow progress", "slow"},
      {StopReason::UserStop, "stopped", "stopped by user", "stopped"},
      {StopReason::Diverged, "diverged", "diverged", "diverged"},
  };
  return table;
}

template <>
const std::vector<NameEntry<StageOp>>& nameTable<StageOp>()
{
  static const std::vector<NameEntry<StageOp>> table = {
      {StageOp::Deepen, "deepen", "deepen"},
      {StageOp::Widen, "widen", "widen"},
      {StageOp::RedNet, "rednet", "RED-Net stage"},
  };
  return table;
}

template <>
const std::vector<NameEntry<Method>>& nameTable<Method>()
{
  static const std::vector<NameEntry<Method>> table = {
      {Method::MrcaePr, "pr", "MrCAE (PR)"},
      {Method::MrcaeRelu, "relu", "MrCAE + ReLU"},
      {Method::RedNet, "rednet", "RED-Net (linear)"},
      {Method::RedNetRelu, "rednet-relu", "RED-Net + ReLU"},
      {Method::Pod, "pod", "POD"},
      {Method::ZfpAccuracy, "zfp-accuracy", "ZFP (fixed accuracy)"},
      {Method::ZfpRate, "zfp-rate", "ZFP (fixed rate)"},
  };
  return table;
}

template <>
const std::vector<NameEntry<StageField>>& nameTable<StageField>()
{
  static const std::vector<NameEntry<StageField>> table = {
      {StageField::Stage, "stage", "stage"},
      {StageField::Level, "level", "level"},
      {StageField::Group, "group", "group"},
      {StageField::Op, "op", "operation"},
      {StageField::AddedChannels, "added_channels", "added channels"},
      {StageField::Params, "params", "parameters"},
      {StageField::Steps, "steps", "steps"},
      {StageField::BestStep, "best_step", "best step"},
      {StageField::StopReason, "stop_reason", "stop reason"},
      {StageField::BestGlobalVal, "best_global_val", "best global validation error"},
      {StageField::Seconds, "seconds", "seconds"},
      {StageField::Unresolved, "unresolved", "unresolved"},
      {StageField::Dilated, "dilated", "dilated"},
      {StageField::MapPixels, "map_pixels", "map pixels"},
      {StageField::LevelClear, "level_clear", "level clear"},
      {StageField::EncodingSize, "encoding_size", "encoding size"},
      {StageField::CodeValues, "code_values", "code values"},
  };
  return table;
}

template <>
const std::vector<NameEntry<CurveField>>& nameTable<CurveField>()
{
  static const std::vector<NameEntry<CurveField>> table = {
      {CurveField::Stage, "stage", "stage"},
      {CurveField::Level, "level", "level"},
      {CurveField::Group, "group", "group"},
      {CurveField::Step, "step", "step"},
      {CurveField::LocalTrain, "local_train", "local train"},
      {CurveField::LocalVal, "local_val", "local validation"},
      {CurveField::GlobalTrain, "global_train", "global train"},
      {CurveField::GlobalVal, "global_val", "global validation"},
  };
  return table;
}

template <>
const std::vector<NameEntry<Setting>>& nameTable<Setting>()
{
  // The display names are what error messages say when no front end names the setting (InputError::what()).
  static const std::vector<NameEntry<Setting>> table = {
      {Setting::Preset, "preset", "preset"},
      {Setting::Levels, "levels", "levels"},
      {Setting::Archs, "archs", "archs"},
      {Setting::Tols, "tols", "tols"},
      {Setting::Steps, "steps", "steps"},
      {Setting::Batch, "batch", "batch"},
      {Setting::LearningRate, "lr", "learning rate"},
      {Setting::AdamEps, "adam_eps", "Adam eps"},
      {Setting::WeightDecay, "weight_decay", "weight decay"},
      {Setting::W, "w", "w"},
      {Setting::InitStd, "init_std", "init std"},
      {Setting::Activation, "activation", "activation"},
      {Setting::Seed, "seed", "seed"},
      {Setting::Threads, "threads", "threads"},
      {Setting::Device, "device", "device"},
      {Setting::SelectOn, "select_on", "best-state selection"},
      {Setting::LandMask, "land_mask", "land-mask mode"},
      {Setting::ConstantDeepenInit, "constant_deepen_init", "constant deepen init"},
      {Setting::TrainFraction, "train_fraction", "train fraction"},
      {Setting::ValFraction, "val_fraction", "validation fraction"},
      {Setting::SlowConvergence, "slow_convergence", "slow-convergence threshold"},
      {Setting::MemoryLimit, "memory_limit", "memory limit"},
      {Setting::Field, "field", "field"},
      {Setting::MaskFile, "mask", "land mask file"},
      {Setting::Snapshots, "snapshots", "snapshots"},
      {Setting::SizePolicy, "size_policy", "crop or pad"},
      {Setting::Methods, "methods", "methods"},
      {Setting::Output, "output", "output"},
      {Setting::ImportFormat, "format", "file format"},
      {Setting::Variable, "variable", "the variable choice"},
      {Setting::VariableList, "variables", "list of variables"},
      {Setting::TimeAxis, "time_axis", "time axis"},
      {Setting::AxisIndex, "index", "axis index"},
      {Setting::TimeRange, "times", "time range"},
      {Setting::ImportLevels, "import_levels", "levels"},
      {Setting::MaskMode, "mask_mode", "mask mode"},
      {Setting::NanAsFill, "nan_as_fill", "NaN as fill"},
      {Setting::DropEmptySnapshots, "drop_empty_snapshots", "leaving out empty snapshots"},
      {Setting::RangeTolerance, "range_tolerance", "range tolerance"},
  };
  return table;
}

std::string toString(StopReason r)
{
  return token(r);
}

StopReason stopReasonFromString(const std::string& s)
{
  if (const auto r = fromToken<StopReason>(s))
  {
    return *r;
  }
  throw InputError("unknown stop reason '" + s + "' (known: " + tokenList<StopReason>() + ")");
}

StageOp stageOpFromString(const std::string& s)
{
  if (const auto op = fromToken<StageOp>(s))
  {
    return *op;
  }
  throw InputError("unknown stage operation '" + s + "' (known: " + tokenList<StageOp>() + ")");
}

} // namespace mrcae
