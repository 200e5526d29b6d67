#include "mrcae/model/SnapshotReader.h"

#include "ContentHash.h"
#include "mrcae/model/InputError.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#include "MaskCheck.h"
#endif

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

namespace mrcae
{

namespace
{

/// What identifies the file's contents at a path: a rename or an atomic save gives another inode, a rewrite
/// another size or modification time.
struct FileIdentity
{
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  long long mtimeNs = 0;
};

/// errno of stat() (0 = ok) and the identity.
int identityOf(const std::string& path, FileIdentity& id)
{
  struct stat st
  {
  };
  if (::stat(path.c_str(), &st) != 0)
  {
    return errno == 0 ? EIO : errno;
  }
  id.device = st.st_dev;
  id.inode = st.st_ino;
  id.size = st.st_size;
  id.mtimeNs = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  return 0;
}

/// Empty when `now` is the file that was opened, else what happened.
std::string changeOf(const std::string& path, const FileIdentity& opened)
{
  FileIdentity now;
  const int err = identityOf(path, now);
  if (err == ENOENT || err == ENOTDIR)
  {
    return "was removed or renamed after it was opened";
  }
  if (err != 0)
  {
    return std::string("cannot be checked any more (") + std::strerror(err) + ")";
  }
  if (now.device != opened.device || now.inode != opened.inode)
  {
    return "was replaced by another file after it was opened";
  }
  if (now.size != opened.size || now.mtimeNs != opened.mtimeNs)
  {
    return "was changed after it was opened (its size or modification time differs)";
  }
  return {};
}

} // namespace

struct SnapshotReader::Impl
{
  std::string path, name, units, source;
  int t = 0, h = 0, w = 0;
  Map2D valid;
  size_t validCells = 0;
  double originalMin = 0, originalMax = 1, dt = 1, dx = 1;
  bool hasScaling = false;
  bool compressed = false;
  FileIdentity identity;
#ifdef MRCAE_WITH_HDF5
  H5::H5File file;
  H5::DataSet dataset;
#endif
};

SnapshotReader::SnapshotReader(const std::string& path, const std::string& field) : impl_(std::make_unique<Impl>())
{
#ifdef MRCAE_WITH_HDF5
  Impl& m = *impl_;
  m.path = path;
  if (!std::filesystem::exists(path))
  {
    throw InputError::fileNotFound(path);
  }
  if (identityOf(path, m.identity) != 0)
  {
    throw InputError(path + ": cannot read the file's status (" + std::strerror(errno) + ")");
  }
  m.file = h5::openForReading(path);
  h5::guarded(path, "cannot read the dataset", [&] {
    std::vector<std::string> names;
    if (m.file.nameExists("fields"))
    {
      H5::Group g = m.file.openGroup("fields");
      for (hsize_t i = 0; i < g.getNumObjs(); ++i)
      {
        if (g.getObjTypeByIdx(i) == H5G_DATASET)
        {
          names.push_back(g.getObjnameByIdx(i));
        }
      }
    }
    if (names.empty())
    {
      throw InputError(path + ": no /fields/<name> dataset: this HDF5 file is not in MrCAE Studio's layout "
                              "(import it with mrcae import, or write [T,H,W] float32 under /fields)");
    }
    m.name = field.empty() ? names.front() : field;
    if (std::find(names.begin(), names.end(), m.name) == names.end())
    {
      throw InputError(path + ": no field '" + m.name + "' (fields: " + names.front() +
                       (names.size() > 1 ? ", ..." : "") + ")");
    }
    m.dataset = m.file.openDataSet("fields/" + m.name);
    m.compressed = m.dataset.getCreatePlist().getNfilters() > 0;
    const std::vector<hsize_t> dims = h5::shapeOf(m.dataset);
    if (dims.size() != 3)
    {
      throw InputError(path + ": field '" + m.name + "' has rank " + std::to_string(dims.size()) +
                       "; it must be [time, height, width]");
    }
    const H5T_class_t cls = m.dataset.getTypeClass();
    if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    {
      throw InputError(path + ": field '" + m.name + "' is not numeric");
    }
    if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1 || dims[0] > 1u << 30 || dims[1] > 1u << 20 || dims[2] > 1u << 20)
    {
      throw InputError(path + ": field '" + m.name + "' has an unusable shape");
    }
    // A header can declare any size; values never written take no room and read back as fill. Browsing that
    // would show a made-up field: refuse it here, and the full read says how much memory it would need.
    if (m.dataset.getStorageSize() == 0)
    {
      throw InputError(path + ": field '" + m.name + "' declares " + std::to_string(dims[0]) + "x" +
                       std::to_string(dims[1]) + "x" + std::to_string(dims[2]) +
                       " values but the file stores none of them");
    }
    m.t = static_cast<int>(dims[0]);
    m.h = static_cast<int>(dims[1]);
    m.w = static_cast<int>(dims[2]);
    m.validCells = static_cast<size_t>(m.h) * m.w;
    if (m.file.nameExists("valid"))
    {
      H5::DataSet vs = m.file.openDataSet("valid");
      const std::vector<hsize_t> vd = h5::shapeOf(vs);
      if (vd.size() != 2 || vd[0] != dims[1] || vd[1] != dims[2])
      {
        throw InputError(path + ": /valid is " + h5::shapeText(vd) + " but the field's snapshots are " +
                         std::to_string(dims[1]) + "x" + std::to_string(dims[2]) +
                         ": write a [height, width] mask like the field");
      }
      m.valid = Map2D(m.h, m.w);
      m.valid.data = h5::readFloats(vs);
      requireZeroOneMask(m.valid.data, m.w, path, "/valid", "1 = valid");
      m.validCells = static_cast<size_t>(std::count(m.valid.data.begin(), m.valid.data.end(), 1.0f));
    }
    m.hasScaling = h5::hasAttribute(m.dataset, "original_min") && h5::hasAttribute(m.dataset, "original_max");
    m.originalMin = h5::readDouble(m.dataset, "original_min", 0.0);
    m.originalMax = h5::readDouble(m.dataset, "original_max", 1.0);
    m.units = h5::readString(m.dataset, "units");
    m.source = h5::readString(m.dataset, "source", std::filesystem::path(path).filename().string());
    m.dt = h5::readDouble(m.dataset, "dt", 1.0);
    m.dx = h5::readDouble(m.dataset, "dx", 1.0);
  });
#else
  (void)field;
  throw InputError(path + ": this build reads datasets on demand only from HDF5, and it was built without HDF5");
#endif
}

