#include "mrcae/model/DatasetIO.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/NumberText.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#endif
#include "MaskCheck.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

namespace mrcae
{

namespace
{

std::string lowerExtension(const std::string& path)
{
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

Dataset readNpyDataset(const std::string& path, const ReadOptions& options)
{
  NpyArray a = readNpy(path);
  if (a.shape.size() != 3)
  {
    throw InputError(path + ": the array has rank " + std::to_string(a.shape.size()) +
                     "; a dataset must be [time, height, width]");
  }
  Field f(static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]), static_cast<int>(a.shape[2]));
  f.data = std::move(a.data);
  Map2D valid;
  if (!options.maskPath.empty())
  {
    NpyArray m = readNpy(options.maskPath);
    if (m.shape.size() != 2 || m.shape[0] != f.h || m.shape[1] != f.w)
    {
      std::string shape;
      for (const long n : m.shape)
      {
        shape += (shape.empty() ? "" : "x") + std::to_string(n);
      }
      throw InputError(Problem::BadFile,
                       SettingText(options.maskPath + ": the land mask is " + shape + " but the field of " + path +
                                   " is " + std::to_string(f.h) + "x" + std::to_string(f.w) +
                                   ": use a 2-D mask of the field's size"),
                       Setting::LandMask, options.maskPath);
    }
    requireZeroOneMask(m.data, f.w, options.maskPath, "the land mask for " + path, "1 = land", Setting::LandMask);
    // The paper's masks mark land with 1; ours mark valid cells with 1.
    valid = Map2D(f.h, f.w);
    for (size_t p = 0; p < m.data.size(); ++p)
    {
      valid.data[p] = m.data[p] > 0.5f ? 0.0f : 1.0f;
    }
  }
  if (options.maxSnapshots > 0 && options.maxSnapshots < f.t)
  {
    f.t = options.maxSnapshots;
    f.data.resize(f.t * f.frameSize());
  }
  Dataset d;
  try
  {
    d = Dataset::fromRaw(std::move(f), std::move(valid), std::filesystem::path(path).stem().string());
  }
  catch (const InputError& e)
  {
    throw e.inFile(path);
  }
  std::error_code ec;
  d.path = std::filesystem::absolute(path, ec).string(); // models store it: valid from any working folder
  d.source = std::filesystem::path(path).filename().string();
  return d;
}

#ifdef MRCAE_WITH_HDF5
std::vector<std::string> fieldNames(H5::H5File& file)
{
  std::vector<std::string> names;
  if (!file.nameExists("fields"))
  {
    return names;
  }
  H5::Group g = file.openGroup("fields");
  for (hsize_t i = 0; i < g.getNumObjs(); ++i)
  {
    if (g.getObjTypeByIdx(i) == H5G_DATASET)
    {
      names.push_back(g.getObjnameByIdx(i));
    }
  }
  return names;
}

Dataset readHdf5Dataset(const std::string& path, const ReadOptions& options)
{
  H5::H5File file = h5::openForReading(path);
  Dataset result;
  h5::guarded(path, "cannot read the dataset", [&] {
    std::vector<std::string> names = fieldNames(file);
    if (names.empty())
    {
      throw InputError(path + ": no /fields/<name> dataset: this HDF5 file is not in MrCAE Studio's layout "
                              "(import it, or write [T,H,W] float32 under /fields)");
    }
    std::string name = options.field.empty() ? names.front() : options.field;
    if (std::find(names.begin(), names.end(), name) == names.end())
    {
      throw InputError(path + ": no field '" + name + "' (fields: " + names.front() +
                       (names.size() > 1 ? ", ..." : "") + ")");
    }
    H5::DataSet ds = file.openDataSet("fields/" + name);
    std::vector<hsize_t> dims = h5::shapeOf(ds);
    if (dims.size() != 3)
    {
      throw InputError(path + ": field '" + name + "' has rank " + std::to_string(dims.size()) +
                       "; it must be [time, height, width]");
    }
    const H5T_class_t cls = ds.getTypeClass();
    if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    {
      throw InputError(path + ": field '" + name + "' is not numeric");
    }
    const std::string shape = h5::shapeText(dims);
    hsize_t t = dims[0];
    if (options.maxSnapshots > 0 && static_cast<hsize_t>(options.maxSnapshots) < t)
    {
      t = static_cast<hsize_t>(options.maxSnapshots);
    }
    // The header can declare any size (a dataset never written takes no room on disk): check before allocating.
    checkReadMemory(t * dims[1] * dims[2], sizeof(float), "field '" + name + "' (" + shape + ")");
    constexpr hsize_t kMostCells = std::numeric_limits<int>::max();
    if (t > kMostCells || dims[1] > kMostCells || dims[2] > kMostCells || dims[1] * dims[2] > kMostCells)
    {
      throw InputError(path + ": field '" + name + "' is " + shape + ", larger than MrCAE Studio can index");
    }
    Field f(static_cast<int>(t), static_cast<int>(dims[1]), static_cast<int>(dims[2]));
    // Read only the snapshots asked for (a hyperslab of the first t).
    hsize_t count[3] = {static_cast<hsize_t>(t), dims[1], dims[2]};
    hsize_t offset[3] = {0, 0, 0};
    H5::DataSpace fileSpace = ds.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, count, offset);
    H5::DataSpace memSpace(3, count);
    ds.read(f.data.data(), H5::PredType::NATIVE_FLOAT, memSpace, fileSpace);
    Map2D valid;
    if (file.nameExists("valid"))
    {
      H5::DataSet vs = file.openDataSet("valid");
      std::vector<hsize_t> vd = h5::shapeOf(vs);
      if (vd.size() != 2 || vd[0] != dims[1] || vd[1] != dims[2])
      {
        throw InputError(path + ": /valid is " + h5::shapeText(vd) + " but the field's snapshots are " +
                         std::to_string(dims[1]) + "x" + std::to_string(dims[2]) +
                         ": write a [height, width] mask like the field");
      }
      valid = Map2D(f.h, f.w);
      valid.data = h5::readFloats(vs);
      requireZeroOneMask(valid.data, f.w, path, "/valid", "1 = valid");
    }
    const double a = h5::readDouble(ds, "original_min", 0.0);
    const double b = h5::readDouble(ds, "original_max", 1.0);
    const bool hasRange = h5::hasAttribute(ds, "original_min") && h5::hasAttribute(ds, "original_max");
    if (hasRange && !(std::isfinite(a) && std::isfinite(b) && a < b))
    {
      throw InputError(Problem::BadFile,
                       SettingText(path + ": field '" + name + "' has original_min " + number::shortest(a) +
                                   " and original_max " + number::shortest(b) +
                                   ": they must be finite numbers with original_min below original_max (the range "
                                   "the stored [0,1] values stand for); correct or remove them"),
                       std::nullopt, path);
    }
    result = Dataset::fromRaw(std::move(f), std::move(valid), name);
    if (hasRange)
    {
      // The file's values v stand for a + v (b − a); compose with our own rescaling.
      const double lo = result.originalMin, hi = result.originalMax;
      result.originalMin = a + lo * (b - a);
      result.originalMax = a + hi * (b - a);
    }
    result.units = h5::readString(ds, "units");
    result.source = h5::readString(ds, "source", std::filesystem::path(path).filename().string());
    result.dt = h5::readDouble(ds, "dt", 1.0);
    result.dx = h5::readDouble(ds, "dx", 1.0);
  });
  std::error_code ec;
  result.path = std::filesystem::absolute(path, ec).string(); // models store it: valid from any working folder
  return result;
}
#endif

} // namespace

