// A saved model applied to data (ModelCodec, fitToModel, codes files): encode -> decode rebuilds the forward
// pass bit for bit at every level, the number of stored code values is the one the trainer reports and the one
// counted here from the saved maps by hand (SPEC §7.3 and §7.4), errors match the trainer's, and data that do not
// fit the model are refused with one line.
#include "Hdf5Util.h"
#include "mrcae/engine/ModelCodec.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/Codes.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelInput.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace mrcae;
using testing::expectInputError;

namespace
{

TrainingConfig smallConfig(bool maps)
{
  TrainingConfig c = TrainingConfig::preset("toy2");
  c.steps = {30, 20, 10};
  c.tols = {2e-3, 1e-3, 1e-3};
  if (!maps)
  {
    c.tols.clear();
    c.activation = Activation::ReLU;
    c.archs = {{1, 2}, {1, 3}, {1, 2}};
  }
  c.threads = 1;
  c.seed = 3;
  return c;
}

/// toy2 on a 31 x 31 grid; with `mask`, a block of land in one corner.
Dataset smallData(bool mask)
{
  Dataset d = generateToy("toy2", 30, 31);
  if (mask)
  {
    d.valid = Map2D(31, 31, 1.0f);
    for (int i = 0; i < 6; ++i)
    {
      for (int j = 0; j < 9; ++j)
      {
        d.valid.at(i, j) = 0.0f;
      }
    }
    for (int t = 0; t < d.field.t; ++t)
    {
      for (int i = 0; i < 6; ++i)
      {
        for (int j = 0; j < 9; ++j)
        {
          d.field.at(t, i, j) = 0.0f;
        }
      }
    }
  }
  return d;
}

std::vector<int> allSnapshots(int n)
{
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

/// Binary 3x3 dilation clipped at the border, written out (SPEC §3), and its number of ones.
long long dilatedCount(const Map2D& unresolved)
{
  long long n = 0;
  for (int i = 0; i < unresolved.h; ++i)
  {
    for (int j = 0; j < unresolved.w; ++j)
    {
      bool any = false;
      for (int di = -1; di <= 1; ++di)
      {
        for (int dj = -1; dj <= 1; ++dj)
        {
          const int a = i + di, b = j + dj;
          any = any || (a >= 0 && b >= 0 && a < unresolved.h && b < unresolved.w && unresolved.at(a, b) > 0.5f);
        }
      }
      n += any;
    }
  }
  return n;
}

/// R_k[g] read straight from the model file's /maps, turned into the unresolved set 1 − R.
Map2D unresolvedFromFile(const std::string& path, int k, int g)
{
  H5::H5File file = h5::openForReading(path);
  H5::DataSet ds = file.openDataSet("maps/L" + std::to_string(k) + "_" + std::to_string(g));
  const auto dims = h5::shapeOf(ds);
  Map2D m(static_cast<int>(dims[0]), static_cast<int>(dims[1]));
  m.data = h5::readFloats(ds);
  for (float& v : m.data)
  {
    v = 1.0f - v;
  }
  return m;
}

} // namespace

class TestCodec : public QObject
{
  Q_OBJECT

private:
  QTemporaryDir dir_;

  /// Trains, saves and returns the file; the trainer stays for comparisons.
  std::string train(Trainer& trainer, const QString& name)
  {
    trainer.run();
    const std::string path = dir_.filePath(name).toStdString();
    trainer.save(path);
    return path;
  }

