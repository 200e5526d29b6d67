#pragma once
// A dataset of an HDF5 file of any layout behind ArraySource: full paths, shapes, types, and CF attributes
// where a writer left them. Private to core; HDF5 builds only.

#include "ArraySource.h"

#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

class Hdf5Source : public ArraySource
{
public:
  /// Every dataset of the file with its full path ("/group/data"). Throws InputError for unreadable files.
  static std::vector<ArrayInfo> list(const std::string& path);
  /// Opens one dataset by path (the leading "/" is optional); unknown paths and non-numeric types throw.
  static std::unique_ptr<Hdf5Source> open(const std::string& path, const std::string& dataset);
  /// True when the file has /fields/<name> datasets: MrCAE Studio's own layout (read by DatasetIO).
  static bool isOwnLayout(const std::string& path);

  ~Hdf5Source() override;
  Hdf5Source(const Hdf5Source&) = delete;
  Hdf5Source& operator=(const Hdf5Source&) = delete;

  const ArrayInfo& info() const override { return info_; }
  CfDecoder decoder() const override;
  void read(const std::vector<long long>& start, const std::vector<long long>& count, double* out) override;
  std::string format() const override { return "hdf5"; }

private:
  Hdf5Source() = default;
  struct Handles;
  std::unique_ptr<Handles> h_; ///< keeps H5Cpp.h out of this header
  std::string path_;
  ArrayInfo info_;
};

} // namespace mrcae