bool hdf5Available()
{
#ifdef MRCAE_WITH_HDF5
  return true;
#else
  return false;
#endif
}

Dataset readDataset(const std::string& path, const ReadOptions& options)
{
  if (!std::filesystem::exists(path))
  {
    throw InputError::fileNotFound(path);
  }
  if (lowerExtension(path) == ".npy")
  {
    return readNpyDataset(path, options);
  }
#ifdef MRCAE_WITH_HDF5
  return readHdf5Dataset(path, options);
#else
  throw InputError(path + ": this build reads only .npy files (it was built without HDF5)");
#endif
}

std::vector<std::string> listFields(const std::string& path)
{
#ifdef MRCAE_WITH_HDF5
  H5::H5File file = h5::openForReading(path);
  std::vector<std::string> names;
  h5::guarded(path, "cannot list the fields", [&] { names = fieldNames(file); });
  return names;
#else
  throw InputError(path + ": this build has no HDF5 support");
#endif
}

void writeDataset(const Dataset& d, const std::string& path, const WriteOptions& options)
{
  const size_t frame = d.field.frameSize();
  writeDataset(
      d, [&d, frame](int k, float* out) { std::copy_n(d.field.data.data() + k * frame, frame, out); }, path, options);
}

void writeDataset(const Dataset& d, const std::function<void(int k, float* out)>& snapshot, const std::string& path,
                  const WriteOptions& options)
{
#ifdef MRCAE_WITH_HDF5
  h5::atomicWrite(path, [&](H5::H5File& file) {
    H5::Group root = file.openGroup("/");
    const auto t = static_cast<hsize_t>(d.field.t), h = static_cast<hsize_t>(d.field.h),
               w = static_cast<hsize_t>(d.field.w);
    H5::DataSet ds = h5::createFloats(root, "fields/" + d.name, {t, h, w}, {1, h, w}, options.compress);
    // A few snapshots per write: bounded memory whatever the size of the dataset.
    const hsize_t block = std::max<hsize_t>(1, std::min<hsize_t>(t, (64u << 20) / (4 * h * w)));
    std::vector<float> values(static_cast<size_t>(block * h * w));
    for (hsize_t k0 = 0; k0 < t; k0 += block)
    {
      const hsize_t n = std::min(block, t - k0);
      for (hsize_t k = 0; k < n; ++k)
      {
        snapshot(static_cast<int>(k0 + k), values.data() + k * h * w);
      }
      const hsize_t offset[3] = {k0, 0, 0}, count[3] = {n, h, w};
      H5::DataSpace fileSpace = ds.getSpace();
      fileSpace.selectHyperslab(H5S_SELECT_SET, count, offset);
      H5::DataSpace memSpace(3, count);
      ds.write(values.data(), H5::PredType::NATIVE_FLOAT, memSpace, fileSpace);
    }
    h5::writeString(ds, "units", d.units);
    h5::writeString(ds, "source", d.source);
    h5::writeDouble(ds, "dt", d.dt);
    h5::writeDouble(ds, "dx", d.dx);
    h5::writeDouble(ds, "original_min", d.originalMin);
    h5::writeDouble(ds, "original_max", d.originalMax);
    if (d.hasMask())
    {
      std::vector<unsigned char> bytes(d.valid.data.size());
      for (size_t p = 0; p < bytes.size(); ++p)
      {
        bytes[p] = d.valid.data[p] > 0.5f ? 1 : 0;
      }
      h5::writeBytes(root, "valid", {h, w}, bytes.data());
    }
    h5::writeString(root, "format", "mrcae-dataset");
  });
#else
  (void)d;
  (void)snapshot;
  (void)options;
  throw InputError(path + ": this build cannot write HDF5 (built without HDF5); use .npy");
#endif
}

} // namespace mrcae
