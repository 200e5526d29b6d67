#pragma once
// Reading and writing datasets: our HDF5 layout (DESIGN.md §4) and .npy stacks with optional land masks.

#include "mrcae/model/Dataset.h"

#include <string>
#include <vector>

namespace mrcae
{

struct ReadOptions
{
  std::string field;    ///< HDF5: which /fields/<name> (empty = the only or first one)
  std::string maskPath; ///< .npy: land mask with the paper's convention, 1 = land / invalid
  int maxSnapshots = 0; ///< keep only the first N snapshots (0 = all)
};

/// Reads .h5/.hdf5 (our layout) or .npy; throws InputError with a one-line reason.
Dataset readDataset(const std::string& path, const ReadOptions& options = {});
/// Writes our HDF5 layout (atomically: temporary file, then rename). Throws InputError without HDF5 support.
void writeDataset(const Dataset& dataset, const std::string& path);
/// The names under /fields of one of our HDF5 files.
std::vector<std::string> listFields(const std::string& path);
bool hdf5Available();

} // namespace mrcae
