#pragma once
// `mrcae import`: NetCDF variables and HDF5 datasets of any layout into our HDF5 dataset layout, and
// `mrcae import FILE --list` to see what a file holds. Bad input throws mrcae::InputError (exit code 2).

#include <string>
#include <vector>

namespace mrcae::cli
{

int importCommand(const std::vector<std::string>& args);
/// The lines of `mrcae --help` that describe import.
std::string importUsage();

} // namespace mrcae::cli
