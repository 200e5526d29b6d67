#pragma once
// The `mrcae` subcommands. Each takes the words after its name and returns the exit code; bad input throws
// mrcae::InputError (exit code 2 in main).

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

/// The usage text of `mrcae --help`.
std::string usage();

} // namespace mrcae::cli
