#pragma once
// A small argument parser for `mrcae <command> [positionals] [--options]`. Unknown options are errors.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mrcae::cli
{

class CommandLine
{
public:
  /// `args` are the words after the command. `flags` take no value; every other --option takes one.
  CommandLine(std::vector<std::string> args, std::set<std::string> flags, std::set<std::string> options);

  const std::vector<std::string>& positionals() const { return positionals_; }
  /// The n-th positional, or an InputError naming `what` when it is missing.
  std::string positional(size_t n, const std::string& what) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  int intValue(const std::string& name, int fallback) const;
  double doubleValue(const std::string& name, double fallback) const;

private:
  std::vector<std::string> positionals_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
};

/// "200,150,60" -> {200,150,60}; throws InputError naming the option on bad numbers.
std::vector<int> parseIntList(const std::string& text, const std::string& option);
std::vector<double> parseDoubleList(const std::string& text, const std::string& option);
/// "1,2,3,4;1,2,3,4;1,3,5,7" -> one list per level.
std::vector<std::vector<int>> parseArchs(const std::string& text);

} // namespace mrcae::cli
