#include "mrcae/model/NpyFile.h"

#include "mrcae/model/InputError.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

namespace mrcae
{

namespace
{

/// The value of `key` in the header dict, as text up to the next top-level comma or brace.
std::string headerValue(const std::string& header, const std::string& key, const std::string& path)
{
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos)
  {
    throw InputError(path + ": not a valid .npy file (header has no '" + key + "')");
  }
  size_t colon = header.find(':', k);
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (header[start] == '(')
  {
    return header.substr(start, header.find(')', start) - start + 1);
  }
  size_t end = header.find_first_of(",}", start);
  return header.substr(start, end - start);
}

template <typename T>
void convert(const std::vector<char>& raw, std::vector<float>& out, bool swap)
{
  const size_t n = raw.size() / sizeof(T);
  out.resize(n);
  for (size_t i = 0; i < n; ++i)
  {
    char bytes[sizeof(T)];
    std::memcpy(bytes, raw.data() + i * sizeof(T), sizeof(T));
    if (swap)
    {
      for (size_t a = 0, b = sizeof(T) - 1; a < b; ++a, --b)
      {
        std::swap(bytes[a], bytes[b]);
      }
    }
    T v;
    std::memcpy(&v, bytes, sizeof(T));
    out[i] = static_cast<float>(v);
  }
}

float halfToFloat(std::uint16_t h)
{
  const std::uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  float v;
  if (exp == 0)
  {
    v = std::ldexp(static_cast<float>(mant), -24);
  }
  else if (exp == 31)
  {
    v = mant ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  }
  else
  {
    v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -v : v;
}

} // namespace

NpyArray readNpy(const std::string& path)
{
  if (!std::filesystem::exists(path))
  {
    throw InputError(path + ": file not found");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
  {
    throw InputError(path + ": cannot open the file for reading (check permissions)");
  }
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
  {
    throw InputError(path + ": not a .npy file (the NumPy magic string is missing)");
  }
  const int major = static_cast<unsigned char>(magic[6]);
  std::uint32_t headerLen = 0;
  if (major == 1)
  {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    headerLen = b[0] | (b[1] << 8);
  }
  else if (major == 2 || major == 3)
  {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    headerLen = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
  }
  else
  {
    throw InputError(path + ": unsupported .npy format version " + std::to_string(major));
  }
  if (!in || headerLen > (1u << 20))
  {
    throw InputError(path + ": truncated or corrupt .npy header");
  }
  std::string header(headerLen, '\0');
  if (!in.read(header.data(), headerLen))
  {
    throw InputError(path + ": truncated .npy header");
  }
  NpyArray a;
  std::string descr = headerValue(header, "descr", path);
  a.dtype = descr.substr(1, descr.size() - 2);
  if (headerValue(header, "fortran_order", path).find("True") != std::string::npos)
  {
    throw InputError(path + ": Fortran-ordered arrays are not supported: save it with np.ascontiguousarray");
  }
  std::string shape = headerValue(header, "shape", path);
  std::stringstream ss(shape.substr(1, shape.size() - 2));
  std::string item;
  long count = 1;
  while (std::getline(ss, item, ','))
  {
    if (item.find_first_not_of(' ') == std::string::npos)
    {
      continue;
    }
    long d = std::stol(item);
    a.shape.push_back(d);
    count *= d;
  }
  if (a.dtype.size() < 3)
  {
    throw InputError(path + ": unsupported dtype '" + a.dtype + "'");
  }
  const char order = a.dtype[0];
  const char kind = a.dtype[1];
  const int size = std::stoi(a.dtype.substr(2));
  const bool swap = order == '>';
  std::vector<char> raw(static_cast<size_t>(count) * size);
  if (!in.read(raw.data(), static_cast<std::streamsize>(raw.size())))
  {
    throw InputError(path + ": truncated .npy data (expected " + std::to_string(raw.size()) + " bytes)");
  }
  if (kind == 'f' && size == 4)
  {
    convert<float>(raw, a.data, swap);
  }
  else if (kind == 'f' && size == 8)
  {
    convert<double>(raw, a.data, swap);
  }
  else if (kind == 'f' && size == 2)
  {
    a.data.resize(count);
    for (long i = 0; i < count; ++i)
    {
      std::uint16_t h;
      std::memcpy(&h, raw.data() + i * 2, 2);
      if (swap)
      {
        h = static_cast<std::uint16_t>((h >> 8) | (h << 8));
      }
      a.data[i] = halfToFloat(h);
    }
  }
  else if ((kind == 'b' || kind == 'u') && size == 1)
  {
    convert<std::uint8_t>(raw, a.data, false);
  }
  else if (kind == 'i' && size == 1)
  {
    convert<std::int8_t>(raw, a.data, false);
  }
  else if (kind == 'i' && size == 4)
  {
    convert<std::int32_t>(raw, a.data, swap);
  }
  else if (kind == 'i' && size == 8)
  {
    convert<std::int64_t>(raw, a.data, swap);
  }
  else
  {
    throw InputError(path + ": unsupported dtype '" + a.dtype + "' (use float32, float64, integers or bool)");
  }
  return a;
}

void writeNpy(const std::string& path, const std::vector<long>& shape, const std::vector<float>& data)
{
  std::string dims;
  for (long d : shape)
  {
    dims += std::to_string(d) + ", ";
  }
  if (shape.size() > 1)
  {
    dims.resize(dims.size() - 1);
    dims.pop_back();
  }
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out)
  {
    throw InputError(path + ": cannot write the file (check the folder exists and is writable)");
  }
  out.write("\x93NUMPY\x01\x00", 8);
  const std::uint16_t len = static_cast<std::uint16_t>(header.size());
  const char lenBytes[2] = {static_cast<char>(len & 0xFF), static_cast<char>(len >> 8)};
  out.write(lenBytes, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size() * sizeof(float)));
  if (!out)
  {
    throw InputError(path + ": write failed (disk full?)");
  }
}

} // namespace mrcae
