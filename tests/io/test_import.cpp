// Import of NetCDF and HDF5 files (io/Importer.h). Small files are written here, at test time, with the NetCDF
// and HDF5 libraries, so that every expected value is computed by hand; the real files come from Debian's
// libncarg-data and ferret-datasets (scripts/setup.sh installs them), and their numbers were read off
// `ncdump -p 9,17` independently of our reader.
#include "../core/TestHelpers.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Importer.h"
#include "mrcae/model/ToyData.h"

#include <H5Cpp.h>
#ifdef MRCAE_WITH_NETCDF
#include <netcdf.h>
#endif

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>

using namespace mrcae;
using testing::expectInputError;

namespace
{

const std::string kNcarg = "/usr/share/ncarg/data/cdf/";
const std::string kFerret = "/usr/share/ferret-vis/data/";

#ifdef MRCAE_WITH_NETCDF
/// Writes a NetCDF file in a few calls: dimensions, variables with attributes, then data.
class NcWriter
{
public:
  NcWriter(const std::string& path, int mode = NC_CLOBBER) { ok(nc_create(path.c_str(), mode, &ncid_)); }
  ~NcWriter() { nc_close(ncid_); }
  int dim(const char* name, size_t len)
  {
    int id = 0;
    ok(nc_def_dim(ncid_, name, len, &id));
    return id;
  }
  int var(const char* name, nc_type type, std::vector<int> dims)
  {
    int id = 0;
    ok(nc_def_var(ncid_, name, type, static_cast<int>(dims.size()), dims.data(), &id));
    return id;
  }
  void att(int var, const char* name, nc_type type, std::vector<double> values)
  {
    ok(nc_put_att_double(ncid_, var, name, type, values.size(), values.data()));
  }
  void text(int var, const char* name, const std::string& value)
  {
    ok(nc_put_att_text(ncid_, var, name, value.size(), value.c_str()));
  }
  /// Leaves define mode, then writes each variable's values (converted to its type by the library).
  void put(const std::vector<std::pair<int, std::vector<double>>>& data)
  {
    ok(nc_enddef(ncid_));
    for (const auto& [var, values] : data)
    {
      ok(nc_put_var_double(ncid_, var, values.data()));
    }
  }
  int id() const { return ncid_; }

private:
  static void ok(int status)
  {
    if (status != NC_NOERR)
    {
      throw std::runtime_error(nc_strerror(status));
    }
  }
  int ncid_ = -1;
};
#endif

/// values[t][i][j] = f(t, i, j) for a [t, h, w] stack.
[[maybe_unused]] std::vector<double> stack(int t, int h, int w, const std::function<double(int, int, int)>& f)
{
  std::vector<double> v;
  for (int k = 0; k < t; ++k)
  {
    for (int i = 0; i < h; ++i)
    {
      for (int j = 0; j < w; ++j)
      {
        v.push_back(f(k, i, j));
      }
    }
  }
  return v;
}

/// An HDF5 dataset (float32 or the given type) at `name` ("/a/b"), with optional numeric attributes.
void writeH5(const std::string& path, const std::string& name, const std::vector<hsize_t>& dims,
             const std::vector<double>& values, const H5::PredType& type = H5::PredType::IEEE_F32LE,
             const std::vector<std::pair<std::string, double>>& attrs = {})
{
  H5::H5File f(path, H5F_ACC_TRUNC);
  H5::LinkCreatPropList link;
  link.setCreateIntermediateGroup(true);
  H5::DataSet ds = f.createDataSet(name, type, H5::DataSpace(static_cast<int>(dims.size()), dims.data()),
                                   H5::DSetCreatPropList::DEFAULT, H5::DSetAccPropList::DEFAULT, link);
  ds.write(values.data(), H5::PredType::NATIVE_DOUBLE);
  for (const auto& [key, value] : attrs)
  {
    H5::Attribute a = ds.createAttribute(key, type, H5::DataSpace(H5S_SCALAR));
    a.write(H5::PredType::NATIVE_DOUBLE, &value);
  }
}

/// |actual - expected| <= tol: values that went through float32 scaling.
#define COMPARE_NEAR(actual, expected, tol)                                                                            \
  QVERIFY2(std::abs((actual) - (expected)) <= (tol),                                                                   \
           qPrintable(QString("%1 = %2, expected %3").arg(#actual).arg(actual, 0, 'g', 12).arg(expected, 0, 'g', 12)))

/// The value in original units of a scaled cell.
double original(const Dataset& d, int k, int i, int j)
{
  return d.originalMin + d.field.at(k, i, j) * (d.originalMax - d.originalMin);
}

[[maybe_unused]] long long invalidCount(const Dataset& d)
{
  return d.hasMask() ? static_cast<long long>(std::count(d.valid.data.begin(), d.valid.data.end(), 0.0f)) : 0;
}

ImportOptions var(const std::string& name)
{
  ImportOptions o;
  o.variable = name;
  return o;
}

} // namespace

class TestImport : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  std::string path(const char* name) const { return (dir.path() + "/" + name).toStdString(); }

private Q_SLOTS:
#ifdef MRCAE_WITH_NETCDF
  void shortWithScaleAndOffsetUnpacksExactly()
  {
    // short v(time=5, y=3, x=3): raw = 100 t + 10 i + j, scale_factor 0.5, add_offset 10, _FillValue -1 at (0,0).
    const std::string p = path("packed.nc");
    {
      NcWriter w(p);
      int t = w.dim("time", 5), y = w.dim("y", 3), x = w.dim("x", 3);
      int v = w.var("v", NC_SHORT, {t, y, x});
      w.att(v, "scale_factor", NC_DOUBLE, {0.5});
      w.att(v, "add_offset", NC_DOUBLE, {10.0});
      w.att(v, "_FillValue", NC_SHORT, {-1});
      w.text(v, "units", "K");
      w.put(
          {{ v,
             stack(5, 3, 3, [](int k, int i, int j) { return i == 0 && j == 0 ? -1.0 : 100.0 * k + 10 * i + j; }) }});
    }
    ImportReport r = importDataset(p, var("v"));
    const Dataset& d = r.dataset;
    QCOMPARE(d.field.t, 5);
    QCOMPARE(d.field.h, 3);
    QCOMPARE(d.field.w, 3);
    // Valid raw values run from 1 (t=0, i=0, j=1) to 422: unpacked 10.5 and 221.
    QCOMPARE(d.originalMin, 10.5);
    QCOMPARE(d.originalMax, 221.0);
    // raw 211 at (2,1,1) -> 115.5 -> (115.5 - 10.5) / 210.5
    QCOMPARE(d.field.at(2, 1, 1), static_cast<float>(105.0 / 210.5));
    QCOMPARE(d.field.at(0, 0, 1), 0.0f);
    QCOMPARE(d.field.at(4, 2, 2), 1.0f);
    QCOMPARE(invalidCount(d), 1LL);
    QCOMPARE(d.valid.at(0, 0), 0.0f);
    QCOMPARE(r.fillAlways, 1LL);
    QCOMPARE(r.fillSometimes, 0LL);
    QCOMPARE(d.units, std::string("K"));
    QCOMPARE(d.source, std::string("packed.nc:v"));
    QCOMPARE(r.format, std::string("netcdf-classic"));
    QVERIFY(r.cf.find("scale_factor 0.5") != std::string::npos);
  }

  void unsignedBytesAndUnpackedValidRange()
  {
    // byte b with _Unsigned = "true": raw -56 is 200; scale 0.1 -> 20. short s with a float valid_max (the
    // unpacked type, CF §8.1) compares unpacked values: raw 60 * 0.1 = 6 > 5 is invalid, raw 40 -> 4 is valid.
    const std::string p = path("bytes.nc");
    {
      NcWriter w(p);
      int t = w.dim("time", 3), y = w.dim("y", 3), x = w.dim("x", 3);
      int b = w.var("b", NC_BYTE, {t, y, x});
      w.text(b, "_Unsigned", "true");
      w.att(b, "scale_factor", NC_FLOAT, {0.1});
      int s = w.var("s", NC_SHORT, {t, y, x});
      w.att(s, "scale_factor", NC_FLOAT, {0.1});
      w.att(s, "valid_max", NC_FLOAT, {5.0});
      w.put({{b, stack(3, 3, 3, [](int k, int i, int j) { return k == 2 && i == 2 && j == 2 ? -56.0 : k + i + j; })},
             { s,
               stack(3, 3, 3, [](int k, int i, int j) {
                 return i == 1 && j == 1 ? (k == 1 ? 60.0 : 40.0) : 10.0 * k + i + j;
               }) }});
    }
    ImportReport rb = importDataset(p, var("b"));
    QCOMPARE(rb.dataset.originalMin, 0.0);
    QVERIFY(std::abs(rb.dataset.originalMax - 20.0) < 1e-6); // 200 * 0.1f
    QVERIFY(!rb.dataset.hasMask());
    ImportReport rs = importDataset(p, var("s"));
    // The centre cell is invalid at t = 1 only (6 > 5): the union mask drops it everywhere.
    QCOMPARE(invalidCount(rs.dataset), 1LL);
    QCOMPARE(rs.dataset.valid.at(1, 1), 0.0f);
    QCOMPARE(rs.fillSometimes, 1LL);
    QVERIFY(std::abs(rs.dataset.originalMax - 2.4) < 1e-6); // raw 24 (t=2, i=2, j=2) * 0.1
  }

  void missingValueAndValidRangeMarkFillCells()
  {
    // float f: missing_value 1e20 (as double, on a float variable), valid_range [0, 100] of the variable's type.
    const std::string p = path("missing.nc");
    {
      NcWriter w(p);
      int t = w.dim("time", 4), y = w.dim("y", 4), x = w.dim("x", 5);
      int f = w.var("f", NC_FLOAT, {t, y, x});
      w.att(f, "missing_value", NC_DOUBLE, {1e20});
      w.att(f, "valid_range", NC_FLOAT, {0.0, 100.0});
      w.put(
          {{ f,
             stack(4, 4, 5, [](int k, int i, int j) {
               if (i == 3 && j == 4)
                 return 1e20; // missing
               if (i == 0 && j == 0)
                 return 150.0; // above the valid range
               if (i == 1 && j == 2)
                 return -5.0; // below
               return 10.0 * k + i + j;
             }) }});
    }
    ImportReport r = importDataset(p, var("f"));
    QCOMPARE(r.invalidCells, 3LL);
    QCOMPARE(r.fillAlways, 3LL);
    QCOMPARE(r.dataset.valid.at(3, 4), 0.0f);
    QCOMPARE(r.dataset.valid.at(0, 0), 0.0f);
    QCOMPARE(r.dataset.valid.at(1, 2), 0.0f);
    QCOMPARE(r.dataset.originalMin, 1.0);  // (0, 0, 1)
    QCOMPARE(r.dataset.originalMax, 36.0); // (3, 2, 4)
  }

  void fillPatternOverTimeUsesTheUnionOrRefuses()
  {
    // (0,0) is fill at t = 0 only; (2,2) is fill always; (1,1) at t = 1 and 3.
    const std::string p = path("union.nc");
    {
      NcWriter w(p);
      int t = w.dim("time", 4), y = w.dim("y", 3), x = w.dim("x", 4);
      int f = w.var("f", NC_FLOAT, {t, y, x});
      w.att(f, "_FillValue", NC_FLOAT, {-9999});
      w.put(
          {{ f,
             stack(4, 3, 4, [](int k, int i, int j) {
               const bool fill = (i == 0 && j == 0 && k == 0) || (i == 2 && j == 2) || (i == 1 && j == 1 && k % 2);
               // (0,0) holds 1000 where it is not fill: masked by the union, it must not set the maximum.
               return fill ? -9999.0 : i == 0 && j == 0 ? 1000.0 : k * 12 + i * 4 + j;
             }) }});
    }
    ImportReport r = importDataset(p, var("f"));
    QCOMPARE(r.invalidCells, 3LL);
    QCOMPARE(r.fillAlways, 1LL);
    QCOMPARE(r.fillSometimes, 2LL);
    for (auto [i, j] : {std::pair{0, 0}, {2, 2}, { 1, 1 }})
    {
      QCOMPARE(r.dataset.valid.at(i, j), 0.0f);
    }
    QCOMPARE(r.dataset.valid.at(0, 1), 1.0f);
    QCOMPARE(r.dataset.originalMin, 1.0);  // t=0, (0,1)
    QCOMPARE(r.dataset.originalMax, 47.0); // t=3, (2,3); not the 1000 of the masked (0,0)
    bool told = false;
    for (const auto& n : r.notes)
    {
      told = told || (n.str().find("union") != std::string::npos && n.str().find("2 cells") != std::string::npos);
    }
    QVERIFY2(told, "the report must say that the mask is the union over time");
    ImportOptions refuse = var("f");
    refuse.maskMode = MaskOverTime::Refuse;
    expectInputError([&] { importDataset(p, refuse); }, "mask mode union");
    // A time range in which the pattern is fixed passes with refuse too.
    refuse.firstSnapshot = 2;
    refuse.endSnapshot = 3;
    QCOMPARE(importDataset(p, refuse).invalidCells, 1LL);
  }

  void rank4NetcdfNeedsAndTakesAnAxisChoice()
  {
    // float v(time=2, lev=3, y=3, x=4) = 1000 t + 100 lev + 10 i + j
    const std::string p = path("rank4.nc");
    {
      NcWriter w(p, NC_CLOBBER | NC_NETCDF4);
      int t = w.dim("time", 2), l = w.dim("lev", 3), y = w.dim("y", 3), x = w.dim("x", 4);
      int v = w.var("v", NC_FLOAT, {t, l, y, x});
      std::vector<double> values;
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 3; ++b)
          for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 4; ++j)
              values.push_back(1000 * a + 100 * b + 10 * i + j);
      w.put({{ v, values }});
    }
    expectInputError([&] { importDataset(p, var("v")); }, "axis index lev=I (0..2)");
    ImportOptions o = var("v");
    o.indices = {{ "lev", 2 }};
    ImportReport r = importDataset(p, o);
    QCOMPARE(r.format, std::string("netcdf-4"));
    QCOMPARE(r.dataset.field.t, 2);
    COMPARE_NEAR(original(r.dataset, 1, 2, 3), 1223.0, 1e-3);
    QCOMPARE(r.dataset.originalMin, 200.0);
    QCOMPARE(r.dataset.source, std::string("rank4.nc:v [time=0:2, lev=2]"));
    // lev as the snapshot axis, time held at 1 (axis numbers work as well as names).
    o.timeAxis = "lev";
    o.indices = {{ "0", 1 }};
    r = importDataset(p, o);
    QCOMPARE(r.dataset.field.t, 3);
    QCOMPARE(r.timeAxisName, std::string("lev"));
    COMPARE_NEAR(original(r.dataset, 2, 1, 0), 1210.0, 1e-3);
    QCOMPARE(r.dataset.originalMin, 1000.0);
    o.indices = {{ "depth", 1 }};
    expectInputError([&] { importDataset(p, o); }, "no dimension 'depth'");
    o.indices = {{ "time", 2 }};
    expectInputError([&] { importDataset(p, o); }, "out of range");
    o.indices = {{ "lev", 0 }};
    expectInputError([&] { importDataset(p, o); }, "is the time axis");
  }
#endif

