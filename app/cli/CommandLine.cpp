#include "CommandLine.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/NumberText.h"

#include <cmath>
#include <sstream>

namespace mrcae::cli
{

CommandLine::CommandLine(std::vector<std::string> args, std::set<std::string> flags, std::set<std::string> options)
{
  for (size_t i = 0; i < args.size(); ++i)
  {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-' &&
        !(a.size() > 1 && (std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.')))
    {
      std::string name = a;
      std::string inlineValue;
      bool hasInline = false;
      if (auto eq = a.find('='); eq != std::string::npos)
      {
        name = a.substr(0, eq);
        inlineValue = a.substr(eq + 1);
        hasInline = true;
      }
      if (flags.count(name))
      {
        flags_.insert(name);
        continue;
      }
      if (!options.count(name))
      {
        throw InputError("unknown option " + name + " (see mrcae --help)");
      }
      if (hasInline)
      {
        values_[name] = inlineValue;
      }
      else if (i + 1 < args.size())
      {
        values_[name] = args[++i];
      }
      else
      {
        throw InputError("option " + name + " needs a value");
      }
    }
    else
    {
      positionals_.push_back(a);
    }
  }
}

std::string CommandLine::positional(size_t n, const std::string& what) const
{
  if (n >= positionals_.size())
  {
    throw InputError("missing " + what + " (see mrcae --help)");
  }
  return positionals_[n];
}

std::optional<std::string> CommandLine::value(const std::string& name) const
{
  auto it = values_.find(name);
  if (it == values_.end())
  {
    return std::nullopt;
  }
  return it->second;
}

namespace
{

/// The C syntax in every locale: "0.001" is read, "0,001" refused (strtod would follow the process locale).
double toDouble(const std::string& text, const std::string& option)
{
  const std::optional<double> v = number::parse(text);
  if (!v)
  {
    throw InputError("option " + option + " expects a number, not '" + text + "': " + number::whyNotANumber(text));
  }
  return *v;
}

int toInt(const std::string& text, const std::string& option)
{
  double v = toDouble(text, option);
  if (v != std::floor(v) || std::fabs(v) > 2e9)
  {
    throw InputError("option " + option + " expects a whole number, not '" + text + "'");
  }
  return static_cast<int>(v);
}

std::vector<std::string> splitOn(const std::string& text, char sep)
{
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, sep))
  {
    out.push_back(item);
  }
  return out;
}

} // namespace

int CommandLine::intValue(const std::string& name, int fallback) const
{
  auto v = value(name);
  return v ? toInt(*v, name) : fallback;
}

double CommandLine::doubleValue(const std::string& name, double fallback) const
{
  auto v = value(name);
  return v ? toDouble(*v, name) : fallback;
}

std::vector<int> parseIntList(const std::string& text, const std::string& option)
{
  std::vector<int> out;
  for (const auto& s : splitOn(text, ','))
  {
    out.push_back(toInt(s, option));
  }
  if (out.empty())
  {
    throw InputError("option " + option + " needs at least one value");
  }
  return out;
}

std::vector<double> parseDoubleList(const std::string& text, const std::string& option)
{
  std::vector<double> out;
  for (const auto& s : splitOn(text, ','))
  {
    out.push_back(toDouble(s, option));
  }
  return out;
}

std::vector<std::vector<int>> parseArchs(const std::string& text)
{
  std::vector<std::vector<int>> out;
  for (const auto& level : splitOn(text, ';'))
  {
    out.push_back(parseIntList(level, "--archs"));
  }
  return out;
}

} // namespace mrcae::cli
