// The land mask end to end (SPEC.md §1.6, issue 7): in the consistent mode (the default) values under the mask
// cannot change any loss, curve, map, stage record, evaluation or reconstruction, for MrCAE and RED-Net; the
// reference mode trains on invalid cells and masks only the global max term; exports write invalid cells as NaN.
#include "Losses.h"
#include "PresetData.h"
#include "mrcae/engine/Exporter.h"
#include "mrcae/engine/RedNetBaseline.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ToyData.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#endif

#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace mrcae;

namespace
{

constexpr int kSize = 63; // three levels: 15, 31, 63

/// A land mask with a continent in one corner (whole code pixels at every level), a coast line that cuts
/// through code footprints, and a few islands.
Map2D landMask()
{
  Map2D valid(kSize, kSize, 1.0f);
  for (int i = 0; i < kSize; ++i)
  {
    for (int j = 0; j < kSize; ++j)
    {
      const bool continent = i < 24 && j < 20;
      const bool coast = j == 40 + i / 8;
      const bool island = (i * 7 + j * 13) % 61 == 0;
      if (continent || coast || island)
      {
        valid.at(i, j) = 0.0f;
      }
    }
  }
  return valid;
}

/// toy1 on a masked 63² grid; invalid cells hold 0 (as a loaded file gives them), or junk: huge values and NaN.
Dataset maskedToy(bool junk)
{
  Dataset d = generateToy("toy1", 20, kSize);
  d.valid = landMask();
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1e3f, 1e3f);
  for (int k = 0; k < d.field.t; ++k)
  {
    for (int i = 0; i < kSize; ++i)
    {
      for (int j = 0; j < kSize; ++j)
      {
        if (d.valid.at(i, j) <= 0.5f)
        {
          const float v = (i + j + k) % 5 == 0 ? std::numeric_limits<float>::quiet_NaN() : u(rng);
          d.field.at(k, i, j) = junk ? v : 0.0f;
        }
      }
    }
  }
  return d;
}

TrainingConfig quickConfig(LandMaskMode mode)
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.steps = {10, 10, 10};
  c.tols = {2e-2, 1e-2, 5e-3};
  c.threads = 1;
  c.seed = 4;
  c.landMask = mode;
  return c;
}

void compareMaps(const std::vector<std::vector<Map2D>>& a, const std::vector<std::vector<Map2D>>& b)
{
  QCOMPARE(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k)
  {
    QCOMPARE(a[k].size(), b[k].size());
    for (size_t g = 0; g < a[k].size(); ++g)
    {
      QVERIFY(a[k][g].data == b[k][g].data);
    }
  }
}

void compareErrors(const LevelErrors& a, const LevelErrors& b)
{
  QCOMPARE(a.localMse, b.localMse);
  QCOMPARE(a.localMax, b.localMax);
  QCOMPARE(a.local, b.local);
  QCOMPARE(a.globalMse, b.globalMse);
  QCOMPARE(a.globalMax, b.globalMax);
  QCOMPARE(a.global, b.global);
}

/// Every number two runs report, compared exactly.
void compareRuns(const Trainer& a, const Trainer& b)
{
  QCOMPARE(a.curves().size(), b.curves().size());
  for (size_t i = 0; i < a.curves().size(); ++i)
  {
    QCOMPARE(a.curves()[i].localTrain, b.curves()[i].localTrain);
    QCOMPARE(a.curves()[i].localVal, b.curves()[i].localVal);
    QCOMPARE(a.curves()[i].globalTrain, b.curves()[i].globalTrain);
    QCOMPARE(a.curves()[i].globalVal, b.curves()[i].globalVal);
  }
  QCOMPARE(a.stages().size(), b.stages().size());
  for (size_t s = 0; s < a.stages().size(); ++s)
  {
    const StageRecord &x = a.stages()[s], &y = b.stages()[s];
    QCOMPARE(x.steps, y.steps);
    QVERIFY(x.stopReason == y.stopReason);
    QCOMPARE(x.bestGlobalVal, y.bestGlobalVal);
    QCOMPARE(x.unresolved, y.unresolved);
    QCOMPARE(x.dilated, y.dilated);
    QCOMPARE(x.levelClear, y.levelClear);
    QCOMPARE(x.params, y.params);
  }
  const auto ea = a.evaluate(), eb = b.evaluate();
  QCOMPARE(ea.size(), eb.size());
  for (size_t k = 0; k < ea.size(); ++k)
  {
    compareErrors(ea[k].train, eb[k].train);
    compareErrors(ea[k].val, eb[k].val);
    compareErrors(ea[k].test, eb[k].test);
  }
  const Snapshot sa = a.snapshot({0, 7}), sb = b.snapshot({0, 7});
  compareMaps(sa.maps, sb.maps);
  compareMaps(sa.masks, sb.masks);
  QCOMPARE(sa.reconstructions.size(), sb.reconstructions.size());
  for (size_t k = 0; k < sa.reconstructions.size(); ++k)
  {
    QVERIFY(sa.reconstructions[k].data == sb.reconstructions[k].data);
    QVERIFY(sa.inputs[k].data == sb.inputs[k].data);
  }
}

