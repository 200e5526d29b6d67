#pragma once
// The command line's option for each setting, written once: the option declarations (TrainingOptions.cpp and
// the commands) take their names from here, and so does the phrasing of errors (ErrorText.cpp).

#include "mrcae/model/Names.h"

#include <optional>
#include <string>

namespace mrcae::cli
{

/// "--steps" for Setting::Steps; nothing for a setting that has no option.
std::optional<std::string> optionName(Setting setting);

} // namespace mrcae::cli
