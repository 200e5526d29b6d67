// `mrcae import` as a user runs it: list a file, import real NetCDF files, read the result back with
// `mrcae info`, train a few steps on it, and get exit code 2 with one line for every bad input.
#include "CliRun.h"
#include <H5Cpp.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using clitest::Result;

namespace
{

const QString kNcarg = "/usr/share/ncarg/data/cdf/";
const QString kFerret = "/usr/share/ferret-vis/data/";

} // namespace

class TestImportCli : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  QString path(const QString& name) const { return dir.path() + "/" + name; }

  Result run(const QStringList& args, int timeoutMs = 120000) { return clitest::runMrcae(args, dir.path(), timeoutMs); }

  QJsonObject runJson(const QStringList& args)
  {
    Result r = run(args);
    if (r.code != 0)
    {
      qWarning("%s", qPrintable(r.err));
    }
    [&] { QCOMPARE(r.code, 0); }();
    QJsonParseError e{};
    QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &e);
    [&] { QVERIFY2(e.error == QJsonParseError::NoError, qPrintable("stdout is not JSON: " + r.out)); }();
    return doc.object();
  }

  /// Exit code 2 and exactly one line on stderr (besides notes), that contains `fragment`. (The "importing" line
  /// is for a terminal only.)
  void expectBadInput(const QStringList& args, const QString& fragment)
  {
    Result r = run(args);
    QStringList lines = r.err.trimmed().split('\n');
    lines.removeIf([](const QString& l) { return l.startsWith("note: "); });
    QVERIFY2(r.code == 2, qPrintable(QString("exit %1 for %2: %3").arg(r.code).arg(args.join(' ')).arg(r.err)));
    QVERIFY2(lines.size() == 1, qPrintable("not one line: " + r.err));
    const QString err = lines.front();
    QVERIFY2(err.startsWith("mrcae: error: "), qPrintable(err));
    QVERIFY2(err.contains(fragment, Qt::CaseInsensitive), qPrintable("'" + err + "' lacks '" + fragment + "'"));
    QVERIFY2(r.out.isEmpty(), qPrintable("results on stdout after an error: " + r.out));
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir.isValid()); }

  void listsVariables()
  {
    Result r = run({"import", kNcarg + "Pstorm.cdf", "--list"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("netcdf-classic"));
    QVERIFY(r.out.contains("(timestep=64, lat=33, lon=36)"));
    QJsonObject j = runJson({"import", kNcarg + "nc4uvt.nc", "--list", "--json"});
    QCOMPARE(j["format"].toString(), QString("netcdf-4"));
    const QJsonArray vars = j["variables"].toArray();
    QCOMPARE(vars.size(), 14);
    bool sawT = false;
    for (const auto& v : vars)
    {
      const QJsonObject o = v.toObject();
      if (o["name"].toString() == "grp1/T")
      {
        sawT = true;
        QCOMPARE(o["importable"].toBool(), true);
        QCOMPARE(o["time_axis"].toString(), QString("time"));
        QCOMPARE(o["shape"].toArray().size(), 4);
      }
    }
    QVERIFY(sawT);
  }

  void importThenInfoRoundTrip()
  {
    Result r = run({"import", kNcarg + "Pstorm.cdf", "--var", "p", "-o", "pstorm.h5"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("224 invalid cells of 1188"));
    QVERIFY(r.out.contains("wrote pstorm.h5"));
    QVERIFY(r.err.contains("note: 33x36 fits no c*2^L-1 size"));
    QJsonObject info = runJson({"info", "pstorm.h5", "--json"});
    QCOMPARE(info["kind"].toString(), QString("dataset"));
    QCOMPARE(info["name"].toString(), QString("p"));
    QCOMPARE(info["shape"].toArray(), (QJsonArray{64, 33, 36}));
    QCOMPARE(info["valid_cells"].toDouble(), 964.0);
    QVERIFY(std::abs(info["original_min"].toDouble() - 96040.25) < 1e-6);
    QVERIFY(std::abs(info["original_max"].toDouble() - 104415.3125) < 1e-6);
    QCOMPARE(info["source"].toString(), QString("Pstorm.cdf:p"));
    QCOMPARE(info["max_levels"].toInt(), 0);
  }

  void jsonReportAndCropThenTrain()
  {
    QJsonObject j = runJson({"import", kFerret + "coads_climatology.cdf", "--var", "SST", "-o", "sst.h5", "--crop",
                             "--levels", "3", "--json"});
    QCOMPARE(j["shape"].toArray(), (QJsonArray{12, 87, 175}));
    QCOMPARE(j["invalid_cells"].toInt(), 8790);
    QCOMPARE(j["fill_cells_sometimes"].toInt(), 3149);
    QCOMPARE(j["mask_mode"].toString(), QString("union"));
    QCOMPARE(j["units"].toString(), QString("Deg C"));
    QVERIFY(j["notes"].toArray().first().toString().contains("union"));
    QJsonObject info = runJson({"info", "sst.h5", "--json"});
    QCOMPARE(info["shape"].toArray(), (QJsonArray{12, 87, 175}));
    QCOMPARE(info["max_levels"].toInt(), 3);
    QCOMPARE(info["units"].toString(), QString("Deg C"));
    // The land mask travels into training: a few steps run on the imported, cropped file.
    Result t = run(
        {"train", "sst.h5", "--preset", "toy1", "--steps", "2,2,1", "--threads", "1", "--quiet", "-o", "sst.mrcae.h5"},
        240000);
    QVERIFY2(t.code == 0, qPrintable(t.err));
  }

  void axisChoiceOnTheCommandLine()
  {
    QJsonObject j = runJson({"import", kNcarg + "nc4uvt.nc", "--var", "T", "--time-axis", "lev", "--pad", "periodic",
                             "--levels", "2", "-o", "t.h5", "--json"});
    QCOMPARE(j["shape"].toArray(), (QJsonArray{14, 67, 131}));
    QCOMPARE(j["fixed"].toObject()["time"].toInt(), 0);
    // A rank-5 HDF5 dataset: --index repeated and comma-separated give the same slice.
    {
      H5::H5File f(path("rank5.h5").toStdString(), H5F_ACC_TRUNC);
      hsize_t dims[5] = {6, 2, 3, 4, 5};
      std::vector<float> v(6 * 2 * 3 * 4 * 5);
      for (size_t p = 0; p < v.size(); ++p)
      {
        v[p] = static_cast<float>(p);
      }
      f.createDataSet("cube", H5::PredType::IEEE_F32LE, H5::DataSpace(5, dims))
          .write(v.data(), H5::PredType::NATIVE_FLOAT);
    }
    expectBadInput({"import", "rank5.h5", "--var", "cube", "-o", "c.h5"}, "--time-axis N (0..4)");
    expectBadInput({"import", "rank5.h5", "--var", "cube", "-o", "c.h5", "--time-axis", "0"},
                   "--index 1=I (0..1) --index 2=I (0..2)");
    QJsonObject a = runJson({"import", "rank5.h5", "--var", "/cube", "-o", "a.h5", "--time-axis", "0", "--index", "1=1",
                             "--index", "2=2", "--json"});
    QJsonObject b = runJson(
        {"import", "rank5.h5", "--var", "/cube", "-o", "b.h5", "--time-axis", "0", "--index=1=1,2=2", "--json"});
    QCOMPARE(a["shape"].toArray(), (QJsonArray{6, 4, 5}));
    QCOMPARE(a["original_min"].toDouble(), 100.0); // (0, 1, 2, 0, 0) = 1*60 + 2*20
    QCOMPARE(b["original_min"].toDouble(), 100.0);
    QCOMPARE(a["original_max"].toDouble(), 5 * 120 + 100 + 19.0);
  }

  void badInput()
  {
    const QString pstorm = kNcarg + "Pstorm.cdf";
    expectBadInput({"import", pstorm, "--var", "p"}, "pass -o DATA.h5");
    expectBadInput({"import", "nothere.nc", "--var", "p", "-o", "x.h5"}, "file not found");
    std::ofstream(path("text.nc").toStdString()) << "plain text";
    expectBadInput({"import", "text.nc", "--list"}, "not a NetCDF or HDF5 file");
    expectBadInput({"import", pstorm, "--var", "pp", "-o", "x.h5"}, "no variable 'pp'");
    expectBadInput({"import", pstorm, "--var", "reftime", "-o", "x.h5"}, "type char");
    expectBadInput({"import", kFerret + "levitus_climatology.cdf", "--var", "TEMP", "-o", "x.h5"}, "no time axis");
    expectBadInput({"import", kNcarg + "Tstorm.cdf", "--var", "t", "-o", "x.h5"}, "--drop-empty-snapshots");
    expectBadInput({"import", kFerret + "coads_climatology.cdf", "--var", "SST", "-o", "x.h5", "--mask-mode", "refuse"},
                   "change over time");
    expectBadInput({"import", pstorm, "--var", "p", "-o", "x.h5", "--mask-mode", "intersect"}, "union or refuse");
    expectBadInput({"import", pstorm, "--var", "p", "-o", "x.h5", "--pad", "zero"}, "unknown size policy");
    expectBadInput({"import", pstorm, "--var", "p", "-o", "x.h5", "--crop", "--pad", "reflect"}, "not both");
    expectBadInput({"import", pstorm, "--var", "p", "-o", "x.h5", "--times", "10"}, "FIRST:END");
    expectBadInput({"import", pstorm, "--var", "p", "-o", "x.h5", "--times", "60:70"}, "outside the 64 snapshots");
    expectBadInput({"import", pstorm, "--var", "p", "-o", "x.h5", "--index", "lat"}, "AXIS=I");
    expectBadInput({"import", pstorm, "--var", "p", "-o", "x.h5", "--crop", "--levels", "5"}, "too small to crop");
    QVERIFY(!QFile::exists(path("x.h5")));
    std::filesystem::copy_file(pstorm.toStdString(), path("copy.cdf").toStdString());
    expectBadInput({"import", "copy.cdf", "--var", "p", "-o", "./copy.cdf"}, "is the input file");
  }
};

QTEST_GUILESS_MAIN(TestImportCli)
#include "test_import_cli.moc"
