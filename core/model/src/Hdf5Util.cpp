#include "Hdf5Util.h"

#include "mrcae/model/AtomicFile.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/MemoryEstimate.h"

#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#include <signal.h>
#include <system_error>
#include <unistd.h>

namespace mrcae::h5
{

namespace
{

/// The innermost HDF5 error description (e.g. "file signature not found"), read while the stack is alive.
herr_t collect(unsigned n, const H5E_error2_t* err, void* data)
{
  auto* out = static_cast<std::string*>(data);
  if (n == 0 && err->desc)
  {
    *out = err->desc;
  }
  return 0;
}

std::string stackDetail()
{
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &detail);
  return detail;
}

} // namespace

H5::H5File openForReading(const std::string& path)
{
  H5::Exception::dontPrint();
  if (!std::filesystem::exists(path))
  {
    throw InputError::fileNotFound(path);
  }
  if (std::filesystem::is_directory(path))
  {
    throw InputError(path + ": is a folder, not a file");
  }
  bool isHdf5 = false;
  try
  {
    isHdf5 = H5::H5File::isHdf5(path);
  }
  catch (const H5::Exception&)
  {
    isHdf5 = false;
  }
  if (!isHdf5)
  {
    throw InputError(Problem::BadFile,
                     SettingText(path + ": not an HDF5 file (or truncated): choose an .h5 file written by MrCAE "
                                        "Studio, or import .npy data"),
                     std::nullopt, path);
  }
  try
  {
    return H5::H5File(path, H5F_ACC_RDONLY);
  }
  catch (const H5::Exception& e)
  {
    throw InputError(path + ": cannot open the HDF5 file (" + stackDetail() + ")");
  }
}

void guarded(const std::string& path, const std::string& what, const std::function<void()>& body)
{
  H5::Exception::dontPrint();
  try
  {
    body();
  }
  catch (const H5::Exception& e)
  {
    std::string detail = stackDetail();
    if (detail.empty())
    {
      detail = e.getCDetailMsg();
    }
    throw InputError(path + ": " + what + " (" + detail + ")");
  }
  catch (const InputError& e)
  {
    // A check inside `body` that does not know the file: say which one.
    throw e.inFile(path);
  }
}

void writeString(H5::H5Object& obj, const std::string& name, const std::string& value)
{
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  a.write(type, value);
}

void writeDouble(H5::H5Object& obj, const std::string& name, double value)
{
  H5::Attribute a = obj.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_DOUBLE, &value);
}

void writeInt(H5::H5Object& obj, const std::string& name, long long value)
{
  H5::Attribute a = obj.createAttribute(name, H5::PredType::NATIVE_LLONG, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_LLONG, &value);
}

bool hasAttribute(const H5::H5Object& obj, const std::string& name)
{
  return obj.attrExists(name);
}

std::string readString(const H5::H5Object& obj, const std::string& name, const std::string& fallback)
{
  if (!obj.attrExists(name))
  {
    return fallback;
  }
  H5::Attribute a = obj.openAttribute(name);
  H5::DataType type = a.getDataType();
  if (type.getClass() != H5T_STRING)
  {
    return fallback;
  }
  H5::StrType strType = a.getStrType();
  std::string value;
  if (strType.isVariableStr())
  {
    a.read(strType, value);
  }
  else
  {
    std::string buf(strType.getSize(), '\0');
    a.read(strType, buf.data());
    value = buf.c_str();
  }
  return value;
}

namespace
{

/// The attribute `name` of `obj`, checked to be one number: a text, a list or a compound there is refused rather
/// than read as the default (and a list would overrun the one value read).
H5::Attribute numberAttribute(const H5::H5Object& obj, const std::string& name)
{
  H5::Attribute a = obj.openAttribute(name);
  const H5T_class_t cls = a.getTypeClass();
  const std::string where = "the attribute '" + name + "' of " + obj.getObjName();
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
  {
    throw InputError(where + " must be a number, not " + (cls == H5T_STRING ? "text" : "another type") +
                     ": write it as a number");
  }
  if (a.getSpace().getSimpleExtentNpoints() != 1)
  {
    throw InputError(where + " must be one number, not " + std::to_string(a.getSpace().getSimpleExtentNpoints()) +
                     ": write it as a single number");
  }
  return a;
}

} // namespace