  void rank4Hdf5NeedsTimeAxisAndIndex()
  {
    // /g/data [4, 2, 3, 5] float32 = 1000 a + 100 b + 10 i + j
    const std::string p = path("rank4.h5");
    std::vector<double> values;
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 2; ++b)
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 5; ++j)
            values.push_back(1000 * a + 100 * b + 10 * i + j);
    writeH5(p, "/g/data", {4, 2, 3, 5}, values);
    ImportListing l = listImportable(p);
    QCOMPARE(l.format, std::string("hdf5"));
    QCOMPARE(l.variables.size(), size_t(1));
    QCOMPARE(l.variables[0].name, std::string("/g/data"));
    QCOMPARE(l.variables[0].type, std::string("float32"));
    QCOMPARE(l.variables[0].shape, (std::vector<long long>{4, 2, 3, 5}));
    expectInputError([&] { importDataset(p, var("/g/data")); }, "pass time axis N (0..3) and axis index");
    ImportOptions o = var("g/data");
    o.timeAxis = "0";
    expectInputError([&] { importDataset(p, o); }, "axis index 1=I (0..1)");
    o.indices = {{"1", 1}};
    ImportReport r = importDataset(p, o);
    QCOMPARE(r.dataset.field.t, 4);
    QCOMPARE(r.dataset.field.h, 3);
    QCOMPARE(r.dataset.field.w, 5);
    COMPARE_NEAR(original(r.dataset, 3, 2, 4), 3124.0, 1e-3);
    QCOMPARE(r.dataset.originalMin, 100.0);
    o.indices = {{"lev", 1}};
    expectInputError([&] { importDataset(p, o); }, "no axis names");
  }

  void hdf5TimeAxisMayBeAnyAxis()
  {
    // [5, 6, 4] with time last: snapshots are 5 x 6, four of them; value = 100 i + 10 j + t.
    const std::string p = path("timelast.h5");
    std::vector<double> values;
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < 6; ++j)
        for (int t = 0; t < 4; ++t)
          values.push_back(100 * i + 10 * j + t);
    writeH5(p, "/u", {5, 6, 4}, values, H5::PredType::STD_I16LE, {{"scale_factor", 2}});
    ImportOptions o = var("/u");
    ImportReport r0 = importDataset(p, o);
    QCOMPARE(r0.dataset.field.t, 5); // axis 0 by default for rank 3, and the report says so
    QVERIFY(!r0.notes.empty() && r0.notes[0].str().find("pass time axis") != std::string::npos);
    o.timeAxis = "2";
    ImportReport r = importDataset(p, o);
    QCOMPARE(r.dataset.field.t, 4);
    QCOMPARE(r.dataset.field.h, 5);
    QCOMPARE(r.dataset.field.w, 6);
    // CF scale_factor on an HDF5 dataset is honoured too: 2 * (100*4 + 10*5 + 3).
    COMPARE_NEAR(original(r.dataset, 3, 4, 5), 906.0, 1e-3);
    COMPARE_NEAR(original(r.dataset, 1, 2, 3), 2.0 * 231, 1e-3);
  }

  void hdf5Rank2IsRefused()
  {
    const std::string p = path("rank2.h5");
    writeH5(p, "/grid", {4, 5}, std::vector<double>(20, 1.0));
    expectInputError([&] { importDataset(p, var("/grid")); }, "one 2-D snapshot, no time axis");
    ImportOptions o = var("/grid");
    o.timeAxis = "0";
    expectInputError([&] { importDataset(p, o); }, "3 or more dimensions");
  }

  void ownLayoutGoesThroughDatasetIO()
  {
    const std::string p = path("toy.h5");
    writeDataset(generateToy("toy1", 6, 15), p);
    ImportReport r = importDataset(p, {});
    QCOMPARE(r.format, std::string("mrcae"));
    QCOMPARE(r.dataset.field.t, 6);
    QCOMPARE(r.dataset.field.h, 15);
    ImportOptions o;
    o.timeAxis = "1";
    expectInputError([&] { importDataset(p, o); }, "layout already");
  }

