#include "mrcae/model/Codes.h"

#include "mrcae/model/InputError.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#endif

#include <ctime>

#ifndef MRCAE_VERSION
#define MRCAE_VERSION "0.0.0"
#endif

namespace mrcae
{

long long LevelCodes::valuesPerSnapshot() const
{
  long long n = static_cast<long long>(coarseH) * coarseW;
  for (const auto& r : refinements)
  {
    n += r.valuesPerSnapshot();
  }
  return n;
}

const LevelCodes& EncodedSnapshots::level(int k) const
{
  for (const auto& l : levels)
  {
    if (l.level == k)
    {
      return l;
    }
  }
  std::string have;
  for (const auto& l : levels)
  {
    have += (have.empty() ? "" : ", ") + std::to_string(l.level);
  }
  throw InputError("level " + std::to_string(k) + " was not encoded (the codes hold level" +
                   (levels.size() == 1 ? " " : "s ") + have + ")");
}

#ifdef MRCAE_WITH_HDF5

namespace
{

constexpr int kCodesFormatVersion = 1;

std::string groupName(int level)
{
  return "L" + std::to_string(level);
}

std::string refinementName(const RefinementCodes& r)
{
  return "L" + std::to_string(r.level) + "_g" + std::to_string(r.group);
}

std::vector<unsigned char> maskBytes(const Map2D& m)
{
  std::vector<unsigned char> bytes(m.data.size());
  for (size_t p = 0; p < bytes.size(); ++p)
  {
    bytes[p] = m.data[p] > 0.5f ? 1 : 0;
  }
  return bytes;
}

Map2D maskFrom(const std::vector<unsigned char>& bytes, hsize_t h, hsize_t w)
{
  Map2D m(static_cast<int>(h), static_cast<int>(w));
  for (size_t p = 0; p < bytes.size(); ++p)
  {
    m.data[p] = bytes[p] ? 1.0f : 0.0f;
  }
  return m;
}

std::string nowUtc()
{
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

} // namespace

void writeCodes(const EncodedSnapshots& codes, const std::string& path)
{
  const hsize_t n = codes.snapshots.size();
  h5::atomicWrite(path, [&](H5::H5File& file) {
    H5::Group root = file.openGroup("/");
    h5::writeString(root, "format", "mrcae-codes");
    h5::writeInt(root, "format_version", kCodesFormatVersion);
    h5::writeString(root, "app_version", MRCAE_VERSION);
    h5::writeString(root, "created", nowUtc());
    h5::writeString(root, "model_hash", codes.modelHash);
    h5::writeInt(root, "model_params", codes.modelParams);
    h5::writeInt(root, "model_levels", codes.modelLevels);
    h5::writeString(root, "source", codes.source);
    h5::writeString(root, "field", codes.fieldName);
    h5::writeString(root, "units", codes.units);
    h5::writeDouble(root, "original_min", codes.originalMin);
    h5::writeDouble(root, "original_max", codes.originalMax);
    h5::writeInt(root, "height", codes.height);
    h5::writeInt(root, "width", codes.width);
    h5::writeInt(root, "crop_top", codes.cropTop);
    h5::writeInt(root, "crop_left", codes.cropLeft);
    h5::writeInts(root, "snapshots", {n}, codes.snapshots.data());
    if (codes.valid.h > 0)
    {
      const auto bytes = maskBytes(codes.valid);
      h5::writeBytes(root, "valid", {hsize_t(codes.valid.h), hsize_t(codes.valid.w)}, bytes.data());
    }
    for (const auto& level : codes.levels)
    {
      H5::Group g = root.createGroup(groupName(level.level));
      h5::writeInt(g, "values_per_snapshot", level.valuesPerSnapshot());
      h5::writeInt(g, "bytes_per_snapshot", codeBytes(level));
      h5::writeFloats(g, "coarse", {n, hsize_t(level.coarseH), hsize_t(level.coarseW)}, level.coarse.data());
      for (const auto& r : level.refinements)
      {
        H5::Group rg = g.createGroup(refinementName(r));
        h5::writeInt(rg, "channels", r.channels);
        const auto bytes = maskBytes(r.mask);
        h5::writeBytes(rg, "mask", {hsize_t(r.mask.h), hsize_t(r.mask.w)}, bytes.data());
        h5::writeFloats(rg, "values", {n, hsize_t(r.channels), hsize_t(r.cells.size())}, r.values.data());
      }
    }
  });
}

EncodedSnapshots readCodes(const std::string& path)
{
  H5::H5File file = h5::openForReading(path);
  EncodedSnapshots c;
  h5::guarded(path, "cannot read the codes", [&] {
    H5::Group root = file.openGroup("/");
    if (h5::readString(root, "format") != "mrcae-codes")
    {
      throw InputError(path + ": not a codes file (no format = \"mrcae-codes\" attribute): give the output of "
                              "mrcae encode");
    }
    const long long version = h5::readInt(root, "format_version", 0);
    if (version < 1 || version > kCodesFormatVersion)
    {
      throw InputError(path + ": codes format version " + std::to_string(version) + " is not supported (this is " +
                       std::to_string(kCodesFormatVersion) + "): use a newer MrCAE Studio");
    }
    c.modelHash = h5::readString(root, "model_hash");
    c.modelParams = h5::readInt(root, "model_params", 0);
    c.modelLevels = static_cast<int>(h5::readInt(root, "model_levels", 0));
    c.source = h5::readString(root, "source");
    c.fieldName = h5::readString(root, "field");
    c.units = h5::readString(root, "units");
    c.originalMin = h5::readDouble(root, "original_min", 0.0);
    c.originalMax = h5::readDouble(root, "original_max", 1.0);
    c.height = static_cast<int>(h5::readInt(root, "height", 0));
    c.width = static_cast<int>(h5::readInt(root, "width", 0));
    c.cropTop = static_cast<int>(h5::readInt(root, "crop_top", 0));
    c.cropLeft = static_cast<int>(h5::readInt(root, "crop_left", 0));
    c.snapshots = h5::readInts(root.openDataSet("snapshots"));
    const hsize_t n = c.snapshots.size();
    if (root.nameExists("valid"))
    {
      H5::DataSet v = root.openDataSet("valid");
      const auto dims = h5::shapeOf(v);
      if (dims.size() != 2 || dims[0] != hsize_t(c.height) || dims[1] != hsize_t(c.width))
      {
        throw InputError(path + ": /valid is not " + std::to_string(c.height) + "x" + std::to_string(c.width) +
                         " (damaged codes file)");
      }
      c.valid = maskFrom(h5::readBytes(v), dims[0], dims[1]);
    }
    auto damaged = [&](const std::string& what) { return InputError(path + ": " + what + " (damaged codes file)"); };
    for (int k = 0; k < 32; ++k)
    {
      if (!root.nameExists(groupName(k)))
      {
        continue;
      }
      H5::Group g = root.openGroup(groupName(k));
      LevelCodes level;
      level.level = k;
      H5::DataSet coarse = g.openDataSet("coarse");
      const auto cd = h5::shapeOf(coarse);
      if (cd.size() != 3 || cd[0] != n)
      {
        throw damaged("/" + groupName(k) + "/coarse is not [snapshots, h, w]");
      }
      level.coarseH = static_cast<int>(cd[1]);
      level.coarseW = static_cast<int>(cd[2]);
      level.coarse = h5::readFloats(coarse);
      // Refinements in the forward pass's order: level j = 0..k, group g = 1, 2, ...
      for (int j = 0; j <= k; ++j)
      {
        for (int grp = 1;; ++grp)
        {
          RefinementCodes r;
          r.level = j;
          r.group = grp;
          if (!g.nameExists(refinementName(r)))
          {
            break;
          }
          H5::Group rg = g.openGroup(refinementName(r));
          r.channels = static_cast<int>(h5::readInt(rg, "channels", 0));
          H5::DataSet mask = rg.openDataSet("mask");
          const auto md = h5::shapeOf(mask);
          if (md.size() != 2)
          {
            throw damaged(refinementName(r) + "/mask is not 2-D");
          }
          r.mask = maskFrom(h5::readBytes(mask), md[0], md[1]);
          for (size_t p = 0; p < r.mask.data.size(); ++p)
          {
            if (r.mask.data[p] > 0.5f)
            {
              r.cells.push_back(static_cast<int>(p));
            }
          }
          H5::DataSet values = rg.openDataSet("values");
          const auto vd = h5::shapeOf(values);
          if (vd.size() != 3 || vd[0] != n || vd[1] != hsize_t(r.channels) || vd[2] != r.cells.size())
          {
            throw damaged("/" + groupName(k) + "/" + refinementName(r) +
                          "/values is not [snapshots, channels, cells of the mask]");
          }
          r.values = h5::readFloats(values);
          level.refinements.push_back(std::move(r));
        }
      }
      if (h5::readInt(g, "values_per_snapshot", -1) != level.valuesPerSnapshot())
      {
        throw damaged("/" + groupName(k) + " says " + std::to_string(h5::readInt(g, "values_per_snapshot", -1)) +
                      " values per snapshot but holds " + std::to_string(level.valuesPerSnapshot()));
      }
      c.levels.push_back(std::move(level));
    }
    if (c.levels.empty())
    {
      throw damaged("no level group /L0, /L1, ...");
    }
    if (c.modelLevels <= c.levels.back().level)
    {
      throw damaged("model_levels is " + std::to_string(c.modelLevels) + " but level " +
                    std::to_string(c.levels.back().level) + " was encoded");
    }
  });
  return c;
}

#else // no HDF5

void writeCodes(const EncodedSnapshots&, const std::string& path)
{
  throw InputError(path + ": this build cannot write codes files (it was built without HDF5)");
}

EncodedSnapshots readCodes(const std::string& path)
{
  throw InputError(path + ": this build cannot read codes files (it was built without HDF5)");
}

#endif

} // namespace mrcae
