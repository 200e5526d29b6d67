#include "CfDecoder.h"

#include <algorithm>
#include <cmath>
#include <locale>
#include <sstream>

namespace mrcae
{

bool CfDecoder::isFill(double raw) const
{
  if (std::isnan(raw))
  {
    return nanIsFill;
  }
  for (double f : fills)
  {
    if (raw == f)
    {
      return true;
    }
  }
  if (hasValidRange())
  {
    const double v = validRangeIsPacked ? raw : unpack(raw);
    return v < validMin || v > validMax;
  }
  return false;
}

std::string CfDecoder::describe() const
{
  std::ostringstream s;
  s.imbue(std::locale::classic()); // '.' decimals even where a program made another C++ locale global
  s.precision(7);                  // enough for float32 fill values, which most files use
  auto sep = [&] {
    if (s.tellp() > 0)
    {
      s << ", ";
    }
  };
  if (!fills.empty())
  {
    s << "fill";
    for (size_t i = 0; i < fills.size(); ++i)
    {
      // _FillValue and missing_value are often the same value: show it once.
      if (std::find(fills.begin(), fills.begin() + i, fills[i]) == fills.begin() + i)
      {
        s << (i ? "/" : " ") << fills[i];
      }
    }
  }
  if (nanIsFill)
  {
    sep();
    s << "NaN as fill";
  }
  if (hasValidRange())
  {
    sep();
    s << "valid range [" << validMin << ", " << validMax << "]" << (validRangeIsPacked && packed ? " (packed)" : "");
  }
  if (packed)
  {
    sep();
    s << "scale_factor " << scale << ", add_offset " << offset;
  }
  return s.str();
}

} // namespace mrcae
