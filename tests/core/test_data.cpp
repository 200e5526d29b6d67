// Datasets: toy generators against the formulas, split, size policies, .npy and HDF5 round trips, bad input.
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/ToyData.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#endif

#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>

using namespace mrcae;
using testing::expectInputError;

namespace
{

// SPEC.md §6 written out again, independently of ToyData.cpp.
double phiToy1(double x, double y, double t)
{
  const double pi = std::acos(-1.0);
  double phi1 = 1 / std::cosh((x + 1) / 10) / std::cosh((y - 1) / 10) * std::cos(0.5 * t);
  double phi2 = 1 / (0.25 * std::sqrt(2 * pi)) * std::exp(-((x - 1) * (x - 1) + (y + 1) * (y + 1)) / (2 * 0.0625)) *
                std::cos(4 * t + pi / 4);
  return phi1 + phi2;
}

double phiToy2(double x, double y, double t)
{
  const double pi = std::acos(-1.0);
  double phi1 = 1 / std::cosh((x + 1) / 10) / std::cosh((y - 1) / 10) * std::cos(0.5 * t);
  double cx = 3 - 0.5 * t, cy = -3 + 0.5 * t;
  double phi2 = 1 / (0.25 * std::sqrt(2 * pi)) * std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * 0.0625)) *
                std::cos(4 * t);
  return phi1 + phi2;
}

Field ramp(int t, int h, int w)
{
  Field f(t, h, w);
  for (size_t p = 0; p < f.data.size(); ++p)
  {
    f.data[p] = static_cast<float>(p % 97) * 0.5f - 3.0f;
  }
  return f;
}

} // namespace

class TestData : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  std::string path(const char* name) const { return (dir.path() + "/" + name).toStdString(); }

