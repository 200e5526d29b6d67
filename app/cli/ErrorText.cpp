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
