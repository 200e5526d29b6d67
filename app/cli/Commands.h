#pragma once
// The `mrcae` subcommands. Each add function declares its subcommands and their options on the CLI11 app, once
// (help text, type, range and default included), and when one of them is chosen sets `action` to what runs it
// after parsing. Bad input throws mrcae::InputError (exit code 2 in main).

#include <CLI/CLI.hpp>

#include <functional>

namespace mrcae
{
struct StopToken;
}

namespace mrcae::cli
{

/// What the command line asks for, run once the whole line is parsed; returns the exit code.
using Action = std::function<int()>;

void addDataCommands(CLI::App& app, Action& action);                      // generate, info (DataCommands.cpp)
void addTrainCommands(CLI::App& app, Action& action, StopToken& stop);    // train, resume (TrainCommands.cpp)
void addModelCommands(CLI::App& app, Action& action);                     // eval, export (ModelCommands.cpp)
void addBenchCommand(CLI::App& app, Action& action, StopToken& stop);     // bench (BenchCommands.cpp)
void addBenchmarkCommand(CLI::App& app, Action& action, StopToken& stop); // benchmark (BenchmarkCommand.cpp)

} // namespace mrcae::cli
