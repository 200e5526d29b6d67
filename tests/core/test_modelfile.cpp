// Model files: bit-identical reload, resume equals an uninterrupted run, and every bad file gets its message.
#include "engine/InputError.h"
#include "engine/Trainer.h"
#include "io/DatasetIO.h"
#include "io/Hdf5Util.h"
#include "io/ModelFile.h"
#include "io/ToyData.h"

#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace mrcae;
using testing::expectInputError;

namespace
{

TrainingConfig smallConfig()
{
  TrainingConfig c = TrainingConfig::preset("toy2");
  c.steps = {6, 4, 2};
  c.tols = {3e-3, 3e-3, 3e-3};
  c.threads = 1;
  c.seed = 5;
  return c;
}


void compareFields(const std::vector<Field>& a, const std::vector<Field>& b)
{
  QCOMPARE(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
  {
    QVERIFY(a[i].data == b[i].data); // bit-identical
  }
}

class StopAfterStage : public TrainingObserver
{
public:
  StopAfterStage(StopToken& stop, int stage) : stop_(stop), stage_(stage) {}
  void stageFinished(const StageRecord& r) override
  {
    if (r.stage == stage_)
    {
      stop_.requestStop();
    }
  }

private:
  StopToken& stop_;
  int stage_;
};

} // namespace

class TestModelFile : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  Dataset data = generateToy("toy2", 20, 127);
  std::string path(const char* name) const { return (dir.path() + "/" + name).toStdString(); }

private Q_SLOTS:
  void initTestCase()
  {
    Trainer t(data, smallConfig());
    t.run();
    t.save(path("run.mrcae.h5"));
  }

  void reloadIsBitIdentical()
  {
    Trainer t(data, smallConfig());
    t.run();
    t.save(path("a.mrcae.h5"));
    Trainer r = Trainer::fromModelFile(path("a.mrcae.h5"), data);
    QCOMPARE(r.architecture().params, t.architecture().params);
    QCOMPARE(r.architecture().groupChannels, t.architecture().groupChannels);
    QCOMPARE(r.split().train, t.split().train);
    QCOMPARE(r.stages().size(), t.stages().size());
    QCOMPARE(r.curves().size(), t.curves().size());
    QCOMPARE(r.curves().back().globalVal, t.curves().back().globalVal);
    QCOMPARE(r.stages().back().encodingSize, t.stages().back().encodingSize);
    Snapshot a = t.snapshot({0, 7, 19}), b = r.snapshot({0, 7, 19});
    compareFields(a.reconstructions, b.reconstructions);
    for (size_t k = 0; k < a.maps.size(); ++k)
    {
      QCOMPARE(a.maps[k].size(), b.maps[k].size());
      for (size_t g = 0; g < a.maps[k].size(); ++g)
      {
        QVERIFY(a.maps[k][g].data == b.maps[k][g].data);
      }
      for (size_t g = 1; g < a.masks[k].size(); ++g)
      {
        QVERIFY(a.masks[k][g].data == b.masks[k][g].data);
      }
    }
    const auto ea = t.evaluate(), eb = r.evaluate();
    QCOMPARE(ea.back().test.global, eb.back().test.global);
  }

  void summaryWithoutData()
  {
    ModelSummary s = ModelFile::summary(path("run.mrcae.h5"));
    QCOMPARE(s.formatVersion, 1);
    QCOMPARE(s.config.steps, smallConfig().steps);
    QCOMPARE(s.dataT, 20);
    QCOMPARE(s.dataHash, data.contentHash());
    QVERIFY(!s.stages.empty());
    QVERIFY(ModelFile::isModelFile(path("run.mrcae.h5")));
  }

  void resumeAtAStageBoundaryEqualsAnUninterruptedRun()
  {
    Trainer full(data, smallConfig());
    full.run();

    Trainer first(data, smallConfig());
    StopToken stop;
    StopAfterStage observer(stop, 4);
    first.run(&observer, &stop);
    QCOMPARE(first.stages().size(), size_t(5));
    first.save(path("half.mrcae.h5"));
    Trainer second = Trainer::fromModelFile(path("half.mrcae.h5"), data);
    QVERIFY(!second.finished());
    second.run();
    QCOMPARE(second.stages().size(), full.stages().size());
    QCOMPARE(second.architecture().params, full.architecture().params);
    compareFields(second.snapshot({1, 2}).reconstructions, full.snapshot({1, 2}).reconstructions);
    QCOMPARE(second.stages().back().bestGlobalVal, full.stages().back().bestGlobalVal);
  }

  void saveIsAtomic()
  {
    Trainer t = Trainer::fromModelFile(path("run.mrcae.h5"), data);
    expectInputError([&] { t.save(path("no/such/folder/x.mrcae.h5")); }, "folder does not exist");
    // No temporary files are left behind.
    for (const auto& e : std::filesystem::directory_iterator(dir.path().toStdString()))
    {
      QVERIFY2(e.path().filename().string().find(".tmp") == std::string::npos, e.path().c_str());
    }
  }

  void badModelFiles()
  {
    expectInputError([&] { Trainer::fromModelFile(path("missing.mrcae.h5"), data); }, "not found");
    // Foreign file: a dataset.
    writeDataset(data, path("data.h5"));
    expectInputError([&] { Trainer::fromModelFile(path("data.h5"), data); }, "not a MrCAE model");
    // Truncated.
    std::filesystem::copy_file(path("run.mrcae.h5"), path("trunc.mrcae.h5"));
    std::filesystem::resize_file(path("trunc.mrcae.h5"), std::filesystem::file_size(path("run.mrcae.h5")) / 3);
    try
    {
      Trainer::fromModelFile(path("trunc.mrcae.h5"), data);
      QFAIL("a truncated model was read");
    }
    catch (const InputError& e)
    {
      QVERIFY(QString(e.what()).contains("trunc.mrcae.h5"));
    }
    // Newer format version.
    std::filesystem::copy_file(path("run.mrcae.h5"), path("newer.mrcae.h5"));
    {
      H5::H5File f(path("newer.mrcae.h5"), H5F_ACC_RDWR);
      H5::Group root = f.openGroup("/");
      root.removeAttr("format_version");
      h5::writeInt(root, "format_version", 99);
    }
    expectInputError([&] { Trainer::fromModelFile(path("newer.mrcae.h5"), data); }, "newer");
    // Weights that do not match the stored architecture: an extra group, then a missing weight.
    std::filesystem::copy_file(path("run.mrcae.h5"), path("extra.mrcae.h5"));
    {
      H5::H5File f(path("extra.mrcae.h5"), H5F_ACC_RDWR);
      H5::Group w = f.openGroup("weights");
      float v[9] = {0};
      h5::writeFloats(w, "L0_Conv_9/weight", {1, 1, 3, 3}, v);
    }
    expectInputError([&] { Trainer::fromModelFile(path("extra.mrcae.h5"), data); }, "disagree");
    std::filesystem::copy_file(path("run.mrcae.h5"), path("less.mrcae.h5"));
    {
      H5::H5File f(path("less.mrcae.h5"), H5F_ACC_RDWR);
      f.openGroup("weights/L0_Conv_0").unlink("bias");
    }
    expectInputError([&] { Trainer::fromModelFile(path("less.mrcae.h5"), data); }, "missing");
    // A dataset of another size.
    expectInputError([&] { Trainer::fromModelFile(path("run.mrcae.h5"), generateToy("toy2", 30, 127)); },
                     "trained on");
  }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_modelfile.moc"
