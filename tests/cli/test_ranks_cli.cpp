// `mrcae train --ranks 2` and `--stream` as a user runs them (issue 15): two local ranks write one model file
// with the one-process run's results; a rank killed mid-run ends the others with one line naming it, and rank
// 0's last autosave stays complete; --stream gives the loaded run's results; `mrcae benchmark --shard I/N` parts
// joined by `--merge` write one run's table and figures.
#include "../core/TestHelpers.h"
#include "CliRun.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <signal.h>

using namespace mrcae;
using clitest::Result;

namespace
{

/// The global test error of every level from `mrcae train --json`.
std::vector<double> testErrors(const QString& json)
{
  std::vector<double> out;
  for (const auto& level : Json::parse(json.toStdString())["evaluation"])
  {
    out.push_back(level["test"]["global"].get<double>());
  }
  return out;
}

void expectClose(const std::vector<double>& a, const std::vector<double>& b)
{
  QCOMPARE(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
  {
    QVERIFY2(std::abs(a[i] - b[i]) <= 1e-6 * std::max(1e-3, std::abs(a[i])),
             qPrintable(QString("level %1: %2 vs %3").arg(i).arg(a[i]).arg(b[i])));
  }
}

} // namespace

class TestRanksCli : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  QString path(const QString& name) const { return dir.path() + "/" + name; }

  Result run(const QStringList& args) { return clitest::runMrcae(args, dir.path()); }

