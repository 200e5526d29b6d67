#pragma once
// Bad input from the user (a file, a setting, a size): the message is one line that says what is wrong and
// what to do. The CLI turns it into exit code 2; the GUI shows it in a dialog. Anything else is an internal error.

#include <stdexcept>
#include <string>

namespace mrcae
{

class InputError : public std::runtime_error
{
public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

} // namespace mrcae
