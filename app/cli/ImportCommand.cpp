#include "ImportCommand.h"

#include "ErrorText.h"
#include "Options.h"
#include "SettingOptions.h"
#include "TrainingOptions.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Importer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

namespace mrcae::cli
{

namespace
{

struct ImportArgs
{
  std::string path, format, variable, timeAxis, output;
  std::string maskMode = "union";
  std::vector<std::string> indices;
  std::optional<std::string> times;
  std::optional<int> levels;
  DataOptions size; ///< --crop / --pad
  bool list = false, json = false, dropEmptySnapshots = false, nanAsFill = false, uncompressed = false;
};

/// "--index lev=3 --index 1=0" or "--index lev=3,1=0": the axes held at one index.
std::vector<AxisIndex> parseIndices(const std::vector<std::string>& values)
{
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

int import(const ImportArgs& a)
{
  ImportOptions o;
  o.indices = parseIndices(a.indices);
  const std::string& path = a.path;
  const std::string& format = a.format;
  if (a.list)
  {
    return listCommand(path, format, a.json);
  }
  o.format = format;
  o.variable = a.variable;
  o.timeAxis = a.timeAxis;
  o.levels = a.levels.value_or(o.levels);
  o.maskMode = maskOverTimeFromString(a.maskMode);
  o.dropEmptySnapshots = a.dropEmptySnapshots;
  o.nanAsFill = a.nanAsFill;
  if (a.times)
  {
    parseTimes(*a.times, o);
  }
  o.sizePolicy = a.size.sizePolicy();
  const std::string& output = a.output;
  if (output.empty())
  {
    throw InputError("missing the output file: pass -o DATA.h5 (or --list to see the file's variables)");
  }
  std::error_code ec;
  if (std::filesystem::exists(output) && std::filesystem::equivalent(output, path, ec))
  {
    throw InputError("-o " + output + " is the input file: choose another output name");
  }
  if (::isatty(STDERR_FILENO) != 0)
  {
    // Someone is watching a long import: say what runs. In a log, a refused file stays one line.
    std::fprintf(stderr, "importing %s%s\n", path.c_str(),
                 o.variable.empty() ? "" : (" variable " + o.variable).c_str());
  }
  ImportReport r = importDataset(path, o);
  for (const auto& note : r.notes)
  {
    std::fprintf(stderr, "note: %s\n", settingText(note).c_str());
  }
  WriteOptions options;
  options.compress = !a.uncompressed;
  writeDataset(r.dataset, output, options);
  if (a.json)
  {
    std::printf("%s\n", reportJson(r, output).dump(2).c_str());
  }
  else
  {
    printReport(r, output);
  }
  return 0;
}

} // namespace

void addImportCommand(CLI::App& app, Action& action)
{
  auto a = std::make_shared<ImportArgs>();
  CLI::App* import = app.add_subcommand(
      "import", "a NetCDF variable (CF scale, offset and fill) or an HDF5 dataset of any layout into our dataset "
                "layout; fill cells become the land mask (union over time). --list shows what a file holds");
  import->add_option("FILE", a->path, "the file to import (NetCDF or HDF5)")->required();
  import->add_flag("--list", a->list, "the variables (NetCDF) or datasets (HDF5) of the file");
  import->add_option(*optionName(Setting::Variable), a->variable, "the variable (or HDF5 dataset) to import")
      ->type_name("NAME");
  import->add_option("-o,--output", a->output, "the dataset written")->type_name("DATA.h5");
  import->add_option(*optionName(Setting::TimeAxis), a->timeAxis, "the axis of time: a dimension name or number")
      ->type_name("AXIS");
  import
      ->add_option(*optionName(Setting::AxisIndex), a->indices,
                   "hold an axis that is neither time nor the snapshot at one index (repeat, or AXIS=I,AXIS=I)")
      ->type_name("AXIS=I")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  import->add_option(*optionName(Setting::TimeRange), a->times, "the snapshots FIRST to END-1 (END excluded)")
      ->type_name("A:B");
  addSizeOptions(*import, a->size);
  addSettingInt(*import, Setting::ImportLevels, a->levels, "the levels the crop or pad aims at")
      ->default_str(std::to_string(ImportOptions().levels));
  import
      ->add_option(*optionName(Setting::MaskMode), a->maskMode,
                   "union: a cell that is fill in any snapshot is invalid in all; refuse: stop when the fill cells "
                   "change over time")
      ->type_name("union|refuse")
      ->default_str("union");
  import->add_flag(*optionName(Setting::DropEmptySnapshots), a->dropEmptySnapshots,
                   "leave out snapshots that are entirely fill");
  import->add_flag(*optionName(Setting::NanAsFill), a->nanAsFill, "NaN values are fill (invalid cells)");
  import->add_option(*optionName(Setting::ImportFormat), a->format, "the file's format (default: from its signature)")
      ->type_name("netcdf|hdf5");
  import->add_flag("--json", a->json, "the listing or the report as JSON");
  import->add_flag("--uncompressed", a->uncompressed,
                   "store the snapshots without deflate: a larger file that a streamed training run reads faster");
  import->callback([a, &action] { action = [a] { return mrcae::cli::import(*a);
};
} // namespace mrcae::cli
);
}

} // namespace mrcae::cli
