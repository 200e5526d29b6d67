#pragma once
// Declaring the command line's options with CLI11, each once: name, help text, type, range check and default.
// The options of settings take their names from SettingOptions.h and their ranges from the model (the rule
// TrainingConfig::validate applies), so a value out of range is refused as it is parsed, in the model's words.
// Numbers are read the C way in every locale (NumberText.h). Every refusal is an InputError: one line, exit 2.

#include "mrcae/model/Names.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mrcae::cli
{

/// The option of a numeric setting: a number in the setting's range.
CLI::Option* addSettingNumber(CLI::App& app, Setting setting, std::optional<double>& target, const std::string& help);
/// The option of a whole-number setting.
CLI::Option* addSettingInt(CLI::App& app, Setting setting, std::optional<int>& target, const std::string& help);
/// The option of a setting given as text; `check` (the model's reader of it) refuses a bad value as it is parsed.
CLI::Option* addSettingText(CLI::App& app, Setting setting, std::optional<std::string>& target, const std::string& help,
                            std::function<void(const std::string&)> check = {});

/// A whole-number option that is no training setting: at least `min` (and at most `max`), `target` the default.
CLI::Option* addInt(CLI::App& app, const std::string& names, int& target, const std::string& help, int min,
                    int max = 2000000000);

/// "0.001" as a number; an InputError names the option ("--lr expects a number, not 'fast'").
double parseNumber(const std::string& text, const std::string& option);
int parseInt(const std::string& text, const std::string& option);
/// "200,150,60".
std::vector<int> parseIntList(const std::string& text, const std::string& option);
std::vector<double> parseNumberList(const std::string& text, const std::string& option);
/// "1,2,3,4;1,2,3,4;1,3,5,7": one list per level.
std::vector<std::vector<int>> parseArchs(const std::string& text, const std::string& option);
/// "1200x900" within [min, max] pixels per side.
std::pair<int, int> parsePixelSize(const std::string& text, const std::string& option, int min, int max);

/// A CLI11 parse error as one line (without "mrcae: error: "), with where to look ("see mrcae train --help").
std::string parseErrorLine(const CLI::ParseError& error, const CLI::App& app, const std::vector<std::string>& args);

} // namespace mrcae::cli
