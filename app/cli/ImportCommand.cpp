#include "ImportCommand.h"

#include "CommandLine.h"
#include "ErrorText.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Importer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

namespace mrcae::cli
{

namespace
{

/// CommandLine keeps one value per option; --index may repeat, so its values are taken out first.
std::vector<AxisIndex> takeIndices(std::vector<std::string>& args)
{
  std::vector<std::string> values;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i)
  {
    if (args[i] == "--index")
    {
      if (i + 1 >= args.size())
      {
        throw InputError("option --index needs a value: AXIS=I (a dimension name or axis number, and an index)");
      }
      values.push_back(args[++i]);
    }
    else if (args[i].rfind("--index=", 0) == 0)
    {
      values.push_back(args[i].substr(8));
    }
    else
    {
      rest.push_back(args[i]);
    }
  }
  args = rest;
  std::vector<AxisIndex> out;
  for (const auto& value : values)
  {
    size_t pos = 0;
    while (pos <= value.size())
    {
      const size_t comma = std::min(value.find(',', pos), value.size());
      const std::string item = value.substr(pos, comma - pos);
      const size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      {
        throw InputError("--index " + item + ": write AXIS=I, e.g. --index lev=3 or --index 1=0");
      }
      AxisIndex ai;
      ai.axis = item.substr(0, eq);
      const std::string number = item.substr(eq + 1);
      if (!std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); }))
      {
        throw InputError("--index " + item + ": the index must be a whole number >= 0");
      }
      ai.index = std::stoll(number);
      out.push_back(ai);
      pos = comma + 1;
    }
  }
  return out;
}

