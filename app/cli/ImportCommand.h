#pragma once
// `mrcae import`: NetCDF variables and HDF5 datasets of any layout into our HDF5 dataset layout, and
// `mrcae import FILE --list` to see what a file holds. Bad input throws mrcae::InputError (exit code 2).

#include "Commands.h"

namespace mrcae::cli
{

void addImportCommand(CLI::App& app, Action& action);

} // namespace mrcae::cli
