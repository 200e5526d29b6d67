// `mrcae` run by a German user (LC_ALL=de_DE.UTF-8 in its environment) writes and reads exactly what it does
// under C: numbers typed on the command line, the model file, --json, CSV and the tables on stdout (issue 12).
#include "CliRun.h"
#include "Hdf5Util.h"
#include "mrcae/model/Json.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <charconv>
#include <cmath>
#include <fstream>

using namespace mrcae;
using clitest::Result;

namespace
{

/// A tiny, deterministic training run (one thread, the preset's seed).
const QStringList kTiny = {"--steps", "2,2,1", "--threads", "1", "--quiet", "--snapshots", "20"};

/// A number written the C way, read with std::from_chars (which ignores the locale); NaN for anything else.
double readNumber(const std::string& text)
{
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() ? v : std::nan("");
}

std::string jsonAttribute(const std::string& file, const char* group)
{
  H5::H5File f(file, H5F_ACC_RDONLY);
  return h5::readString(f.openGroup(group), "json");
}

std::vector<float> weights(const std::string& file, const std::string& name)
{
  H5::H5File f(file, H5F_ACC_RDONLY);
  H5::DataSet ds = f.openDataSet(name);
  std::vector<float> out(static_cast<size_t>(ds.getSpace().getSimpleExtentNpoints()));
  ds.read(out.data(), H5::PredType::NATIVE_FLOAT);
  return out;
}

} // namespace

