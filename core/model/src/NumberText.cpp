#include "mrcae/model/NumberText.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace mrcae::number
{

namespace
{

/// std::to_chars into a buffer large enough for any double: %.Nf of 1.8e308 has 309 digits before the point.
template <typename... Format>
std::string toChars(double v, Format... format)
{
  if (std::isnan(v))
  {
    return "nan";
  }
  if (std::isinf(v))
  {
    return v > 0 ? "inf" : "-inf";
  }
  std::string out(512, '\0');
  for (;;)
  {
    const auto r = std::to_chars(out.data(), out.data() + out.size(), v, format...);
    if (r.ec == std::errc())
    {
      out.resize(static_cast<size_t>(r.ptr - out.data()));
      return out;
    }
    out.resize(out.size() * 2); // a very large precision
  }
}

} // namespace

std::string shortest(double v)
{
  return toChars(v);
}

std::string fixed(double v, int decimals)
{
  return toChars(v, std::chars_format::fixed, decimals);
}

std::string general(double v, int significant)
{
  return toChars(v, std::chars_format::general, significant);
}

std::string scientific(double v, int decimals)
{
  return toChars(v, std::chars_format::scientific, decimals);
}

std::optional<double> parse(std::string_view text)
{
  // from_chars takes no leading '+' (strtod does; users type it); it would take "inf" and "nan".
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+')
  {
    text.remove_prefix(1);
  }
  double v = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v, std::chars_format::general);
  if (text.empty() || r.ec != std::errc() || r.ptr != end || !std::isfinite(v))
  {
    return std::nullopt;
  }
  return v;
}

std::string whyNotANumber(std::string_view text)
{
  if (text.empty())
  {
    return "an empty value is not a number";
  }
  if (text.find(',') != std::string_view::npos)
  {
    return "use '.' as the decimal point (0.001, not 0,001)";
  }
  return "write a number such as 0.001, 1e-3 or 42";
}

} // namespace mrcae::number
