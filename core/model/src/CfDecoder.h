#pragma once
// CF conventions for packed and missing data (CF 1.x §8.1, NetCDF User Guide "Attribute Conventions"):
// which raw values are "no data", and how packed integers unpack to physical values. Private to core.
// The same attributes are honoured on NetCDF variables and on HDF5 datasets that carry them.

#include <limits>
#include <string>
#include <vector>

namespace mrcae
{

class CfDecoder
{
public:
  double scale = 1.0;        ///< scale_factor
  double offset = 0.0;       ///< add_offset
  bool packed = false;       ///< scale_factor or add_offset present
  std::vector<double> fills; ///< raw values meaning "no data": _FillValue, missing_value (in the raw type)
  bool nanIsFill = false;    ///< a NaN _FillValue / missing_value, or the user asked for it
  double validMin = -std::numeric_limits<double>::infinity();
  double validMax = std::numeric_limits<double>::infinity();
  bool validRangeIsPacked = true; ///< CF: valid_* of the variable's own type compare with raw values

  /// True when `raw` (as stored in the file) is a fill, a missing value or outside the valid range.
  bool isFill(double raw) const;
  /// Physical value of a raw value: raw * scale_factor + add_offset.
  double unpack(double raw) const { return packed ? raw * scale + offset : raw; }
  /// "_FillValue -9999, scale_factor 0.01" — for messages and the import report; empty when nothing applies.
  std::string describe() const;
  bool hasValidRange() const
  {
    return validMin > -std::numeric_limits<double>::infinity() || validMax < std::numeric_limits<double>::infinity();
  }
};

} // namespace mrcae
