#include "mrcae/engine/Exporter.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/NumberText.h"
#include "mrcae/model/StageTable.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#endif

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <locale>
#include <sstream>

namespace mrcae
{

namespace
{

/// Scaled [0,1] value -> original units; differences only scale.
struct Units
{
  double lo, span;
  float value(float v) const { return static_cast<float>(lo + v * span); }
  float difference(float d) const { return static_cast<float>(d * span); }
};

Units unitsOf(const Dataset& d)
{
  return {d.originalMin, d.originalMax - d.originalMin};
}

/// The land mask at level `level` (the restriction keeps native cell (s·i + s−1, s·j + s−1), s = 2^(L−1−k));
/// empty without a mask.
Map2D levelValid(const Trainer& trainer, int level, int h, int w)
{
  const Map2D& valid = trainer.dataset().valid;
  if (valid.h == 0)
  {
    return {};
  }
  const int s = 1 << (trainer.config().levels - 1 - level);
  Map2D out(h, w);
  for (int i = 0; i < h; ++i)
  {
    for (int j = 0; j < w; ++j)
    {
      out.at(i, j) = valid.at(s * i + s - 1, s * j + s - 1);
    }
  }
  return out;
}

/// Input, reconstruction and signed error in original units; invalid cells (land, no data) are NaN in all
/// three, whatever the land-mask mode: they hold no data, and ParaView and h5py readers show NaN as missing.
void fieldsInUnits(const Field& in, const Field& rec, const Map2D& valid, const Units& u, std::vector<float>& input,
                   std::vector<float>& recon, std::vector<float>& error)
{
  input.resize(in.data.size());
  recon.resize(in.data.size());
  error.resize(in.data.size());
  const size_t frame = in.frameSize();
  for (size_t p = 0; p < in.data.size(); ++p)
  {
    if (valid.h > 0 && valid.data[p % frame] <= 0.5f)
    {
      input[p] = recon[p] = error[p] = std::numeric_limits<float>::quiet_NaN();
      continue;
    }
    input[p] = u.value(in.data[p]);
    recon[p] = u.value(rec.data[p]);
    error[p] = u.difference(rec.data[p] - in.data[p]);
  }
}

std::string base64(const unsigned char* data, size_t n)
{
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (size_t i = 0; i < n; i += 3)
  {
    const unsigned v = (data[i] << 16) | (i + 1 < n ? data[i + 1] << 8 : 0) | (i + 2 < n ? data[i + 2] : 0);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < n ? table[(v >> 6) & 63] : '=';
    out += i + 2 < n ? table[v & 63] : '=';
  }
  return out;
}

/// A VTK XML "binary" array: base64 of a UInt32 byte count followed by the float32 values.
std::string vtkBinary(const std::vector<float>& values)
{
  const std::uint32_t bytes = static_cast<std::uint32_t>(values.size() * sizeof(float));
  std::vector<unsigned char> buf(sizeof(bytes) + bytes);
  std::memcpy(buf.data(), &bytes, sizeof(bytes));
  std::memcpy(buf.data() + sizeof(bytes), values.data(), bytes);
  return base64(buf.data(), buf.size());
}

void ensureFolder(const std::string& folder)
{
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (!std::filesystem::is_directory(folder))
  {
    throw InputError(folder + ": cannot create the output folder");
  }
}

/// A text file whose numbers are written the C way ('.', no grouping) even where the program has made another
/// C++ locale global.
std::ofstream openText(const std::string& path)
{
  std::ofstream out(path);
  if (!out)
  {
    throw InputError(path + ": cannot write the file (check the folder is writable)");
  }
  out.imbue(std::locale::classic());
  return out;
}

} // namespace

std::vector<int> parseSnapshotSelection(const Trainer& trainer, const std::string& selection)
{
  const Split& s = trainer.split();
  if (selection == "test")
  {
    return s.test;
  }
  if (selection == "val")
  {
    return s.val;
  }
  if (selection == "train")
  {
    return s.train;
  }
  std::vector<int> out;
  if (selection == "all")
  {
    for (int i = 0; i < trainer.dataset().field.t; ++i)
    {
      out.push_back(i);
    }
    return out;
  }
  std::stringstream ss(selection);
  for (std::string item; std::getline(ss, item, ',');)
  {
    try
    {
      size_t used = 0;
      const int i = std::stoi(item, &used);
      if (used != item.size() || i < 0 || i >= trainer.dataset().field.t)
      {
        throw std::out_of_range(item);
      }
      out.push_back(i);
    }
    catch (const std::exception&)
    {
      throw InputError("snapshot '" + item + "' is not an index between 0 and " +
                       std::to_string(trainer.dataset().field.t - 1) + " (or use test, val, train, all)");
    }
  }
  if (out.empty())
  {
    throw InputError("no snapshots selected");
  }
  return out;
}

void exportHdf5(const Trainer& trainer, const std::vector<int>& snapshots, const std::string& path,
                const ExportContent& content)
{
#ifdef MRCAE_WITH_HDF5
  const Snapshot snap = trainer.snapshot(snapshots);
  const std::vector<GroupCodes> codes = content.codes ? trainer.codes(snapshots) : std::vector<GroupCodes>{};
  const Units u = unitsOf(trainer.dataset());
  h5::atomicWrite(path, [&](H5::H5File& file) {
    H5::Group root = file.openGroup("/");
    h5::writeString(root, "format", "mrcae-export");
    h5::writeString(root, "units", trainer.dataset().units);
    h5::writeInts(root, "snapshots", {snapshots.size()}, snapshots.data());
    for (size_t k = 0; k < snap.reconstructions.size(); ++k)
    {
      const std::string level = "L" + std::to_string(k);
      if (content.maps)
      {
        for (size_t g = 0; g < snap.maps[k].size(); ++g)
        {
          const Map2D& m = snap.maps[k][g];
          if (m.h > 0)
          {
            h5::writeFloats(root, level + "/maps/g" + std::to_string(g), {hsize_t(m.h), hsize_t(m.w)}, m.data.data());
          }
        }
        for (size_t g = 0; g < snap.masks[k].size(); ++g)
        {
          const Map2D& m = snap.masks[k][g];
          if (m.h > 0)
          {
            h5::writeFloats(root, level + "/masks/g" + std::to_string(g), {hsize_t(m.h), hsize_t(m.w)}, m.data.data());
          }
        }
      }
      if (!content.fields)
      {
        continue;
      }
      const Field& in = snap.inputs[k];
      const Field& rec = snap.reconstructions[k];
      const Map2D valid = levelValid(trainer, static_cast<int>(k), in.h, in.w);
      std::vector<float> input, recon, error;
      fieldsInUnits(in, rec, valid, u, input, recon, error);
      if (valid.h > 0)
      {
        std::vector<unsigned char> bytes(valid.data.size());
        for (size_t p = 0; p < bytes.size(); ++p)
        {
          bytes[p] = valid.data[p] > 0.5f ? 1 : 0;
        }
        h5::writeBytes(root, level + "/valid", {static_cast<hsize_t>(in.h), static_cast<hsize_t>(in.w)}, bytes.data());
      }
      const std::vector<hsize_t> dims = {static_cast<hsize_t>(in.t), static_cast<hsize_t>(in.h),
                                         static_cast<hsize_t>(in.w)};
      h5::writeFloats(root, level + "/input", dims, input.data());
      h5::writeFloats(root, level + "/reconstruction", dims, recon.data());
      h5::writeFloats(root, level + "/error", dims, error.data());
    }
    for (const auto& c : codes)
    {
      const hsize_t n = snapshots.size();
      h5::writeFloats(
          root, "L" + std::to_string(c.level) + "/codes/g" + std::to_string(c.group),
          {n, static_cast<hsize_t>(c.channels), static_cast<hsize_t>(c.values.h), static_cast<hsize_t>(c.values.w)},
          c.values.data.data());
    }
  });
#else
  (void)trainer;
  (void)snapshots;
  (void)content;
  throw InputError(path + ": this build cannot write HDF5 (built without HDF5): export vti or csv instead");
#endif
}

void exportDecodedHdf5(const EncodedSnapshots& codes, const std::vector<Field>& reconstructions,
                       const std::string& path)
{
#ifdef MRCAE_WITH_HDF5
  if (reconstructions.size() != codes.levels.size())
  {
    throw InputError(path + ": one reconstruction per encoded level is needed");
  }
  const Units u{codes.originalMin, codes.originalMax - codes.originalMin};
  h5::atomicWrite(path, [&](H5::H5File& file) {
    H5::Group root = file.openGroup("/");
    h5::writeString(root, "format", "mrcae-export");
    h5::writeString(root, "units", codes.units);
    h5::writeString(root, "source", codes.source);
    h5::writeString(root, "model_hash", codes.modelHash);
    h5::writeInts(root, "snapshots", {codes.snapshots.size()}, codes.snapshots.data());
    const int levels = codes.modelLevels;
    for (size_t i = 0; i < codes.levels.size(); ++i)
    {
      const Field& rec = reconstructions[i];
      const int k = codes.levels[i].level;
      // The land mask at level k: native cell (s·i + s−1, s·j + s−1), s = 2^(L−1−k), as the restriction keeps.
      Map2D valid;
      if (codes.valid.h > 0)
      {
        const int s = 1 << (levels - 1 - k);
        valid = Map2D(rec.h, rec.w);
        for (int r = 0; r < rec.h; ++r)
        {
          for (int c = 0; c < rec.w; ++c)
          {
            valid.at(r, c) = codes.valid.at(s * r + s - 1, s * c + s - 1);
          }
        }
      }
      std::vector<float> values(rec.data.size());
      const size_t frame = rec.frameSize();
      for (size_t p = 0; p < values.size(); ++p)
      {
        values[p] = valid.h > 0 && valid.data[p % frame] <= 0.5f ? std::numeric_limits<float>::quiet_NaN()
                                                                 : u.value(rec.data[p]);
      }
      const std::string level = "L" + std::to_string(k);
      if (valid.h > 0)
      {
        std::vector<unsigned char> bytes(valid.data.size());
        for (size_t p = 0; p < bytes.size(); ++p)
        {
          bytes[p] = valid.data[p] > 0.5f ? 1 : 0;
        }
        h5::writeBytes(root, level + "/valid", {static_cast<hsize_t>(rec.h), static_cast<hsize_t>(rec.w)},
                       bytes.data());
      }
      h5::writeFloats(root, level + "/reconstruction",
                      {static_cast<hsize_t>(rec.t), static_cast<hsize_t>(rec.h), static_cast<hsize_t>(rec.w)},
                      values.data());
    }
  });
#else
  (void)codes;
  (void)reconstructions;
  throw InputError(path + ": this build cannot write HDF5 (built without HDF5)");
#endif
}

std::string exportVtkSeries(const Trainer& trainer, const std::vector<int>& snapshots, int level,
                            const std::string& folder, const std::string& name)
{
  const int top = trainer.trainedLevel();
  if (level < 0 || level > top)
  {
    throw InputError("level " + std::to_string(level) + " is not trained (levels 0.." + std::to_string(top) + ")");
  }
  ensureFolder(folder);
  const Dataset& d = trainer.dataset();
  const Units u = unitsOf(d);
  // Coarser levels keep every 2^(L−1−k)-th native cell: their spacing grows accordingly.
  const double spacing = d.dx * (1 << (trainer.config().levels - 1 - level));
  std::string collection = "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\" "
                           "byte_order=\"LittleEndian\" header_type=\"UInt32\">\n  <Collection>\n";
  for (int index : snapshots)
  {
    const Snapshot snap = trainer.snapshot({index});
    const Field& in = snap.inputs[level];
    const Field& rec = snap.reconstructions[level];
    std::vector<float> input, recon, error;
    fieldsInUnits(in, rec, levelValid(trainer, level, in.h, in.w), u, input, recon, error);
    char file[64];
    std::snprintf(file, sizeof(file), "_%05d.vti", index);
    const std::string vti = name + file;
    std::ofstream out = openText(folder + "/" + vti);
    // Rows of a field are VTK's y, columns its x (x varies fastest, as in our row-major storage).
    const std::string extent = "0 " + std::to_string(in.w - 1) + " 0 " + std::to_string(in.h - 1) + " 0 0";
    out << "<?xml version=\"1.0\"?>\n<VTKFile type=\"ImageData\" version=\"0.1\" byte_order=\"LittleEndian\" "
           "header_type=\"UInt32\">\n"
        << "  <ImageData WholeExtent=\"" << extent << "\" Origin=\"0 0 0\" Spacing=\"" << spacing << ' ' << spacing
        << " 1\">\n    <Piece Extent=\"" << extent << "\">\n      <PointData Scalars=\"input\">\n";
    for (auto [arrayName, values] : {std::pair<const char*, const std::vector<float>*>{"input", &input},
                                     {"reconstruction", &recon},
                                     {"error", &error}})
    {
      out << "        <DataArray type=\"Float32\" Name=\"" << arrayName << "\" format=\"binary\">" << vtkBinary(*values)
          << "</DataArray>\n";
    }
    out << "      </PointData>\n    </Piece>\n  </ImageData>\n</VTKFile>\n";
    if (!out)
    {
      throw InputError(folder + "/" + vti + ": write failed (disk full?)");
    }
    collection += "    <DataSet timestep=\"" + number::shortest(index * d.dt) + "\" group=\"\" part=\"0\" file=\"" +
                  vti + "\"/>\n";
  }
  collection += "  </Collection>\n</VTKFile>\n";
  const std::string pvd = folder + "/" + name + ".pvd";
  openText(pvd) << collection;
  return pvd;
}

void exportCsv(const Trainer& trainer, const std::string& folder)
{
  ensureFolder(folder);
  std::ofstream curves = openText(folder + "/curves.csv");
  writeCurvesCsv(curves, trainer.curves());
  std::ofstream stages = openText(folder + "/stages.csv");
  writeStagesCsv(stages, trainer.stages());
}

} // namespace mrcae
