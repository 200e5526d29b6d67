#pragma once
// NumPy .npy files (format versions 1–3, either byte order; Fortran-ordered arrays are transposed on load as
// numpy does), read into float or written from float32.

#include <string>
#include <vector>

namespace mrcae
{

struct NpyArray
{
  std::vector<long> shape;
  std::vector<float> data; ///< converted to float32, C order
  std::string dtype;       ///< the file's descr, e.g. "<f8"
};

/// Reads float16/32/64, integer and bool arrays. Throws InputError with a one-line reason.
NpyArray readNpy(const std::string& path);
/// Writes a float32 array (version 1.0 header).
void writeNpy(const std::string& path, const std::vector<long>& shape, const std::vector<float>& data);

} // namespace mrcae
