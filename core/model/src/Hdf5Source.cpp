#include "Hdf5Source.h"

#include "Hdf5Util.h"
#include "mrcae/model/InputError.h"

#include <cmath>

namespace mrcae
{

struct Hdf5Source::Handles
{
  H5::H5File file;
  H5::DataSet ds;
};

namespace
{

std::string typeName(const H5::DataSet& ds, bool* numeric)
{
  const H5T_class_t cls = ds.getTypeClass();
  *numeric = cls == H5T_FLOAT || cls == H5T_INTEGER;
  switch (cls)
  {
  case H5T_FLOAT: return "float" + std::to_string(8 * ds.getFloatType().getSize());
  case H5T_INTEGER:
  {
    H5::IntType t = ds.getIntType();
    return std::string(t.getSign() == H5T_SGN_NONE ? "uint" : "int") + std::to_string(8 * t.getSize());
  }
  case H5T_STRING: return "string";
  case H5T_COMPOUND: return "compound";
  case H5T_ENUM: return "enum";
  case H5T_ARRAY: return "array";
  case H5T_VLEN: return "vlen";
  case H5T_OPAQUE: return "opaque";
  case H5T_BITFIELD: return "bitfield";
  case H5T_REFERENCE: return "reference";
  default: return "unknown";
  }
}

ArrayInfo describe(const H5::DataSet& ds, const std::string& fullPath)
{
  ArrayInfo info;
  info.name = fullPath;
  info.type = typeName(ds, &info.numeric);
  for (hsize_t d : h5::shapeOf(ds))
  {
    info.shape.push_back(static_cast<long long>(d));
  }
  info.units = h5::readString(ds, "units");
  info.longName = h5::readString(ds, "long_name");
  return info;
}

void listGroup(const H5::Group& g, const std::string& prefix, std::vector<ArrayInfo>& out)
{
  for (hsize_t i = 0; i < g.getNumObjs(); ++i)
  {
    const std::string name = g.getObjnameByIdx(i);
    const H5G_obj_t type = g.getObjTypeByIdx(i);
    if (type == H5G_DATASET)
    {
      out.push_back(describe(g.openDataSet(name), prefix + name));
    }
    else if (type == H5G_GROUP)
    {
      listGroup(g.openGroup(name), prefix + name + "/", out);
    }
  }
}

/// A numeric attribute as doubles; empty when absent or not numeric. `sameType`: stored in the dataset's type.
std::vector<double> numberAttribute(const H5::DataSet& ds, const char* name, bool* sameType = nullptr)
{
  if (!ds.attrExists(name))
  {
    return {};
  }
  H5::Attribute a = ds.openAttribute(name);
  if (a.getTypeClass() != H5T_FLOAT && a.getTypeClass() != H5T_INTEGER)
  {
    return {};
  }
  const hssize_t n = a.getSpace().getSimpleExtentNpoints();
  if (n < 1)
  {
    return {};
  }
  std::vector<double> v(static_cast<size_t>(n));
  a.read(H5::PredType::NATIVE_DOUBLE, v.data());
  if (sameType)
  {
    *sameType = a.getDataType() == ds.getDataType();
  }
  return v;
}

} // namespace

Hdf5Source::~Hdf5Source() = default;

std::vector<ArrayInfo> Hdf5Source::list(const std::string& path)
{
  H5::H5File file = h5::openForReading(path);
  std::vector<ArrayInfo> out;
  h5::guarded(path, "cannot list the datasets", [&] { listGroup(file.openGroup("/"), "/", out); });
  return out;
}

bool Hdf5Source::isOwnLayout(const std::string& path)
{
  H5::H5File file = h5::openForReading(path);
  bool own = false;
  h5::guarded(path, "cannot read the file", [&] {
    if (file.nameExists("fields") && file.childObjType("fields") == H5O_TYPE_GROUP)
    {
      H5::Group g = file.openGroup("fields");
      for (hsize_t i = 0; i < g.getNumObjs() && !own; ++i)
      {
        own = g.getObjTypeByIdx(i) == H5G_DATASET;
      }
    }
  });
  return own;
}

std::unique_ptr<Hdf5Source> Hdf5Source::open(const std::string& path, const std::string& dataset)
{
  const std::string full = dataset.empty() || dataset[0] != '/' ? "/" + dataset : dataset;
  std::vector<ArrayInfo> all = list(path);
  const ArrayInfo* found = nullptr;
  std::string names;
  for (const auto& a : all)
  {
    if (a.name == full)
    {
      found = &a;
    }
    if (a.numeric && a.shape.size() >= 3)
    {
      names += (names.empty() ? "" : ", ") + a.name;
    }
  }
  if (!found)
  {
    throw InputError(Problem::UnknownChoice,
                     SettingText() << path << ": no dataset '" << full << "'"
                                   << (names.empty() ? std::string(" (the file has no dataset of rank 3 or more)")
                                                     : " (datasets of rank 3 or more: " + names + ")")
                                   << "; see " << Setting::VariableList,
                     Setting::Variable, full);
  }
  std::unique_ptr<Hdf5Source> src(new Hdf5Source());
  src->path_ = path;
  src->info_ = *found;
  if (!src->info_.numeric)
  {
    throw InputError(path + ": dataset '" + full + "' has type " + src->info_.type +
                     ", which cannot be imported: choose a numeric dataset (integer or floating point)");
  }
  src->h_ = std::make_unique<Handles>();
  h5::guarded(path, "cannot open dataset '" + full + "'", [&] {
    src->h_->file = h5::openForReading(path);
    src->h_->ds = src->h_->file.openDataSet(full);
  });
  return src;
}

CfDecoder Hdf5Source::decoder() const
{
  CfDecoder d;
  h5::guarded(path_, "cannot read the attributes of '" + info_.name + "'", [&] {
    const H5::DataSet& ds = h_->ds;
    const bool isFloat32 = info_.type == "float32";
    auto asStored = [&](double v) { return isFloat32 ? static_cast<double>(static_cast<float>(v)) : v; };
    for (const char* name : {"_FillValue", "missing_value"})
    {
      for (double v : numberAttribute(ds, name))
      {
        d.fills.push_back(asStored(v));
        d.nanIsFill = d.nanIsFill || std::isnan(v);
      }
    }
    bool same = true;
    std::vector<double> range = numberAttribute(ds, "valid_range", &same);
    if (range.size() == 2)
    {
      d.validMin = asStored(range[0]);
      d.validMax = asStored(range[1]);
      d.validRangeIsPacked = same;
    }
    else
    {
      std::vector<double> lo = numberAttribute(ds, "valid_min", &same);
      if (!lo.empty())
      {
        d.validMin = asStored(lo[0]);
        d.validRangeIsPacked = same;
      }
      std::vector<double> hi = numberAttribute(ds, "valid_max", &same);
      if (!hi.empty())
      {
        d.validMax = asStored(hi[0]);
        d.validRangeIsPacked = same;
      }
    }
    std::vector<double> scale = numberAttribute(ds, "scale_factor");
    std::vector<double> offset = numberAttribute(ds, "add_offset");
    d.packed = !scale.empty() || !offset.empty();
    d.scale = scale.empty() ? 1.0 : scale[0];
    d.offset = offset.empty() ? 0.0 : offset[0];
  });
  return d;
}

void Hdf5Source::read(const std::vector<long long>& start, const std::vector<long long>& count, double* out)
{
  h5::guarded(path_, "cannot read dataset '" + info_.name + "'", [&] {
    std::vector<hsize_t> s(start.begin(), start.end()), c(count.begin(), count.end());
    H5::DataSpace fileSpace = h_->ds.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, c.data(), s.data());
    hsize_t n = 1;
    for (hsize_t k : c)
    {
      n *= k;
    }
    H5::DataSpace memSpace(1, &n);
    h_->ds.read(out, H5::PredType::NATIVE_DOUBLE, memSpace, fileSpace);
  });
}

} // namespace mrcae
