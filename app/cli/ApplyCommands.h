#pragma once
// A saved model applied to a dataset (issue 16): `mrcae encode`, `mrcae decode` and the per-snapshot errors of
// `mrcae eval --per-snapshot`.

#include "Commands.h"
#include "TrainingOptions.h"

#include <optional>
#include <string>

namespace mrcae::cli
{

/// A model and the data (or codes) it is applied to, and how: eval, encode, decode.
struct ModelDataArgs
{
  std::string model, data, output;
  std::string snapshots; ///< all, A:B or a list ("" = all)
  std::string levels;    ///< all, top or a list ("" = all)
  std::optional<double> rangeTolerance;
  std::optional<std::string> device;
  std::optional<int> threads;
  DataOptions dataOptions;
  bool json = false;
  bool perSnapshot = false;
};

/// MODEL and DATA (`forData`; else CODES), --json, --device, --threads and, for data, how they are read.
void addModelDataOptions(CLI::App& command, ModelDataArgs& args, bool forData);
void addApplyCommands(CLI::App& app, Action& action);
/// `mrcae eval MODEL DATA --per-snapshot`: every selected snapshot's errors at every trained level, as CSV
/// (stdout or -o FILE.csv) or JSON (--json or -o FILE.json).
int perSnapshotEval(const ModelDataArgs& args);

} // namespace mrcae::cli
