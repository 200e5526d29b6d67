#include "NetcdfSource.h"

#include "mrcae/model/InputError.h"

#include <netcdf.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace mrcae
{

namespace
{

void check(int status, const std::string& path, const std::string& what)
{
  if (status != NC_NOERR)
  {
    throw InputError(path + ": " + what + " (NetCDF: " + nc_strerror(status) + ")");
  }
}

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string typeName(int ncid, nc_type t)
{
  switch (t)
  {
  case NC_BYTE: return "byte";
  case NC_UBYTE: return "ubyte";
  case NC_CHAR: return "char";
  case NC_SHORT: return "short";
  case NC_USHORT: return "ushort";
  case NC_INT: return "int";
  case NC_UINT: return "uint";
  case NC_INT64: return "int64";
  case NC_UINT64: return "uint64";
  case NC_FLOAT: return "float";
  case NC_DOUBLE: return "double";
  case NC_STRING: return "string";
  default: break;
  }
  int cls = 0;
  if (nc_inq_user_type(ncid, t, nullptr, nullptr, nullptr, nullptr, &cls) == NC_NOERR)
  {
    switch (cls)
    {
    case NC_VLEN: return "vlen";
    case NC_OPAQUE: return "opaque";
    case NC_ENUM: return "enum";
    case NC_COMPOUND: return "compound";
    default: break;
    }
  }
  return "user-defined";
}

bool isNumeric(nc_type t)
{
  return t == NC_BYTE || t == NC_UBYTE || t == NC_SHORT || t == NC_USHORT || t == NC_INT || t == NC_UINT ||
         t == NC_INT64 || t == NC_UINT64 || t == NC_FLOAT || t == NC_DOUBLE;
}

/// A text attribute (NC_CHAR or a single NC_STRING), empty when absent or of another type.
std::string textAttribute(int grp, int varid, const char* name)
{
  nc_type t = 0;
  size_t len = 0;
  if (nc_inq_att(grp, varid, name, &t, &len) != NC_NOERR)
  {
    return "";
  }
  if (t == NC_CHAR)
  {
    std::string s(len, '\0');
    if (nc_get_att_text(grp, varid, name, s.data()) != NC_NOERR)
    {
      return "";
    }
    return std::string(s.c_str());
  }
  if (t == NC_STRING && len == 1)
  {
    char* value = nullptr;
    if (nc_get_att_string(grp, varid, name, &value) != NC_NOERR)
    {
      return "";
    }
    std::string s = value ? value : "";
    nc_free_string(1, &value);
    return s;
  }
  return "";
}

/// A numeric attribute as doubles, with its type; empty when absent or not numeric.
std::vector<double> numberAttribute(int grp, int varid, const char* name, nc_type* type = nullptr)
{
  nc_type t = 0;
  size_t len = 0;
  if (nc_inq_att(grp, varid, name, &t, &len) != NC_NOERR || !isNumeric(t) || len == 0)
  {
    return {};
  }
  std::vector<double> v(len);
  if (nc_get_att_double(grp, varid, name, v.data()) != NC_NOERR)
  {
    return {};
  }
  if (type)
  {
    *type = t;
  }
  return v;
}

/// A value as the variable's own type stores it, so that comparisons with raw values are exact
/// (a double missing_value of -1e34 on a float variable means the float -1e34f).
double asStored(double v, nc_type t)
{
  if (t == NC_FLOAT)
  {
    return static_cast<double>(static_cast<float>(v));
  }
  return v;
}

/// The variable `name` in group `grp` or one of its parents (CF coordinate variables may sit higher up).
bool findInScope(int grp, const std::string& name, int* foundGroup, int* varid)
{
  for (int g = grp;;)
  {
    if (nc_inq_varid(g, name.c_str(), varid) == NC_NOERR)
    {
      *foundGroup = g;
      return true;
    }
    int parent = 0;
    if (nc_inq_grp_parent(g, &parent) != NC_NOERR)
    {
      return false;
    }
    g = parent;
  }
}

bool isUnlimited(int grp, int dimid)
{
  for (int g = grp;;)
  {
    int n = 0;
    if (nc_inq_unlimdims(g, &n, nullptr) == NC_NOERR && n > 0)
    {
      std::vector<int> ids(n);
      nc_inq_unlimdims(g, &n, ids.data());
      if (std::find(ids.begin(), ids.end(), dimid) != ids.end())
      {
        return true;
      }
    }
    int parent = 0;
    if (nc_inq_grp_parent(g, &parent) != NC_NOERR)
    {
      return false;
    }
    g = parent;
  }
}

/// Does dimension `dimid` (named `name`) look like time? Its coordinate's CF attributes first, then its name,
/// then whether it is the record (unlimited) dimension.
bool looksLikeTime(int grp, int dimid, const std::string& name)
{
  int cg = 0, cv = 0;
  if (findInScope(grp, name, &cg, &cv))
  {
    if (lower(textAttribute(cg, cv, "axis")) == "t" || lower(textAttribute(cg, cv, "standard_name")) == "time" ||
        lower(textAttribute(cg, cv, "units")).find(" since ") != std::string::npos)
    {
      return true;
    }
  }
  const std::string n = lower(name);
  if (n.find("time") != std::string::npos || n == "t" || n == "date" || n == "month" || n == "months" || n == "day" ||
      n == "days" || n == "year" || n == "years")
  {
    return true;
  }
  return isUnlimited(grp, dimid);
}

ArrayInfo describe(int grp, int varid, const std::string& fullName)
{
  ArrayInfo info;
  info.name = fullName;
  nc_type t = 0;
  int ndims = 0;
  nc_inq_var(grp, varid, nullptr, &t, &ndims, nullptr, nullptr);
  std::vector<int> dimids(std::max(ndims, 1));
  nc_inq_vardimid(grp, varid, dimids.data());
  info.type = typeName(grp, t);
  info.numeric = isNumeric(t);
  info.units = textAttribute(grp, varid, "units");
  info.longName = textAttribute(grp, varid, "long_name");
  for (int d = 0; d < ndims; ++d)
  {
    char name[NC_MAX_NAME + 1] = {0};
    size_t len = 0;
    nc_inq_dim(grp, dimids[d], name, &len);
    info.dims.emplace_back(name);
    info.shape.push_back(static_cast<long long>(len));
  }
  const std::string base = fullName.substr(fullName.rfind('/') + 1);
  info.coordinate = ndims == 1 && info.dims[0] == base;
  for (int d = 0; d < ndims && info.timeAxis < 0; ++d)
  {
    if (looksLikeTime(grp, dimids[d], info.dims[d]))
    {
      info.timeAxis = d;
    }
  }
  return info;
}

void listGroup(int grp, const std::string& prefix, std::vector<ArrayInfo>& out)
{
  int nvars = 0;
  nc_inq_nvars(grp, &nvars);
  for (int v = 0; v < nvars; ++v)
  {
    char name[NC_MAX_NAME + 1] = {0};
    nc_inq_varname(grp, v, name);
    out.push_back(describe(grp, v, prefix + name));
  }
  int ngrps = 0;
  if (nc_inq_grps(grp, &ngrps, nullptr) == NC_NOERR && ngrps > 0)
  {
    std::vector<int> ids(ngrps);
    nc_inq_grps(grp, &ngrps, ids.data());
    for (int g : ids)
    {
      char name[NC_MAX_NAME + 1] = {0};
      nc_inq_grpname(g, name);
      listGroup(g, prefix + name + "/", out);
    }
  }
}

bool hasPhonyDims(int grp)
{
  int ndims = 0;
  if (nc_inq_dimids(grp, &ndims, nullptr, 0) == NC_NOERR && ndims > 0)
  {
    std::vector<int> ids(ndims);
    nc_inq_dimids(grp, &ndims, ids.data(), 0);
    for (int d : ids)
    {
      char name[NC_MAX_NAME + 1] = {0};
      nc_inq_dimname(grp, d, name);
      if (std::string(name).rfind("phony_dim_", 0) == 0)
      {
        return true;
      }
    }
  }
  int ngrps = 0;
  if (nc_inq_grps(grp, &ngrps, nullptr) == NC_NOERR && ngrps > 0)
  {
    std::vector<int> ids(ngrps);
    nc_inq_grps(grp, &ngrps, ids.data());
    for (int g : ids)
    {
      if (hasPhonyDims(g))
      {
        return true;
      }
    }
  }
  return false;
}

int openFile(const std::string& path)
{
  int ncid = -1;
  check(nc_open(path.c_str(), NC_NOWRITE, &ncid), path, "cannot open as NetCDF");
  return ncid;
}

/// Closes the file when an exception leaves open() before a NetcdfSource owns it.
struct FileGuard
{
  int ncid;
  bool release = false;
  ~FileGuard()
  {
    if (!release)
    {
      nc_close(ncid);
    }
  }
};

} // namespace

std::vector<ArrayInfo> NetcdfSource::list(const std::string& path)
{
  FileGuard file{openFile(path)};
  std::vector<ArrayInfo> out;
  listGroup(file.ncid, "", out);
  return out;
}

bool NetcdfSource::opensAsNetcdf4(const std::string& path)
{
  int ncid = -1;
  if (nc_open(path.c_str(), NC_NOWRITE, &ncid) != NC_NOERR)
  {
    return false;
  }
  int fmt = 0;
  nc_inq_format(ncid, &fmt);
  const bool ok = (fmt == NC_FORMAT_NETCDF4 || fmt == NC_FORMAT_NETCDF4_CLASSIC) && !hasPhonyDims(ncid);
  nc_close(ncid);
  return ok;
}

std::unique_ptr<NetcdfSource> NetcdfSource::open(const std::string& path, const std::string& variable)
{
  FileGuard file{openFile(path)};
  // "grp1/sub/T": walk down the groups, then find the variable in the last one.
  std::string name = variable;
  if (!name.empty() && name[0] == '/')
  {
    name.erase(0, 1);
  }
  int grp = file.ncid;
  size_t pos = 0;
  bool found = true;
  for (size_t slash; (slash = name.find('/', pos)) != std::string::npos; pos = slash + 1)
  {
    int child = 0;
    if (nc_inq_grp_ncid(grp, name.substr(pos, slash - pos).c_str(), &child) != NC_NOERR)
    {
      found = false;
      break;
    }
    grp = child;
  }
  int varid = -1;
  if (!found || nc_inq_varid(grp, name.substr(pos).c_str(), &varid) != NC_NOERR)
  {
    std::vector<ArrayInfo> all;
    listGroup(file.ncid, "", all);
    std::string names;
    for (const auto& a : all)
    {
      if (a.numeric && a.shape.size() >= 3)
      {
        names += (names.empty() ? "" : ", ") + a.name;
      }
    }
    throw InputError(Problem::UnknownChoice,
                     SettingText() << path << ": no variable '" << variable << "'"
                                   << (names.empty()
                                           ? std::string(" (the file has no variable of 3 or more dimensions)")
                                           : " (variables with 3 or more dimensions: " + names + ")")
                                   << "; see " << Setting::VariableList,
                     Setting::Variable, variable);
  }
  std::unique_ptr<NetcdfSource> src(new NetcdfSource(path, file.ncid));
  file.release = true;
  src->group_ = grp;
  src->varid_ = varid;
  src->info_ = describe(grp, varid, name);
  nc_type t = 0;
  nc_inq_vartype(grp, varid, &t);
  src->type_ = t;
  if (!src->info_.numeric)
  {
    throw InputError(path + ": variable '" + name + "' has type " + src->info_.type +
                     (t == NC_CHAR || t == NC_STRING ? " (text)" : "") +
                     ", which cannot be imported: choose a numeric variable (byte, short, int, float, double, ...)");
  }
  src->unsigned_ =
      (t == NC_BYTE || t == NC_SHORT || t == NC_INT) && lower(textAttribute(grp, varid, "_Unsigned")) == "true";
  return src;
}

NetcdfSource::~NetcdfSource()
{
  if (ncid_ >= 0)
  {
    nc_close(ncid_);
  }
}

CfDecoder NetcdfSource::decoder() const
{
  CfDecoder d;
  const nc_type t = static_cast<nc_type>(type_);
  auto toRaw = [&](double v) {
    // _Unsigned data: attributes are stored signed like the data; read() shifts both the same way.
    if (unsigned_ && v < 0)
    {
      const int bits = t == NC_BYTE ? 8 : t == NC_SHORT ? 16 : 32;
      v += std::ldexp(1.0, bits);
    }
    return asStored(v, t);
  };
  std::vector<double> fill = numberAttribute(group_, varid_, "_FillValue");
  if (!fill.empty())
  {
    d.fills.push_back(toRaw(fill[0]));
  }
  else if (t != NC_BYTE && t != NC_UBYTE)
  {
    // No _FillValue: unwritten cells hold the library's default fill (NUG; not for bytes, whose default is
    // a plausible value).
    int noFill = 0;
    double value = 0;
    if (nc_inq_var_fill(group_, varid_, &noFill, nullptr) == NC_NOERR && !noFill)
    {
      switch (t)
      {
      case NC_SHORT: value = NC_FILL_SHORT; break;
      case NC_USHORT: value = NC_FILL_USHORT; break;
      case NC_INT: value = NC_FILL_INT; break;
      case NC_UINT: value = NC_FILL_UINT; break;
      case NC_INT64: value = static_cast<double>(NC_FILL_INT64); break;
      case NC_UINT64: value = static_cast<double>(NC_FILL_UINT64); break;
      case NC_FLOAT: value = static_cast<double>(NC_FILL_FLOAT); break;
      default: value = NC_FILL_DOUBLE; break;
      }
      if (!unsigned_)
      {
        d.fills.push_back(value);
      }
    }
  }
  for (double m : numberAttribute(group_, varid_, "missing_value"))
  {
    d.fills.push_back(toRaw(m));
  }
  for (double f : d.fills)
  {
    d.nanIsFill = d.nanIsFill || std::isnan(f);
  }
  nc_type vt = 0;
  std::vector<double> range = numberAttribute(group_, varid_, "valid_range", &vt);
  if (range.size() == 2)
  {
    d.validMin = toRaw(range[0]);
    d.validMax = toRaw(range[1]);
    d.validRangeIsPacked = vt == t;
  }
  else
  {
    nc_type minType = 0, maxType = 0;
    std::vector<double> lo = numberAttribute(group_, varid_, "valid_min", &minType);
    std::vector<double> hi = numberAttribute(group_, varid_, "valid_max", &maxType);
    if (!lo.empty())
    {
      d.validMin = toRaw(lo[0]);
      d.validRangeIsPacked = minType == t;
    }
    if (!hi.empty())
    {
      d.validMax = toRaw(hi[0]);
      d.validRangeIsPacked = maxType == t;
    }
  }
  std::vector<double> scale = numberAttribute(group_, varid_, "scale_factor");
  std::vector<double> offset = numberAttribute(group_, varid_, "add_offset");
  d.packed = !scale.empty() || !offset.empty();
  d.scale = scale.empty() ? 1.0 : scale[0];
  d.offset = offset.empty() ? 0.0 : offset[0];
  return d;
}

void NetcdfSource::read(const std::vector<long long>& start, const std::vector<long long>& count, double* out)
{
  std::vector<size_t> s(start.begin(), start.end()), c(count.begin(), count.end());
  check(nc_get_vara_double(group_, varid_, s.data(), c.data(), out), path_,
        "cannot read variable '" + info_.name + "'");
  if (unsigned_)
  {
    const nc_type t = static_cast<nc_type>(type_);
    const double wrap = std::ldexp(1.0, t == NC_BYTE ? 8 : t == NC_SHORT ? 16 : 32);
    size_t n = 1;
    for (long long k : count)
    {
      n *= static_cast<size_t>(k);
    }
    for (size_t i = 0; i < n; ++i)
    {
      out[i] = out[i] < 0 ? out[i] + wrap : out[i];
    }
  }
}

std::vector<double> NetcdfSource::coordinate(int axis)
{
  if (axis < 0 || axis >= static_cast<int>(info_.dims.size()))
  {
    return {};
  }
  int cg = 0, cv = 0;
  if (!findInScope(group_, info_.dims[axis], &cg, &cv))
  {
    return {};
  }
  nc_type t = 0;
  int ndims = 0;
  nc_inq_var(cg, cv, nullptr, &t, &ndims, nullptr, nullptr);
  if (ndims != 1 || !isNumeric(t))
  {
    return {};
  }
  int dimid = 0;
  size_t len = 0;
  nc_inq_vardimid(cg, cv, &dimid);
  nc_inq_dimlen(cg, dimid, &len);
  if (static_cast<long long>(len) != info_.shape[axis])
  {
    return {};
  }
  std::vector<double> values(len);
  if (len == 0 || nc_get_var_double(cg, cv, values.data()) != NC_NOERR)
  {
    return {};
  }
  return values;
}

std::string NetcdfSource::format() const
{
  int fmt = 0;
  nc_inq_format(ncid_, &fmt);
  switch (fmt)
  {
  case NC_FORMAT_NETCDF4:
  case NC_FORMAT_NETCDF4_CLASSIC: return "netcdf-4";
  case NC_FORMAT_64BIT_OFFSET: return "netcdf-64bit-offset";
  case NC_FORMAT_64BIT_DATA: return "netcdf-cdf5";
  default: return "netcdf-classic";
  }
}

} // namespace mrcae