class TestCliLocale : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  QString path(const QString& name) const { return dir.path() + "/" + name; }
  std::string spath(const QString& name) const { return path(name).toStdString(); }

  /// Runs mrcae with LC_ALL (and LANG) set to `locale`, as a user's shell would.
  Result run(const QString& locale, const QStringList& args)
  {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("LC_ALL", locale);
    env.insert("LANG", locale);
    return clitest::runMrcae(args, dir.path(), 240000, env);
  }

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(dir.isValid());
    const Result gen = run("de_DE.UTF-8", {"generate", "toy1", "-o", "toy1.h5", "--snapshots", "20"});
    QVERIFY2(gen.code == 0, qPrintable(gen.err));
  }

  void optionNumbersAreReadTheCWay()
  {
    const QStringList train = {"train", "toy1.h5", "-o", "x.mrcae.h5"};
    const Result comma = run("de_DE.UTF-8", train + QStringList{"--lr", "0,001"} + kTiny);
    QCOMPARE(comma.code, 2);
    QVERIFY2(comma.err.trimmed() == "mrcae: error: option --lr expects a number, not '0,001': use '.' as the decimal "
                                    "point (0.001, not 0,001)",
             qPrintable(comma.err));
    const Result c = run("C", train + QStringList{"--w", "0,5"} + kTiny);
    QCOMPARE(c.code, 2);
    QVERIFY2(c.err.contains("use '.' as the decimal point"), qPrintable(c.err));
  }

  void aModelTrainedUnderGermanIsTheOneTrainedUnderC()
  {
    const QStringList settings = QStringList{"--lr", "0.001", "--w", "0.1", "--tols", "0.0033,2.5e-3,1e-4"} + kTiny;
    const Result de = run("de_DE.UTF-8", QStringList{"train", "toy1.h5", "-o", "de.mrcae.h5", "--json"} + settings);
    QVERIFY2(de.code == 0, qPrintable(de.err));
    const Result c = run("C", QStringList{"train", "toy1.h5", "-o", "c.mrcae.h5", "--json"} + settings);
    QVERIFY2(c.code == 0, qPrintable(c.err));

    // --json: the settings as typed, exactly.
    const Json deOut = parseJson(de.out.toStdString(), "mrcae train --json (de_DE)");
    QCOMPARE(deOut.at("config").at("lr").get<double>(), 0.001);
    QCOMPARE(deOut.at("config").at("w").get<double>(), 0.1);
    QVERIFY(deOut.at("config").at("tols") == Json::parse("[0.0033, 0.0025, 0.0001]"));
    QCOMPARE(deOut.at("config").dump(), parseJson(c.out.toStdString(), "c").at("config").dump());

    // The file: the same configuration text and the same weights bit for bit (one thread, same seed).
    QCOMPARE(jsonAttribute(spath("de.mrcae.h5"), "config"), jsonAttribute(spath("c.mrcae.h5"), "config"));
    QCOMPARE(jsonAttribute(spath("de.mrcae.h5"), "arch"), jsonAttribute(spath("c.mrcae.h5"), "arch"));
    for (const char* w : {"/weights/L0_Conv_0/weight", "/weights/L2_deConv_3/weight", "/weights/L2_Conv_3/bias"})
    {
      QVERIFY2(weights(spath("de.mrcae.h5"), w) == weights(spath("c.mrcae.h5"), w), w);
    }

    // Read back under the other locale, each way: the same description as the writer printed.
    const Result deInC = run("C", {"info", "de.mrcae.h5", "--json"});
    QVERIFY2(deInC.code == 0, qPrintable(deInC.err));
    const Result cInDe = run("de_DE.UTF-8", {"info", "c.mrcae.h5", "--json"});
    QVERIFY2(cInDe.code == 0, qPrintable(cInDe.err));
    const Json a = parseJson(deInC.out.toStdString(), "info (C)"), b = parseJson(cInDe.out.toStdString(), "info");
    QCOMPARE(a.at("config").dump(), deOut.at("config").dump());
    QCOMPARE(b.at("config").dump(), deOut.at("config").dump());
    QCOMPARE(a.at("stages").size(), deOut.at("stages").size());
    for (size_t i = 0; i < a.at("stages").size(); ++i)
    {
      QCOMPARE(a.at("stages")[i].at("best_global_val").get<double>(),
               deOut.at("stages")[i].at("best_global_val").get<double>());
    }

    // And it resumes under German with more steps (reads the file, writes it again).
    const Result more =
        run("de_DE.UTF-8", {"resume", "de.mrcae.h5", "--more-steps", "1", "-o", "de2.mrcae.h5", "--quiet"});
    QVERIFY2(more.code == 0, qPrintable(more.err));
    QCOMPARE(jsonAttribute(spath("de2.mrcae.h5"), "config"), jsonAttribute(spath("c.mrcae.h5"), "config"));
  }

  void csvUnderGermanHasDecimalPoints()
  {
    QVERIFY(QFile::exists(path("de.mrcae.h5")));
    const Result r = run("de_DE.UTF-8", {"export", "de.mrcae.h5", "toy1.h5", "--format", "csv", "-o", "csv"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    std::ifstream in(spath("csv/curves.csv"));
    std::string line;
    std::getline(in, line); // header
    int rows = 0;
    while (std::getline(in, line))
    {
      const std::string last = line.substr(line.rfind(',') + 1);
      QVERIFY2(std::isfinite(readNumber(last)) && readNumber(last) > 0, line.c_str());
      ++rows;
    }
    QVERIFY(rows > 5);
  }

#ifdef MRCAE_WITH_PLOTS
  /// The benchmark draws its figures (a QGuiApplication, which takes the locale from the environment) and then
  /// prints its table: the table still has decimal points.
  void benchmarkTableAfterFiguresHasDecimalPoints()
  {
    const Result r = run("de_DE.UTF-8", QStringList{"benchmark", "toy1.h5", "-o", "bm", "--methods", "pr"} + kTiny);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("figures: "), qPrintable(r.out));
    int rows = 0;
    for (const QString& line : r.out.split('\n'))
    {
      const QStringList cells = line.simplified().split(' ');
      // "MrCAE (PR)", stage, level, params, ln(val err), encoding, bytes once, bytes/snapshot
      if (line.startsWith("MrCAE") && cells.size() == 9)
      {
        const std::string lnError = cells[5].toStdString();
        QVERIFY2(std::isfinite(readNumber(lnError)), qPrintable(line));
        ++rows;
      }
    }
    QVERIFY2(rows > 0, qPrintable(r.out));
  }
#endif
};

QTEST_GUILESS_MAIN(TestCliLocale)
#include "test_cli_locale.moc"