SnapshotReader::~SnapshotReader() = default;
SnapshotReader::SnapshotReader(SnapshotReader&&) noexcept = default;
SnapshotReader& SnapshotReader::operator=(SnapshotReader&&) noexcept = default;

const std::string& SnapshotReader::path() const
{
  return impl_->path;
}
const std::string& SnapshotReader::name() const
{
  return impl_->name;
}
int SnapshotReader::snapshots() const
{
  return impl_->t;
}
int SnapshotReader::height() const
{
  return impl_->h;
}
int SnapshotReader::width() const
{
  return impl_->w;
}
std::int64_t SnapshotReader::bytesInMemory() const
{
  return static_cast<std::int64_t>(impl_->t) * impl_->h * impl_->w * static_cast<std::int64_t>(sizeof(float));
}
bool SnapshotReader::compressed() const
{
  return impl_->compressed;
}

bool SnapshotReader::hasMask() const
{
  return impl_->valid.h > 0;
}
const Map2D& SnapshotReader::valid() const
{
  return impl_->valid;
}
std::size_t SnapshotReader::validCells() const
{
  return impl_->validCells;
}
double SnapshotReader::originalMin() const
{
  return impl_->originalMin;
}
double SnapshotReader::originalMax() const
{
  return impl_->originalMax;
}
bool SnapshotReader::hasScaling() const
{
  return impl_->hasScaling;
}
const std::string& SnapshotReader::units() const
{
  return impl_->units;
}
const std::string& SnapshotReader::source() const
{
  return impl_->source;
}
double SnapshotReader::dt() const
{
  return impl_->dt;
}
double SnapshotReader::dx() const
{
  return impl_->dx;
}