  /// Files of the folder whose name contains `part` (temporaries of saves start with a dot).
  QStringList filesWith(const QString& part) const
  {
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).filter(part);
  }

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(dir.isValid());
    writeDataset(generateToy("toy1", 40, 63), path("toy.h5").toStdString());
  }

  void twoRanksWriteOneModelFile()
  {
    const QStringList common = {"train", "toy.h5", "--steps", "6,4,3", "--threads", "1", "--quiet", "--json"};
    const Result one = run(common + QStringList{"-o", "one.mrcae.h5"});
    QVERIFY2(one.code == 0, qPrintable(one.err));
    const Result two = run(common + QStringList{"--ranks", "2", "-o", "two.mrcae.h5"});
    QVERIFY2(two.code == 0, qPrintable(two.err));
    QCOMPARE(Json::parse(two.out.toStdString())["ranks"].get<int>(), 2);
    expectClose(testErrors(one.out), testErrors(two.out));
    // Rank 0 wrote the model; rank 1 wrote nothing (no second file, no temporary left).
    QCOMPARE(filesWith("two.mrcae.h5"), QStringList{"two.mrcae.h5"});
    const ModelSummary a = ModelFile::summary(path("one.mrcae.h5").toStdString());
    const ModelSummary b = ModelFile::summary(path("two.mrcae.h5").toStdString());
    QCOMPARE(b.stages.size(), a.stages.size());
    QCOMPARE(b.curvePoints, a.curvePoints);
    QCOMPARE(b.dataHash, a.dataHash);
  }

  void configFileGivesTheSameRun()
  {
    // The settings of a model (what the window writes for its processes): the same run as the options.
    const QStringList options = {"--steps", "6,4,3", "--threads", "1", "--lr", "0.002", "--seed", "3"};
    const Result flags = run(QStringList{"train", "toy.h5", "--quiet", "--json", "-o", "flags.mrcae.h5"} + options);
    QVERIFY2(flags.code == 0, qPrintable(flags.err));
    const Result info = run({"info", "flags.mrcae.h5", "--json"});
    QVERIFY2(info.code == 0, qPrintable(info.err));
    const Json config = Json::parse(info.out.toStdString())["config"];
    QCOMPARE(config["lr"].get<double>(), 0.002);
    QFile file(path("config.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray::fromStdString(config.dump()));
    file.close();
    const Result fromFile =
        run({"train", "toy.h5", "--config", "config.json", "--quiet", "--json", "-o", "file.mrcae.h5"});
    QVERIFY2(fromFile.code == 0, qPrintable(fromFile.err));
    QCOMPARE(testErrors(fromFile.out), testErrors(flags.out)); // bit for bit: the same settings
    QCOMPARE(Json::parse(fromFile.out.toStdString())["config"], Json::parse(flags.out.toStdString())["config"]);

    // A key missing, or a preset as well: refused in one line that says what to do.
    Json partial = config;
    partial.erase("lr");
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QByteArray::fromStdString(partial.dump()));
    file.close();
    const Result missing = run({"train", "toy.h5", "--config", "config.json"});
    QCOMPARE(missing.code, 2);
    QVERIFY2(missing.err.contains("lr") && missing.err.trimmed().count('\n') == 0, qPrintable(missing.err));
    const Result both = run({"train", "toy.h5", "--config", "config.json", "--preset", "toy2"});
    QCOMPARE(both.code, 2);
    QVERIFY2(both.err.contains("--config and --preset"), qPrintable(both.err));
  }

  void aKilledRankEndsTheRun()
  {
    QProcess p;
    p.setWorkingDirectory(dir.path());
    // Long enough that rank 1 is killed while the run is in its first stages.
    p.start(MRCAE_BIN, {"train", "toy.h5", "--steps", "40,40,3000", "--threads", "1", "--quiet", "--ranks", "2",
                        "--rank-timeout", "20", "-o", "killed.mrcae.h5"});
    QVERIFY(p.waitForStarted());
    // "mrcae: 2 ranks on 127.0.0.1:PORT (pids A B)"
    QString err;
    QRegularExpression pids("pids (\\d+) (\\d+)");
    QRegularExpressionMatch m;
    QElapsedTimer clock;
    clock.start();
    while (!(m = pids.match(err)).hasMatch() && clock.elapsed() < 60000)
    {
      p.waitForReadyRead(200);
      err += QString::fromUtf8(p.readAllStandardError());
    }
    QVERIFY2(m.hasMatch(), qPrintable(err));
    // Wait for rank 0's first autosave, then kill rank 1 outright.
    while (!QFile::exists(path("killed.mrcae.h5")) && p.state() == QProcess::Running && clock.elapsed() < 180000)
    {
      QTest::qWait(100);
    }
    QVERIFY2(p.state() == QProcess::Running, "the run ended before rank 1 could be killed");
    QVERIFY(QFile::exists(path("killed.mrcae.h5")));
    QCOMPARE(::kill(m.captured(2).toInt(), SIGKILL), 0);
    QVERIFY2(p.waitForFinished(120000), "the other rank did not end");
    err += QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 3);
    // One line after the start: the lost rank, how, and what to do.
    const QStringList lines = err.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[1].startsWith("mrcae: error: rank 1 of 2 was killed by signal 9"), qPrintable(lines[1]));
    QVERIFY2(lines[1].contains("mrcae resume killed.mrcae.h5 --ranks 2"), qPrintable(lines[1]));
    // Rank 0's last autosave is a complete model file, and nothing half-written is left beside it.
    const ModelSummary s = ModelFile::summary(path("killed.mrcae.h5").toStdString());
    QVERIFY(!s.stages.empty());
    QCOMPARE(filesWith("killed.mrcae.h5"), QStringList{"killed.mrcae.h5"});
  }

  void streamedTrainingGivesTheLoadedResults()
  {
    const QStringList common = {"train",     "toy.h5", "--steps", "6,4,3",  "--batch",      "10",
                                "--threads", "1",      "--quiet", "--json", "--no-autosave"};
    const Result loaded = run(common + QStringList{"-o", "loaded.mrcae.h5"});
    QVERIFY2(loaded.code == 0, qPrintable(loaded.err));
    const Result streamed = run(common + QStringList{"--stream", "-o", "streamed.mrcae.h5"});
    QVERIFY2(streamed.code == 0, qPrintable(streamed.err));
    QVERIFY(Json::parse(streamed.out.toStdString())["streamed"].get<bool>());
    QVERIFY(!Json::parse(loaded.out.toStdString())["streamed"].get<bool>());
    expectClose(testErrors(loaded.out), testErrors(streamed.out));
  }

  void benchmarkPartsMergeIntoOneRun()
  {
    const QStringList common = {
        "benchmark",   "toy.h5", "--steps", "2,2,1", "--threads", "1", "--quiet", "--methods", "pr,relu,rednet,pod,zfp",
        "--plot-size", "400x300"};
    const Result one = run(common + QStringList{"-o", "bench-one"});
    QVERIFY2(one.code == 0, qPrintable(one.err));
    for (const QString part : {"1/2", "2/2"})
    {
      const Result r = run(common + QStringList{"--shard", part, "-o", "bench-part" + part.left(1)});
      QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    // Part 2 reports MrCAE + ReLU alone (it trained PR too, unreported).
    const QByteArray part2 = readAll("bench-part2/benchmark.csv");
    QVERIFY(part2.contains("\"MrCAE + ReLU\""));
    QVERIFY(!part2.contains("\"MrCAE (PR)\""));
    const Result merged =
        run({"benchmark", "--merge", "bench-part2", "bench-part1", "--plot-size", "400x300", "-o", "bench-merged"});
    QVERIFY2(merged.code == 0, qPrintable(merged.err));
    QVERIFY(readAll("bench-one/benchmark.csv").count('\n') >= 1 + 3 * 2);
    QVERIFY(readAll("bench-one/benchmark.csv").contains("\"POD\""));
    QVERIFY(readAll("bench-one/benchmark.csv").contains("\"ZFP (fixed rate)\""));
    QCOMPARE(readAll("bench-merged/benchmark.csv"), readAll("bench-one/benchmark.csv"));
#ifdef MRCAE_WITH_PLOTS
    for (const char* figure : {"params.png", "encoding.png", "errorbytes.png"})
    {
      QVERIFY(!readAll(QString("bench-one/") + figure).isEmpty());
      QCOMPARE(readAll(QString("bench-merged/") + figure), readAll(QString("bench-one/") + figure));
    }
#endif
    // A part missing: one line naming it.
    const Result missing = run({"benchmark", "--merge", "bench-part1", "-o", "bench-bad"});
    QCOMPARE(missing.code, 2);
    QVERIFY2(missing.err.trimmed() == "mrcae: error: part 2/2 is missing: give the folders of all 2 parts",
             qPrintable(missing.err));
  }

  void badRankAndStreamOptions()
  {
    writeNpyFor("toy.npy");
    for (const auto& [args, fragment] :
         {std::pair<QStringList, QString>{{"train", "toy.h5", "--ranks", "0"}, "--ranks must be between 1 and 256"},
          {{"train", "toy.npy", "--stream"}, "--stream reads HDF5 datasets"},
          {{"train", "toy.h5", "--ranks", "2", "--rank-timeout", "-1"}, "--rank-timeout"}})
    {
      const Result r = run(args);
      const QString e = r.err.trimmed();
      QVERIFY2(r.code == 2, qPrintable(QString("exit %1: %2").arg(r.code).arg(e)));
      QVERIFY2(e.split('\n').last().contains(fragment), qPrintable(e));
    }
  }

private:
  QByteArray readAll(const QString& name) const
  {
    QFile f(path(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  }

  void writeNpyFor(const QString& name)
  {
    const Result r = run({"generate", "toy1", "-o", name, "--snapshots", "10", "--size", "31"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestRanksCli)
#include "test_ranks_cli.moc"
