#include "mrcae/model/Importer.h"

#include "ArraySource.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Source.h"
#endif
#ifdef MRCAE_WITH_NETCDF
#include "NetcdfSource.h"
#endif

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace mrcae
{

std::string toString(MaskOverTime m)
{
  return m == MaskOverTime::Refuse ? "refuse" : "union";
}

MaskOverTime maskOverTimeFromString(const std::string& s)
{
  if (s == "union" || s.empty())
  {
    return MaskOverTime::Union;
  }
  if (s == "refuse")
  {
    return MaskOverTime::Refuse;
  }
  throw InputError("unknown mask mode '" + s + "': use union or refuse");
}

std::string ImportVariable::shapeText() const
{
  std::string s = dims.empty() ? "[" : "(";
  for (size_t a = 0; a < shape.size(); ++a)
  {
    if (dims.empty())
    {
      s += (a ? " x " : "") + std::to_string(shape[a]);
    }
    else
    {
      s += (a ? ", " : "") + dims[a] + "=" + std::to_string(shape[a]);
    }
  }
  return s + (dims.empty() ? "]" : ")");
}

bool netcdfAvailable()
{
#ifdef MRCAE_WITH_NETCDF
  return true;
#else
  return false;
#endif
}

namespace
{

enum class Reader
{
  Netcdf,   ///< classic / 64-bit offset / CDF5, or NetCDF-4 (an HDF5 file with named dimensions)
  Hdf5,     ///< any other HDF5 file
  OwnLayout ///< our /fields/<name> layout, read by DatasetIO
};

/// Looks at the first bytes: NetCDF classic starts with "CDF" and a version byte; HDF5 has its signature at
/// 0, 512, 1024 or 2048 (after a user block).
Reader chooseReader(const std::string& path, const std::string& format, const std::string& variable)
{
  if (!std::filesystem::exists(path))
  {
    throw InputError::fileNotFound(path);
  }
  if (std::filesystem::is_directory(path))
  {
    throw InputError(path + ": is a folder, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  char head[2056] = {0};
  in.read(head, sizeof(head));
  const std::streamsize n = in.gcount();
  const bool classic = n >= 4 && std::memcmp(head, "CDF", 3) == 0 && (head[3] == 1 || head[3] == 2 || head[3] == 5);
  bool hdf5 = false;
  for (std::streamsize at : {0, 512, 1024, 2048})
  {
    hdf5 = hdf5 || (n >= at + 8 && std::memcmp(head + at, "\x89HDF\r\n\x1a\n", 8) == 0);
  }
  if (format == "netcdf" || format == "hdf5")
  {
    if (!classic && !hdf5)
    {
      throw InputError(path + ": not a NetCDF or HDF5 file (unknown signature): import reads NetCDF (.nc, .cdf) "
                              "and HDF5 (.h5) files");
    }
    if (format == "hdf5" && classic)
    {
      throw InputError(Problem::Conflict,
                       SettingText() << path << ": a NetCDF classic file is not HDF5: leave out "
                                     << Setting::ImportFormat << " or pass " << Setting::ImportFormat << " netcdf",
                       Setting::ImportFormat, path);
    }
  }
  else if (!format.empty())
  {
    throw InputError(Problem::UnknownChoice,
                     SettingText() << "unknown " << Setting::ImportFormat << " '" << format
                                   << "': use netcdf or hdf5 (or leave it out)",
                     Setting::ImportFormat, format);
  }
  if (!classic && !hdf5)
  {
    throw InputError(path + ": not a NetCDF or HDF5 file (unknown signature): import reads NetCDF (.nc, .cdf) "
                            "and HDF5 (.h5) files; .npy stacks are read by mrcae train and info directly");
  }
  const bool netcdfBuilt = netcdfAvailable();
  if (classic || format == "netcdf")
  {
    if (!netcdfBuilt)
    {
      throw InputError(path + ": this build reads no NetCDF (it was built with MRCAE_WITH_NETCDF=OFF)");
    }
    return Reader::Netcdf;
  }
  if (!hdf5Available())
  {
#ifdef MRCAE_WITH_NETCDF
    // Without HDF5 of our own, the NetCDF library still reads NetCDF-4 (and many plain HDF5) files.
    return Reader::Netcdf;
#else
    throw InputError(path + ": this build reads no HDF5 (it was built without HDF5 and NetCDF)");
#endif
  }
#ifndef MRCAE_WITH_HDF5
  (void)variable; // only our own layout's field list is checked against it
#else
  if (format.empty() && Hdf5Source::isOwnLayout(path))
  {
    // Our layout, unless the variable names something outside /fields.
    std::vector<std::string> fields = listFields(path);
    std::string v = variable.rfind("/fields/", 0) == 0 ? variable.substr(8) : variable;
    if (v.empty() || std::find(fields.begin(), fields.end(), v) != fields.end())
    {
      return Reader::OwnLayout;
    }
  }
#endif
#ifdef MRCAE_WITH_NETCDF
  if (format.empty() && NetcdfSource::opensAsNetcdf4(path))
  {
    return Reader::Netcdf;
  }
#endif
  return Reader::Hdf5;
}

std::unique_ptr<ArraySource> openSource(Reader reader, const std::string& path, const std::string& variable)
{
#ifdef MRCAE_WITH_NETCDF
  if (reader == Reader::Netcdf)
  {
    return NetcdfSource::open(path, variable);
  }
#endif
#ifdef MRCAE_WITH_HDF5
  if (reader == Reader::Hdf5)
  {
    return Hdf5Source::open(path, variable);
  }
#endif
  (void)reader;
  (void)variable;
  throw InputError(path + ": no reader for this file in this build");
}

std::vector<ImportVariable> listSource(Reader reader, const std::string& path)
{
#ifdef MRCAE_WITH_NETCDF
  if (reader == Reader::Netcdf)
  {
    return NetcdfSource::list(path);
  }
#endif
#ifdef MRCAE_WITH_HDF5
  if (reader == Reader::Hdf5 || reader == Reader::OwnLayout)
  {
    return Hdf5Source::list(path);
  }
#endif
  (void)reader;
  throw InputError(path + ": no reader for this file in this build");
}

/// The variable to read when none is named: the only candidate, or an error listing them.
std::string pickVariable(Reader reader, const std::string& path)
{
  std::vector<std::string> names;
  for (const auto& v : listSource(reader, path))
  {
    if (v.importable())
    {
      names.push_back(v.name);
    }
  }
  if (names.size() == 1)
  {
    return names.front();
  }
  if (names.empty())
  {
    throw InputError(Problem::BadFile,
                     SettingText() << path
                                   << ": no numeric variable with 3 or more dimensions (time, y, x) to import (see "
                                   << Setting::VariableList << ")",
                     Setting::Variable, path);
  }
  std::string list;
  for (const auto& n : names)
  {
    list += (list.empty() ? "" : ", ") + n;
  }
  throw InputError(Problem::Other,
                   SettingText() << path << ": choose a variable with " << Setting::Variable << " (candidates: " << list
                                 << ")",
                   Setting::Variable, path);
}

std::string axisLabel(const ImportVariable& v, int axis)
{
  return v.dims.empty() ? "axis " + std::to_string(axis) : v.dims[axis];
}

/// "lev" / "2" (of the axis index or the time axis): an axis number, or a dimension name of a NetCDF variable.
int resolveAxis(const std::string& spec, const ImportVariable& v, Setting option)
{
  const int rank = static_cast<int>(v.shape.size());
  const bool number =
      !spec.empty() && std::all_of(spec.begin(), spec.end(), [](unsigned char c) { return std::isdigit(c); });
  if (number)
  {
    const long long a = std::stoll(spec);
    if (a >= rank)
    {
      throw InputError(Problem::OutOfRange,
                       SettingText() << option << " " << spec << ": '" << v.name << "' has " << rank << " axes "
                                     << v.shapeText() << ", numbered 0.." << rank - 1,
                       option, spec);
    }
    return static_cast<int>(a);
  }
  for (int a = 0; a < rank && !v.dims.empty(); ++a)
  {
    if (v.dims[a] == spec)
    {
      return a;
    }
  }
  if (v.dims.empty())
  {
    throw InputError(Problem::UnknownChoice,
                     SettingText() << option << " " << spec
                                   << ": HDF5 datasets have no axis names; give an axis number 0.." << rank - 1
                                   << " of " << v.shapeText(),
                     option, spec);
  }
  throw InputError(Problem::UnknownChoice,
                   SettingText() << option << " " << spec << ": '" << v.name << "' has no dimension '" << spec
                                 << "' (its dimensions: " << v.shapeText() << ")",
                   option, spec);
}

/// The axes of the import: which is time, which two form the snapshot, and where the others are held.
struct Axes
{
  int time = 0;
  int y = 0;
  int x = 0;
  std::vector<long long> fixedIndex; ///< per axis; -1 for time, y and x
  std::vector<SettingText> notes;
};

Axes resolveAxes(const ImportVariable& v, const ImportOptions& o, Reader reader, const std::string& path)
{
  const int rank = static_cast<int>(v.shape.size());
  const std::string what = (reader == Reader::Netcdf ? "variable '" : "dataset '") + v.name + "'";
  if (rank < 3)
  {
    throw InputError(Problem::BadData,
                     SettingText() << path << ": " << what << " has " << rank
                                   << (rank == 1 ? " dimension " : " dimensions ") << v.shapeText() << ": "
                                   << (rank == 2 ? "one 2-D snapshot, no time axis" : "no 2-D snapshots")
                                   << "; MrCAE needs a stack of 2-D snapshots: choose a variable with 3 or more "
                                      "dimensions (time, y, x), see "
                                   << Setting::VariableList,
                     Setting::Variable, path);
  }
  Axes axes;
  axes.fixedIndex.assign(rank, -1);
  if (!o.timeAxis.empty())
  {
    axes.time = resolveAxis(o.timeAxis, v, Setting::TimeAxis);
  }
  else if (reader == Reader::Netcdf)
  {
    if (v.timeAxis < 0)
    {
      throw InputError(Problem::Other,
                       SettingText() << path << ": " << what << " " << v.shapeText()
                                     << " has no time axis (no dimension is named or marked as time): pass "
                                     << Setting::TimeAxis << " NAME to take the snapshots along one of its dimensions",
                       Setting::TimeAxis, path);
    }
    axes.time = v.timeAxis;
  }
  else if (rank == 3)
  {
    axes.time = 0;
    axes.notes.push_back(SettingText() << "time axis: axis 0 of " << v.shapeText() << " (pass " << Setting::TimeAxis
                                       << " N to choose another)");
  }
  else
  {
    throw InputError(Problem::Other,
                     SettingText() << path << ": " << what << " has rank " << rank << " " << v.shapeText()
                                   << ": choose the axes: pass " << Setting::TimeAxis << " N (0.." << rank - 1
                                   << ") and " << Setting::AxisIndex
                                   << " AXIS=I for each axis that is neither time nor the 2-D snapshot",
                     Setting::TimeAxis, path);
  }
  for (const auto& ai : o.indices)
  {
    const int a = resolveAxis(ai.axis, v, Setting::AxisIndex);
    if (a == axes.time)
    {
      throw InputError(Problem::Conflict,
                       SettingText() << Setting::AxisIndex << " " << ai.axis << ": " << axisLabel(v, a)
                                     << " is the time axis; fix another axis, or choose another " << Setting::TimeAxis,
                       Setting::AxisIndex, ai.axis);
    }
    if (axes.fixedIndex[a] >= 0)
    {
      throw InputError(Problem::Conflict, SettingText() << Setting::AxisIndex << " " << ai.axis << " is given twice",
                       Setting::AxisIndex, ai.axis);
    }
    if (ai.index < 0 || ai.index >= v.shape[a])
    {
      throw InputError(Problem::OutOfRange,
                       SettingText() << Setting::AxisIndex << " " << ai.axis << "=" << ai.index
                                     << " is out of range: " << axisLabel(v, a) << " has " << v.shape[a]
                                     << " entries (0.." << v.shape[a] - 1 << ")",
                       Setting::AxisIndex, ai.axis,
                       {{"value", double(ai.index)}, {"min", 0.0}, {"max", double(v.shape[a] - 1)}});
    }
    axes.fixedIndex[a] = ai.index;
  }
  auto freeAxes = [&] {
    std::vector<int> f;
    for (int a = 0; a < rank; ++a)
    {
      if (a != axes.time && axes.fixedIndex[a] < 0)
      {
        f.push_back(a);
      }
    }
    return f;
  };
  std::vector<int> free = freeAxes();
  // An axis with a single entry needs no choice.
  for (int a : std::vector<int>(free))
  {
    if (free.size() > 2 && v.shape[a] == 1)
    {
      axes.fixedIndex[a] = 0;
      free = freeAxes();
      axes.notes.push_back(axisLabel(v, a) + " held at 0 (its only entry)");
    }
  }
  if (free.size() > 2)
  {
    SettingText pass;
    for (size_t i = 0; i + 2 < free.size(); ++i)
    {
      const int a = free[i];
      const std::string name = v.dims.empty() ? std::to_string(a) : v.dims[a];
      pass << (i == 0 ? "" : " ") << Setting::AxisIndex << " " << name << "=I (0.." << v.shape[a] - 1 << ")";
    }
    SettingText alt;
    if (v.shape[axes.time] == 1)
    {
      const int a = free.front();
      alt << "; " << axisLabel(v, axes.time) << " has a single entry: " << Setting::TimeAxis << " "
          << (v.dims.empty() ? std::to_string(a) : v.dims[a]) << " takes the snapshots along " << axisLabel(v, a);
    }
    throw InputError(Problem::Other,
                     SettingText() << path << ": " << what << " " << v.shapeText()
                                   << " has more axes than time and a 2-D snapshot (time axis: "
                                   << axisLabel(v, axes.time) << "): choose the slice: pass " << pass << alt,
                     Setting::AxisIndex, path);
  }
  if (free.size() < 2)
  {
    throw InputError(Problem::Conflict,
                     SettingText() << Setting::AxisIndex << " fixes too many axes of " << v.shapeText()
                                   << ": besides the time axis (" << axisLabel(v, axes.time)
                                   << ") two must stay free for the 2-D snapshot",
                     Setting::AxisIndex);
  }
  axes.y = free[0];
  axes.x = free[1];
  return axes;
}

std::string joinIndices(const std::vector<long long>& v, size_t max = 8)
{
  std::string s;
  for (size_t i = 0; i < v.size() && i < max; ++i)
  {
    s += (i ? ", " : "") + std::to_string(v[i]);
  }
  if (v.size() > max)
  {
    s += ", ... (" + std::to_string(v.size()) + " in all)";
  }
  return s;
}

/// "snapshot 17 is" / "snapshots 3, 4 are".
std::string snapshotsAre(const std::vector<long long>& v)
{
  return (v.size() == 1 ? "snapshot " : "snapshots ") + joinIndices(v) + (v.size() == 1 ? " is" : " are");
}

/// A name usable as /fields/<name>: the variable's last path component without spaces or slashes.
std::string fieldName(const std::string& variable)
{
  std::string n = variable.substr(variable.rfind('/') + 1);
  for (char& c : n)
  {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '.')
    {
      c = '_';
    }
  }
  return n.empty() ? "field" : n;
}

/// dt from an evenly spaced coordinate (time in the coordinate's units), 1 when there is none.
double spacingOf(const std::vector<double>& c, long long first, long long end)
{
  if (static_cast<long long>(c.size()) < end || end - first < 2)
  {
    return 1.0;
  }
  const double step = c[first + 1] - c[first];
  for (long long k = first + 1; k < end; ++k)
  {
    if (!(std::fabs((c[k] - c[k - 1]) - step) <= 1e-6 * std::max(1.0, std::fabs(step))))
    {
      return 1.0;
    }
  }
  return step > 0 ? step : 1.0;
}

/// Crop or pad raw values and mask together, then scale over the valid cells that are kept.
Dataset finish(Field raw, Map2D valid, const std::string& name, const ImportOptions& o, std::vector<SettingText>& notes)
{
  const int h = raw.h, w = raw.w;
  Dataset shaped;
  shaped.field = std::move(raw);
  shaped.valid = std::move(valid);
  if (o.sizePolicy != SizePolicy::Strict)
  {
    shaped = shaped.conformed(o.levels, o.sizePolicy);
  }
  Dataset d = Dataset::fromRaw(std::move(shaped.field), std::move(shaped.valid), name);
  d.cropTop = shaped.cropTop;
  d.cropLeft = shaped.cropLeft;
  d.originalH = h;
  d.originalW = w;
  if (d.field.h != h || d.field.w != w)
  {
    notes.push_back(toString(o.sizePolicy) + " " + std::to_string(h) + "x" + std::to_string(w) + " to " +
                    std::to_string(d.field.h) + "x" + std::to_string(d.field.w) + " for " + std::to_string(o.levels) +
                    " levels");
  }
  else if (d.maxLevels() == 0)
  {
    notes.push_back(SettingText() << h << "x" << w << " fits no c*2^L-1 size: pass " << Setting::SizePolicy
                                  << " (here or when training)");
  }
  return d;
}

ImportReport importOwnLayout(const std::string& path, const ImportOptions& o)
{
  if (!o.timeAxis.empty() || !o.indices.empty() || o.firstSnapshot != 0 || o.endSnapshot >= 0 || o.dropEmptySnapshots)
  {
    throw InputError(Problem::Conflict,
                     SettingText() << path << ": the file is in MrCAE Studio's layout already: " << Setting::TimeAxis
                                   << ", " << Setting::AxisIndex << ", " << Setting::TimeRange << " and "
                                   << Setting::DropEmptySnapshots << " do not apply (train on it directly, or use only "
                                   << Setting::SizePolicy << ")",
                     std::nullopt, path);
  }
  ReadOptions ro;
  ro.field = o.variable.rfind("/fields/", 0) == 0 ? o.variable.substr(8) : o.variable;
  ImportReport r;
  r.format = "mrcae";
  Dataset d = readDataset(path, ro);
  r.variable.name = "/fields/" + d.name;
  r.variable.type = "float32";
  r.variable.shape = {d.field.t, d.field.h, d.field.w};
  r.variable.units = d.units;
  r.timeAxisName = "axis 0";
  r.endSnapshot = d.field.t;
  r.cells = static_cast<long long>(d.field.frameSize());
  r.invalidCells = d.hasMask() ? static_cast<long long>(std::count(d.valid.data.begin(), d.valid.data.end(), 0.0f)) : 0;
  r.fillAlways = r.invalidCells;
  r.maskMode = o.maskMode;
  const int h = d.field.h, w = d.field.w;
  if (o.sizePolicy != SizePolicy::Strict)
  {
    d = d.conformed(o.levels, o.sizePolicy);
  }
  if (d.field.h != h || d.field.w != w)
  {
    r.notes.push_back(toString(o.sizePolicy) + " " + std::to_string(h) + "x" + std::to_string(w) + " to " +
                      std::to_string(d.field.h) + "x" + std::to_string(d.field.w) + " for " + std::to_string(o.levels) +
                      " levels");
  }
  r.dataset = std::move(d);
  return r;
}

} // namespace

ImportListing listImportable(const std::string& path, const std::string& format)
{
  const Reader reader = chooseReader(path, format, "");
  ImportListing l;
  l.variables = listSource(reader, path);
  if (reader == Reader::OwnLayout)
  {
    l.format = "mrcae";
  }
  else if (reader == Reader::Hdf5)
  {
    l.format = "hdf5";
  }
  else
  {
    // Ask a source for the exact NetCDF flavour: open the first variable, if any.
    l.format = "netcdf";
    if (!l.variables.empty())
    {
      l.format = openSource(reader, path, l.variables.front().name)->format();
    }
  }
  return l;
}

ImportReport importDataset(const std::string& path, const ImportOptions& o)
{
  if (o.levels < 1 || o.levels > 12)
  {
    throw InputError(Problem::OutOfRange, SettingText() << Setting::ImportLevels << " must be between 1 and 12",
                     Setting::ImportLevels, std::string(), {{"value", double(o.levels)}, {"min", 1.0}, {"max", 12.0}});
  }
  const Reader reader = chooseReader(path, o.format, o.variable);
  if (reader == Reader::OwnLayout)
  {
    return importOwnLayout(path, o);
  }
  const std::string variable = o.variable.empty() ? pickVariable(reader, path) : o.variable;
  std::unique_ptr<ArraySource> src = openSource(reader, path, variable);
  const ImportVariable& v = src->info();
  const std::string what = (reader == Reader::Netcdf ? "variable '" : "dataset '") + v.name + "'";
  Axes axes = resolveAxes(v, o, reader, path);
  ImportReport r;
  r.format = src->format();
  r.variable = v;
  r.maskMode = o.maskMode;
  r.notes = axes.notes;
  r.timeAxis = axes.time;
  r.timeAxisName = axisLabel(v, axes.time);
  for (size_t a = 0; a < axes.fixedIndex.size(); ++a)
  {
    if (axes.fixedIndex[a] >= 0)
    {
      r.fixed.push_back({axisLabel(v, static_cast<int>(a)), axes.fixedIndex[a]});
    }
  }

  const long long steps = v.shape[axes.time];
  const long long first = o.firstSnapshot;
  const long long end = o.endSnapshot < 0 ? steps : o.endSnapshot;
  if (first < 0 || first >= end || end > steps)
  {
    throw InputError(Problem::OutOfRange,
                     SettingText() << Setting::TimeRange << " " << first << ":"
                                   << (o.endSnapshot < 0 ? std::string() : std::to_string(end)) << " is outside the "
                                   << steps << " snapshots along " << r.timeAxisName << " (0:" << steps << ")",
                     Setting::TimeRange, std::string(), {{"min", 0.0}, {"max", double(steps)}});
  }
  r.firstSnapshot = first;
  r.endSnapshot = end;
  const int h = static_cast<int>(v.shape[axes.y]);
  const int w = static_cast<int>(v.shape[axes.x]);
  if (h < 3 || w < 3)
  {
    throw InputError(path + ": the snapshots of " + what + " are " + std::to_string(h) + " x " + std::to_string(w) +
                     " (" + axisLabel(v, axes.y) + " x " + axisLabel(v, axes.x) +
                     "): too small for one level, which needs at least 3 cells per side (c*2^L-1 with c >= 2)");
  }

  CfDecoder dec = src->decoder();
  dec.nanIsFill = dec.nanIsFill || o.nanAsFill;
  r.cf = dec.describe();
  const size_t cells = static_cast<size_t>(h) * w;
  r.cells = static_cast<long long>(cells);

  // Read one snapshot at a time: memory stays at one frame of doubles beside the float result.
  std::vector<long long> start(v.shape.size(), 0), count(v.shape.size(), 1);
  for (size_t a = 0; a < v.shape.size(); ++a)
  {
    start[a] = std::max(0LL, axes.fixedIndex[a]);
  }
  count[axes.y] = h;
  count[axes.x] = w;
  const int nt = static_cast<int>(end - first);
  Field raw(nt, h, w);
  std::vector<double> frame(cells);
  std::vector<int> cellFill(cells, 0);
  std::vector<int> firstNan(cells, -1); // snapshot of a NaN that is not fill, per cell
  std::vector<long long> frameFill(nt, 0);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int k = 0; k < nt; ++k)
  {
    start[axes.time] = first + k;
    src->read(start, count, frame.data());
    float* out = raw.data.data() + k * cells;
    for (size_t p = 0; p < cells; ++p)
    {
      const double value = frame[p];
      if (dec.isFill(value))
      {
        out[p] = nan;
        ++cellFill[p];
        ++frameFill[k];
        continue;
      }
      if (std::isnan(value) && firstNan[p] < 0)
      {
        firstNan[p] = k;
      }
      out[p] = static_cast<float>(dec.unpack(value));
    }
  }
  long long totalFill = 0;
  for (long long f : frameFill)
  {
    totalFill += f;
  }
  const std::string range = std::to_string(first) + ":" + std::to_string(end);
  if (totalFill == static_cast<long long>(nt) * static_cast<long long>(cells))
  {
    SettingText m;
    m << path << ": " << what << " holds only fill values (" << (r.cf.empty() ? "no data" : r.cf) << ") in snapshots "
      << range << ": nothing to import; choose another " << Setting::Variable << " (see " << Setting::VariableList
      << ")";
    if (first > 0 || end < steps)
    {
      m << " or another " << Setting::TimeRange;
    }
    throw InputError(Problem::BadData, m, Setting::Variable, path);
  }

  // Entirely-fill snapshots: dropped on request; kept, they make every cell invalid under the union rule and
  // the import stops below with a message that names them.
  std::vector<int> keep;
  std::vector<long long> emptySnapshots;
  for (int k = 0; k < nt; ++k)
  {
    if (frameFill[k] == static_cast<long long>(cells))
    {
      (o.dropEmptySnapshots ? r.droppedSnapshots : emptySnapshots).push_back(first + k);
      if (o.dropEmptySnapshots)
      {
        for (size_t p = 0; p < cells; ++p)
        {
          --cellFill[p];
        }
        continue;
      }
    }
    keep.push_back(k);
  }
  if (!r.droppedSnapshots.empty())
  {
    Field kept(static_cast<int>(keep.size()), h, w);
    for (size_t i = 0; i < keep.size(); ++i)
    {
      std::copy_n(raw.data.begin() + keep[i] * cells, cells, kept.data.begin() + i * cells);
    }
    raw = std::move(kept);
    for (size_t p = 0; p < cells; ++p)
    {
      // A NaN seen in a dropped snapshot is not possible: those are all fill. Keep the index relative to `raw`.
      if (firstNan[p] >= 0)
      {
        firstNan[p] = static_cast<int>(std::lower_bound(keep.begin(), keep.end(), firstNan[p]) - keep.begin());
      }
    }
    r.notes.push_back(std::string("left out ") + (r.droppedSnapshots.size() == 1 ? "snapshot " : "snapshots ") +
                      joinIndices(r.droppedSnapshots) + " (entirely fill)");
  }
  const int kept = raw.t;
  long long sometimes = 0, always = 0, invalid = 0;
  for (size_t p = 0; p < cells; ++p)
  {
    always += cellFill[p] == kept;
    sometimes += cellFill[p] > 0 && cellFill[p] < kept;
    invalid += cellFill[p] > 0;
  }
  r.fillAlways = always;
  r.fillSometimes = sometimes;
  r.invalidCells = invalid;
  if (invalid == static_cast<long long>(cells))
  {
    if (!emptySnapshots.empty())
    {
      throw InputError(Problem::BadData,
                       SettingText() << path << ": every cell of " << what
                                     << " is fill in some snapshot, so the land mask (union over time) leaves no "
                                        "valid cell; "
                                     << snapshotsAre(emptySnapshots) << " entirely fill: pass "
                                     << Setting::DropEmptySnapshots << " to leave them out, or choose "
                                     << Setting::TimeRange,
                       Setting::DropEmptySnapshots, path);
    }
    throw InputError(Problem::BadData,
                     SettingText() << path << ": every cell of " << what << " is fill in at least one of the " << kept
                                   << " snapshots, so the land mask (union over time) leaves no valid cell: import "
                                      "a shorter "
                                   << Setting::TimeRange,
                     Setting::TimeRange, path);
  }
  if (sometimes > 0 && o.maskMode == MaskOverTime::Refuse)
  {
    SettingText m;
    m << path << ": the fill cells of " << what << " change over time (" << sometimes
      << " cells are fill in some snapshots only"
      << (emptySnapshots.empty() ? std::string() : ", " + snapshotsAre(emptySnapshots) + " entirely fill") << "): pass "
      << Setting::MaskMode << " union to make them invalid in every snapshot";
    if (!emptySnapshots.empty())
    {
      m << ", " << Setting::DropEmptySnapshots;
    }
    throw InputError(Problem::BadData, m << ", or choose " << Setting::TimeRange, Setting::MaskMode, path);
  }
  if (sometimes > 0)
  {
    r.notes.push_back(SettingText() << "the fill cells change over time: " << sometimes
                                    << " cells are fill in some snapshots only; the land mask is their union over "
                                       "time, so they are invalid in every snapshot ("
                                    << Setting::MaskMode << " refuse stops instead)");
  }

  // NaN where the mask keeps the cell: the data would poison every loss.
  for (size_t p = 0; p < cells; ++p)
  {
    if (cellFill[p] == 0 && firstNan[p] >= 0)
    {
      const long long snapshot = first + keep[firstNan[p]];
      throw InputError(Problem::BadData,
                       SettingText() << path << ": " << what << " has NaN in a cell that is not fill (snapshot "
                                     << snapshot << ", " << axisLabel(v, axes.y) << " " << p / w << ", "
                                     << axisLabel(v, axes.x) << " " << p % w << "): pass " << Setting::NanAsFill
                                     << " to treat NaN as fill (an invalid cell)",
                       Setting::NanAsFill, path);
    }
  }

  Map2D valid;
  if (invalid > 0)
  {
    valid = Map2D(h, w, 1.0f);
    for (size_t p = 0; p < cells; ++p)
    {
      valid.data[p] = cellFill[p] > 0 ? 0.0f : 1.0f;
    }
  }
  for (auto& value : raw.data)
  {
    if (std::isnan(value))
    {
      value = 0.0f; // only invalid cells hold NaN here; fromRaw never reads them
    }
  }
  if (raw.t < 5)
  {
    r.notes.push_back("only " + std::to_string(raw.t) +
                      " snapshot(s): training needs at least 5 (a training and a "
                      "validation part)");
  }
  Dataset d = finish(std::move(raw), std::move(valid), fieldName(v.name), o, r.notes);
  d.path = path;
  d.units = v.units;
  std::string slice;
  if (axes.time != 0 || !r.fixed.empty() || first > 0 || end < steps || !r.droppedSnapshots.empty())
  {
    slice = " [" + r.timeAxisName + "=" + range + (r.droppedSnapshots.empty() ? "" : " less empty");
    for (const auto& f : r.fixed)
    {
      slice += ", " + f.axis + "=" + std::to_string(f.index);
    }
    slice += "]";
  }
  d.source = std::filesystem::path(path).filename().string() + ":" + v.name + slice;
  if (r.droppedSnapshots.empty())
  {
    d.dt = spacingOf(src->coordinate(axes.time), first, end);
  }
  r.dataset = std::move(d);
  return r;
}

} // namespace mrcae
