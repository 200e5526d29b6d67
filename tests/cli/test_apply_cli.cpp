// A model trained on the first snapshots of a file, applied to the whole file from the command line:
// `mrcae encode` then `mrcae decode` give the fields of `mrcae export --what fields` bit for bit, the codes take
// what the trainer reported, `mrcae eval --per-snapshot` scores every snapshot with its part of the split, and
// data or codes that do not fit are refused with one line.
#include "CliRun.h"
#include "Hdf5Util.h"
#include "mrcae/model/Json.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace mrcae;
using clitest::Result;

namespace
{

std::vector<float> readFloats(const std::string& path, const std::string& dataset)
{
  H5::H5File f = h5::openForReading(path);
  return h5::readFloats(f.openDataSet(dataset));
}

bool sameBits(const float* a, const float* b, size_t n)
{
  return std::memcmp(a, b, n * sizeof(float)) == 0;
}

} // namespace

class TestApplyCli : public QObject
{
  Q_OBJECT

  QTemporaryDir dir_;
  std::string file(const QString& name) const { return dir_.filePath(name).toStdString(); }

  Result run(const QStringList& args) { return clitest::runMrcae(args, dir_.path()); }

  void expectOk(const QStringList& args)
  {
    const Result r = run(args);
    QVERIFY2(r.code == 0, qPrintable(args.join(' ') + ": " + r.err));
  }

  void expectBadInput(const QStringList& args, const QString& fragment)
  {
    const Result r = run(args);
    const QString err = r.err.trimmed();
    QVERIFY2(r.code == 2, qPrintable(QString("exit %1 for %2: %3").arg(r.code).arg(args.join(' ')).arg(err)));
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
    QVERIFY2(err.contains(fragment, Qt::CaseInsensitive), qPrintable("'" + err + "' lacks '" + fragment + "'"));
  }

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(dir_.isValid());
    expectOk({"generate", "toy1", "--snapshots", "60", "--size", "63", "-o", "toy.h5"});
    // Trained on the first 40 snapshots; the last 20 are new to it.
    expectOk({"train", "toy.h5", "--snapshots", "40", "--steps", "40,30,10", "--tols", "2e-3,1e-3,1e-3", "--threads",
              "1", "--quiet", "-o", "model.mrcae.h5"});
  }

  void encodeDecodeEqualsExport()
  {
    expectOk({"encode", "model.mrcae.h5", "toy.h5", "-o", "codes.h5"});
    expectOk({"decode", "model.mrcae.h5", "codes.h5", "-o", "decoded.h5"});
    expectOk({"export", "model.mrcae.h5", "toy.h5", "--format", "h5", "--what", "fields", "--snapshots", "all", "-o",
              "exported.h5"});
    H5::H5File decoded = h5::openForReading(file("decoded.h5"));
    QCOMPARE(h5::readInts(decoded.openDataSet("snapshots")).size(), size_t(60));
    for (int k = 0; k < 3; ++k)
    {
      const std::string name = "L" + std::to_string(k) + "/reconstruction";
      const std::vector<float> a = readFloats(file("decoded.h5"), name), b = readFloats(file("exported.h5"), name);
      // export holds the model's own 40 snapshots; the codes all 60, the first 40 of them the same.
      QCOMPARE(a.size(), b.size() * 60 / 40);
      QVERIFY2(sameBits(a.data(), b.data(), b.size()), qPrintable(QString("level %1 differs from export").arg(k)));
    }
  }

  /// The codes take per snapshot what the trainer reported for each level's last stage (mrcae info --json).
  void codesTakeWhatTheTrainerReported()
  {
    expectOk({"encode", "model.mrcae.h5", "toy.h5", "-o", "sizes.h5", "--snapshots", "40:60", "--levels", "0,2"});
    const Result info = run({"info", "model.mrcae.h5", "--json"});
    QCOMPARE(info.code, 0);
    const Json stages = Json::parse(info.out.toStdString()).at("stages");
    H5::H5File codes = h5::openForReading(file("sizes.h5"));
    QVERIFY(!codes.nameExists("L1"));
    for (int k : {0, 2})
    {
      long long reported = -1;
      for (const auto& s : stages)
      {
        reported = s.at("level").get<int>() == k ? s.at("code_values").get<long long>() : reported;
      }
      QVERIFY(reported > 0);
      H5::Group g = codes.openGroup("L" + std::to_string(k));
      QCOMPARE(h5::readInt(g, "values_per_snapshot", -1), reported);
      QCOMPARE(h5::readInt(g, "bytes_per_snapshot", -1), 4 * reported);
      QCOMPARE(h5::shapeOf(g.openDataSet("coarse"))[0], hsize_t(20));
    }
  }

  void perSnapshotErrors()
  {
    expectOk({"eval", "model.mrcae.h5", "toy.h5", "--per-snapshot", "-o", "errors.csv"});
    QFile csv(dir_.filePath("errors.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.front(), QString("snapshot,part,level,global_mse,global_max,global,local_mse,local_max,local"));
    QCOMPARE(lines.size(), 1 + 60 * 3);
    QMap<QString, int> parts;
    for (int i = 1; i < lines.size(); ++i)
    {
      const QStringList cells = lines[i].split(',');
      QCOMPARE(cells.size(), 9);
      if (cells[2] == "2")
      {
        ++parts[cells[1]];
        QCOMPARE(cells[1] == "new", cells[0].toInt() >= 40);
      }
    }
    // 40 snapshots split 70/20/10, and the 20 the model never saw.
    QCOMPARE(parts["train"], 28);
    QCOMPARE(parts["val"], 8);
    QCOMPARE(parts["test"], 4);
    QCOMPARE(parts["new"], 20);
    const Result json = run({"eval", "model.mrcae.h5", "toy.h5", "--per-snapshot", "--snapshots", "50:52", "--json"});
    QCOMPARE(json.code, 0);
    const Json rows = Json::parse(json.out.toStdString()).at("errors");
    QCOMPARE(static_cast<int>(rows.size()), 2 * 3);
    QCOMPARE(rows.front().at("snapshot").get<int>(), 50);
    QCOMPARE(rows.front().at("part").get<std::string>(), std::string("new"));
  }

  void refusesWhatDoesNotFit()
  {
    expectOk({"generate", "toy1", "--snapshots", "10", "--size", "31", "-o", "small.h5"});
    expectBadInput({"encode", "model.mrcae.h5", "small.h5", "-o", "x.h5"}, "63x63");
    expectBadInput({"eval", "model.mrcae.h5", "small.h5", "--per-snapshot"}, "63x63");
    expectBadInput({"encode", "model.mrcae.h5", "toy.h5"}, "-o");
    expectBadInput({"encode", "model.mrcae.h5", "toy.h5", "-o", "x.h5", "--snapshots", "70"}, "--snapshots");
    expectBadInput({"decode", "model.mrcae.h5", "toy.h5", "-o", "x.h5"}, "not a codes file");
    // Codes of another model.
    expectOk({"train", "toy.h5", "--snapshots", "40", "--steps", "4,3,2", "--threads", "1", "--quiet", "--seed", "9",
              "-o", "other.mrcae.h5"});
    expectBadInput({"decode", "other.mrcae.h5", "codes.h5", "-o", "x.h5"}, "another model");
    expectBadInput({"eval", "model.mrcae.h5", "toy.h5", "-o", "x.csv"}, "--per-snapshot");
  }
};

QTEST_GUILESS_MAIN(TestApplyCli)
#include "test_apply_cli.moc"
