// mrcae: the command-line tool. Same engine as the desktop application, no GUI.

#include "ApplyCommands.h"
#include "Commands.h"
#include "ErrorText.h"
#include "HelpFormatter.h"
#include "ImportCommand.h"
#include "Options.h"

#include "Ranks.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/RankError.h"
#include "mrcae/model/TrainingTypes.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <malloc.h>
#include <memory>
#include <unistd.h>

namespace
{

mrcae::StopToken gStop;

/// First Ctrl-C: finish the step, keep the best state and save. Second: leave at once.
void onInterrupt(int)
{
  if (gStop.stopRequested())
  {
    std::_Exit(130);
  }
  gStop.requestStop();
  const char msg[] = "\nmrcae: stopping after this step (the best state is kept and saved); Ctrl-C again aborts\n";
  ssize_t ignored = ::write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
}

} // namespace

int main(int argc, char** argv)
{
  // Large tensors: keep glibc from mmap/munmap-ing every batch-sized buffer (notes: 1.3–2.2x on big grids).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);

  using namespace mrcae::cli;
  CLI::App app("mrcae — multiresolution convolutional autoencoders (MrCAE), headless", "mrcae");
  app.formatter(std::make_shared<HelpFormatter>());
  app.set_version_flag("--version", std::string("mrcae ") + MRCAE_VERSION);
  app.require_subcommand(1);
  // As the old parser did: an option given twice takes its last value (--index, a list, keeps all of them).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.footer("mrcae COMMAND --help lists a command's options.\n"
             "exit codes: 0 ok, 2 bad input (one-line reason), 1 internal error or divergence, 3 a rank of the group "
             "was lost.\n"
             "Ctrl-C stops after the current step, restores the best state and still saves.");
  Action action;
  addDataCommands(app, action);
  addTrainCommands(app, action, gStop);
  addModelCommands(app, action);
  addApplyCommands(app, action);
  addImportCommand(app, action);
  addBenchmarkCommand(app, action, gStop);
  addBenchCommand(app, action, gStop);
  for (CLI::App* command : app.get_subcommands({}))
  {
    command->group("Commands");
  }

  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args.front() == "help")
  {
    std::printf("%s", app.help().c_str());
    return args.empty() ? 2 : 0;
  }
  try
  {
    try
    {
      app.parse(argc, argv);
    }
    catch (const CLI::CallForHelp&)
    {
      std::printf("%s", app.help().c_str());
      return 0;
    }
    catch (const CLI::CallForVersion&)
    {
      std::printf("mrcae %s\n", MRCAE_VERSION);
      return 0;
    }
    catch (const CLI::ParseError& e)
    {
      std::fprintf(stderr, "mrcae: error: %s\n", parseErrorLine(e, app, args).c_str());
      return 2;
    }
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return action();
  }
  catch (const mrcae::RankError& e)
  {
    // A rank of the group is gone. A rank started by --ranks leaves the report to its launcher (one line).
    if (!mrcae::cli::launchedRank())
    {
      std::fprintf(stderr, "mrcae: error: %s\n", e.what());
    }
    return 3;
  }
  catch (const mrcae::InputError& e)
  {
    std::fprintf(stderr, "mrcae: error: %s\n", errorText(e).c_str());
    return 2;
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "mrcae: internal error: %s\n", e.what());
    return 1;
  }
}
