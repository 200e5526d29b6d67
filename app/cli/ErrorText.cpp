#include "ErrorText.h"

#include "SettingOptions.h"

namespace mrcae::cli
{

std::string settingText(const SettingText& text)
{
  return text.str(optionName);
}

std::string errorText(const InputError& error)
{
  std::string line = error.phrased(optionName);
  // "unknown best-state selection 'best': ..." comes from the model's reader of the value, which does not know
  // the option: name it, so that the line says which of the options given is wrong.
  const std::optional<std::string> option = error.setting() ? optionName(*error.setting()) : std::nullopt;
  if (error.problem() == Problem::UnknownChoice && option && option->rfind("--", 0) == 0 &&
      option->find(' ') == std::string::npos && error.message().settings().empty())
  {
    line = *option + ": " + line;
  }
  // One line: a reason from a library may carry its own line breaks.
  for (char& c : line)
  {
    if (c == '\n' || c == '\r')
    {
      c = ' ';
    }
  }
  return line;
}

} // namespace mrcae::cli