#ifdef MRCAE_WITH_NETCDF
  void cropAndPadThroughImport()
  {
    // Pstorm 33 x 36. Crop for 2 levels: 31 x 35 (c*4-1), one row off the top; pad reflect for 3: 39 x 39.
    ImportReport whole = importDataset(kNcarg + "Pstorm.cdf", var("p"));
    ImportOptions o = var("p");
    o.sizePolicy = SizePolicy::Crop;
    o.levels = 2;
    ImportReport c = importDataset(kNcarg + "Pstorm.cdf", o);
    QCOMPARE(c.dataset.field.h, 31);
    QCOMPARE(c.dataset.field.w, 35);
    QCOMPARE(c.dataset.cropTop, 1);
    QCOMPARE(c.dataset.cropLeft, 0);
    QCOMPARE(c.dataset.originalH, 33);
    QCOMPARE(c.dataset.maxLevels(), 2);
    int compared = 0;
    for (int k : {0, 31, 63})
    {
      for (int i = 0; i < 31; ++i)
      {
        for (int j = 0; j < 35; ++j)
        {
          QCOMPARE(c.dataset.valid.at(i, j), whole.dataset.valid.at(i + 1, j));
          if (c.dataset.valid.at(i, j) > 0.5f)
          {
            COMPARE_NEAR(original(c.dataset, k, i, j), original(whole.dataset, k, i + 1, j), 2e-2);
            ++compared;
          }
        }
      }
    }
    QVERIFY(compared > 2000);
    // Scaling is over the valid cells that were kept: 0 and 1 are both reached.
    float lo = 1, hi = 0;
    for (size_t p = 0; p < c.dataset.field.data.size(); ++p)
    {
      if (c.dataset.valid.data[p % c.dataset.field.frameSize()] > 0.5f)
      {
        lo = std::min(lo, c.dataset.field.data[p]);
        hi = std::max(hi, c.dataset.field.data[p]);
      }
    }
    QCOMPARE(lo, 0.0f);
    QCOMPARE(hi, 1.0f);
    o.sizePolicy = SizePolicy::PadReflect;
    o.levels = 3;
    ImportReport pr = importDataset(kNcarg + "Pstorm.cdf", o);
    QCOMPARE(pr.dataset.field.h, 39);
    QCOMPARE(pr.dataset.field.w, 39);
    QCOMPARE(pr.dataset.originalMin, whole.dataset.originalMin);
    QCOMPARE(pr.dataset.originalMax, whole.dataset.originalMax);
    // Periodic in x: 36 -> 39 adds two columns on the left (source columns 34, 35) and one on the right
    // (column 0); rows are mirrored, three added on top.
    o.sizePolicy = SizePolicy::PadPeriodic;
    ImportReport pp = importDataset(kNcarg + "Pstorm.cdf", o);
    QCOMPARE(pp.dataset.cropLeft, -2);
    QCOMPARE(pp.dataset.cropTop, -3);
    for (int i = 0; i < 39; ++i)
    {
      QCOMPARE(pp.dataset.field.at(7, i, 0), pp.dataset.field.at(7, i, 36));
      QCOMPARE(pp.dataset.field.at(7, i, 38), pp.dataset.field.at(7, i, 2));
    }
    for (int j = 0; j < 36; ++j)
    {
      QCOMPARE(pp.dataset.valid.at(10, j + 2), whole.dataset.valid.at(7, j));
    }
    QCOMPARE(pp.dataset.valid.at(10, 0), whole.dataset.valid.at(7, 34));
    // A crop that needs more cells than there are.
    o.sizePolicy = SizePolicy::Crop;
    o.levels = 5;
    expectInputError([&] { importDataset(kNcarg + "Pstorm.cdf", o); }, "too small to crop");
  }

  // ---- the real files -------------------------------------------------------------------------------------

  void realPstorm()
  {
    // ncdump: float p(timestep=64, lat=33, lon=36), _FillValue -9999; 224 cells are fill in every frame;
    // valid values run from 96040.25 to 104415.312 (float32 104415.3125).
    ImportReport r = importDataset(kNcarg + "Pstorm.cdf", var("p"));
    const Dataset& d = r.dataset;
    QCOMPARE(d.field.t, 64);
    QCOMPARE(d.field.h, 33);
    QCOMPARE(d.field.w, 36);
    QCOMPARE(invalidCount(d), 224LL);
    QCOMPARE(r.fillAlways, 224LL);
    QCOMPARE(r.fillSometimes, 0LL);
    QCOMPARE(d.originalMin, 96040.25);
    QCOMPARE(d.originalMax, 104415.3125);
    QCOMPARE(r.timeAxisName, std::string("timestep"));
    QCOMPARE(d.source, std::string("Pstorm.cdf:p"));
    QCOMPARE(d.dt, 6.0); // timestep = 0, 6, 12, ... (hours)
    QVERIFY(r.cf.find("-9999") != std::string::npos);
  }

  void realTstormEmptyFrame()
  {
    // Frame 17 of Tstorm is entirely fill: the union mask would remove every cell.
    expectInputError([&] { importDataset(kNcarg + "Tstorm.cdf", var("t")); }, "snapshot 17 is entirely fill");
    ImportOptions o = var("t");
    o.dropEmptySnapshots = true;
    ImportReport r = importDataset(kNcarg + "Tstorm.cdf", o);
    QCOMPARE(r.dataset.field.t, 63);
    QCOMPARE(r.droppedSnapshots, (std::vector<long long>{17}));
    QCOMPARE(r.invalidCells, 224LL);
    QVERIFY(std::abs(r.dataset.originalMin - 234.084305) < 1e-5);
    QVERIFY(std::abs(r.dataset.originalMax - 307.786621) < 1e-5);
  }

  void realCoadsMaskChangesOverTime()
  {
    // SST(TIME=12, COADSY=90, COADSX=180), fill -1e34: 5641 cells are fill in all 12 months, 3149 more in some.
    ImportReport r = importDataset(kFerret + "coads_climatology.cdf", var("SST"));
    QCOMPARE(r.dataset.field.t, 12);
    QCOMPARE(r.fillAlways, 5641LL);
    QCOMPARE(r.fillSometimes, 3149LL);
    QCOMPARE(invalidCount(r.dataset), 8790LL);
    QCOMPARE(r.dataset.originalMin, static_cast<double>(-2.2f));
    QVERIFY(std::abs(r.dataset.originalMax - 33.1504631) < 1e-6);
    QCOMPARE(r.dataset.units, std::string("Deg C"));
    COMPARE_NEAR(r.dataset.dt, 730.485, 1e-9); // TIME = 366, 1096.485, ... hours: evenly spaced months
    ImportOptions o = var("SST");
    o.maskMode = MaskOverTime::Refuse;
    expectInputError([&] { importDataset(kFerret + "coads_climatology.cdf", o); }, "3149 cells");
  }

  void realNetcdf4Rank4()
  {
    // nc4uvt.nc: netCDF-4, T(time=1, lev=14, lat=64, lon=128), fill -999 (none used), 190.024368 .. 310.637054.
    expectInputError([&] { importDataset(kNcarg + "nc4uvt.nc", var("T")); }, "time axis lev");
    ImportOptions o = var("T");
    o.timeAxis = "lev";
    ImportReport r = importDataset(kNcarg + "nc4uvt.nc", o);
    QCOMPARE(r.format, std::string("netcdf-4"));
    QCOMPARE(r.dataset.field.t, 14);
    QCOMPARE(r.dataset.field.h, 64);
    QCOMPARE(r.dataset.field.w, 128);
    QVERIFY(!r.dataset.hasMask());
    QVERIFY(std::abs(r.dataset.originalMin - 190.024368) < 1e-5);
    QVERIFY(std::abs(r.dataset.originalMax - 310.637054) < 1e-5);
    QCOMPARE(r.fixed.size(), size_t(1));
    QCOMPARE(r.fixed[0].axis, std::string("time"));
    // The same variable in group grp1, and the file read as plain HDF5 on request.
    QCOMPARE(importDataset(kNcarg + "nc4uvt.nc",
                           [&] {
                             ImportOptions g = o;
                             g.variable = "grp1/T";
                             return g;
                           }())
                 .dataset.field.t,
             14);
    ImportOptions h = var("/T");
    h.format = "hdf5";
    expectInputError([&] { importDataset(kNcarg + "nc4uvt.nc", h); }, "time axis N (0..3)");
  }

  // ---- bad input: one line that says what is wrong and what to pass -------------------------------------

  void noTimeAxis()
  {
    expectInputError([&] { importDataset(kFerret + "levitus_climatology.cdf", var("TEMP")); }, "has no time axis");
    expectInputError([&] { importDataset(kFerret + "levitus_climatology.cdf", var("TEMP")); }, "time axis NAME");
  }

  void allFillAndEverythingMasked()
  {
    const std::string p = path("fills.nc");
    {
      NcWriter w(p);
      int t = w.dim("time", 3), y = w.dim("y", 3), x = w.dim("x", 3);
      int a = w.var("allfill", NC_FLOAT, {t, y, x});
      w.att(a, "_FillValue", NC_FLOAT, {-1});
      int m = w.var("moving", NC_FLOAT, {t, y, x});
      w.att(m, "_FillValue", NC_FLOAT, {-1});
      w.put({{a, std::vector<double>(27, -1.0)},
             // each cell is fill in exactly one snapshot: the union leaves nothing, no snapshot is empty
             { m,
               stack(3, 3, 3, [](int k, int i, int j) { return (i + j) % 3 == k ? -1.0 : 1.0 + k; }) }});
    }
    expectInputError([&] { importDataset(p, var("allfill")); }, "holds only fill values");
    expectInputError([&] { importDataset(p, var("moving")); }, "leaves no valid cell");
    expectInputError([&] { importDataset(p, var("moving")); }, "time range");
  }

  void nanInsideValidCells()
  {
    const std::string p = path("nan.nc");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    {
      NcWriter w(p);
      int t = w.dim("time", 3), y = w.dim("y", 3), x = w.dim("x", 4);
      int f = w.var("f", NC_FLOAT, {t, y, x});
      w.att(f, "_FillValue", NC_FLOAT, {-1});
      int g = w.var("g", NC_FLOAT, {t, y, x});
      w.att(g, "_FillValue", NC_FLOAT, {nan});
      auto values = stack(3, 3, 4, [&](int k, int i, int j) { return k == 1 && i == 2 && j == 3 ? nan : k + i + j; });
      w.put({{f, values}, { g, values }});
    }
    expectInputError([&] { importDataset(p, var("f")); }, "NaN in a cell that is not fill (snapshot 1, y 2, x 3)");
    expectInputError([&] { importDataset(p, var("f")); }, "NaN as fill");
    ImportOptions o = var("f");
    o.nanAsFill = true;
    QCOMPARE(importDataset(p, o).invalidCells, 1LL);
    // A NaN _FillValue (as xarray writes) makes NaN a fill value without asking.
    QCOMPARE(importDataset(p, var("g")).invalidCells, 1LL);
  }

  void unsupportedTypes()
  {
    expectInputError([&] { importDataset(kNcarg + "Pstorm.cdf", var("reftime")); }, "type char (text)");
    const std::string p = path("strings.nc");
    {
      NcWriter w(p, NC_CLOBBER | NC_NETCDF4);
      int t = w.dim("time", 2), y = w.dim("y", 3), x = w.dim("x", 3);
      w.var("s", NC_STRING, {t, y, x});
      w.put({});
    }
    expectInputError([&] { importDataset(p, var("s")); }, "type string");
  }

  void tooSmallForOneLevel()
  {
    const std::string p = path("thin.nc");
    {
      NcWriter w(p);
      int t = w.dim("time", 6), y = w.dim("y", 2), x = w.dim("x", 40);
      int f = w.var("f", NC_FLOAT, {t, y, x});
      w.put({{ f, stack(6, 2, 40, [](int k, int i, int j) { return k + i + j; }) }});
    }
    expectInputError([&] { importDataset(p, var("f")); }, "too small for one level");
    ImportOptions o = var("f");
    o.sizePolicy = SizePolicy::PadReflect;
    expectInputError([&] { importDataset(p, o); }, "at least 3 cells per side");
  }