bool SnapshotReader::unchanged() const noexcept
{
  try
  {
    return changeOf(impl_->path, impl_->identity).empty();
  }
  catch (...)
  {
    return false;
  }
}

void SnapshotReader::checkUnchanged() const
{
  const std::string change = changeOf(impl_->path, impl_->identity);
  if (!change.empty())
  {
    throw InputError(impl_->path + ": the file " + change +
                     "; its snapshots can no longer be read: open the file again (File → Open, or run the command "
                     "again) to see what it holds now");
  }
}

Field SnapshotReader::snapshot(int t)
{
  Impl& m = *impl_;
  if (t < 0 || t >= m.t)
  {
    throw InputError(m.path + ": snapshot " + std::to_string(t) + " is out of range (0.." + std::to_string(m.t - 1) +
                     ")");
  }
  checkUnchanged();
  Field f(1, m.h, m.w);
#ifdef MRCAE_WITH_HDF5
  h5::guarded(m.path, "cannot read snapshot " + std::to_string(t) + " (was the file changed?)", [&] {
    hsize_t count[3] = {1, static_cast<hsize_t>(m.h), static_cast<hsize_t>(m.w)};
    hsize_t offset[3] = {static_cast<hsize_t>(t), 0, 0};
    H5::DataSpace fileSpace = m.dataset.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, count, offset);
    H5::DataSpace memSpace(3, count);
    m.dataset.read(f.data.data(), H5::PredType::NATIVE_FLOAT, memSpace, fileSpace);
  });
  // A change during the read (between the check and the end of the read) must not pass for data either.
  checkUnchanged();
#endif
  return f;
}

SnapshotReader::Scan SnapshotReader::scan(const std::function<bool(int, int)>& progress)
{
  Impl& m = *impl_;
  Scan s;
  const bool masked = hasMask();
  const size_t frame = static_cast<size_t>(m.h) * m.w;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  // The hash of the full load, assuming its scaling is the identity (values already in [0,1] with min 0 and
  // max 1, as our files hold them); recomputed below otherwise.
  ContentHash identityHash;
  const int dims[3] = {m.t, m.h, m.w};
  identityHash.mix(dims, sizeof(dims));
  for (int k = 0; k < m.t; ++k)
  {
    Field f = snapshot(k);
    for (size_t p = 0; p < frame; ++p)
    {
      float& v = f.data[p];
      if (masked && m.valid.data[p] <= 0.5f)
      {
        v = 0.0f;
        continue;
      }
      if (!std::isfinite(v))
      {
        s.finite = false;
        continue;
      }
      lo = std::min(lo, static_cast<double>(v));
      hi = std::max(hi, static_cast<double>(v));
    }
    identityHash.mix(f.data.data(), frame * sizeof(float));
    s.snapshotsRead = k + 1;
    if (progress && !progress(k + 1, m.t))
    {
      return s;
    }
  }
  s.min = lo;
  s.max = hi;
  if (!s.finite || !(hi > lo))
  {
    return s;
  }
  if (lo == 0.0 && hi == 1.0)
  {
    s.contentHash = identityHash.hex();
    return s;
  }
  // The same arithmetic as Dataset::fromRaw, then the same hash as Dataset::contentHash.
  ContentHash hash;
  hash.mix(dims, sizeof(dims));
  const double scale = 1.0 / (hi - lo);
  for (int k = 0; k < m.t; ++k)
  {
    Field f = snapshot(k);
    for (size_t p = 0; p < frame; ++p)
    {
      float& v = f.data[p];
      v = (masked && m.valid.data[p] <= 0.5f) ? 0.0f : static_cast<float>((v - lo) * scale);
    }
    hash.mix(f.data.data(), frame * sizeof(float));
  }
  s.contentHash = hash.hex();
  return s;
}

} // namespace mrcae
