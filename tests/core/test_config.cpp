// Training settings: the paper's presets against the table of SPEC.md §5, and the JSON form that model files and
// preset files use.
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/TrainingConfig.h"

#include <QtTest>

using namespace mrcae;

namespace
{

// Typed in from SPEC.md §5, not from resources/presets.
const std::vector<std::vector<int>> kToyArchs = {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 3, 5, 7}};
const std::vector<std::vector<int>> kArchA = {{1, 2, 3, 4, 5}, {1, 3, 5, 7, 9}, {1, 4, 7, 10, 13}, {1, 6, 11, 16, 21}};

} // namespace

class TestConfig : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void presetsAreThePapersRuns()
  {
    const TrainingConfig toy1 = TrainingConfig::preset("toy1");
    QCOMPARE(toy1.levels, 3);
    QVERIFY(toy1.archs == kToyArchs);
    QVERIFY((toy1.tols == std::vector<double>{1e-3, 5e-4, 1e-4}));
    QVERIFY((toy1.steps == std::vector<int>{5000, 5000, 5000}));
    QCOMPARE(toy1.batch, 350);
    QVERIFY(toy1.activation == Activation::Identity);
    QVERIFY(toy1.useMaps());

    const TrainingConfig toy2 = TrainingConfig::preset("toy2");
    QVERIFY(toy2.archs == kToyArchs);
    QVERIFY(toy2.tols == toy1.tols);

    for (const char* name : {"isotropic", "sst"})
    {
      const TrainingConfig c = TrainingConfig::preset(name);
      QCOMPARE(c.levels, 4);
      QVERIFY(c.archs == kArchA);
      QVERIFY((c.tols == std::vector<double>{0.04, 0.02, 0.01, 0.005}));
      QVERIFY((c.steps == std::vector<int>{4000, 4000, 4000, 4000}));
      QCOMPARE(c.batch, 350);
    }
    const TrainingConfig channel = TrainingConfig::preset("channel");
    QVERIFY(channel.archs == kArchA);
    QVERIFY((channel.tols == std::vector<double>{0.02, 0.01, 0.008, 0.005}));

    // Defaults every run shares (SPEC §4.3, §2.3).
    for (const std::string& name : TrainingConfig::presetNames())
    {
      const TrainingConfig c = TrainingConfig::preset(name);
      QCOMPARE(c.presetName, name);
      QCOMPARE(c.lr, 1e-3);
      QCOMPARE(c.adamEps, 1e-3);
      QCOMPARE(c.weightDecay, 1e-5);
      QCOMPARE(c.initStd, 0.01);
      c.validate();
    }
  }

  void reluVariantsAreTheBenchmarkSettings()
  {
    const TrainingConfig toy = TrainingConfig::preset("toy1-relu");
    QVERIFY(toy.activation == Activation::ReLU);
    QVERIFY(!toy.useMaps());
    QVERIFY(toy.archs == kToyArchs);
    QVERIFY((toy.steps == std::vector<int>{5000, 5000, 5000}));
    // JHTDB benchmarks: max_epoch 3000; SST: 5000 steps, batch 315, w = 0.9 (SPEC §5, baseline settings).
    QVERIFY((TrainingConfig::preset("channel-relu").steps == std::vector<int>{3000, 3000, 3000, 3000}));
    QVERIFY((TrainingConfig::preset("isotropic-relu").steps == std::vector<int>{3000, 3000, 3000, 3000}));
    const TrainingConfig sst = TrainingConfig::preset("sst-relu");
    QCOMPARE(sst.w, 0.9);
    QCOMPARE(sst.batch, 315);
    QVERIFY((sst.steps == std::vector<int>{5000, 5000, 5000, 5000}));
    QCOMPARE(TrainingConfig::preset("sst").w, 0.5);
  }

  void presetNamesComeInThePapersOrder()
  {
    const std::vector<std::string> expected = {"toy1",           "toy1-relu", "toy2",         "toy2-relu", "isotropic",
                                               "isotropic-relu", "channel",   "channel-relu", "sst",       "sst-relu"};
    QVERIFY(TrainingConfig::presetNames() == expected);
    QVERIFY_THROWS_EXCEPTION(InputError, TrainingConfig::preset("toy9"));
  }

  void jsonRoundTripsEverySetting()
  {
    TrainingConfig c = TrainingConfig::preset("channel-relu");
    c.seed = 42;
    c.threads = 3;
    c.selectOn = BestSelection::LocalVal;
    c.landMask = LandMaskMode::Consistent;
    c.slowConvergence = 2e-3;
    const TrainingConfig back = TrainingConfig::fromJson(Json::parse(c.toJson().dump()));
    QCOMPARE(back.toJson().dump(), c.toJson().dump());
  }

  void unknownAndMissingKeysAreRefused()
  {
    Json j = TrainingConfig::preset("toy1").toJson();
    j["learning_rate"] = 0.1; // a typo of "lr"
    QVERIFY_THROWS_EXCEPTION(InputError, TrainingConfig::fromJson(j));

    TrainingConfig partial;
    partial.apply(Json::parse(R"({"w": 0.25, "steps": [7]})"));
    QCOMPARE(partial.w, 0.25);
    QVERIFY(partial.steps == std::vector<int>{7});
    QVERIFY_THROWS_EXCEPTION(InputError, TrainingConfig::fromJson(Json::parse(R"({"w": 0.25})")));
  }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
