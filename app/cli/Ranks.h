#pragma once
// Training over several processes from the command line (issue 15, docs/distributed.md): the options of train
// and resume for it, the group from the environment (torchrun, Slurm), `--ranks N` that starts N local ranks, and
// the data a rank trains on (loaded, or streamed from the file when it does not fit the memory budget).

#include "TrainingOptions.h"

#include "mrcae/engine/RankGroup.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/ModelSummary.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mrcae::cli
{

/// --ranks, --rank-timeout, --backend and --stream (train, resume).
struct RankOptions
{
  int ranks = 1;
  double rankTimeout = 60;
  std::string backend = "auto";
  bool stream = false;
};

void addRankOptions(CLI::App& command, RankOptions& options);

/// True when this process was started by `--ranks N` (it leaves the report of a lost rank to the launcher).
bool launchedRank();

/// Whether `--ranks N` asks this process to start the ranks (N > 1, and the environment names no group yet).
bool startsLocalRanks(const RankOptions& options);

/// The group of this process from the environment, joined; null when the environment names none (or a group of
/// one).
std::shared_ptr<RankGroup> joinGroup(const RankOptions& options);

/// `mrcae COMMAND ... --ranks N`: starts N ranks on this machine running this process's command line without
/// --ranks, passes rank 0's output through, and reports a rank that died in one line. `output`: the model file
/// rank 0 saves (named in the report). Returns the exit code.
int launchLocalRanks(const RankOptions& options, const std::string& output);

/// The path of this program (what local ranks and `bench --ranks` start); throws InputError when unknown.
std::string thisProgram();

/// The words of `args` without `--ranks N` (or `--ranks=N`).
std::vector<std::string> withoutRanks(const std::vector<std::string>& args);

/// The trainer of `mrcae train`: the dataset loaded (DataOptions::load), or read from the file as training goes
/// (--stream, or an HDF5 dataset whose run would not fit the memory budget). `rank0` prints the notes.
Trainer makeTrainer(const std::string& dataPath, const DataOptions& data, const RankOptions& ranks, bool quiet,
                    const TrainingConfig& config, std::shared_ptr<RankGroup> group, bool rank0);

/// The same for `mrcae resume`: the model's dataset (the model's first N snapshots when they are its data),
/// streamed when it does not fit. `device` ("" = the saved one) and `threads` (0 = the saved count) as
/// Trainer::fromModelFile.
Trainer resumeTrainer(const std::string& modelPath, const std::string& dataPath, const DataOptions& data,
                      const RankOptions& ranks, bool quiet, const std::string& device, int threads,
                      const ModelSummary& summary, std::shared_ptr<RankGroup> group, bool rank0);

} // namespace mrcae::cli