  void checkRoundTrip(bool maps, bool mask)
  {
    Trainer trainer(smallData(mask), smallConfig(maps));
    const std::string path = train(trainer, QString("codec-%1-%2.mrcae.h5").arg(maps).arg(mask));
    const ModelCodec codec = ModelCodec::open(path);
    QCOMPARE(codec.trainedLevel(), 2);
    const ModelSummary summary = ModelFile::summary(path);
    const Dataset data = fitToModel(summary, trainer.dataset(), {}, "data");
    const std::vector<int> all = allSnapshots(data.field.t);

    // The forward pass, as the trainer (and so `mrcae export`) computes it, against decoding the codes.
    const Snapshot reference = trainer.snapshot(all);
    const EncodedSnapshots codes = codec.encode(data, all);
    QCOMPARE(codes.levels.size(), size_t(3));
    const std::vector<Field> decoded = codec.decode(codes);
    for (int k = 0; k < 3; ++k)
    {
      QVERIFY2(decoded[k].data == reference.reconstructions[k].data,
               qPrintable(QString("level %1 decodes to other values than the forward pass").arg(k)));
    }
    QVERIFY(codec.reconstruct(data, all)[2].data == reference.reconstructions[2].data);

    // Through the file: the same values come back, and decoding them again gives the same fields.
    const std::string codesPath = dir_.filePath(QString("codes-%1-%2.h5").arg(maps).arg(mask)).toStdString();
    writeCodes(codes, codesPath);
    const EncodedSnapshots read = readCodes(codesPath);
    QCOMPARE(read.snapshots, codes.snapshots);
    QCOMPARE(read.modelHash, codec.modelHash());
    for (size_t k = 0; k < codes.levels.size(); ++k)
    {
      QVERIFY(read.levels[k].coarse == codes.levels[k].coarse);
      QCOMPARE(read.levels[k].refinements.size(), codes.levels[k].refinements.size());
      for (size_t r = 0; r < codes.levels[k].refinements.size(); ++r)
      {
        QVERIFY(read.levels[k].refinements[r].values == codes.levels[k].refinements[r].values);
        QVERIFY(read.levels[k].refinements[r].cells == codes.levels[k].refinements[r].cells);
      }
    }
    QVERIFY(codec.decode(read)[2].data == reference.reconstructions[2].data);

    // A subset in another order encodes to the same per-snapshot values.
    const std::vector<int> some = {7, 2, 19};
    const EncodedSnapshots part = codec.encode(data, some, {1});
    const std::vector<Field> partDecoded = codec.decode(part);
    const Snapshot partReference = trainer.snapshot(some);
    QVERIFY(partDecoded[0].data == partReference.reconstructions[1].data);
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void roundTripIsExact() { checkRoundTrip(true, false); }
  void roundTripWithLandMask() { checkRoundTrip(true, true); }
  void roundTripWithoutMaps() { checkRoundTrip(false, false); }

  /// The code values: counted here from the saved maps with a hand-written dilation, and compared with the
  /// trainer's records, the codec, the encoded codes and the datasets of the codes file.
  void codeValuesAreCountedIndependently()
  {
    Trainer trainer(smallData(false), smallConfig(true));
    const std::string path = train(trainer, "count.mrcae.h5");
    const ArchitectureInfo arch = trainer.architecture();
    // Level k of a 31-wide field with 3 levels is 7, 15, 31 wide; its code grid 3, 7, 15.
    const int grid[3] = {3, 7, 15};
    bool partialMask = false;
    long long expected[3] = {0, 0, 0};
    long long cumulative = grid[0] * grid[0];
    for (int k = 0; k < 3; ++k)
    {
      for (size_t g = 1; g < arch.groupChannels[k].size(); ++g)
      {
        const Map2D unresolved = unresolvedFromFile(path, k, static_cast<int>(g) - 1);
        const long long cells = dilatedCount(unresolved);
        partialMask = partialMask || (cells > 0 && cells < grid[k] * grid[k]);
        cumulative += cells * arch.groupChannels[k][g];
      }
      expected[k] = cumulative;
    }
    QVERIFY2(partialMask, "the test needs a mask that keeps part of a code grid: change the tolerances");

    const ModelCodec codec = ModelCodec::open(path);
    const Dataset data = fitToModel(ModelFile::summary(path), trainer.dataset(), {}, "data");
    const EncodedSnapshots codes = codec.encode(data, {0, 1});
    const std::string codesPath = dir_.filePath("count-codes.h5").toStdString();
    writeCodes(codes, codesPath);
    H5::H5File file = h5::openForReading(codesPath);
    for (int k = 0; k < 3; ++k)
    {
      // The last stage at level k reports what level k's codes take with the final model.
      long long reported = -1;
      for (const auto& s : trainer.stages())
      {
        reported = s.level == k ? s.codeValues : reported;
      }
      QCOMPARE(reported, expected[k]);
      QCOMPARE(codec.codeValues(k), expected[k]);
      QCOMPARE(codes.level(k).valuesPerSnapshot(), expected[k]);
      long long stored = 0;
      H5::Group g = file.openGroup("L" + std::to_string(k));
      for (hsize_t i = 0; i < g.getNumObjs(); ++i)
      {
        const std::string name = g.getObjnameByIdx(i);
        const std::string values = name == "coarse" ? name : name + "/values";
        const auto dims = h5::shapeOf(g.openDataSet(values));
        stored += static_cast<long long>(dims[1]) * dims[2] * (dims.size() > 3 ? dims[3] : 1);
      }
      QCOMPARE(stored, expected[k]);
    }
    // The benchmark notebooks' count (SPEC §7.3): every level's code grid once, and a widen adds the undilated
    // unresolved count of the group before times its channels. Its difference from what is stored: the code grids
    // of levels 1.. (the learned restrictions, never stored) and the dilation halo.
    long long notebook = 0;
    for (int k = 0; k < 3; ++k)
    {
      notebook += grid[k] * grid[k];
      for (size_t g = 1; g < arch.groupChannels[k].size(); ++g)
      {
        const Map2D unresolved = unresolvedFromFile(path, k, static_cast<int>(g) - 1);
        notebook +=
            static_cast<long long>(std::lround(std::accumulate(unresolved.data.begin(), unresolved.data.end(), 0.0))) *
            arch.groupChannels[k][g];
      }
    }
    QCOMPARE(trainer.stages().back().encodingSize, notebook);
    // Once: 4 bytes per parameter and one bit per code cell of every widened group's mask.
    long long maskCells = 0;
    for (int k = 0; k < 3; ++k)
    {
      maskCells += static_cast<long long>(arch.groupChannels[k].size() - 1) * grid[k] * grid[k];
    }
    QCOMPARE(codec.modelBytes(), 4 * arch.params + (maskCells + 7) / 8);
  }

  /// Errors of the model's own split equal the trainer's evaluation; per-snapshot errors average to them.
  void errorsMatchTheTrainer()
  {
    Trainer trainer(smallData(true), smallConfig(true));
    const std::string path = train(trainer, "errors.mrcae.h5");
    const ModelCodec codec = ModelCodec::open(path);
    const Dataset data = fitToModel(ModelFile::summary(path), trainer.dataset(), {}, "data");
    const auto ev = trainer.evaluate();
    for (int k = 0; k < 3; ++k)
    {
      const LevelErrors e = codec.errors(data, trainer.split().val, k);
      QVERIFY(std::abs(e.global - ev[k].val.global) <= 1e-5 * ev[k].val.global);
      QVERIFY(std::abs(e.globalMax - ev[k].val.globalMax) <= 1e-5 * ev[k].val.globalMax);
      QVERIFY(std::abs(e.local - ev[k].val.local) <= 1e-5 * ev[k].val.local);
    }
    const auto per = codec.perSnapshotErrors(data, trainer.split().test);
    QCOMPARE(per.size(), trainer.split().test.size() * 3);
    double mse = 0;
    for (const auto& p : per)
    {
      QVERIFY(p.errors.globalMax >= p.errors.globalMse); // a max over cells is at least their mean
      mse += p.level == 2 ? p.errors.globalMse : 0.0;
    }
    mse /= trainer.split().test.size();
    QVERIFY(std::abs(mse - ev[2].test.globalMse) <= 1e-5 * ev[2].test.globalMse);
    // One snapshot at the native level by hand: the mean of (y − x)² over its valid cells.
    const int t = trainer.split().test.front();
    const Field y = codec.reconstruct(data, {t})[2];
    double sum = 0;
    int cells = 0;
    for (size_t p = 0; p < y.data.size(); ++p)
    {
      if (data.valid.data[p] > 0.5f)
      {
        const double d = y.data[p] - data.field.frame(t)[p];
        sum += d * d;
        ++cells;
      }
    }
    QCOMPARE(per[2].snapshot, t);
    QCOMPARE(per[2].level, 2);
    QVERIFY(std::abs(per[2].errors.globalMse - sum / cells) <= 1e-6 * sum / cells);
  }

  /// New data are scaled with the model's range, not their own: the last snapshots of a run, read on their own,
  /// give the same values and codes as the same snapshots inside the whole dataset.
  void newDataUseTheModelsScaling()
  {
    Trainer trainer(smallData(false), smallConfig(true));
    const std::string path = train(trainer, "scaling.mrcae.h5");
    const ModelSummary summary = ModelFile::summary(path);
    const ModelCodec codec = ModelCodec::open(path);
    // The last 10 snapshots in original units, read as a dataset of their own (Dataset::fromRaw rescales them).
    const Dataset& full = trainer.dataset();
    Field raw(10, 31, 31);
    for (int t = 0; t < 10; ++t)
    {
      for (size_t p = 0; p < raw.frameSize(); ++p)
      {
        raw.data[t * raw.frameSize() + p] =
            static_cast<float>(full.originalMin + full.field.frame(20 + t)[p] * (full.originalMax - full.originalMin));
      }
    }
    const Dataset later = Dataset::fromRaw(raw, Map2D(), "later");
    QVERIFY(later.originalMin != full.originalMin || later.originalMax != full.originalMax);
    ModelInputReport report;
    const Dataset fitted = fitToModel(summary, later, {}, "later.h5", &report);
    QCOMPARE(fitted.originalMin, summary.dataOriginalMin);
    for (int t = 0; t < 10; ++t)
    {
      for (size_t p = 0; p < raw.frameSize(); ++p)
      {
        QVERIFY(std::abs(fitted.field.frame(t)[p] - full.field.frame(20 + t)[p]) <= 1e-6f);
      }
    }
    QVERIFY(report.scaledMin >= -1e-6 && report.scaledMax <= 1 + 1e-6);
    const Field a = codec.reconstruct(fitted, {0})[2], b = codec.reconstruct(full, {20})[2];
    for (size_t p = 0; p < a.data.size(); ++p)
    {
      QVERIFY(std::abs(a.data[p] - b.data[p]) <= 1e-5f);
    }
  }

  void refusesDataThatDoNotFit()
  {
    Trainer trainer(smallData(true), smallConfig(true));
    const std::string path = train(trainer, "refuse.mrcae.h5");
    const ModelSummary summary = ModelFile::summary(path);
    // Another grid.
    expectInputError([&] { fitToModel(summary, generateToy("toy2", 8, 63), {}, "big.h5"); }, "big.h5");
    expectInputError([&] { fitToModel(summary, generateToy("toy2", 8, 29), {}, "small.h5"); }, "29x29");
    // Padded to the model's grid it fits (a 29 x 29 field reflect-padded to 31 x 31), as `train --pad` would.
    ModelInputOptions pad;
    pad.sizePolicy = SizePolicy::PadReflect;
    ModelInputReport padded;
    QCOMPARE(fitToModel(summary, generateToy("toy2", 8, 29), pad, "small.h5", &padded).field.h, 31);
    QVERIFY(padded.resized);
    // A cell the model was trained on is land in the data.
    Dataset holes = smallData(true);
    holes.valid.at(20, 20) = 0.0f;
    expectInputError([&] { fitToModel(summary, holes, {}, "holes.h5"); }, "row 20, column 20");
    // Cells the model left out may hold data: they are left out again, with a note.
    Dataset open = smallData(false);
    ModelInputReport report;
    const Dataset fitted = fitToModel(summary, open, {}, "open.h5", &report);
    QCOMPARE(report.cellsMaskedByModel, 54LL);
    QVERIFY(fitted.valid.data == summary.dataValid.data);
    QVERIFY(!report.note.empty());
    // Other units: values far outside the model's range.
    Dataset kelvin = smallData(true);
    const double span = kelvin.originalMax - kelvin.originalMin;
    kelvin.originalMin += 273.15 * span;
    kelvin.originalMax += 273.15 * span;
    expectInputError([&] { fitToModel(summary, kelvin, {}, "kelvin.h5"); }, "far outside");
    // Codes of another model are not decoded.
    Trainer other(smallData(true), [] {
      TrainingConfig c = smallConfig(true);
      c.seed = 4;
      return c;
    }());
    const std::string otherPath = train(other, "other.mrcae.h5");
    const ModelCodec codec = ModelCodec::open(path), otherCodec = ModelCodec::open(otherPath);
    const Dataset data = fitToModel(summary, trainer.dataset(), {}, "data");
    const EncodedSnapshots codes = otherCodec.encode(data, {0});
    expectInputError([&] { codec.decode(codes); }, "another model");
    expectInputError([&] { codec.encode(data, {0}, {3}); }, "not trained");
    expectInputError([&] { codec.encode(data, {30}); }, "out of range");
  }
};

QTEST_APPLESS_MAIN(TestCodec)
#include "test_codec.moc"
