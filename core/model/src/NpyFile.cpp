#include "mrcae/model/NpyFile.h"

#include "mrcae/model/InputError.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

namespace mrcae
{

namespace
{

/// The value of `key` in the header dict, as text up to the next top-level comma or brace.
std::string headerValue(const std::string& header, const std::string& key, const std::string& path)
{
  const size_t k = header.find("'" + key + "'");
  const size_t colon = k == std::string::npos ? k : header.find(':', k);
  const size_t start = colon == std::string::npos ? colon : header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos)
  {
    throw InputError(path + ": not a valid .npy file (header has no '" + key + "'): save it again with numpy.save");
  }
  const size_t end = header[start] == '(' ? header.find(')', start) + 1 : header.find_first_of(",}", start);
  if (end == std::string::npos || end == 0)
  {
    throw InputError(path + ": not a valid .npy file (the header's '" + key + "' is cut off)");
  }
  return header.substr(start, end - start);
}

/// The dimensions of a shape tuple such as "(500, 127, 127)" or "(5,)"; each a non-negative integer.
std::vector<long> parseShape(const std::string& text, const std::string& path)
{
  auto bad = [&] { return InputError(path + ": not a valid .npy file (shape " + text + " is not a tuple of sizes)"); };
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
  {
    throw bad();
  }
  std::vector<long> shape;
  const std::string inner = text.substr(1, text.size() - 2);
  size_t pos = 0;
  while (pos < inner.size())
  {
    const size_t comma = inner.find(',', pos);
    const std::string item = inner.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? inner.size() : comma + 1;
    const size_t first = item.find_first_not_of(' ');
    if (first == std::string::npos)
    {
      if (comma == std::string::npos || shape.empty())
      {
        continue; // "(5,)": the trailing comma of a one-tuple
      }
      throw bad();
    }
    const size_t last = item.find_last_not_of(' ');
    long d = 0;
    const char* begin = item.data() + first;
    const char* finish = item.data() + last + 1;
    const auto [ptr, ec] = std::from_chars(begin, finish, d);
    if (ec != std::errc() || ptr != finish || d < 0)
    {
      throw bad();
    }
    shape.push_back(d);
  }
  return shape;
}

/// Fortran (column-major) order to C (row-major) order: numpy's np.load gives the same array either way.
std::vector<float> toCOrder(const std::vector<float>& fortran, const std::vector<long>& shape)
{
  std::vector<float> c(fortran.size());
  const size_t rank = shape.size();
  std::vector<long> index(rank, 0);
  // Walk the C-order positions in turn; the Fortran offset of the same index has strides 1, d0, d0*d1, ...
  std::vector<size_t> fortranStride(rank, 1);
  for (size_t a = 1; a < rank; ++a)
  {
    fortranStride[a] = fortranStride[a - 1] * static_cast<size_t>(shape[a - 1]);
  }
  for (size_t i = 0; i < c.size(); ++i)
  {
    size_t offset = 0;
    for (size_t a = 0; a < rank; ++a)
    {
      offset += static_cast<size_t>(index[a]) * fortranStride[a];
    }
    c[i] = fortran[offset];
    for (size_t a = rank; a-- > 0;)
    {
      if (++index[a] < shape[a])
      {
        break;
      }
      index[a] = 0;
    }
  }
  return c;
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
    throw InputError::fileNotFound(path);
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
  const std::string descr = headerValue(header, "descr", path);
  if (descr.size() < 5 || (descr.front() != '\'' && descr.front() != '"') || descr.back() != descr.front())
  {
    throw InputError(path + ": unsupported dtype " + descr + " (use float32, float64, integers or bool)");
  }
  a.dtype = descr.substr(1, descr.size() - 2);
  const std::string fortranOrder = headerValue(header, "fortran_order", path);
  if (fortranOrder != "True" && fortranOrder != "False")
  {
    throw InputError(path + ": not a valid .npy file (fortran_order is '" + fortranOrder + "')");
  }
  const bool fortran = fortranOrder == "True";
  a.shape = parseShape(headerValue(header, "shape", path), path);
  const char order = a.dtype[0];
  const char kind = a.dtype[1];
  int size = 0;
  const auto [sizeEnd, sizeError] = std::from_chars(a.dtype.data() + 2, a.dtype.data() + a.dtype.size(), size);
  if (sizeError != std::errc() || sizeEnd != a.dtype.data() + a.dtype.size() || size <= 0 ||
      (order != '<' && order != '>' && order != '|' && order != '='))
  {
    throw InputError(path + ": unsupported dtype '" + a.dtype + "' (use float32, float64, integers or bool)");
  }
  // The header's size is checked against the file before anything is allocated: a lying header is refused.
  const std::uintmax_t fileBytes = std::filesystem::file_size(path);
  const std::uintmax_t dataStart = static_cast<std::uintmax_t>(in.tellg());
  const std::uintmax_t available = fileBytes > dataStart ? fileBytes - dataStart : 0;
  std::uintmax_t count = 1;
  for (long d : a.shape)
  {
    if (d != 0 && count > available / static_cast<std::uintmax_t>(d))
    {
      count = available + 1; // more elements than bytes: certainly truncated (and no overflow)
      break;
    }
    count *= static_cast<std::uintmax_t>(d);
  }
  if (count > available / static_cast<std::uintmax_t>(size))
  {
    throw InputError(path + ": truncated .npy data (the header's shape needs more bytes than the file's " +
                     std::to_string(available) + ")");
  }
  const bool swap = order == '>';
  std::vector<char> raw(static_cast<size_t>(count) * static_cast<size_t>(size));
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
    for (size_t i = 0; i < count; ++i)
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
  if (fortran && a.shape.size() > 1)
  {
    a.data = toCOrder(a.data, a.shape);
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
