#pragma once
// Training over several processes from the command line (issue 15, docs/distributed.md): the group from the
// environment (torchrun, Slurm), `--ranks N` that starts N local ranks, and the data a rank trains on (loaded, or
// streamed from the file when it does not fit the memory budget).

#include "CommandLine.h"
#include "Commands.h"

#include "mrcae/engine/RankGroup.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/ModelSummary.h"

#include <memory>
#include <string>
#include <vector>

namespace mrcae::cli
{

/// True when this process was started by `--ranks N` (it leaves the report of a lost rank to the launcher).
bool launchedRank();

/// The group of this process from the environment, joined; null when the environment names none (or a group of
/// one). `--rank-timeout` and `--backend` come from `cl`.
std::shared_ptr<RankGroup> joinGroup(const CommandLine& cl);

/// `mrcae COMMAND ... --ranks N`: starts N ranks on this machine running the same command (without --ranks),
/// passes rank 0's output through, and reports a rank that died in one line. `output`: the model file rank 0
/// saves (named in the report). Returns the exit code.
int launchLocalRanks(const std::string& command, const Args& args, int ranks, const std::string& output);

/// The words of `args` without `--ranks N`.
Args withoutRanks(const Args& args);

/// The trainer of `mrcae train`: the dataset loaded (as loadData), or read from the file as training goes
/// (--stream, or an HDF5 dataset whose run would not fit the memory budget). `rank0` prints the notes.
Trainer makeTrainer(const std::string& dataPath, const CommandLine& cl, const TrainingConfig& config,
                    std::shared_ptr<RankGroup> group, bool rank0);

/// The same for `mrcae resume`: the model's dataset (the model's first N snapshots when they are its data),
/// streamed when it does not fit.
Trainer resumeTrainer(const std::string& modelPath, const std::string& dataPath, const CommandLine& cl,
                      const ModelSummary& summary, std::shared_ptr<RankGroup> group, bool rank0);

} // namespace mrcae::cli
