#pragma once
// The `mrcae` subcommands. Each takes the words after its name and returns the exit code; bad input throws
// mrcae::InputError (exit code 2 in main).

#include "mrcae/model/Dataset.h"
#include "mrcae/model/ModelSummary.h"

#include <atomic>
#include <string>
#include <vector>

namespace mrcae
{
struct StopToken;
}

namespace mrcae::cli
{

using Args = std::vector<std::string>;

int generateCommand(const Args& args);
int infoCommand(const Args& args);
int trainCommand(const Args& args, StopToken& stop);
int evalCommand(const Args& args);
int resumeCommand(const Args& args, StopToken& stop);
int benchCommand(const Args& args, StopToken& stop);
int benchmarkCommand(const Args& args, StopToken& stop);
int exportCommand(const Args& args);

class CommandLine;

/// --crop / --pad: how a size that is not c·2^L − 1 is conformed.
SizePolicy sizePolicyOf(const CommandLine& cl);
/// Reads the dataset (at most `maxSnapshots`, 0 = all; --field, --mask) and conforms it (--crop, --pad).
Dataset loadData(const std::string& path, const CommandLine& cl, int levels, int maxSnapshots);
/// The dataset of a saved model: its first N snapshots when they are its data, else the whole file.
Dataset loadDataForModel(const std::string& path, const CommandLine& cl, const ModelSummary& s);

/// The usage text of `mrcae --help`.
std::string usage();

} // namespace mrcae::cli
