#pragma once
// The options that several commands share, declared once: the training settings (a preset, then overrides:
// train, benchmark) and the data options (--field, --mask, --snapshots, --crop, --pad: train, benchmark, eval,
// resume, export). Each command adds them to its subcommand and reads the result here.

#include "mrcae/model/Dataset.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/TrainingConfig.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mrcae::cli
{

struct TrainingOptions
{
  std::optional<std::string> preset, variant, activation, device, selectOn, landMask;
  std::optional<std::string> configFile; ///< --config: every setting from a JSON file instead of a preset
  std::optional<int> levels, batch, threads;
  std::optional<double> lr, adamEps, weightDecay, w, initStd, seed, trainFraction, valFraction, slowConvergence,
      memoryLimit;
  std::optional<std::vector<std::vector<int>>> archs;
  std::optional<std::vector<double>> tols;
  std::optional<std::vector<int>> steps;
  bool randomDeepenInit = false;

  /// The preset (or the --config file), then every option given on top of it; validated, and the device checked before any data is read.
  TrainingConfig config() const;
};

struct DataOptions
{
  std::string field;
  std::string mask;
  int snapshots = 0; ///< the first N only; 0 = all
  bool crop = false;
  std::optional<std::string> pad;

  SizePolicy sizePolicy() const;
  /// Reads `path` (the first `maxSnapshots`, 0 = all) and brings it to c·2^L − 1 for `levels` when --crop or
  /// --pad asks (a note on stderr says so).
  Dataset load(const std::string& path, int levels, int maxSnapshots) const;
  /// The dataset of a saved model: the first N snapshots when they are its data (same content hash), else the
  /// whole file, so that data of another size are reported rather than silently cut.
  Dataset loadForModel(const std::string& path, const ModelSummary& model) const;
};

void addTrainingOptions(CLI::App& command, TrainingOptions& options);
/// `withSnapshots`: the command reads the first N snapshots (--snapshots N); export uses --snapshots otherwise.
void addDataOptions(CLI::App& command, DataOptions& options, bool withSnapshots = true);
/// Only --crop and --pad (commands that read their data through a model's own rules).
void addSizeOptions(CLI::App& command, DataOptions& options);
/// --field and --mask.
void addFieldOptions(CLI::App& command, DataOptions& options);

} // namespace mrcae::cli