/// "A:B", "A:" or ":B" (half-open, like a Python slice) into first / end (-1 = to the end).
void parseTimes(const std::string& text, ImportOptions& o)
{
  const size_t colon = text.find(':');
  auto number = [&](const std::string& s, long long fallback) -> long long {
    if (s.empty())
    {
      return fallback;
    }
    if (!std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
    {
      throw InputError("--times " + text + ": write FIRST:END with whole numbers (END excluded), e.g. 0:100");
    }
    return std::stoll(s);
  };
  if (colon == std::string::npos)
  {
    throw InputError("--times " + text + ": write FIRST:END (END excluded), e.g. 0:100, 10: or :50");
  }
  o.firstSnapshot = number(text.substr(0, colon), 0);
  o.endSnapshot = number(text.substr(colon + 1), -1);
}

std::string remark(const ImportVariable& v, bool netcdf)
{
  if (!v.numeric)
  {
    return "not numeric: cannot be imported";
  }
  if (v.coordinate)
  {
    return "coordinate";
  }
  if (v.shape.size() < 3)
  {
    return "";
  }
  if (netcdf)
  {
    if (v.timeAxis < 0)
    {
      return "no time axis: pass --time-axis NAME";
    }
    return "time: " + v.dims[v.timeAxis] + (v.shape.size() > 3 ? "; more axes: --index NAME=I" : "");
  }
  return v.shape.size() == 3 ? "time: axis 0 unless --time-axis" : "pass --time-axis N and --index AXIS=I";
}

int listCommand(const std::string& path, const std::string& format, bool json)
{
  ImportListing l = listImportable(path, format);
  const bool netcdf = l.format.rfind("netcdf", 0) == 0;
  if (json)
  {
    Json j = Json::object();
    j["file"] = path;
    j["format"] = l.format;
    Json vars = Json::array();
    for (const auto& v : l.variables)
    {
      Json e = Json::object();
      e["name"] = v.name;
      e["type"] = v.type;
      e["shape"] = Json(v.shape);
      e["dims"] = Json(v.dims);
      e["units"] = v.units;
      e["long_name"] = v.longName;
      e["time_axis"] =
          v.timeAxis >= 0 ? Json(v.dims.empty() ? std::to_string(v.timeAxis) : v.dims[v.timeAxis]) : Json();
      e["coordinate"] = v.coordinate;
      e["importable"] = v.importable();
      vars.push_back(e);
    }
    j["variables"] = vars;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%s: %s, %zu %s\n", path.c_str(), l.format.c_str(), l.variables.size(),
              netcdf ? "variables" : "datasets");
  size_t width = 4;
  for (const auto& v : l.variables)
  {
    width = std::max(width, v.name.size());
  }
  for (const auto& v : l.variables)
  {
    const std::string units = v.units.empty() ? "" : " [" + v.units + "]";
    std::printf("  %c %-*s %-8s %s%s%s%s\n", v.importable() ? '*' : ' ', static_cast<int>(width), v.name.c_str(),
                v.type.c_str(), v.shapeText().c_str(), units.c_str(), remark(v, netcdf).empty() ? "" : "  ",
                remark(v, netcdf).c_str());
  }
  std::printf("(* = can be imported: mrcae import %s --var NAME -o DATA.h5)\n", path.c_str());
  return 0;
}

Json reportJson(const ImportReport& r, const std::string& output)
{
  const Dataset& d = r.dataset;
  Json j = Json::object();
  j["output"] = output;
  j["file"] = d.path;
  j["format"] = r.format;
  j["variable"] = r.variable.name;
  j["variable_shape"] = Json(r.variable.shape);
  j["variable_dims"] = Json(r.variable.dims);
  j["time_axis"] = r.timeAxisName;
  Json fixed = Json::object();
  for (const auto& f : r.fixed)
  {
    fixed[f.axis] = f.index;
  }
  j["fixed"] = fixed;
  j["snapshots"] = Json(std::vector<long long>{r.firstSnapshot, r.endSnapshot});
  j["dropped_snapshots"] = Json(r.droppedSnapshots);
  j["name"] = d.name;
  j["shape"] = Json(std::vector<int>{d.field.t, d.field.h, d.field.w});
  j["cells"] = r.cells;
  j["invalid_cells"] = r.invalidCells;
  j["fill_cells_always"] = r.fillAlways;
  j["fill_cells_sometimes"] = r.fillSometimes;
  j["mask_mode"] = toString(r.maskMode);
  j["cf"] = r.cf;
  j["original_min"] = d.originalMin;
  j["original_max"] = d.originalMax;
  j["units"] = d.units;
  j["source"] = d.source;
  j["dt"] = d.dt;
  j["max_levels"] = d.maxLevels();
  std::vector<std::string> notes;
  for (const auto& n : r.notes)
  {
    notes.push_back(settingText(n));
  }
  j["notes"] = Json(notes);
  return j;
}

void printReport(const ImportReport& r, const std::string& output)
{
  const Dataset& d = r.dataset;
  std::printf("imported %s: %s '%s' %s (%s)\n", d.path.c_str(),
              r.format.rfind("netcdf", 0) == 0 ? "variable" : "dataset", r.variable.name.c_str(),
              r.variable.shapeText().c_str(), r.format.c_str());
  std::string fixed;
  for (const auto& f : r.fixed)
  {
    fixed += ", " + f.axis + " = " + std::to_string(f.index);
  }
  std::printf("time axis %s, snapshots %lld:%lld%s%s\n", r.timeAxisName.c_str(), r.firstSnapshot, r.endSnapshot,
              r.droppedSnapshots.empty() ? ""
                                         : (" less " + std::to_string(r.droppedSnapshots.size()) + " empty").c_str(),
              fixed.c_str());
  if (!r.cf.empty())
  {
    std::printf("CF attributes applied: %s\n", r.cf.c_str());
  }
  std::printf("land mask: %lld invalid cells of %lld (%lld fill in every snapshot, %lld in some only; mask over "
              "time: %s)\n",
              r.invalidCells, r.cells, r.fillAlways, r.fillSometimes, toString(r.maskMode).c_str());
  std::printf("values scaled to [0,1] from [%.9g, %.9g]%s%s\n", d.originalMin, d.originalMax,
              d.units.empty() ? "" : " ", d.units.c_str());
  const int maxL = d.maxLevels();
  std::printf("wrote %s: field '%s', %d x %d x %d, source %s; levels allowed as it is: %s\n", output.c_str(),
              d.name.c_str(), d.field.t, d.field.h, d.field.w, d.source.c_str(),
              maxL > 0 ? ("1.." + std::to_string(maxL)).c_str() : "none (--crop or --pad)");
}

} // namespace

