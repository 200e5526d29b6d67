#pragma once
// How the window says a typed error: the sentence with the names of its controls for the settings ("Steps",
// never a command-line option), and what to do, naming where the control is. The one place the application
// phrases InputErrors; ErrorReporter shows the result.

#include "mrcae/model/InputError.h"

#include <QString>

#include <exception>
#include <optional>

namespace mrcae::app
{

struct WindowError
{
  QString what; ///< what went wrong, naming controls
  QString toDo; ///< what the user can do; empty where the caller knows better
};

/// The label of the control that sets `setting`, in quotes ("“Steps”"); nothing where the window has none.
std::optional<QString> controlName(mrcae::Setting setting);
/// Where that control is: "the Training panel", "the Dataset panel", ...
QString controlPlace(mrcae::Setting setting);

WindowError windowError(const mrcae::InputError& error);
/// The sentence of any exception: an InputError phrased with control names, anything else its what().
QString windowText(const std::exception& error);
/// A sentence that names settings (an import's notes).
QString windowText(const mrcae::SettingText& text);

} // namespace mrcae::app
