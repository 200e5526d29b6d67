#pragma once
// The layout of `mrcae --help` and `mrcae COMMAND --help`, from the option declarations: usage lines name the
// positionals first ("mrcae train DATA [options]"), and `mrcae --help` lists every command with its usage line
// and what it does.

#include <CLI/CLI.hpp>

#include <string>

namespace mrcae::cli
{

class HelpFormatter : public CLI::Formatter
{
public:
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  /// One option: its name and value on the left, its help wrapped beside it (a positional: its name only).
  std::string make_option(const CLI::Option* opt, bool positional) const override;
  /// CLI11's layout with one blank line between the groups of options (not two).
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;

private:
  /// "DATA [options]" for a command.
  static std::string arguments(const CLI::App* app);
};

} // namespace mrcae::cli