#endif

  void hdf5NonNumericDataset()
  {
    const std::string p = path("text.h5");
    {
      H5::H5File f(p, H5F_ACC_TRUNC);
      hsize_t dims[3] = {2, 3, 3};
      H5::StrType type(H5::PredType::C_S1, 8);
      f.createDataSet("words", type, H5::DataSpace(3, dims));
    }
    expectInputError([&] { importDataset(p, var("words")); }, "type string");
  }

  void missingUnknownAndForeignFiles()
  {
    expectInputError([&] { importDataset(path("nope.nc"), var("p")); }, "file not found");
    expectInputError([&] { listImportable(path("nope.nc")); }, "file not found");
    {
      std::ofstream(path("notes.txt")) << "just some text, not a data file\n";
    }
    expectInputError([&] { importDataset(path("notes.txt"), var("p")); }, "not a NetCDF or HDF5 file");
    {
      std::ofstream(path("fake.nc"), std::ios::binary) << "CDF\x01 truncated";
    }
#ifdef MRCAE_WITH_NETCDF
    expectInputError([&] { importDataset(path("fake.nc"), var("p")); }, "cannot open as NetCDF");
    expectInputError([&] { importDataset(kNcarg + "Pstorm.cdf", var("pressure")); }, "no variable 'pressure'");
    expectInputError([&] { importDataset(kNcarg + "Pstorm.cdf", var("pressure")); }, "list of variables");
    // Without a name, the only candidate is taken; with several, the error lists them.
    QCOMPARE(importDataset(kNcarg + "Pstorm.cdf", {}).variable.name, std::string("p"));
    expectInputError([&] { importDataset(kFerret + "coads_climatology.cdf", {}); }, "choose a variable with");
#else
    expectInputError([&] { importDataset(path("fake.nc"), var("p")); }, "built with MRCAE_WITH_NETCDF=OFF");
#endif
    writeH5(path("one.h5"), "/a/b", {3, 4, 4}, std::vector<double>(48, 1.0));
    expectInputError([&] { importDataset(path("one.h5"), var("/a/c")); }, "no dataset '/a/c'");
  }
};

QTEST_GUILESS_MAIN(TestImport)
#include "test_import.moc"
