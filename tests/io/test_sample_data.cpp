// The real samples in sample_data/ (sample_data/README.md says how each was made): each file holds what the
// README says, checked with the HDF5 and NetCDF libraries rather than our readers (shape, layout, attributes, the
// land mask from the cylinder's geometry or the NetCDF file's fill cells, the values), and a few training steps
// on each lower the errors while the land mask holds (values under it change nothing; code pixels without a
// valid cell count as resolved).
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/TrainingConfig.h"

#include <H5Cpp.h>
#ifdef MRCAE_WITH_NETCDF
#include <netcdf.h>
#endif

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

using namespace mrcae;

namespace
{

const std::string kWake = std::string(SAMPLE_DATA_DIR) + "/cylinder_wake.h5";
const std::string kStorm = std::string(SAMPLE_DATA_DIR) + "/storm_u.h5";
const std::string kUstorm = "/usr/share/ncarg/data/cdf/Ustorm.cdf";

// The cylinder wake as scripts/sample-data/cylinder-wake.gfs sets it up.
constexpr int kWakeSnapshots = 301; // t = 5, 5.05, ..., 20
constexpr int kWakeH = 63, kWakeW = 511;
constexpr double kCell = 1.0 / 64;  // grid spacing, in channel heights
constexpr double kDiameter = 0.125; // cylinder at (0, 0); inflow U = 1; channel x in [-0.5, 7.5], y in [-0.5, 0.5]
constexpr double kSnapshotDt = 0.05;

/// A field of one of our dataset files as the HDF5 library reads it, with its storage and attributes.
struct RawFile
{
  std::vector<hsize_t> dims, chunk;
  std::vector<float> values;
  std::vector<unsigned char> valid; // empty without /valid
  std::vector<hsize_t> validDims;
  std::vector<H5Z_filter_t> filters;
  unsigned deflateLevel = 0;
  H5T_class_t typeClass = H5T_NO_CLASS;
  size_t typeSize = 0;
  std::string units, source;
  double dt = 0, dx = 0, originalMin = 0, originalMax = 0;
};

std::string stringAttribute(const H5::DataSet& ds, const std::string& name)
{
  H5::Attribute a = ds.openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}

double doubleAttribute(const H5::DataSet& ds, const std::string& name)
{
  double v = 0;
  ds.openAttribute(name).read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

RawFile readRaw(const std::string& path, const std::string& field)
{
  RawFile r;
  H5::H5File f(path, H5F_ACC_RDONLY);
  H5::DataSet ds = f.openDataSet("/fields/" + field);
  H5::DataSpace space = ds.getSpace();
  r.dims.resize(space.getSimpleExtentNdims());
  space.getSimpleExtentDims(r.dims.data());
  r.typeClass = ds.getTypeClass();
  r.typeSize = ds.getDataType().getSize();
  H5::DSetCreatPropList plist = ds.getCreatePlist();
  if (plist.getLayout() == H5D_CHUNKED)
  {
    r.chunk.resize(r.dims.size());
    plist.getChunk(static_cast<int>(r.chunk.size()), r.chunk.data());
  }
  for (int i = 0; i < plist.getNfilters(); ++i)
  {
    unsigned flags = 0, config = 0;
    size_t nValues = 4;
    unsigned values[4] = {0, 0, 0, 0};
    char name[64];
    const H5Z_filter_t id = plist.getFilter(i, flags, nValues, values, sizeof(name), name, config);
    r.filters.push_back(id);
    if (id == H5Z_FILTER_DEFLATE && nValues > 0)
    {
      r.deflateLevel = values[0];
    }
  }
  size_t n = 1;
  for (hsize_t d : r.dims)
  {
    n *= d;
  }
  r.values.resize(n);
  ds.read(r.values.data(), H5::PredType::NATIVE_FLOAT);
  r.units = stringAttribute(ds, "units");
  r.source = stringAttribute(ds, "source");
  r.dt = doubleAttribute(ds, "dt");
  r.dx = doubleAttribute(ds, "dx");
  r.originalMin = doubleAttribute(ds, "original_min");
  r.originalMax = doubleAttribute(ds, "original_max");
  if (f.nameExists("valid"))
  {
    H5::DataSet vs = f.openDataSet("valid");
    H5::DataSpace vspace = vs.getSpace();
    r.validDims.resize(vspace.getSimpleExtentNdims());
    vspace.getSimpleExtentDims(r.validDims.data());
    r.valid.resize(vspace.getSimpleExtentNpoints());
    vs.read(r.valid.data(), H5::PredType::NATIVE_UINT8);
  }
  return r;
}

/// Our layout: float32 [T,H,W] in chunks of one snapshot, shuffle then gzip 4 (DESIGN.md §4).
void checkLayout(const RawFile& r, hsize_t t, hsize_t h, hsize_t w)
{
  QCOMPARE(r.dims, (std::vector<hsize_t>{t, h, w}));
  QCOMPARE(r.typeClass, H5T_FLOAT);
  QCOMPARE(r.typeSize, size_t(4));
  QCOMPARE(r.chunk, (std::vector<hsize_t>{1, h, w}));
  QCOMPARE(r.filters, (std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE}));
  QCOMPARE(r.deflateLevel, 4u);
  QCOMPARE(r.validDims, (std::vector<hsize_t>{h, w}));
}

/// Scaled to [0,1] over the valid cells (both ends reached), 0 on invalid cells.
void checkScaling(const RawFile& r)
{
  const size_t cells = r.valid.size();
  float lo = 1, hi = 0;
  for (size_t p = 0; p < r.values.size(); ++p)
  {
    const float v = r.values[p];
    if (r.valid[p % cells])
    {
      QVERIFY2(v >= 0.0f && v <= 1.0f, qPrintable(QString("value %1 at %2").arg(v).arg(p)));
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    else
    {
      QCOMPARE(v, 0.0f);
    }
  }
  QCOMPARE(lo, 0.0f);
  QCOMPARE(hi, 1.0f);
  QVERIFY(r.originalMin < r.originalMax);
}

/// Cells that no valid cell of the footprint reaches, per level and code pixel: level k's validity is the native
/// mask subsampled at s·i + s − 1 (s = 2^(L−1−k)), and a code pixel covers level cells 2i..2i+2 × 2j..2j+2.
Map2D codePixelsWithoutValidCells(const Map2D& valid, int levels, int k)
{
  const int s = 1 << (levels - 1 - k);
  const int hk = (valid.h + 1) / s - 1, wk = (valid.w + 1) / s - 1;
  Map2D out((hk - 1) / 2, (wk - 1) / 2, 0.0f);
  for (int i = 0; i < out.h; ++i)
  {
    for (int j = 0; j < out.w; ++j)
    {
      bool any = false;
      for (int a = 2 * i; a <= 2 * i + 2; ++a)
      {
        for (int b = 2 * j; b <= 2 * j + 2; ++b)
        {
          any = any || valid.at(s * a + s - 1, s * b + s - 1) > 0.5f;
        }
      }
      out.at(i, j) = any ? 0.0f : 1.0f;
    }
  }
  return out;
}

/// A few steps per stage, one thread, fixed seed. Tiny tolerances keep every valid code pixel unresolved, so a
/// resolved map is exactly the code pixels without a valid cell.
TrainingConfig quickConfig(int levels, const std::vector<int>& steps)
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.levels = levels;
  c.archs.assign(levels, {1, 2});
  c.tols.assign(levels, 1e-12);
  c.steps = steps;
  c.threads = 1;
  c.seed = 7;
  c.landMask = LandMaskMode::Consistent;
  return c;
}

/// The same dataset with junk in every invalid cell (what a fill value or a land temperature would leave).
Dataset withJunkUnderTheMask(const Dataset& d, float a = 37.5f, float b = -9999.0f)
{
  Dataset junk = d;
  const size_t cells = d.field.frameSize();
  for (size_t p = 0; p < junk.field.data.size(); ++p)
  {
    if (d.valid.data[p % cells] <= 0.5f)
    {
      junk.field.data[p] = (p % 3 == 0) ? a : b;
    }
  }
  return junk;
}

struct RunResult
{
  std::vector<StepRecord> curves;
  std::vector<StageRecord> stages;
  std::vector<LevelEvaluation> evaluation;
  Snapshot snapshot;
};

RunResult train(const Dataset& d, const TrainingConfig& c)
{
  Trainer t(d, c);
  t.run();
  return {t.curves(), t.stages(), t.evaluate(), t.snapshot()};
}

bool sameCurves(const RunResult& a, const RunResult& b)
{
  if (a.curves.size() != b.curves.size() || a.stages.size() != b.stages.size())
  {
    return false;
  }
  for (size_t i = 0; i < a.curves.size(); ++i)
  {
    const StepRecord &x = a.curves[i], &y = b.curves[i];
    if (x.localTrain != y.localTrain || x.localVal != y.localVal || x.globalTrain != y.globalTrain ||
        x.globalVal != y.globalVal)
    {
      return false;
    }
  }
  for (size_t i = 0; i < a.stages.size(); ++i)
  {
    if (a.stages[i].bestGlobalVal != b.stages[i].bestGlobalVal || a.stages[i].unresolved != b.stages[i].unresolved)
    {
      return false;
    }
  }
  return true;
}

/// Errors fall: the best global validation error of the last stage is well below the first step's (the untrained
/// model's), and so is the finest level's validation error.
void checkErrorsFall(const RunResult& r, int levels, const char* what)
{
  QVERIFY(!r.curves.empty());
  QCOMPARE(static_cast<int>(r.stages.size()), 2 * levels); // deepen + one widen per level
  QCOMPARE(static_cast<int>(r.evaluation.size()), levels);
  const double first = r.curves.front().globalVal, last = r.stages.back().bestGlobalVal;
  const double finest = r.evaluation.back().val.global;
  QString stages;
  for (const auto& s : r.stages)
  {
    stages += QString(" %1").arg(s.bestGlobalVal, 0, 'g', 3);
  }
  qInfo("%s: global val error %.4g at the first step; best per stage%s; finest level on validation %.4g", what, first,
        qPrintable(stages), finest);
  QVERIFY(std::isfinite(first));
  QVERIFY2(last < 0.5 * first, "the last stage's best global validation error is not below half the first step's");
  QVERIFY2(finest < 0.5 * first, "the finest level's validation error is not below half the first step's");
}

/// Resolved maps (1 = resolved) mark exactly the code pixels without a valid cell: with tolerances of 1e-12 no
/// valid code pixel is resolved, and one without any valid cell has no loss. Returns how many such pixels the
/// maps hold in `invalidPixels` (so a caller can insist that the check saw some).
void checkMapsResolveInvalidPixels(const RunResult& r, const Map2D& valid, int levels, int& invalidPixels)
{
  invalidPixels = 0;
  QCOMPARE(static_cast<int>(r.snapshot.maps.size()), levels);
  for (int k = 0; k < levels; ++k)
  {
    const Map2D expected = codePixelsWithoutValidCells(valid, levels, k);
    QVERIFY(!r.snapshot.maps[k].empty());
    for (const Map2D& m : r.snapshot.maps[k])
    {
      if (m.h == 0)
      {
        continue;
      }
      [&] {
        QCOMPARE(m.h, expected.h);
        QCOMPARE(m.w, expected.w);
        QVERIFY2(m.data == expected.data, qPrintable(QString("level %1: resolved map differs from the code pixels "
                                                             "without a valid cell")
                                                         .arg(k)));
      }();
      invalidPixels += static_cast<int>(std::count(expected.data.begin(), expected.data.end(), 1.0f));
    }
  }
}

} // namespace