double readDouble(const H5::H5Object& obj, const std::string& name, double fallback)
{
  if (!obj.attrExists(name))
  {
    return fallback;
  }
  H5::Attribute a = numberAttribute(obj, name);
  double v = fallback;
  a.read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

long long readInt(const H5::H5Object& obj, const std::string& name, long long fallback)
{
  if (!obj.attrExists(name))
  {
    return fallback;
  }
  H5::Attribute a = numberAttribute(obj, name);
  long long v = fallback;
  a.read(H5::PredType::NATIVE_LLONG, &v);
  return v;
}

namespace
{

H5::DataSet create(H5::Group& group, const std::string& name, const H5::PredType& fileType,
                   const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk, bool compress = true)
{
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DSetCreatPropList props;
  if (!chunk.empty())
  {
    props.setChunk(static_cast<int>(chunk.size()), chunk.data());
    if (compress)
    {
      props.setShuffle();
      props.setDeflate(4);
    }
  }
  H5::LinkCreatPropList link;
  link.setCreateIntermediateGroup(true);
  return group.createDataSet(name, fileType, space, props, H5::DSetAccPropList::DEFAULT, link);
}

} // namespace

void writeFloats(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const float* data,
                 const std::vector<hsize_t>& chunk, bool compress)
{
  create(group, name, H5::PredType::IEEE_F32LE, dims, chunk, compress).write(data, H5::PredType::NATIVE_FLOAT);
}

H5::DataSet createFloats(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims,
                         const std::vector<hsize_t>& chunk, bool compress)
{
  return create(group, name, H5::PredType::IEEE_F32LE, dims, chunk, compress);
}

void writeInts(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const int* data)
{
  create(group, name, H5::PredType::STD_I32LE, dims, {}).write(data, H5::PredType::NATIVE_INT);
}

void writeBytes(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const unsigned char* data)
{
  create(group, name, H5::PredType::STD_U8LE, dims, {}).write(data, H5::PredType::NATIVE_UCHAR);
}

void writeDoubles(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const double* data)
{
  create(group, name, H5::PredType::IEEE_F64LE, dims, {}).write(data, H5::PredType::NATIVE_DOUBLE);
}

std::vector<hsize_t> shapeOf(const H5::DataSet& ds)
{
  H5::DataSpace space = ds.getSpace();
  std::vector<hsize_t> dims(space.getSimpleExtentNdims());
  space.getSimpleExtentDims(dims.data());
  return dims;
}

std::string shapeText(const std::vector<hsize_t>& dims)
{
  std::string text;
  for (hsize_t d : dims)
  {
    text += (text.empty() ? "" : "x") + std::to_string(d);
  }
  return text;
}

namespace
{

/// The number of values of `ds`, checked to fit in memory as `bytesEach`-byte values before anything is allocated.
size_t elementCount(const H5::DataSet& ds, size_t bytesEach)
{
  const std::vector<hsize_t> dims = shapeOf(ds);
  std::uint64_t n = 1;
  bool overflows = false;
  for (hsize_t d : dims)
  {
    overflows = overflows || (d > 0 && n > std::numeric_limits<std::uint64_t>::max() / d);
    n *= d;
  }
  checkReadMemory(overflows ? std::numeric_limits<std::uint64_t>::max() : n, bytesEach,
                  ds.getObjName() + " (" + shapeText(dims) + ")");
  return static_cast<size_t>(n);
}

} // namespace

std::vector<float> readFloats(const H5::DataSet& ds)
{
  std::vector<float> out(elementCount(ds, sizeof(float)));
  ds.read(out.data(), H5::PredType::NATIVE_FLOAT);
  return out;
}

std::vector<int> readInts(const H5::DataSet& ds)
{
  std::vector<int> out(elementCount(ds, sizeof(int)));
  ds.read(out.data(), H5::PredType::NATIVE_INT);
  return out;
}

std::vector<double> readDoubles(const H5::DataSet& ds)
{
  std::vector<double> out(elementCount(ds, sizeof(double)));
  ds.read(out.data(), H5::PredType::NATIVE_DOUBLE);
  return out;
}

std::vector<unsigned char> readBytes(const H5::DataSet& ds)
{
  std::vector<unsigned char> out(elementCount(ds, 1));
  ds.read(out.data(), H5::PredType::NATIVE_UCHAR);
  return out;
}

void atomicWrite(const std::string& path, const std::function<void(H5::H5File&)>& body)
{
  H5::Exception::dontPrint();
  writeFileAtomically(path, [&](const std::string& tmp) {
    try
    {
      H5::H5File file(tmp, H5F_ACC_TRUNC);
      body(file);
      file.flush(H5F_SCOPE_GLOBAL);
      file.close();
    }
    catch (const H5::Exception& e)
    {
      throw InputError(path + ": cannot write the file (" + std::string(e.getCDetailMsg()) + ")");
    }
  });
}

} // namespace mrcae::h5
