#include "Hdf5Util.h"

#include "mrcae/model/InputError.h"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
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

double readDouble(const H5::H5Object& obj, const std::string& name, double fallback)
{
  if (!obj.attrExists(name))
  {
    return fallback;
  }
  H5::Attribute a = obj.openAttribute(name);
  if (a.getTypeClass() != H5T_FLOAT && a.getTypeClass() != H5T_INTEGER)
  {
    return fallback;
  }
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
  H5::Attribute a = obj.openAttribute(name);
  if (a.getTypeClass() != H5T_FLOAT && a.getTypeClass() != H5T_INTEGER)
  {
    return fallback;
  }
  long long v = fallback;
  a.read(H5::PredType::NATIVE_LLONG, &v);
  return v;
}

namespace
{

H5::DataSet create(H5::Group& group, const std::string& name, const H5::PredType& fileType,
                   const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk)
{
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DSetCreatPropList props;
  if (!chunk.empty())
  {
    props.setChunk(static_cast<int>(chunk.size()), chunk.data());
    props.setShuffle();
    props.setDeflate(4);
  }
  H5::LinkCreatPropList link;
  link.setCreateIntermediateGroup(true);
  return group.createDataSet(name, fileType, space, props, H5::DSetAccPropList::DEFAULT, link);
}

} // namespace

void writeFloats(H5::Group& group, const std::string& name, const std::vector<hsize_t>& dims, const float* data,
                 const std::vector<hsize_t>& chunk)
{
  create(group, name, H5::PredType::IEEE_F32LE, dims, chunk).write(data, H5::PredType::NATIVE_FLOAT);
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

namespace
{

size_t elementCount(const H5::DataSet& ds)
{
  size_t n = 1;
  for (hsize_t d : shapeOf(ds))
  {
    n *= d;
  }
  return n;
}

} // namespace

std::vector<float> readFloats(const H5::DataSet& ds)
{
  std::vector<float> out(elementCount(ds));
  ds.read(out.data(), H5::PredType::NATIVE_FLOAT);
  return out;
}

std::vector<int> readInts(const H5::DataSet& ds)
{
  std::vector<int> out(elementCount(ds));
  ds.read(out.data(), H5::PredType::NATIVE_INT);
  return out;
}

std::vector<double> readDoubles(const H5::DataSet& ds)
{
  std::vector<double> out(elementCount(ds));
  ds.read(out.data(), H5::PredType::NATIVE_DOUBLE);
  return out;
}

std::vector<unsigned char> readBytes(const H5::DataSet& ds)
{
  std::vector<unsigned char> out(elementCount(ds));
  ds.read(out.data(), H5::PredType::NATIVE_UCHAR);
  return out;
}

namespace
{

std::function<void(const std::string&)>& writeHook()
{
  static std::function<void(const std::string&)> hook;
  return hook;
}

/// fsync, so that the data (or the folder entry) survives a crash, not only a kill. Folders of file systems
/// that cannot sync them (EINVAL) are left as they are.
void syncToDisk(const std::filesystem::path& p, bool folder)
{
  const int fd = ::open(p.c_str(), folder ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0)
  {
    if (folder)
    {
      return;
    }
    throw std::system_error(errno, std::generic_category(), "open " + p.string());
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && !(folder && (err == EINVAL || err == EROFS)))
  {
    throw std::system_error(err, std::generic_category(), "fsync " + p.string());
  }
}

/// Removes `.NAME.tmp<pid>` files whose process no longer exists: what a kill during a save leaves behind.
void removeStaleTemporaries(const std::filesystem::path& dir, const std::string& name)
{
  const std::string prefix = "." + name + ".tmp";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
  {
    const std::string file = entry.path().filename().string();
    if (file.size() <= prefix.size() || file.compare(0, prefix.size(), prefix) != 0)
    {
      continue;
    }
    const std::string digits = file.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH)
    {
      std::error_code ignored;
      std::filesystem::remove(entry.path(), ignored);
    }
  }
}

} // namespace

void setAtomicWriteHook(std::function<void(const std::string&)> hook)
{
  writeHook() = std::move(hook);
}

void atomicWrite(const std::string& path, const std::function<void(H5::H5File&)>& body)
{
  H5::Exception::dontPrint();
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir))
  {
    throw InputError(path + ": the folder does not exist");
  }
  removeStaleTemporaries(dir, target.filename().string());
  const fs::path tmp = dir / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()));
  try
  {
    {
      H5::H5File file(tmp.string(), H5F_ACC_TRUNC);
      body(file);
      if (writeHook())
      {
        writeHook()(tmp.string());
      }
      file.flush(H5F_SCOPE_GLOBAL);
      file.close();
    }
    syncToDisk(tmp, false);
    fs::rename(tmp, target);
    syncToDisk(dir, true);
  }
  catch (const H5::Exception& e)
  {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw InputError(path + ": cannot write the file (" + std::string(e.getCDetailMsg()) + ")");
  }
  catch (const std::system_error& e)
  {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw InputError(path + ": cannot write the file (" + std::string(e.what()) + ")");
  }
  catch (...)
  {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

} // namespace mrcae::h5
