// A model saved under a German locale (decimal comma in the C library, as in the GUI of a German user) reads back
// bit for bit under "C", and the reverse; the same run writes the same file in both (issue 12).
#include "Hdf5Util.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include "LocaleScope.h"
#include "ModelFileContents.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace mrcae;

namespace
{

/// Settings whose numbers have no short decimal form, so that any rounding or ',' would show.
TrainingConfig awkwardConfig()
{
  TrainingConfig c = TrainingConfig::preset("toy2");
  c.steps = {4, 3, 2};
  c.tols = {1.0 / 3.0 * 1e-2, 2.5e-3, 0.1 + 0.2 - 0.29};
  c.lr = 1e-3 / 3.0;
  c.adamEps = 1e-3 + 1e-17 * 3;
  c.w = 0.1;
  c.initStd = 0.01 * (1.0 + 1e-15);
  c.trainFraction = 0.7;
  c.valFraction = 0.2;
  c.threads = 1;
  c.seed = 18446744073709551557ull; // the largest 64-bit prime: a double would lose its last bits
  return c;
}

bool sameBits(double a, double b)
{
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

/// Every number of the configuration, bit for bit.
void expectSameConfig(const TrainingConfig& a, const TrainingConfig& b)
{
  QCOMPARE(a.levels, b.levels);
  QCOMPARE(a.archs, b.archs);
  QCOMPARE(a.steps, b.steps);
  QCOMPARE(a.tols.size(), b.tols.size());
  for (size_t i = 0; i < a.tols.size(); ++i)
  {
    QVERIFY(sameBits(a.tols[i], b.tols[i]));
  }
  for (auto [x, y] : {std::pair{a.lr, b.lr},
                      {a.adamEps, b.adamEps},
                      {a.weightDecay, b.weightDecay},
                      {a.w, b.w},
                      {a.initStd, b.initStd},
                      {a.trainFraction, b.trainFraction},
                      {a.valFraction, b.valFraction},
                      {a.slowConvergence, b.slowConvergence}})
  {
    QVERIFY2(sameBits(x, y), qPrintable(QString("%1 != %2").arg(x, 0, 'g', 17).arg(y, 0, 'g', 17)));
  }
  QCOMPARE(a.seed, b.seed);
  QCOMPARE(a.batch, b.batch);
}

/// The stage records, every field (JSON text of a record compares them all, doubles in shortest exact form).
void expectSameHistory(const std::vector<StageRecord>& a, const std::vector<StageRecord>& b)
{
  QCOMPARE(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
  {
    QCOMPARE(toJson(b[i]).dump(), toJson(a[i]).dump());
    QVERIFY(sameBits(a[i].bestGlobalVal, b[i].bestGlobalVal) && sameBits(a[i].seconds, b[i].seconds));
  }
}

/// The weights, maps, curves and optimizer state of two files, value for value.
void expectSameDatasets(const std::string& fileA, const std::string& fileB)
{
  const std::vector<std::string> groups = {"/weights", "/maps", "/history", "/optimizer"};
  const testing::Datasets a = testing::datasetsOf(fileA, groups), b = testing::datasetsOf(fileB, groups);
  QCOMPARE(a.size(), b.size());
  QVERIFY(a.count("/weights/L0_Conv_0/weight") == 1);
  for (const auto& [name, values] : a)
  {
    QVERIFY2(b.count(name) && b.at(name) == values, name.c_str());
  }
}

std::string configAttribute(const std::string& file)
{
  H5::H5File f(file, H5F_ACC_RDONLY);
  return h5::readString(f.openGroup("config"), "json");
}

} // namespace

class TestLocaleModel : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  Dataset data = generateToy("toy2", 20, 63);
  std::string path(const std::string& name) const { return dir.path().toStdString() + "/" + name; }

  /// Trains the awkward configuration and saves it, all under `locale`.
  Trainer trainAndSave(const char* locale, const std::string& file)
  {
    testing::LocaleScope scope(locale);
    [&] { QVERIFY2(scope.active(), locale); }();
    Trainer t(data, awkwardConfig());
    t.run();
    t.save(file);
    return t;
  }

  /// Loads `file` under `locale` and checks it against the run it was saved from, bit for bit.
  void expectReadsBack(const char* locale, const std::string& file, const Trainer& saved)
  {
    testing::LocaleScope scope(locale);
    QVERIFY2(scope.active(), locale);
    const ModelSummary s = ModelFile::summary(file);
    expectSameConfig(s.config, saved.config());
    expectSameConfig(s.config, awkwardConfig());
    expectSameHistory(s.stages, saved.stages());
    Trainer r = Trainer::fromModelFile(file, data);
    expectSameConfig(r.config(), saved.config());
    expectSameHistory(r.stages(), saved.stages());
    QCOMPARE(r.curves().size(), saved.curves().size());
    for (size_t i = 0; i < r.curves().size(); ++i)
    {
      QVERIFY(sameBits(r.curves()[i].globalVal, saved.curves()[i].globalVal));
      QVERIFY(sameBits(r.curves()[i].localTrain, saved.curves()[i].localTrain));
    }
    QVERIFY(r.snapshot({0, 9, 19}).reconstructions.back().data ==
            saved.snapshot({0, 9, 19}).reconstructions.back().data);
    // And it saves again to the same weights and history, in this locale.
    r.save(file + ".again.h5");
    expectSameDatasets(file, file + ".again.h5");
  }

private Q_SLOTS:
  void initTestCase()
  {
    ENTER_LOCALE_DE(check); // fails here, once, when de_DE.UTF-8 is not installed
  }

  void savedUnderGermanReadsBackUnderC()
  {
    const Trainer saved = trainAndSave("de_DE.UTF-8", path("de.mrcae.h5"));
    const std::string json = configAttribute(path("de.mrcae.h5"));
    // Keys are sorted. Under de_DE, printf would have written 0,7 and 0,1.
    QVERIFY2(json.find("\"train_fraction\":0.7,\"val_fraction\":0.2,\"w\":0.1,") != std::string::npos, json.c_str());
    expectReadsBack("C", path("de.mrcae.h5"), saved);
  }

  void savedUnderCReadsBackUnderGerman()
  {
    const Trainer saved = trainAndSave("C", path("c.mrcae.h5"));
    expectReadsBack("de_DE.UTF-8", path("c.mrcae.h5"), saved);
  }

  void theSameRunWritesTheSameFileInEveryLocale()
  {
    const std::string de = path("de.mrcae.h5"), c = path("c.mrcae.h5");
    QVERIFY(QFile::exists(QString::fromStdString(de)) && QFile::exists(QString::fromStdString(c)));
    QCOMPARE(configAttribute(de), configAttribute(c));
    expectSameDatasets(de, c);
  }
};

QTEST_GUILESS_MAIN(TestLocaleModel)
#include "test_locale_model.moc"
