// `mrcae` on hostile and broken input (issue 12 §3): every case of tests/hostile gives exit code 2 and one line
// on stderr that names the file and says what is wrong; bad option values name the option.
#include "CliRun.h"
#include "HostileCases.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <random>
#include <signal.h>

using clitest::Result;

class TestHostileCli : public QObject
{
  Q_OBJECT

  QTemporaryDir dir_;
  hostile::Fixtures fixtures_;

  Result run(const QStringList& args)
  {
    Result r = clitest::runMrcae(args, dir_.path(), 120000);
    if (r.timedOut)
    {
      r.code = -2;
      r.err = "timed out";
    }
    return r;
  }

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(dir_.isValid());
    fixtures_ = hostile::makeFixtures(dir_.path());
    // The good inputs pass, so that every refusal below is the hostile part's doing.
    const Result data = run({"info", fixtures_.goodH5});
    QVERIFY2(data.code == 0, qPrintable(data.err));
    const Result model = run({"eval", fixtures_.goodModel, fixtures_.goodH5});
    QVERIFY2(model.code == 0, qPrintable(model.err));
    if (!fixtures_.goodNc.isEmpty())
    {
      const Result imported = run({"import", fixtures_.goodNc, "--var", "u", "-o", dir_.filePath("good-nc.h5")});
      QVERIFY2(imported.code == 0, qPrintable(imported.err));
    }
  }

  void refusesHostileFiles_data()
  {
    QTest::addColumn<QString>("name");
    QVERIFY(hostile::cases().size() >= 40);
    for (const hostile::Case& c : hostile::cases())
    {
      QTest::newRow(c.name) << QString::fromLatin1(c.name);
    }
  }

  void refusesHostileFiles()
  {
    QFETCH(QString, name);
    const hostile::Case* c = hostile::findCase(name);
    QVERIFY(c);
    const QString path = c->make(fixtures_);
    QStringList args;
    if (c->target == hostile::Target::Dataset)
    {
      args = {"train",
              path,
              "--preset",
              "toy2",
              "--steps",
              "1",
              "--threads",
              "1",
              "--quiet",
              "-o",
              dir_.filePath("out-" + name + ".mrcae.h5")};
    }
    else if (c->target == hostile::Target::Model)
    {
      args = {"eval", path, fixtures_.goodH5};
    }
    else
    {
      args = {"import", path, "--var", "u", "-o", dir_.filePath("out-" + name + ".h5")};
    }
    for (QString extra : c->extraCliArgs)
    {
      args << extra.replace("{dir}", fixtures_.dir);
    }
    Result r = run(args);
    QVERIFY2(r.code == 2, qPrintable(QString("exit code %1, stderr: %2").arg(r.code).arg(r.err)));
    QVERIFY2(r.err.startsWith("mrcae: error: "), qPrintable(r.err));
    const QString problem = hostile::judge(*c, path, r.err);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY2(!QFile::exists(dir_.filePath("out-" + name + ".mrcae.h5")), "a refused run wrote a model");
    QVERIFY2(!QFile::exists(dir_.filePath("out-" + name + ".h5")), "a refused import wrote a dataset");
    qInfo().noquote() << name << "->" << r.err.trimmed();
  }

  void refusesBadOptionValues_data()
  {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("option");
    QTest::newRow("steps not a number") << QStringList{"--steps", "abc"} << "--steps";
    QTest::newRow("steps zero") << QStringList{"--steps", "0"} << "--steps";
    QTest::newRow("levels zero") << QStringList{"--levels", "0"} << "--levels";
    QTest::newRow("batch zero") << QStringList{"--batch", "0"} << "--batch";
    QTest::newRow("learning rate nan") << QStringList{"--lr", "nan"} << "--lr";
    QTest::newRow("learning rate with a comma") << QStringList{"--lr", "0,001"} << "--lr";
    QTest::newRow("archs not numbers") << QStringList{"--archs", "1,2;x"} << "--archs";
    QTest::newRow("tolerance negative") << QStringList{"--tols", "-1,1e-3,1e-4"} << "--tols";
    QTest::newRow("threads negative") << QStringList{"--threads", "-3"} << "--threads";
    QTest::newRow("w above one") << QStringList{"--w", "2"} << "--w";
    QTest::newRow("unknown preset") << QStringList{"--preset", "toy9"} << "toy9";
    QTest::newRow("unknown device") << QStringList{"--device", "tpu"} << "--device";
    QTest::newRow("output is a folder") << QStringList{"-o", "."} << "folder";
    QTest::newRow("unknown option") << QStringList{"--stpes", "3"} << "--stpes";
  }

  void refusesBadOptionValues()
  {
    QFETCH(QStringList, args);
    QFETCH(QString, option);
    const Result r = run(QStringList{"train", fixtures_.goodH5, "--quiet"} + args);
    QVERIFY2(r.code == 2, qPrintable(QString("exit code %1, stderr: %2").arg(r.code).arg(r.err)));
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
    QVERIFY2(err.startsWith("mrcae: error: "), qPrintable(err));
    QVERIFY2(err.contains(option), qPrintable("'" + err + "' does not name " + option));
  }

  /// Two processes writing the same output at once: afterwards the file is whole, one writer's or the other's.
  void twoWritersNeverMixAFile_data()
  {
    QTest::addColumn<QString>("name");
    QTest::newRow("hdf5 dataset") << "same.h5";
    QTest::newRow("npy dataset") << "same.npy";
  }

  void twoWritersNeverMixAFile()
  {
    QFETCH(QString, name);
    const QString target = dir_.filePath(name);
    for (int round = 0; round < 6; ++round)
    {
      QProcess a, b;
      a.start(MRCAE_BIN, {"generate", "toy2", "-o", target, "--snapshots", "40", "--size", "63"});
      b.start(MRCAE_BIN, {"generate", "toy2", "-o", target, "--snapshots", "25", "--size", "63"});
      QVERIFY(a.waitForFinished(60000) && b.waitForFinished(60000));
      QCOMPARE(a.exitCode(), 0);
      QCOMPARE(b.exitCode(), 0);
      const mrcae::Dataset d = mrcae::readDataset(target.toStdString());
      QVERIFY2(d.field.t == 40 || d.field.t == 25, qPrintable(QString("%1 snapshots").arg(d.field.t)));
      QCOMPARE(d.field.data, mrcae::generateToy("toy2", d.field.t, 63).field.data);
    }
    for (const auto& e : std::filesystem::directory_iterator(dir_.path().toStdString()))
    {
      QVERIFY2(e.path().filename().string().find("." + name.toStdString() + ".tmp") == std::string::npos,
               e.path().c_str());
    }
  }

  /// mrcae train saves after every stage; a SIGKILL at any moment leaves no file yet or a loadable one.
  void killedAutosaveLeavesALoadableFile()
  {
    const QString target = dir_.filePath("killed.mrcae.h5");
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> delayMs(300, 2500);
    int loaded = 0;
    for (int round = 0; round < 8; ++round)
    {
      QFile::remove(target);
      QProcess p;
      p.start(MRCAE_BIN, {"train", fixtures_.goodH5, "--preset", "toy2", "--levels", "2", "--archs", "1,2,3,4;1,2,3,4",
                          "--steps", "300,300", "--tols", "1e-12,1e-12", "--threads", "1", "--quiet", "-o", target});
      QVERIFY(p.waitForStarted());
      const qint64 pid = p.processId();
      QVERIFY(pid > 0);
      if (p.waitForFinished(delayMs(rng)))
      {
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData()); // finished before the kill
      }
      else
      {
        ::kill(static_cast<pid_t>(pid), SIGKILL);
        p.waitForFinished();
      }
      if (!QFile::exists(target))
      {
        continue; // killed before the first stage ended
      }
      const Result info = run({"info", target});
      QVERIFY2(info.code == 0, qPrintable(QString("round %1: %2").arg(round).arg(info.err)));
      const Result eval = run({"eval", target, fixtures_.goodH5});
      QVERIFY2(eval.code == 0, qPrintable(QString("round %1: %2").arg(round).arg(eval.err)));
      QVERIFY(mrcae::ModelFile::summary(target.toStdString()).stages.size() >= 1);
      ++loaded;
    }
    QVERIFY2(loaded >= 2, "the kills all came before the first autosave: lengthen the delays");
  }
};

QTEST_GUILESS_MAIN(TestHostileCli)
#include "test_hostile_cli.moc"
