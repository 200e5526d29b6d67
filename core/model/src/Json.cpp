#include "mrcae/model/Json.h"

#include "mrcae/model/InputError.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace mrcae
{

namespace
{

/// The value as a short piece of JSON text, for messages.
std::string shown(const Json& value)
{
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

[[noreturn]] void wrongValue(const std::string& key, const char* expected, const Json& value)
{
  throw InputError("'" + key + "' must be " + expected + ", not " + shown(value));
}

const Json& member(const Json& object, const std::string& key)
{
  if (!object.is_object())
  {
    throw InputError("expected a JSON object with '" + key + "', not " + shown(object));
  }
  const auto it = object.find(key);
  if (it == object.end())
  {
    throw InputError("'" + key + "' is missing");
  }
  return *it;
}

double numberOf(const Json& value, const std::string& key)
{
  if (!value.is_number())
  {
    wrongValue(key, "a number", value);
  }
  return value.get<double>();
}

/// A whole number in [lo, hi]. 3.0 counts (JSON has one number type), 2.5 does not.
long long wholeOf(const Json& value, const std::string& key, long long lo, long long hi)
{
  long long v = 0;
  if (value.is_number_unsigned())
  {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(LLONG_MAX))
    {
      wrongValue(key, "a smaller whole number", value);
    }
    v = static_cast<long long>(u);
  }
  else if (value.is_number_integer())
  {
    v = value.get<std::int64_t>();
  }
  else if (value.is_number_float())
  {
    // Whole floats are exact up to 2^53; anything larger written with a point or exponent is not meant whole.
    const double d = value.get<double>();
    if (d != std::floor(d) || std::fabs(d) > 0x1p53)
    {
      wrongValue(key, "a whole number", value);
    }
    v = static_cast<long long>(d);
  }
  else
  {
    wrongValue(key, "a whole number", value);
  }
  if (v < lo || v > hi)
  {
    throw InputError("'" + key + "' must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " +
                     shown(value));
  }
  return v;
}

const Json& arrayOf(const Json& value, const std::string& key)
{
  if (!value.is_array())
  {
    wrongValue(key, "a list [...]", value);
  }
  return value;
}

std::vector<int> intsOf(const Json& value, const std::string& key)
{
  std::vector<int> out;
  for (const Json& item : arrayOf(value, key))
  {
    out.push_back(static_cast<int>(wholeOf(item, key + "[" + std::to_string(out.size()) + "]", INT_MIN, INT_MAX)));
  }
  return out;
}

/// The text of nlohmann's message after its "parse error at line L, column C: " preamble.
std::string reason(const std::string& what)
{
  const size_t column = what.find("column ");
  const size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

} // namespace

Json parseJson(std::string_view text, const std::string& source)
{
  try
  {
    return Json::parse(text.begin(), text.end());
  }
  catch (const Json::parse_error& e)
  {
    // e.byte counts the bytes read, the offending one included.
    const size_t offset = std::min(e.byte > 0 ? e.byte - 1 : 0, text.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset; ++i)
    {
      if (text[i] == '\n')
      {
        ++line;
        column = 1;
      }
      else
      {
        ++column;
      }
    }
    throw InputError(source + ": malformed JSON at line " + std::to_string(line) + ", column " +
                     std::to_string(column) + " (byte " + std::to_string(offset) + "): " + reason(e.what()));
  }
}

void readJson(const Json& object, const std::string& key, double& out)
{
  out = numberOf(member(object, key), key);
}

void readJson(const Json& object, const std::string& key, int& out)
{
  out = static_cast<int>(wholeOf(member(object, key), key, INT_MIN, INT_MAX));
}

void readJson(const Json& object, const std::string& key, long long& out)
{
  out = wholeOf(member(object, key), key, LLONG_MIN, LLONG_MAX);
}

void readJson(const Json& object, const std::string& key, std::uint64_t& out)
{
  const Json& value = member(object, key);
  out = value.is_number_unsigned() ? value.get<std::uint64_t>()
                                   : static_cast<std::uint64_t>(wholeOf(value, key, 0, LLONG_MAX));
}

void readJson(const Json& object, const std::string& key, bool& out)
{
  const Json& value = member(object, key);
  if (!value.is_boolean())
  {
    wrongValue(key, "true or false", value);
  }
  out = value.get<bool>();
}

void readJson(const Json& object, const std::string& key, std::string& out)
{
  const Json& value = member(object, key);
  if (!value.is_string())
  {
    wrongValue(key, "a string \"...\"", value);
  }
  out = value.get<std::string>();
}

void readJson(const Json& object, const std::string& key, std::vector<int>& out)
{
  out = intsOf(member(object, key), key);
}

void readJson(const Json& object, const std::string& key, std::vector<double>& out)
{
  out.clear();
  for (const Json& item : arrayOf(member(object, key), key))
  {
    out.push_back(numberOf(item, key + "[" + std::to_string(out.size()) + "]"));
  }
}

void readJson(const Json& object, const std::string& key, std::vector<std::vector<int>>& out)
{
  out.clear();
  for (const Json& row : arrayOf(member(object, key), key))
  {
    out.push_back(intsOf(row, key + "[" + std::to_string(out.size()) + "]"));
  }
}

} // namespace mrcae
