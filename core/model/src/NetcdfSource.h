#pragma once
// A NetCDF variable (classic, 64-bit offset, CDF5 or NetCDF-4, groups included) behind ArraySource.
// Private to core; NetCDF builds only (MRCAE_WITH_NETCDF).

#include "ArraySource.h"

#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

class NetcdfSource : public ArraySource
{
public:
  /// Every variable of the file, groups included ("grp1/T"). Throws InputError when the file does not open.
  static std::vector<ArrayInfo> list(const std::string& path);
  /// Opens one variable by name (or "group/name"); unknown names and non-numeric types throw InputError.
  static std::unique_ptr<NetcdfSource> open(const std::string& path, const std::string& variable);
  /// True when the NetCDF library opens `path` as a NetCDF-4 file with named dimensions (not a plain HDF5 file,
  /// which it would show with made-up "phony_dim_N" dimensions).
  static bool opensAsNetcdf4(const std::string& path);

  ~NetcdfSource() override;
  NetcdfSource(const NetcdfSource&) = delete;
  NetcdfSource& operator=(const NetcdfSource&) = delete;

  const ArrayInfo& info() const override { return info_; }
  CfDecoder decoder() const override;
  void read(const std::vector<long long>& start, const std::vector<long long>& count, double* out) override;
  std::vector<double> coordinate(int axis) override;
  std::string format() const override;

private:
  NetcdfSource(std::string path, int ncid) : path_(std::move(path)), ncid_(ncid) {}

  std::string path_;
  int ncid_ = -1;  ///< the file
  int group_ = -1; ///< the variable's group
  int varid_ = -1;
  int type_ = 0;          ///< nc_type
  bool unsigned_ = false; ///< classic files mark unsigned bytes/shorts with _Unsigned = "true"
  ArrayInfo info_;
};

} // namespace mrcae
