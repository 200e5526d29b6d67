#pragma once
// Reading and writing datasets: our HDF5 layout (DESIGN.md §4) and .npy stacks with optional land masks.

#include "mrcae/model/Dataset.h"

#include <functional>
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
/// How a dataset file is stored.
struct WriteOptions
{
  /// Each snapshot's chunk deflated (with shuffle): a smaller file. Uncompressed files are larger but read several
  /// times faster, which is what a training run that streams the file (issue 15) spends its time on.
  bool compress = true;
};

/// Writes our HDF5 layout (atomically: temporary file, then rename). Throws InputError without HDF5 support.
void writeDataset(const Dataset& dataset, const std::string& path, const WriteOptions& options = {});
/// The same, snapshot by snapshot, for data larger than memory: `metadata` holds everything but the values
/// (field.t, h and w set, field.data empty), `snapshot(k, out)` writes snapshot k's h·w values (scaled to [0,1],
/// invalid cells 0) to `out`; it is called for k = 0, 1, ... in order.
void writeDataset(const Dataset& metadata, const std::function<void(int k, float* out)>& snapshot,
                  const std::string& path, const WriteOptions& options = {});
/// The names under /fields of one of our HDF5 files.
std::vector<std::string> listFields(const std::string& path);
bool hdf5Available();

} // namespace mrcae