private Q_SLOTS:
  void toyFormulas()
  {
    const double pi = std::acos(-1.0);
    for (auto [x, y, t] : {std::tuple{1.0, -1.0, 0.0}, {0.3, 2.2, 5.0}, {-4.0, 4.5, 20.0}})
    {
      QVERIFY(std::abs(toyValue("toy1", x, y, t) - phiToy1(x, y, t)) < 1e-12);
      QVERIFY(std::abs(toyValue("toy2", x, y, t) - phiToy2(x, y, t)) < 1e-12);
    }
    // Peak of the narrow mode (SPEC §6): 1/(σ√2π) ≈ 1.596 at (1,−1), t with cos(4t+π/4) = 1.
    const double peak = 1 / (0.25 * std::sqrt(2 * pi));
    QVERIFY(std::abs(peak - 1.5958) < 1e-3);
    const double hump = std::cos(0.5 * -pi / 16) / (std::cosh(0.2) * std::cosh(-0.2)); // sech((x+1)/10) sech((y-1)/10)
    QVERIFY(std::abs(toyValue("toy1", 1, -1, -pi / 16) - (hump + peak)) < 1e-12);
    QCOMPARE(toyTime("toy1", 499, 500), 8 * pi);
    QCOMPARE(toyTime("toy2", 499, 500), 4 * pi);
  }

  void toy1DatasetValues()
  {
    Dataset d = generateToy("toy1", 500, 127);
    QCOMPARE(d.field.t, 500);
    QCOMPARE(d.field.h, 127);
    QCOMPARE(d.field.w, 127);
    // Global min and max over the whole grid, computed here by brute force.
    double lo = 1e300, hi = -1e300;
    auto coord = [](int i) { return -5.0 + 10.0 * i / 126; };
    const double pi = std::acos(-1.0);
    for (int k = 0; k < 500; ++k)
    {
      const double t = 8 * pi * k / 499;
      for (int i = 0; i < 127; ++i)
      {
        for (int j = 0; j < 127; ++j)
        {
          const double v = phiToy1(coord(i), coord(j), t);
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
      }
    }
    QVERIFY(std::abs(d.originalMin - lo) < 1e-12);
    QVERIFY(std::abs(d.originalMax - hi) < 1e-12);
    // data[k,i,j] = Φ(x_i, y_j, t_k): the first spatial axis is x.
    for (auto [k, i, j] : {std::tuple{0, 0, 0}, {17, 76, 50}, {250, 63, 63}, {499, 126, 3}})
    {
      const double t = 8 * pi * k / 499;
      const double expected = (phiToy1(coord(i), coord(j), t) - lo) / (hi - lo);
      QVERIFY2(std::abs(d.field.at(k, i, j) - expected) < 1e-6,
               qPrintable(QString("at %1,%2,%3").arg(k).arg(i).arg(j)));
    }
    // The mode at (x, y) = (1, −1) is at i = 76.6, j = 50.4: the asymmetry shows the axis order.
    float nearMode = 0, mirrored = 0;
    for (int k = 0; k < 500; ++k)
    {
      nearMode = std::max(nearMode, d.field.at(k, 76, 50));
      mirrored = std::max(mirrored, d.field.at(k, 50, 76));
    }
    QVERIFY(nearMode > mirrored + 0.2f);
  }

  void splitSizes()
  {
    Split s = Dataset::makeSplit(500, 0);
    QCOMPARE(s.train.size(), size_t(350));
    QCOMPARE(s.val.size(), size_t(100));
    QCOMPARE(s.test.size(), size_t(50));
    Split sst = Dataset::makeSplit(451, 3);
    QCOMPARE(sst.train.size(), size_t(315));
    QCOMPARE(sst.val.size(), size_t(90));
    QCOMPARE(sst.test.size(), size_t(46));
    std::set<int> all(s.train.begin(), s.train.end());
    all.insert(s.val.begin(), s.val.end());
    all.insert(s.test.begin(), s.test.end());
    QCOMPARE(all.size(), size_t(500));
    QCOMPARE(Dataset::makeSplit(500, 0).train, s.train);  // seeded
    QVERIFY(Dataset::makeSplit(500, 1).train != s.train); // and the seed matters
  }

  void levelsAllowedBySize()
  {
    QCOMPARE(Dataset::maxLevelsFor(127), 6);
    QCOMPARE(Dataset::maxLevelsFor(255), 7);
    QCOMPARE(Dataset::maxLevelsFor(63), 5);
    QCOMPARE(Dataset::maxLevelsFor(129), 1); // 2^p + 1 is not the right form
    QCOMPARE(Dataset::maxLevelsFor(64), 0);
    QCOMPARE(Dataset::maxLevelsFor(3), 1);
  }

  void cropAndPad()
  {
    Dataset d = Dataset::fromRaw(ramp(5, 121, 130), {}, "r");
    expectInputError([&] { d.conformed(3, SizePolicy::Strict); }, "crop or pad");
    Dataset c = d.conformed(3, SizePolicy::Crop);
    QCOMPARE(c.field.h, 119);
    QCOMPARE(c.field.w, 127);
    QCOMPARE(c.cropTop, 1);
    QCOMPARE(c.cropLeft, 1);
    QCOMPARE(c.field.at(2, 0, 0), d.field.at(2, 1, 1));
    Dataset p = d.conformed(3, SizePolicy::PadReflect);
    QCOMPARE(p.field.h, 127);
    QCOMPARE(p.field.w, 135);
    QCOMPARE(p.cropTop, -3);
    // Reflect without repeating the edge: padded row 0 is source row 3, row 2 is source row 1.
    QCOMPARE(p.field.at(1, 0, 10), d.field.at(1, 3, 10 + p.cropLeft));
    QCOMPARE(p.field.at(1, 2, 10), d.field.at(1, 1, 10 + p.cropLeft));
    Dataset w = d.conformed(3, SizePolicy::PadPeriodic);
    QCOMPARE(w.field.w, 135);
    // Columns wrap around: with a left pad of 3, padded column 0 is source column 130 − 3 = 127.
    QCOMPARE(w.cropLeft, -3);
    QCOMPARE(w.field.at(0, 5, 0), d.field.at(0, 5 + w.cropTop, 127));
    // A fitting size is left alone.
    Dataset ok = Dataset::fromRaw(ramp(5, 31, 63), {}, "ok");
    QCOMPARE(ok.conformed(3, SizePolicy::Strict).field.w, 63);
    expectInputError([&] { Dataset::fromRaw(ramp(5, 9, 9), {}, "s").conformed(3, SizePolicy::Crop); }, "too small");
  }

  void scalingAndBadValues()
  {
    Field f = ramp(6, 7, 7);
    Dataset d = Dataset::fromRaw(f, {}, "ramp");
    QCOMPARE(d.originalMin, -3.0);
    QCOMPARE(d.originalMax, 45.0);
    float lo = 1, hi = 0;
    for (float v : d.field.data)
    {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    QCOMPARE(lo, 0.0f);
    QCOMPARE(hi, 1.0f);

    Field nan = f;
    nan.at(2, 3, 4) = std::nanf("");
    expectInputError([&] { Dataset::fromRaw(nan, {}, "x"); }, "NaN");
    Field inf = f;
    inf.at(0, 0, 1) = INFINITY;
    expectInputError([&] { Dataset::fromRaw(inf, {}, "x"); }, "infinite");
    Field flat(6, 7, 7);
    expectInputError([&] { Dataset::fromRaw(flat, {}, "x"); }, "constant");
    // NaN under the land mask is fine: fill values of invalid cells.
    Map2D valid(7, 7, 1.0f);
    valid.at(3, 4) = 0;
    Dataset masked = Dataset::fromRaw(nan, valid, "x");
    QCOMPARE(masked.field.at(2, 3, 4), 0.0f);
    expectInputError([&] { Dataset::fromRaw(f, Map2D(7, 7, 0.0f), "x"); }, "every cell");
    expectInputError([&] { Dataset::fromRaw(f, Map2D(5, 7, 1.0f), "x"); }, "mask");
  }

  void trainability()
  {
    expectInputError([&] { Dataset::fromRaw(ramp(4, 31, 31), {}, "x").checkTrainable(2, 0.7, 0.2); }, "snapshots");
    expectInputError([&] { Dataset::fromRaw(ramp(10, 31, 31), {}, "x").checkTrainable(5, 0.7, 0.2); },
                     "at most 4 levels");
    Dataset::fromRaw(ramp(10, 31, 31), {}, "x").checkTrainable(4, 0.7, 0.2);
  }

  void npyRoundTripAndMask()
  {
    Field f = ramp(5, 7, 15);
    writeNpy(path("a.npy"), {5, 7, 15}, f.data);
    NpyArray a = readNpy(path("a.npy"));
    QCOMPARE(a.shape, (std::vector<long>{5, 7, 15}));
    QCOMPARE(a.dtype, std::string("<f4"));
    QCOMPARE(a.data, f.data);
    // A land mask with the paper's convention (1 = land).
    std::vector<float> land(7 * 15, 0.0f);
    land[3] = 1.0f;
    writeNpy(path("mask.npy"), {7, 15}, land);
    ReadOptions opts;
    opts.maskPath = path("mask.npy");
    Dataset d = readDataset(path("a.npy"), opts);
    QVERIFY(d.hasMask());
    QCOMPARE(d.valid.at(0, 3), 0.0f);
    QCOMPARE(d.valid.at(0, 4), 1.0f);
    QCOMPARE(d.name, std::string("a"));
  }

  void npyFortranOrderIsTransposedOnLoad()
  {
    // np.save(path, x.T) of a C-ordered x writes x.T in Fortran order: the bytes are x's, C order. For a
    // [2,3,4] array a with a[t][h][w] = 100t + 10h + w saved in Fortran order, the file holds a's elements with
    // t running fastest: offset = t + 2h + 6w.
    const int T = 2, H = 3, W = 4;
    std::vector<float> fortran(T * H * W);
    for (int t = 0; t < T; ++t)
      for (int h = 0; h < H; ++h)
        for (int w = 0; w < W; ++w)
          fortran[t + T * h + T * H * w] = static_cast<float>(100 * t + 10 * h + w);
    testing::writeRawNpy(path("f.npy"), "<f4", "(2, 3, 4)",
                         std::string(reinterpret_cast<const char*>(fortran.data()), fortran.size() * sizeof(float)),
                         true);
    const NpyArray a = readNpy(path("f.npy"));
    QCOMPARE(a.shape, (std::vector<long>{2, 3, 4}));
    for (int t = 0; t < T; ++t)
      for (int h = 0; h < H; ++h)
        for (int w = 0; w < W; ++w)
          QCOMPARE(a.data[(t * H + h) * W + w], static_cast<float>(100 * t + 10 * h + w));
    // A big-endian float64 Fortran array: byte order and transposition together.
    std::string payload;
    for (float v : fortran)
    {
      const double d = v;
      char bytes[8];
      std::memcpy(bytes, &d, 8);
      std::reverse(bytes, bytes + 8);
      payload.append(bytes, 8);
    }
    testing::writeRawNpy(path("fb.npy"), ">f8", "(2, 3, 4)", payload, true);
    QCOMPARE(readNpy(path("fb.npy")).data, a.data);
  }

  void npyFloat64AndBadFiles()
  {
    // A float64 file written byte by byte.
    std::string doubles;
    for (int i = 0; i < 45; ++i)
    {
      double v = i * 0.25;
      doubles.append(reinterpret_cast<const char*>(&v), 8);
    }
    testing::writeRawNpy(path("d.npy"), "<f8", "(5, 3, 3)", doubles);
    NpyArray a = readNpy(path("d.npy"));
    QCOMPARE(a.data.size(), size_t(45));
    QCOMPARE(a.data[44], 11.0f);

    {
      std::ofstream out(path("text.npy"));
      out << "hello";
    }
    expectInputError([&] { readDataset(path("text.npy")); }, "not a .npy");
    expectInputError([&] { readDataset(path("missing.npy")); }, "not found");
    writeNpy(path("rank2.npy"), {7, 15}, std::vector<float>(105, 1.0f));
    expectInputError([&] { readDataset(path("rank2.npy")); }, "rank 2");
    // Truncated data.
    std::vector<float> big(5 * 7 * 15, 0.5f);
    writeNpy(path("t.npy"), {5, 7, 15}, big);
    std::filesystem::resize_file(path("t.npy"), 200);
    expectInputError([&] { readDataset(path("t.npy")); }, "truncated");
    // Unsupported dtype (complex).
    testing::writeRawNpy(path("c.npy"), "<c8", "(1,)", "12345678");
    expectInputError([&] { readDataset(path("c.npy")); }, "dtype");
  }

#ifdef MRCAE_WITH_HDF5
  void hdf5RoundTrip()
  {
    Field f = ramp(6, 7, 15);
    Map2D valid(7, 15, 1.0f);
    valid.at(1, 2) = 0;
    Dataset d = Dataset::fromRaw(f, valid, "vorticity");
    d.units = "1/s";
    d.dt = 0.1;
    d.dx = 0.02;
    writeDataset(d, path("d.h5"));
    QCOMPARE(listFields(path("d.h5")), std::vector<std::string>{"vorticity"});
    Dataset r = readDataset(path("d.h5"));
    QCOMPARE(r.name, std::string("vorticity"));
    QCOMPARE(r.field.data, d.field.data);
    QCOMPARE(r.valid.data, d.valid.data);
    QCOMPARE(r.units, std::string("1/s"));
    QCOMPARE(r.dt, 0.1);
    QCOMPARE(r.originalMin, -3.0);
    QCOMPARE(r.originalMax, 45.0);
    ReadOptions first3;
    first3.maxSnapshots = 3;
    QCOMPARE(readDataset(path("d.h5"), first3).field.t, 3);
  }

  void hdf5BadFiles()
  {
    {
      std::ofstream out(path("fake.h5"));
      out << "not hdf5 at all";
    }
    expectInputError([&] { readDataset(path("fake.h5")); }, "not an HDF5 file");
    expectInputError([&] { readDataset(path("nothere.h5")); }, "not found");
    {
      H5::H5File file(path("empty.h5"), H5F_ACC_TRUNC);
    }
    expectInputError([&] { readDataset(path("empty.h5")); }, "/fields");
    {
      H5::H5File file(path("rank2.h5"), H5F_ACC_TRUNC);
      H5::Group root = file.openGroup("/");
      std::vector<float> v(21, 1.0f);
      h5::writeFloats(root, "fields/u", {3, 7}, v.data());
    }
    expectInputError([&] { readDataset(path("rank2.h5")); }, "rank 2");
    // A truncated copy of a good file.
    Dataset d = Dataset::fromRaw(ramp(6, 7, 15), {}, "u");
    writeDataset(d, path("good.h5"));
    std::filesystem::copy_file(path("good.h5"), path("trunc.h5"));
    std::filesystem::resize_file(path("trunc.h5"), 1000);
    try
    {
      readDataset(path("trunc.h5"));
      QFAIL("a truncated file was read");
    }
    catch (const InputError& e)
    {
      QVERIFY(QString(e.what()).contains("trunc.h5"));
    }
  }
#endif
};

QTEST_GUILESS_MAIN(TestData)
#include "test_data.moc"
