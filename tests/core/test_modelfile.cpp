// Model files: bit-identical reload, resume at a stage boundary equals an uninterrupted run, saves that are
// killed half-way leave the previous file, and every bad file gets its message. (Mid-stage resume and
// /optimizer: test_resume.)
#include "Hdf5Util.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/AtomicFile.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include "ModelFileContents.h"
#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

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

const std::vector<std::string> kSavedGroups = {"/weights", "/maps", "/history", "/optimizer", "/data"};

/// Same stages, curves and reconstructions (a reloaded file against the run it was saved from).
void expectSameModel(const Trainer& a, const Trainer& b)
{
  QCOMPARE(b.stages().size(), a.stages().size());
  QCOMPARE(b.curves().size(), a.curves().size());
  for (size_t i = 0; i < a.curves().size(); ++i)
  {
    QVERIFY(a.curves()[i].globalVal == b.curves()[i].globalVal && a.curves()[i].localTrain == b.curves()[i].localTrain);
  }
  compareFields(a.snapshot({0, 7, 19}).reconstructions, b.snapshot({0, 7, 19}).reconstructions);
}

/// Waits for `child` and checks that SIGKILL ended it (not an exit: it was still inside a save).
void expectKilled(pid_t child)
{
  int status = 0;
  QCOMPARE(::waitpid(child, &status, 0), child);
  QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child should have been killed while saving");
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
  std::string path(const std::string& name) const { return dir.path().toStdString() + "/" + name; }

  /// Temporary files of atomic saves in the test folder.
  std::vector<std::string> temporaries() const
  {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir.path().toStdString()))
    {
      if (e.path().filename().string().find(".tmp") != std::string::npos)
      {
        out.push_back(e.path().filename().string());
      }
    }
    return out;
  }

  /// A short run that differs from run.mrcae.h5 in every curve and weight.
  Trainer shortRun() const
  {
    TrainingConfig c = smallConfig();
    c.steps = {2, 2, 1};
    Trainer t(data, c);
    t.run();
    return t;
  }

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

  void killedInsideASaveLeavesThePreviousFile()
  {
    const std::string target = path("killed.mrcae.h5");
    Trainer previous = Trainer::fromModelFile(path("run.mrcae.h5"), data);
    previous.save(target);
    const testing::Datasets before = testing::datasetsOf(target, kSavedGroups);
    Trainer other = shortRun();

    int ready[2];
    QVERIFY(::pipe(ready) == 0);
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0)
    {
      // Inside the write of the temporary file: tell the parent, then wait to be killed.
      mrcae::setAtomicWriteHook([&](const std::string&) {
        const char c = 1;
        if (::write(ready[1], &c, 1) != 1)
        {
          ::_exit(5);
        }
        for (;;)
        {
          ::pause();
        }
      });
      try
      {
        other.save(target);
      }
      catch (...)
      {
      }
      ::_exit(4);
    }
    ::close(ready[1]);
    char c = 0;
    QCOMPARE(::read(ready[0], &c, 1), ssize_t(1));
    ::close(ready[0]);
    ::kill(child, SIGKILL);
    expectKilled(child);

    // The half-written temporary file is left; the target is still the previous save, value for value.
    const std::string prefix = ".killed.mrcae.h5.tmp" + std::to_string(child) + "-";
    const std::vector<std::string> left = temporaries();
    QCOMPARE(left.size(), size_t(1));
    QVERIFY2(std::filesystem::path(left[0]).filename().string().rfind(prefix, 0) == 0, left[0].c_str());
    const std::string stale = std::filesystem::path(left[0]).filename().string();
    QVERIFY(std::filesystem::exists(path(stale)));
    QVERIFY(testing::datasetsOf(target, kSavedGroups) == before);
    expectSameModel(previous, Trainer::fromModelFile(target, data));

    // The next save replaces it and removes the dead process's temporary file.
    other.save(target);
    QVERIFY(!std::filesystem::exists(path(stale)));
    QVERIFY(temporaries().empty());
    expectSameModel(other, Trainer::fromModelFile(target, data));
  }

  void killsAtRandomTimesNeverBreakTheFile()
  {
    const std::string target = path("random.mrcae.h5");
    Trainer a = Trainer::fromModelFile(path("run.mrcae.h5"), data);
    Trainer b = shortRun();
    QVERIFY(a.curves().size() != b.curves().size());
    a.save(target);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> delayUs(0, 30000);
    for (int round = 0; round < 15; ++round)
    {
      const pid_t child = ::fork();
      QVERIFY(child >= 0);
      if (child == 0)
      {
        for (long n = 0;; ++n)
        {
          try
          {
            (n % 2 ? a : b).save(target);
          }
          catch (...)
          {
            ::_exit(4);
          }
        }
      }
      ::usleep(static_cast<useconds_t>(delayUs(rng)));
      ::kill(child, SIGKILL);
      expectKilled(child);
      // Whenever the kill came, the target is one complete save or the other.
      try
      {
        Trainer r = Trainer::fromModelFile(target, data);
        expectSameModel(r.curves().size() == a.curves().size() ? a : b, r);
      }
      catch (const InputError& e)
      {
        QFAIL(qPrintable(QString("round %1: the target no longer reads: %2").arg(round).arg(e.what())));
      }
      QVERIFY(temporaries().size() <= 1);
    }
    a.save(target);
    QVERIFY(temporaries().empty());
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
    expectInputError([&] { Trainer::fromModelFile(path("run.mrcae.h5"), generateToy("toy2", 30, 127)); }, "trained on");
  }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_modelfile.moc"
