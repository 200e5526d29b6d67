#include "Options.h"

#include "SettingOptions.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/NumberText.h"
#include "mrcae/model/TrainingConfig.h"

#include <cmath>
#include <sstream>

namespace mrcae::cli
{

namespace
{

std::vector<std::string> splitOn(const std::string& text, char sep)
{
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, sep);)
  {
    out.push_back(item);
  }
  return out;
}

std::string nameOf(Setting setting)
{
  return optionName(setting).value_or("--" + token(setting));
}

/// The selected subcommand, or the app itself.
const CLI::App& selected(const CLI::App& app)
{
  const auto subs = app.get_subcommands();
  return subs.empty() ? app : *subs.front();
}

std::string seeHelp(const CLI::App& app)
{
  const CLI::App& sub = selected(app);
  return " (see mrcae" + (&sub == &app ? std::string() : " " + sub.get_name()) + " --help)";
}

/// `help` with `range` in its closing parenthesis, or in one of its own: "intra-op threads (0: all cores; 0 to
/// 256)", "Adam's learning rate (> 0)".
std::string withRange(const std::string& help, const std::string& range)
{
  if (!help.empty() && help.back() == ')')
  {
    return help.substr(0, help.size() - 1) + "; " + range + ")";
  }
  return help + " (" + range + ")";
}

/// `help` with the setting's range, from the rule the model applies.
std::string withRange(Setting setting, const std::string& help)
{
  const std::optional<SettingRange> r = settingRange(setting);
  if (!r)
  {
    return help;
  }
  const std::string min = number::shortest(r->min);
  if (std::isfinite(r->max))
  {
    return withRange(help, (r->minExclusive ? "> " + min + ", <= " : min + " to ") + number::shortest(r->max));
  }
  return withRange(help, (r->minExclusive ? "> " : ">= ") + min);
}

} // namespace

double parseNumber(const std::string& text, const std::string& option)
{
  const std::optional<double> v = number::parse(text);
  if (!v)
  {
    throw InputError("option " + option + " expects a number, not '" + text + "': " + number::whyNotANumber(text));
  }
  return *v;
}

int parseInt(const std::string& text, const std::string& option)
{
  const double v = parseNumber(text, option);
  if (v != std::floor(v) || std::fabs(v) > 2e9)
  {
    throw InputError("option " + option + " expects a whole number, not '" + text + "'");
  }
  return static_cast<int>(v);
}

std::vector<int> parseIntList(const std::string& text, const std::string& option)
{
  std::vector<int> out;
  for (const auto& s : splitOn(text, ','))
  {
    out.push_back(parseInt(s, option));
  }
  if (out.empty())
  {
    throw InputError("option " + option + " needs at least one value");
  }
  return out;
}

std::vector<double> parseNumberList(const std::string& text, const std::string& option)
{
  std::vector<double> out;
  for (const auto& s : splitOn(text, ','))
  {
    out.push_back(parseNumber(s, option));
  }
  return out;
}

std::vector<std::vector<int>> parseArchs(const std::string& text, const std::string& option)
{
  std::vector<std::vector<int>> out;
  for (const auto& level : splitOn(text, ';'))
  {
    out.push_back(parseIntList(level, option));
  }
  return out;
}

std::pair<int, int> parsePixelSize(const std::string& text, const std::string& option, int min, int max)
{
  const auto x = text.find('x');
  const auto w = x == std::string::npos ? std::nullopt : number::parse(text.substr(0, x));
  const auto h = x == std::string::npos ? std::nullopt : number::parse(text.substr(x + 1));
  if (!w || !h || *w != std::floor(*w) || *h != std::floor(*h) || *w < min || *h < min || *w > max || *h > max)
  {
    throw InputError(option + " expects WIDTHxHEIGHT in pixels, " + std::to_string(min) + " to " + std::to_string(max) +
                     " each (e.g. 1200x900)");
  }
  return {static_cast<int>(*w), static_cast<int>(*h)};
}

CLI::Option* addSettingNumber(CLI::App& app, Setting setting, std::optional<double>& target, const std::string& help)
{
  const std::string name = nameOf(setting);
  return app
      .add_option_function<std::string>(
          name,
          [&target, setting, name](const std::string& text) {
            target = parseNumber(text, name);
            checkRange(setting, *target);
          },
          withRange(setting, help))
      ->type_name("X");
}

CLI::Option* addSettingInt(CLI::App& app, Setting setting, std::optional<int>& target, const std::string& help)
{
  const std::string name = nameOf(setting);
  return app
      .add_option_function<std::string>(
          name,
          [&target, setting, name](const std::string& text) {
            target = parseInt(text, name);
            checkRange(setting, *target);
          },
          withRange(setting, help))
      ->type_name("N");
}

CLI::Option* addSettingText(CLI::App& app, Setting setting, std::optional<std::string>& target, const std::string& help,
                            std::function<void(const std::string&)> check)
{
  return app
      .add_option_function<std::string>(
          nameOf(setting),
          [&target, check](const std::string& text) {
            if (check)
            {
              check(text);
            }
            target = text;
          },
          help)
      ->type_name("TEXT");
}

CLI::Option* addInt(CLI::App& app, const std::string& names, int& target, const std::string& help, int min, int max)
{
  const std::string name = names.substr(names.rfind(',') + 1);
  return app
      .add_option_function<std::string>(
          names,
          [&target, name, min, max](const std::string& text) {
            const int v = parseInt(text, name);
            if (v < min || v > max)
            {
              throw InputError(name + " must be " +
                               (max < 2000000000 ? "between " + std::to_string(min) + " and " + std::to_string(max)
                                                 : "at least " + std::to_string(min)) +
                               " (got " + std::to_string(v) + ")");
            }
            target = v;
          },
          help)
      ->type_name("N")
      ->description(withRange(help, max < 2000000000 ? std::to_string(min) + " to " + std::to_string(max)
                                                     : ">= " + std::to_string(min)))
      ->default_str(std::to_string(target));
}

std::string parseErrorLine(const CLI::ParseError& error, const CLI::App& app, const std::vector<std::string>& args)
{
  const std::string what = error.what();
  if (app.get_subcommands().empty() && !args.empty())
  {
    const std::string& word = args.front();
    return (word.rfind("-", 0) == 0 ? "unknown option " + word.substr(0, word.find('='))
                                    : "unknown command '" + word + "'") +
           seeHelp(app);
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error))
  {
    // "The following arguments were not expected: 1 --nope": name the option, or the word.
    std::string word;
    for (const std::string& w : splitOn(what.substr(what.find(':') + 1), ' '))
    {
      if (!w.empty() && (word.empty() || (w[0] == '-' && word[0] != '-')))
      {
        word = w;
      }
    }
    return (word.rfind("-", 0) == 0 ? "unknown option " + word : "unexpected argument '" + word + "'") + seeHelp(app);
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error))
  {
    // A positional that is missing: say what it is ("missing the dataset file").
    for (const CLI::Option* o : selected(app).get_options())
    {
      if (o->get_positional() && o->get_required() && o->count() == 0)
      {
        return "missing " + o->get_description() + seeHelp(app);
      }
    }
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error))
  {
    // "--seed: 1 required S missing"
    return "option " + what.substr(0, what.find(':')) + " needs a value" + seeHelp(app);
  }
  std::string line = what + seeHelp(app);
  for (char& c : line)
  {
    c = c == '\n' ? ' ' : c;
  }
  return line;
}

} // namespace mrcae::cli
