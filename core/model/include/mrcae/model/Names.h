#pragma once
// The names of the model's enumerations and file keys, each written once: the token that files, tables and the
// command line use, and the name people read. The engine, the widgets and both front ends take them from here.
// A new stop reason, method or stage operation is one enumerator and one row of its table (Names.cpp).

#include <optional>
#include <string>
#include <vector>

namespace mrcae
{

/// Why a stage ended.
enum class StopReason
{
  MaxSteps,     ///< ran the whole budget
  Tolerance,    ///< "satisfying reconstruction": max of the averaged pixel loss <= tol
  SlowProgress, ///< relative improvement of the global train loss below the threshold
  UserStop,     ///< Stop pressed / Ctrl-C: the step finished and the best state was restored
  Diverged      ///< a loss became NaN or Inf: the best state was restored and the run ended
};

/// What a stage changed in the network.
enum class StageOp
{
  Deepen, ///< a new level with one channel
  Widen,  ///< a new group of channels at the current level
  RedNet  ///< a RED-Net stage: a fresh network of the stage's size (SPEC §7.2)
};

/// The methods a benchmark compares (SPEC §7.1), in the order they run and are listed.
enum class Method
{
  MrcaePr,     ///< MrCAE with refinement maps, linear (the paper's method)
  MrcaeRelu,   ///< MrCAE without maps, ReLU after each widened encoder
  RedNet,      ///< RED-Net, linear, on the architecture MrCAE (PR) reached
  RedNetRelu,  ///< RED-Net with ReLU
  Pod,         ///< POD (truncated SVD of the training snapshots) with as many modes as MrCAE (PR) has code values
  ZfpAccuracy, ///< ZFP in fixed-accuracy mode, at the bytes per snapshot of MrCAE (PR)'s codes
  ZfpRate      ///< ZFP in fixed-rate mode, the same
};

/// The columns of a stage record in files (model-file JSON, stages.csv, benchmark.csv), in file order.
enum class StageField
{
  Stage,
  Level,
  Group,
  Op,
  AddedChannels,
  Params,
  Steps,
  BestStep,
  StopReason,
  BestGlobalVal,
  Seconds,
  Unresolved,
  Dilated,
  MapPixels,
  LevelClear,
  EncodingSize,
  CodeValues
};

/// The columns of the per-step curves in files (the model file's /history/curves, curves.csv), in file order.
enum class CurveField
{
  Stage,
  Level,
  Group,
  Step,
  LocalTrain,
  LocalVal,
  GlobalTrain,
  GlobalVal
};

/// A setting a user chooses: training settings (the keys of the training configuration in model files), data
/// and output settings, and the import's. Errors name them by this value; each front end says them its own way
/// (the command line by its options, the application by its controls), the token is the configuration key.
enum class Setting
{
  Preset,
  Levels,
  Archs,
  Tols,
  Steps,
  Batch,
  LearningRate,
  AdamEps,
  WeightDecay,
  W,
  InitStd,
  Activation,
  Seed,
  Threads,
  Device,
  SelectOn,
  LandMask,
  ConstantDeepenInit,
  TrainFraction,
  ValFraction,
  SlowConvergence,
  MemoryLimit,
  Field,        ///< which field of an HDF5 dataset
  MaskFile,     ///< a land-mask array beside the data
  Snapshots,    ///< how many snapshots (the first N) are read
  SizePolicy,   ///< crop or pad to c·2^L − 1
  Methods,      ///< which methods a benchmark compares
  Output,       ///< the file or folder written
  ImportFormat, ///< the import's file format (NetCDF or HDF5)
  Variable,     ///< the variable imported
  VariableList, ///< the list of a file's variables
  TimeAxis,     ///< the axis of time
  AxisIndex,    ///< the index fixed on an axis that is neither time nor the snapshot
  TimeRange,    ///< the snapshots imported
  ImportLevels, ///< the level count the import's crop or pad aims at
  MaskMode,     ///< fill cells that change over time
  NanAsFill,    ///< NaN values are fill
  DropEmptySnapshots,
  RangeTolerance ///< how far beyond a model's range new data may go
};

/// One row of a name table. `brief` is a short form for tight places (plot markers); it is `display` where the
/// table has none.
template <typename E>
struct NameEntry
{
  E value;
  const char* token;   ///< in files, tables and on the command line (lower case, no spaces)
  const char* display; ///< for people, in tables and dialogs
  const char* brief = nullptr;
};

/// Every value of E with its names, in the enumeration's order.
template <typename E>
const std::vector<NameEntry<E>>& nameTable();
template <>
const std::vector<NameEntry<StopReason>>& nameTable<StopReason>();
template <>
const std::vector<NameEntry<StageOp>>& nameTable<StageOp>();
template <>
const std::vector<NameEntry<Method>>& nameTable<Method>();
template <>
const std::vector<NameEntry<StageField>>& nameTable<StageField>();
template <>
const std::vector<NameEntry<CurveField>>& nameTable<CurveField>();
template <>
const std::vector<NameEntry<Setting>>& nameTable<Setting>();

template <typename E>
const NameEntry<E>& nameEntry(E value)
{
  for (const auto& e : nameTable<E>())
  {
    if (e.value == value)
    {
      return e;
    }
  }
  return nameTable<E>().front(); // unreachable: every enumerator has a row (tests/core/test_names.cpp)
}

template <typename E>
std::string token(E value)
{
  return nameEntry(value).token;
}

template <typename E>
std::string displayName(E value)
{
  return nameEntry(value).display;
}

template <typename E>
std::string briefName(E value)
{
  const auto& e = nameEntry(value);
  return e.brief ? e.brief : e.display;
}

/// The value whose token is `text`, or nothing.
template <typename E>
std::optional<E> fromToken(const std::string& text)
{
  for (const auto& e : nameTable<E>())
  {
    if (text == e.token)
    {
      return e.value;
    }
  }
  return std::nullopt;
}

/// Every token of E joined with `separator`: "pr, relu, rednet, rednet-relu".
template <typename E>
std::string tokenList(const std::string& separator = ", ")
{
  std::string out;
  for (const auto& e : nameTable<E>())
  {
    out += (out.empty() ? "" : separator) + std::string(e.token);
  }
  return out;
}

/// Every value of E, in table order.
template <typename E>
std::vector<E> allValues()
{
  std::vector<E> out;
  for (const auto& e : nameTable<E>())
  {
    out.push_back(e.value);
  }
  return out;
}

std::string toString(StopReason r);
/// Throws InputError for an unknown token.
StopReason stopReasonFromString(const std::string& s);
StageOp stageOpFromString(const std::string& s);

/// The CSV header of `columns` ("stage,level,..."), each the table's token.
template <typename E>
std::string csvHeader(const std::vector<E>& columns)
{
  std::string out;
  for (E c : columns)
  {
    out += (out.empty() ? "" : ",") + token(c);
  }
  return out;
}

} // namespace mrcae
