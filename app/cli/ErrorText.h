#pragma once
// How the command line says a typed error: the sentence with its options for the settings (--steps, not
// "Steps"), one line for stderr.

#include "mrcae/model/InputError.h"

#include <string>

namespace mrcae::cli
{

std::string errorText(const InputError& error);
/// A sentence that names settings, as the command line says it (notes on stderr).
std::string settingText(const SettingText& text);

} // namespace mrcae::cli