/// The land mask restricted to level k (the data's subsampling), and whether a code pixel's 3×3 footprint on
/// that level holds no valid cell.
bool footprintAllLand(const Map2D& valid, int levels, int k, int ci, int cj)
{
  const int s = 1 << (levels - 1 - k);
  for (int di = 0; di < 3; ++di)
  {
    for (int dj = 0; dj < 3; ++dj)
    {
      if (valid.at(s * (2 * ci + di) + s - 1, s * (2 * cj + dj) + s - 1) > 0.5f)
      {
        return false;
      }
    }
  }
  return true;
}

} // namespace

class TestLandMask : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void consistentIsTheDefaultAndSstSaysSo()
  {
    QVERIFY(TrainingConfig{}.landMask == LandMaskMode::Consistent);
    for (const std::string& name : TrainingConfig::presetNames())
    {
      QVERIFY2(TrainingConfig::preset(name).landMask == LandMaskMode::Consistent, name.c_str());
    }
    // The masked run's preset file states its choice rather than relying on the default.
    for (const auto& [name, text] : presetSources())
    {
      if (name == "sst")
      {
        QCOMPARE(Json::parse(text).at("land_mask").get<std::string>(), std::string("consistent"));
      }
    }
    // The reference behaviour stays an option, and a saved run keeps the mode it was trained with.
    TrainingConfig ref = TrainingConfig::preset("sst");
    ref.landMask = landMaskModeFromString("reference");
    QVERIFY(TrainingConfig::fromJson(Json::parse(ref.toJson().dump())).landMask == LandMaskMode::Reference);
  }

  void pixelLossOfACoastIsTheMeanOverItsValidCells()
  {
    // One code pixel over a 3×3 footprint; squared error 9 at the centre, 0 elsewhere: L = 9 at the centre.
    torch::Tensor x = torch::zeros({1, 1, 3, 3});
    torch::Tensor y = x.clone();
    y[0][0][1][1] = 3;
    QCOMPARE(pixelLossMap(y, x).item<float>(), 1.0f); // no mask: the box average, 9/9
    torch::Tensor centreOnly = torch::zeros({1, 1, 3, 3});
    centreOnly[0][0][1][1] = 1;
    QCOMPARE(pixelLossMap(y, x, centreOnly).item<float>(), 9.0f); // the one valid cell's loss, not diluted by land
    torch::Tensor ring = 1 - centreOnly;
    QCOMPARE(pixelLossMap(y, x, ring).item<float>(), 0.0f);
    QCOMPARE(pixelLossMap(y, x, torch::zeros({1, 1, 3, 3})).item<float>(), 0.0f); // all land: resolved
    torch::Tensor half = torch::ones({1, 1, 3, 3});
    half[0][0][0][0] = half[0][0][0][1] = half[0][0][0][2] = 0;
    QVERIFY(std::abs(pixelLossMap(y, x, half).item<float>() - 9.0f / 6) < 1e-6);
  }

  void valuesUnderTheMaskCannotChangeAnything()
  {
    const TrainingConfig c = quickConfig(LandMaskMode::Consistent);
    Trainer clean(maskedToy(false), c), junk(maskedToy(true), c);
    clean.run();
    junk.run();
    QVERIFY(clean.stages().size() >= 4);
    compareRuns(clean, junk);
    for (const auto& r : junk.curves())
    {
      QVERIFY(std::isfinite(r.localTrain) && std::isfinite(r.globalVal));
    }
    // The maps are not trivial: land code pixels are resolved, and some sea ones are not (or the check above
    // would prove little about maps).
    const Snapshot s = clean.snapshot();
    const Map2D valid = landMask();
    int landPixels = 0, unresolvedSea = 0;
    for (size_t k = 0; k < s.maps.size(); ++k)
    {
      for (const Map2D& m : s.maps[k])
      {
        for (int i = 0; i < m.h; ++i)
        {
          for (int j = 0; j < m.w; ++j)
          {
            if (footprintAllLand(valid, c.levels, static_cast<int>(k), i, j))
            {
              ++landPixels;
              QCOMPARE(m.at(i, j), 1.0f); // invalid cells count as resolved
            }
            else
            {
              unresolvedSea += m.at(i, j) < 0.5f;
            }
          }
        }
      }
    }
    QVERIFY(landPixels > 0);
    QVERIFY(unresolvedSea > 0);
  }

  void redNetIgnoresValuesUnderTheMaskToo()
  {
    TrainingConfig c = quickConfig(LandMaskMode::Consistent);
    c.steps = {4, 4, 4};
    const std::vector<std::vector<int>> arch = {{1, 2}, {1, 2}, {1, 2}};
    RedNetBaseline clean(maskedToy(false), c, arch), junk(maskedToy(true), c, arch);
    clean.run();
    junk.run();
    QCOMPARE(clean.curves().size(), junk.curves().size());
    QVERIFY(!clean.curves().empty());
    for (size_t i = 0; i < clean.curves().size(); ++i)
    {
      QCOMPARE(clean.curves()[i].localTrain, junk.curves()[i].localTrain);
      QCOMPARE(clean.curves()[i].globalVal, junk.curves()[i].globalVal);
    }
    for (size_t s = 0; s < clean.stages().size(); ++s)
    {
      QCOMPARE(clean.stages()[s].bestGlobalVal, junk.stages()[s].bestGlobalVal);
    }
  }

  void referenceModeDiffersWhereItShould()
  {
    // The reference trains on invalid cells: their values change its losses (finite junk; NaN would end it).
    Dataset finiteJunk = maskedToy(true);
    for (float& v : finiteJunk.field.data)
    {
      v = std::isnan(v) ? 5.0f : v;
    }
    TrainingConfig c = quickConfig(LandMaskMode::Reference);
    c.steps = {3, 3, 3};
    Trainer refClean(maskedToy(false), c), refJunk(std::move(finiteJunk), c);
    refClean.run();
    refJunk.run();
    QVERIFY(refClean.curves().front().localTrain != refJunk.curves().front().localTrain);

    // Same data, same initial weights: the first step's losses are taken before any update, so they differ only
    // in how the mask enters them. The local loss: the reference averages over every cell (land holds 0 and the
    // reconstruction is not 0 there), consistent over valid cells only.
    TrainingConfig cc = c;
    cc.landMask = LandMaskMode::Consistent;
    Trainer cons(maskedToy(false), cc);
    cons.run();
    const StepRecord &r = refClean.curves().front(), &k = cons.curves().front();
    QVERIFY(r.localTrain != k.localTrain);
    QVERIFY(r.globalVal != k.globalVal);
    // At the native level the consistent global metric is its local loss (both masked the same way); the
    // reference's differs from its local loss, since only its max term is masked.
    const auto ev = cons.evaluate();
    const LevelErrors& top = ev.back().val;
    QCOMPARE(top.globalMse, top.localMse);
    QCOMPARE(top.globalMax, top.localMax);
    const LevelErrors& refTop = refClean.evaluate().back().val;
    QVERIFY(refTop.globalMse == refTop.localMse); // the mean is unmasked in both of the reference's losses
    QVERIFY(refTop.globalMax <= refTop.localMax); // the masked max cannot exceed the unmasked one
  }

  void exportsWriteInvalidCellsAsNaN()
  {
#ifdef MRCAE_WITH_HDF5
    QTemporaryDir dir;
    TrainingConfig c = quickConfig(LandMaskMode::Consistent);
    c.steps = {2, 2, 2};
    Trainer t(maskedToy(true), c);
    t.run();
    const std::string path = (dir.path() + "/e.h5").toStdString();
    exportHdf5(t, {0, 3}, path);
    H5::H5File f(path, H5F_ACC_RDONLY);
    const Map2D valid = landMask();
    for (int k = 0; k < 3; ++k)
    {
      const std::string L = "L" + std::to_string(k);
      const int n = (16 << k) - 1, s = 1 << (2 - k);
      const std::vector<unsigned char> levelValid = h5::readBytes(f.openDataSet(L + "/valid"));
      QCOMPARE(levelValid.size(), size_t(n * n));
      for (const char* name : {"/input", "/reconstruction", "/error"})
      {
        const std::vector<float> v = h5::readFloats(f.openDataSet(L + name));
        QCOMPARE(v.size(), size_t(2 * n * n));
        for (size_t p = 0; p < v.size(); ++p)
        {
          const int i = static_cast<int>(p % (n * n)) / n, j = static_cast<int>(p % (n * n)) % n;
          const bool isValid = valid.at(s * i + s - 1, s * j + s - 1) > 0.5f;
          QCOMPARE(static_cast<bool>(levelValid[p % (n * n)]), isValid);
          QVERIFY2(isValid ? std::isfinite(v[p]) : std::isnan(v[p]), (L + name).c_str());
        }
      }
    }
    // The VTK series goes through the same conversion.
    const std::string pvd = exportVtkSeries(t, {0}, 2, (dir.path() + "/vti").toStdString(), "run");
    QVERIFY(QFile::exists(QString::fromStdString(pvd)));
#else
    QSKIP("built without HDF5");
#endif
  }
};

QTEST_GUILESS_MAIN(TestLandMask)
#include "test_landmask.moc"
