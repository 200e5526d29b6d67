#include "SettingOptions.h"

#include <map>

namespace mrcae::cli
{

std::optional<std::string> optionName(Setting setting)
{
  static const std::map<Setting, std::string> options = {
      {Setting::Preset, "--preset"},
      {Setting::Levels, "--levels"},
      {Setting::Archs, "--archs"},
      {Setting::Tols, "--tols"},
      {Setting::Steps, "--steps"},
      {Setting::Batch, "--batch"},
      {Setting::LearningRate, "--lr"},
      {Setting::AdamEps, "--eps"},
      {Setting::WeightDecay, "--weight-decay"},
      {Setting::W, "--w"},
      {Setting::InitStd, "--std"},
      {Setting::Activation, "--activation"},
      {Setting::Seed, "--seed"},
      {Setting::Threads, "--threads"},
      {Setting::Device, "--device"},
      {Setting::SelectOn, "--select-on"},
      {Setting::LandMask, "--land-mask"},
      {Setting::ConstantDeepenInit, "--random-deepen-init"},
      {Setting::TrainFraction, "--train-fraction"},
      {Setting::ValFraction, "--val-fraction"},
      {Setting::SlowConvergence, "--slow-convergence"},
      {Setting::MemoryLimit, "--memory-limit"},
      {Setting::Field, "--field"},
      {Setting::MaskFile, "--mask"},
      {Setting::Snapshots, "--snapshots"},
      {Setting::SizePolicy, "--crop or --pad reflect|periodic"},
      {Setting::Methods, "--methods"},
      {Setting::Output, "-o"},
      {Setting::ImportFormat, "--format"},
      {Setting::Variable, "--var"},
      {Setting::VariableList, "mrcae import FILE --list"},
      {Setting::TimeAxis, "--time-axis"},
      {Setting::AxisIndex, "--index"},
      {Setting::TimeRange, "--times"},
      {Setting::ImportLevels, "--levels"},
      {Setting::MaskMode, "--mask-mode"},
      {Setting::NanAsFill, "--nan-as-fill"},
      {Setting::DropEmptySnapshots, "--drop-empty-snapshots"},
      {Setting::RangeTolerance, "--range-tolerance"},
  };
  const auto it = options.find(setting);
  return it == options.end() ? std::nullopt : std::optional<std::string>(it->second);
}

} // namespace mrcae::cli