class TestSampleData : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void wakeFileLayoutAndCylinderMask()
  {
    QVERIFY2(std::filesystem::exists(kWake), "sample_data/cylinder_wake.h5 is missing (it is committed)");
    const RawFile r = readRaw(kWake, "vorticity");
    checkLayout(r, kWakeSnapshots, kWakeH, kWakeW);
    if (QTest::currentTestFailed())
    {
      return;
    }
    QCOMPARE(r.units, std::string("U/H"));
    QVERIFY(std::abs(r.dt - kSnapshotDt) < 1e-12);
    QCOMPARE(r.dx, kCell);
    QVERIFY2(r.source.find("gerris2D") != std::string::npos, r.source.c_str());
    QVERIFY2(r.originalMin < -10 && r.originalMax > 10, "vorticity of both signs, tens of U/H at the cylinder");
    checkScaling(r);
    // Invalid cells: exactly the grid cells entirely inside the cylinder (all four corners within the radius).
    // Row 0 is the top of the channel (y = 0.5), column 0 the inflow (x = -0.5); the bottom row and the outflow
    // column of the 64 x 512 grid were dropped.
    int inside = 0;
    for (int i = 0; i < kWakeH; ++i)
    {
      for (int j = 0; j < kWakeW; ++j)
      {
        bool all = true;
        for (int a = 0; a <= 1; ++a)
        {
          for (int b = 0; b <= 1; ++b)
          {
            const double x = -0.5 + (j + b) * kCell, y = 0.5 - (i + a) * kCell;
            all = all && x * x + y * y <= 0.25 * kDiameter * kDiameter;
          }
        }
        inside += all;
        QCOMPARE(static_cast<int>(r.valid[i * kWakeW + j]), all ? 0 : 1);
      }
    }
    QCOMPARE(inside, 32);
    // Values were rounded to multiples of 2^-12 of the range (sample_data/README.md), and nothing else.
    for (float v : r.values)
    {
      const float q = v * 4096.0f;
      QVERIFY2(q == std::round(q), qPrintable(QString("%1 is not a multiple of 2^-12").arg(v, 0, 'g', 9)));
    }
  }

  void wakeIsAPeriodicVortexStreet()
  {
    // Vorticity on the wake's axis, 2 channel heights behind the cylinder: the vortices of alternating sign pass
    // once per shedding period. Count the crossings of its mean; the Strouhal number f D / U of a cylinder at
    // Re = 160 is about 0.19 (Williamson 1996; here the channel walls and the coarse grid move it a little).
    const RawFile r = readRaw(kWake, "vorticity");
    const int i = 31, j = static_cast<int>((2.0 + 0.5) / kCell); // y in [0, 1/64), x in [2, 2 + 1/64)
    std::vector<double> s;
    for (int k = 0; k < kWakeSnapshots; ++k)
    {
      s.push_back(r.values[(static_cast<size_t>(k) * kWakeH + i) * kWakeW + j]);
    }
    const double mean = std::accumulate(s.begin(), s.end(), 0.0) / s.size();
    double var = 0;
    for (double v : s)
    {
      var += (v - mean) * (v - mean);
    }
    // Scaled to [0,1] over +-46 U/H, whose extremes are at the cylinder: 1 % of the range is 0.9 U/H.
    QVERIFY2(std::sqrt(var / s.size()) > 0.01, "the wake does not oscillate");
    std::vector<int> ups;
    for (size_t k = 1; k < s.size(); ++k)
    {
      if (s[k - 1] < mean && s[k] >= mean)
      {
        ups.push_back(static_cast<int>(k));
      }
    }
    QVERIFY(ups.size() >= 10);
    const double period = (ups.back() - ups.front()) * kSnapshotDt / (ups.size() - 1);
    const double strouhal = kDiameter / period;
    qInfo("wake: %d shedding periods, Strouhal number %.3f", static_cast<int>(ups.size()) - 1, strouhal);
    QVERIFY2(strouhal > 0.15 && strouhal < 0.25, qPrintable(QString("Strouhal number %1").arg(strouhal)));
    // Periodic, not drifting: the spacing of the crossings varies by less than a few snapshots.
    for (size_t c = 1; c < ups.size(); ++c)
    {
      QVERIFY2(std::abs((ups[c] - ups[c - 1]) * kSnapshotDt - period) < 4 * kSnapshotDt,
               qPrintable(QString("crossing %1 after %2 snapshots, period %3 snapshots")
                              .arg(c)
                              .arg(ups[c] - ups[c - 1])
                              .arg(period / kSnapshotDt)));
    }
  }

  void stormMatchesTheNetcdfFile()
  {
    QVERIFY2(std::filesystem::exists(kStorm), "sample_data/storm_u.h5 is missing (it is committed)");
    const RawFile r = readRaw(kStorm, "u");
    checkLayout(r, 64, 31, 31);
    if (QTest::currentTestFailed())
    {
      return;
    }
    QCOMPARE(r.dt, 6.0); // the `timestep` coordinate: hours 0, 6, ..., 378
    QCOMPARE(r.source, std::string("Ustorm.cdf:u"));
    checkScaling(r);
    QCOMPARE(static_cast<int>(std::count(r.valid.begin(), r.valid.end(), 1)), 870);
#ifdef MRCAE_WITH_NETCDF
    if (!std::filesystem::exists(kUstorm))
    {
      QSKIP("libncarg-data is not installed (scripts/setup.sh installs it)");
    }
    // The centred 31 x 31 block of the 33 x 36 grid: rows 1..31, columns 2..32.
    int ncid = 0, varid = 0;
    QCOMPARE(nc_open(kUstorm.c_str(), NC_NOWRITE, &ncid), NC_NOERR);
    QCOMPARE(nc_inq_varid(ncid, "u", &varid), NC_NOERR);
    std::vector<float> u(64 * 33 * 36);
    QCOMPARE(nc_get_var_float(ncid, varid, u.data()), NC_NOERR);
    nc_close(ncid);
    const int top = (33 - 31) / 2, left = (36 - 31) / 2;
    double lo = 1e30, hi = -1e30;
    for (int k = 0; k < 64; ++k)
    {
      for (int i = 0; i < 31; ++i)
      {
        for (int j = 0; j < 31; ++j)
        {
          const float v = u[(k * 33 + i + top) * 36 + j + left];
          const bool fill = v == -9999.0f;
          QCOMPARE(static_cast<int>(r.valid[i * 31 + j]), fill ? 0 : 1);
          if (!fill)
          {
            lo = std::min(lo, static_cast<double>(v));
            hi = std::max(hi, static_cast<double>(v));
          }
        }
      }
    }
    QCOMPARE(r.originalMin, lo);
    QCOMPARE(r.originalMax, hi);
    for (int k = 0; k < 64; ++k)
    {
      for (int p = 0; p < 31 * 31; ++p)
      {
        if (r.valid[p])
        {
          const double back = lo + r.values[k * 961 + p] * (hi - lo);
          const double v = u[(k * 33 + p / 31 + top) * 36 + p % 31 + left];
          QVERIFY2(std::abs(back - v) < 1e-5 * (hi - lo),
                   qPrintable(QString("snapshot %1 cell %2: %3 vs %4").arg(k).arg(p).arg(back).arg(v)));
        }
      }
    }
#endif
  }

  void junkUnderTheMaskInAFileIsNeutralised()
  {
    // A copy of the storm file whose invalid cells hold junk reads back as the same dataset.
    QTemporaryDir dir;
    const std::string copy = dir.path().toStdString() + "/storm_junk.h5";
    std::filesystem::copy_file(kStorm, copy);
    {
      H5::H5File f(copy, H5F_ACC_RDWR);
      H5::DataSet ds = f.openDataSet("/fields/u");
      const RawFile r = readRaw(kStorm, "u");
      std::vector<float> v = r.values;
      for (size_t p = 0; p < v.size(); ++p)
      {
        if (!r.valid[p % r.valid.size()])
        {
          v[p] = (p % 2) ? 1e6f : -9999.0f;
        }
      }
      ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
    }
    const Dataset a = readDataset(kStorm), b = readDataset(copy);
    QCOMPARE(b.originalMin, a.originalMin);
    QCOMPARE(b.originalMax, a.originalMax);
    QVERIFY(a.field.data == b.field.data);
    QVERIFY(a.valid.data == b.valid.data);
  }

  void trainOnTheStorm()
  {
    const Dataset d = readDataset(kStorm);
    QVERIFY(d.hasMask());
    const int levels = 3;
    TrainingConfig c = quickConfig(levels, {60, 60, 60});
    c.lr = 1e-2;
    const RunResult r = train(d, c);
    checkErrorsFall(r, levels, "storm");
    int invalidPixels = 0;
    checkMapsResolveInvalidPixels(r, d.valid, levels, invalidPixels);
    QVERIFY(invalidPixels > 0);
    // Values under the mask change nothing in consistent mode (the default) ...
    const Dataset junk = withJunkUnderTheMask(d);
    QVERIFY(sameCurves(r, train(junk, c)));
    // ... while the reference's mode trains on them (so the comparison above can tell; a few steps suffice).
    TrainingConfig ref = quickConfig(levels, {5, 5, 5});
    ref.landMask = LandMaskMode::Reference;
    // Moderate junk there: the reference run must stay finite, so that a difference is not just NaN != NaN.
    const RunResult plain = train(d, ref), junky = train(withJunkUnderTheMask(d, 1.5f, -0.5f), ref);
    QVERIFY(std::isfinite(junky.curves.back().globalVal));
    QVERIFY(!sameCurves(plain, junky));
  }

  void trainOnTheWake()
  {
    ReadOptions o;
    o.maxSnapshots = 30;
    const Dataset d = readDataset(kWake, o);
    QCOMPARE(d.field.t, 30);
    QVERIFY(d.hasMask());
    const int levels = 3;
    const TrainingConfig c = quickConfig(levels, {40, 40, 40});
    const RunResult r = train(d, c);
    checkErrorsFall(r, levels, "wake");
    int invalidPixels = 0;
    checkMapsResolveInvalidPixels(r, d.valid, levels, invalidPixels);
    QVERIFY(invalidPixels > 0);
    QVERIFY(sameCurves(r, train(withJunkUnderTheMask(d), c)));
  }
};

QTEST_GUILESS_MAIN(TestSampleData)
#include "test_sample_data.moc"
