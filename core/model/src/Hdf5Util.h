#pragma once
// Small helpers over the HDF5 C++ API shared by dataset and model files. Private to core; HDF5 builds only.

#include <H5Cpp.h>

#include <functional>
#include <string>
#include <vector>

namespace mrcae::h5
{

/// Opens an existing file read-only after checking that it exists and is HDF5; throws InputError.
H5::H5File openForReading(const std::string& path);

/// Runs `body`, turning any HDF5 exception into an InputError "<path>: <what> (<HDF5 detail>)".
void guarded(const std::string& path, const std::string& what, const std::function<void()>& body);

void writeString(H5::H5Object& obj, const std::string& name, const std::string& value);
void writeDouble(H5::H5Object& obj, const std::string& name, double value);
void writeInt(H5::H5Object& obj, const std::string& name, long long value);
std::string readString(const H5::H5Object& obj, const std::string& name, const std::string& fallback = "");
double readDouble(const H5::H5Object& obj, const std::string& name, double fallback);
long long readInt(const H5::H5Object& obj, const std::string& name, long long fallback);
bool hasAttribute(const H5::H5Object& obj, const std::string& name);

/// Writes a float32 dataset; `chunk` (same rank) turns on chunking, with shuffle + gzip 4 when `compress`.
void writeFloats(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const float* data,
                 const std::vector<hsize_t>& chunk = {}, bool compress = true);
/// Creates a chunked float32 dataset to be written in parts (selectHyperslab), compressed as writeFloats.
H5::DataSet createFloats(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims,
                         const std::vector<hsize_t>& chunk, bool compress);
void writeInts(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const int* data);
void writeBytes(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const unsigned char* data);
void writeDoubles(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const double* data);

/// Shape of a dataset.
std::vector<hsize_t> shapeOf(const H5::DataSet& ds);
/// "12x31x31".
std::string shapeText(const std::vector<hsize_t>& dims);
/// Reads a whole numeric dataset converted to float / int / double.
std::vector<float> readFloats(const H5::DataSet& ds);
std::vector<int> readInts(const H5::DataSet& ds);
std::vector<double> readDoubles(const H5::DataSet& ds);
std::vector<unsigned char> readBytes(const H5::DataSet& ds);

/// Writes the file with `body` and publishes it only when `body` succeeded (writeFileAtomically in
/// mrcae/model/AtomicFile.h): a failure, a kill or a crash during the write leaves any previous file intact.
void atomicWrite(const std::string& path, const std::function<void(H5::H5File&)>& body);

} // namespace mrcae::h5
