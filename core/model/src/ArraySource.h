#pragma once
// One numeric N-D array in a foreign file (a NetCDF variable, an HDF5 dataset), as the importer sees it:
// its description, its CF attributes, and hyperslab reads. Private to core; the file libraries stay behind it.

#include "CfDecoder.h"
#include "mrcae/model/Importer.h"

#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

using ArrayInfo = ImportVariable;

class ArraySource
{
public:
  virtual ~ArraySource() = default;
  virtual const ArrayInfo& info() const = 0;
  /// Fill values, valid range and packing read from the array's attributes.
  virtual CfDecoder decoder() const = 0;
  /// Reads the hyperslab [start, start + count) as doubles, row-major over the axes with count > 1.
  virtual void read(const std::vector<long long>& start, const std::vector<long long>& count, double* out) = 0;
  /// Values of the coordinate of `axis` (NetCDF coordinate variable), empty when there is none.
  virtual std::vector<double> coordinate(int /*axis*/) { return {}; }
  /// "netcdf-classic", "netcdf-4", "hdf5".
  virtual std::string format() const = 0;
};

} // namespace mrcae
