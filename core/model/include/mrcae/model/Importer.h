#pragma once
// Import of files from other tools (DESIGN.md §4): NetCDF variables (classic and NetCDF-4, CF packing and fill
// values) and HDF5 datasets of any layout become a Dataset: one axis is time, two are the snapshot (y, x), any
// other axis is held at a chosen index. Fill cells become invalid cells of the land mask; scaling to [0,1] and
// crop / pad reuse Dataset. Files already in our own layout (/fields/<name>) are read by DatasetIO.
//
// Mask over time: the land mask is one 2-D map for every snapshot. When the fill cells differ between
// snapshots, the default (MaskOverTime::Union) marks a cell invalid everywhere if it is fill in any snapshot,
// and the report says how many cells that affected; MaskOverTime::Refuse stops with an InputError instead.

#include "mrcae/model/Dataset.h"
#include "mrcae/model/SettingText.h"

#include <string>
#include <vector>

namespace mrcae
{

enum class MaskOverTime
{
  Union, ///< a cell that is fill in any snapshot is invalid in all of them
  Refuse ///< stop when the fill pattern changes over time
};
std::string toString(MaskOverTime m);
MaskOverTime maskOverTimeFromString(const std::string& s);

/// One variable (NetCDF) or dataset (HDF5) of a file, as a listing shows it.
struct ImportVariable
{
  std::string name;              ///< NetCDF: "p" or "grp1/T"; HDF5: the full path "/a/b"
  std::string type;              ///< NetCDF: "float", "short", "char", ...; HDF5: "float32", "int16", ...
  bool numeric = true;           ///< false: char, string, compound, ... (cannot be imported)
  std::vector<std::string> dims; ///< dimension names (HDF5: empty)
  std::vector<long long> shape;
  std::string units;
  std::string longName;
  int timeAxis = -1;       ///< the axis that looks like time (name, CF attributes, record dimension)
  bool coordinate = false; ///< NetCDF coordinate variable (1-D, named like its dimension)

  /// Numeric, at least 3 axes, not a coordinate: a candidate for import.
  bool importable() const { return numeric && shape.size() >= 3 && !coordinate; }
  /// "(timestep=64, lat=33, lon=36)" or, without names, "[64 x 33 x 36]".
  std::string shapeText() const;
};

struct ImportListing
{
  std::string format; ///< "netcdf-classic", "netcdf-4", "hdf5", "mrcae" (our layout)
  std::vector<ImportVariable> variables;
};

/// A fixed index on one axis: the axis by number ("1") or by NetCDF dimension name ("lev").
struct AxisIndex
{
  std::string axis;
  long long index = 0;
};

struct ImportOptions
{
  std::string variable;            ///< NetCDF variable or HDF5 dataset path; empty = the only candidate
  std::string timeAxis;            ///< number or dimension name; empty = the time-like dimension (NetCDF)
                                   ///< or axis 0 of a rank-3 HDF5 dataset
  std::vector<AxisIndex> indices;  ///< one per axis that is neither time nor the snapshot (y, x)
  long long firstSnapshot = 0;     ///< snapshots [first, end) along the time axis
  long long endSnapshot = -1;      ///< -1 = to the end
  bool dropEmptySnapshots = false; ///< leave out snapshots that are entirely fill
  bool nanAsFill = false;          ///< NaN values are fill even without a NaN _FillValue
  MaskOverTime maskMode = MaskOverTime::Union;
  SizePolicy sizePolicy = SizePolicy::Strict; ///< Strict = keep the size as it is (train may crop/pad later)
  int levels = 3;                             ///< the L that crop / pad aims at: sides become c*2^L - 1
  std::string format;                         ///< "" = by content, "netcdf" or "hdf5" to force a reader
};

struct ImportReport
{
  Dataset dataset;
  std::string format;      ///< as in ImportListing
  ImportVariable variable; ///< what was read, as the file describes it
  int timeAxis = 0;
  std::string timeAxisName;     ///< "timestep", or "axis 0" for HDF5
  std::vector<AxisIndex> fixed; ///< the resolved fixed indices, named like timeAxisName
  long long firstSnapshot = 0;
  long long endSnapshot = 0;
  std::vector<long long> droppedSnapshots; ///< file indices of entirely-fill snapshots left out
  long long cells = 0;                     ///< cells per snapshot before crop / pad
  long long fillAlways = 0;                ///< cells that are fill in every snapshot
  long long fillSometimes = 0;             ///< cells that are fill in some snapshots only (invalid everywhere: union)
  long long invalidCells = 0;              ///< invalid cells of the mask, before crop / pad
  std::string cf;                          ///< CF attributes that were applied ("fill -9999, scale_factor ...")
  MaskOverTime maskMode = MaskOverTime::Union;
  std::vector<SettingText> notes; ///< lines for the user (stderr in the CLI), naming settings by value
};

/// The variables / datasets of a NetCDF or HDF5 file. Throws InputError (missing file, unknown format, ...).
ImportListing listImportable(const std::string& path, const std::string& format = "");
/// Reads one variable into a Dataset; every problem with the file or the options is an InputError with a
/// one-line reason that says what to pass instead.
ImportReport importDataset(const std::string& path, const ImportOptions& options);
/// Whether this build reads NetCDF (MRCAE_WITH_NETCDF).
bool netcdfAvailable();

} // namespace mrcae