std::string importUsage()
{
  return R"(  mrcae import FILE --list [--json]             the variables (NetCDF) or datasets (HDF5) of a file
  mrcae import FILE --var NAME -o DATA.h5 [--time-axis AXIS] [--index AXIS=I ...] [--times A:B]
               [--crop | --pad reflect|periodic] [--levels L] [--mask-mode union|refuse]
               [--drop-empty-snapshots] [--nan-as-fill] [--format netcdf|hdf5] [--json]
                                                NetCDF (CF scale/offset/fill) or any HDF5 -> our layout;
                                                fill cells become the land mask (union over time)
)";
}

int importCommand(const std::vector<std::string>& argsIn)
{
  std::vector<std::string> args = argsIn;
  ImportOptions o;
  o.indices = takeIndices(args);
  CommandLine cl(args, {"--list", "--json", "--crop", "--drop-empty-snapshots", "--nan-as-fill"},
                 {"--var", "-o", "--output", "--time-axis", "--pad", "--mask-mode", "--levels", "--times", "--format"});
  const std::string path = cl.positional(0, "the file to import (NetCDF or HDF5)");
  if (cl.positionals().size() > 1)
  {
    throw InputError("one file at a time: '" + cl.positionals()[1] + "' is extra (see mrcae --help)");
  }
  const std::string format = cl.value("--format").value_or("");
  if (cl.flag("--list"))
  {
    return listCommand(path, format, cl.flag("--json"));
  }
  o.format = format;
  o.variable = cl.value("--var").value_or("");
  o.timeAxis = cl.value("--time-axis").value_or("");
  o.levels = cl.intValue("--levels", o.levels);
  o.maskMode = maskOverTimeFromString(cl.value("--mask-mode").value_or("union"));
  o.dropEmptySnapshots = cl.flag("--drop-empty-snapshots");
  o.nanAsFill = cl.flag("--nan-as-fill");
  if (auto t = cl.value("--times"))
  {
    parseTimes(*t, o);
  }
  if (cl.flag("--crop"))
  {
    o.sizePolicy = SizePolicy::Crop;
  }
  if (auto pad = cl.value("--pad"))
  {
    if (o.sizePolicy == SizePolicy::Crop)
    {
      throw InputError("choose either --crop or --pad, not both");
    }
    o.sizePolicy = sizePolicyFromString(*pad);
    if (o.sizePolicy == SizePolicy::Strict || o.sizePolicy == SizePolicy::Crop)
    {
      throw InputError("--pad takes reflect or periodic");
    }
  }
  const std::string output = cl.value("-o").value_or(cl.value("--output").value_or(""));
  if (output.empty())
  {
    throw InputError("missing the output file: pass -o DATA.h5 (or --list to see the file's variables)");
  }
  std::error_code ec;
  if (std::filesystem::exists(output) && std::filesystem::equivalent(output, path, ec))
  {
    throw InputError("-o " + output + " is the input file: choose another output name");
  }
  std::fprintf(stderr, "importing %s%s\n", path.c_str(), o.variable.empty() ? "" : (" variable " + o.variable).c_str());
  ImportReport r = importDataset(path, o);
  for (const auto& note : r.notes)
  {
    std::fprintf(stderr, "note: %s\n", settingText(note).c_str());
  }
  writeDataset(r.dataset, output);
  if (cl.flag("--json"))
  {
    std::printf("%s\n", reportJson(r, output).dump(2).c_str());
  }
  else
  {
    printReport(r, output);
  }
  return 0;
}

} // namespace mrcae::cli
