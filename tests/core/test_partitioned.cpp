// Partitioned training (issue 15): a dataset read from its file in batches (StreamedDataset) and a run over two
// ranks (two threads of this process, each its own rank on 127.0.0.1) against the run on the loaded dataset in
// one process. The reference values are the one-process run's, computed here; the tolerance is float32 rounding
// of sums taken in another order (1e-6 on every weight).
#include "mrcae/engine/LocalRanks.h"
#include "mrcae/engine/RankGroup.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/RankError.h"
#include "mrcae/model/StreamedDataset.h"
#include "mrcae/model/ToyData.h"

#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <thread>

using namespace mrcae;

namespace
{

/// toy1 at 63² (2 levels of c·2^L − 1 with L = 3): 40 snapshots, 28 of them for training.
Dataset smallToy1()
{
  return generateToy("toy1", 40, 63);
}

TrainingConfig config(int batch, std::vector<int> steps = {12, 8, 6})
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.steps = std::move(steps);
  c.batch = batch;
  c.threads = 1;
  c.seed = 5;
  return c;
}

/// Largest |a − b| over every weight and bias of two runs with the same architecture.
double weightDifference(const std::vector<GroupWeights>& a, const std::vector<GroupWeights>& b)
{
  if (a.size() != b.size())
  {
    return INFINITY;
  }
  double worst = 0;
  auto compare = [&](const std::vector<float>& x, const std::vector<float>& y) {
    if (x.size() != y.size())
    {
      worst = INFINITY;
      return;
    }
    for (size_t i = 0; i < x.size(); ++i)
    {
      worst = std::max(worst, static_cast<double>(std::abs(x[i] - y[i])));
    }
  };
  for (size_t g = 0; g < a.size(); ++g)
  {
    compare(a[g].encoderWeight, b[g].encoderWeight);
    compare(a[g].encoderBias, b[g].encoderBias);
    compare(a[g].decoderWeight, b[g].decoderWeight);
    compare({a[g].decoderBias}, {b[g].decoderBias});
  }
  return worst;
}

/// Every decision of two runs is the same: steps, stop reasons, best steps, resolved-map counts.
void expectSameDecisions(const std::vector<StageRecord>& a, const std::vector<StageRecord>& b)
{
  QCOMPARE(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
  {
    QCOMPARE(a[i].steps, b[i].steps);
    COMPARE_REASON(a[i].stopReason, b[i].stopReason);
    QCOMPARE(a[i].bestStep, b[i].bestStep);
    QCOMPARE(a[i].unresolved, b[i].unresolved);
    QCOMPARE(a[i].levelClear, b[i].levelClear);
    QVERIFY(std::abs(a[i].bestGlobalVal - b[i].bestGlobalVal) <= 1e-6 * std::max(1.0, std::abs(a[i].bestGlobalVal)));
  }
}

void expectCloseEvaluations(const std::vector<LevelEvaluation>& a, const std::vector<LevelEvaluation>& b)
{
  QCOMPARE(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k)
  {
    for (auto [x, y] : {std::pair{a[k].train, b[k].train}, {a[k].val, b[k].val}, {a[k].test, b[k].test}})
    {
      QVERIFY2(std::abs(x.global - y.global) <= 1e-6 * std::max(1e-3, std::abs(x.global)),
               qPrintable(QString("level %1: global error %2 vs %3").arg(k).arg(x.global).arg(y.global)));
      QVERIFY(std::abs(x.localMax - y.localMax) <= 1e-6 * std::max(1e-3, std::abs(x.localMax)));
    }
  }
}

/// The weights after every stage (the observer sees the record when the best state is restored and the map set).
class StageWeights : public TrainingObserver
{
public:
  const Trainer* trainer = nullptr;
  std::vector<std::vector<GroupWeights>> perStage;
  void stageFinished(const StageRecord&) override { perStage.push_back(trainer->weights()); }
};

/// Rank `rank` of a group of two on 127.0.0.1:`port`.
RankSetup rankOfTwo(int rank, int port, double timeoutSeconds)
{
  RankSetup setup;
  setup.rank = rank;
  setup.worldSize = 2;
  setup.masterPort = port;
  setup.timeoutSeconds = timeoutSeconds;
  return setup;
}

} // namespace

class TestPartitioned : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  /// The streamed run with the same minibatch order gives the loaded run's weights and decisions: training
  /// batches read from the file (ahead, in the background), every evaluation read in chunks of 3 snapshots.
  void streamedEqualsLoaded()
  {
    const Dataset data = smallToy1();
    const std::string path = file("small.h5");
    writeDataset(data, path);
    const TrainingConfig c = config(8);

    Trainer loaded(readDataset(path), c);
    loaded.run();

    auto stream = std::make_shared<const StreamedDataset>(path, ReadOptions{}, c.levels, SizePolicy::Strict);
    QCOMPARE(stream->contentHash(), readDataset(path).contentHash()); // the full load's hash, from one pass
    StreamOptions options;
    options.evaluationChunk = 3;
    Trainer streamed(stream, c, nullptr, options);
    QVERIFY(streamed.streamed());
    QCOMPARE(streamed.split().train, loaded.split().train);
    streamed.run();

    expectSameDecisions(loaded.stages(), streamed.stages());
    const double diff = weightDifference(loaded.weights(), streamed.weights());
    QVERIFY2(diff <= 1e-6, qPrintable(QString("weights differ by %1").arg(diff)));
    expectCloseEvaluations(loaded.evaluate(), streamed.evaluate());
    // Every training batch but each stage's first was read while the step before computed.
    const StreamStatistics s = streamed.streamStatistics();
    long long steps = 0;
    for (const auto& r : streamed.stages())
    {
      steps += r.steps;
    }
    QCOMPARE(s.readAhead + s.readInStep, steps);
    QVERIFY2(s.readAhead >= steps - 2 * static_cast<long long>(streamed.stages().size()),
             qPrintable(QString("%1 of %2 batches read ahead").arg(s.readAhead).arg(steps)));

    // The model file of the streamed run names the data by the full load's hash and reopens on it.
    streamed.save(file("streamed.mrcae.h5"));
    QCOMPARE(ModelFile::summary(file("streamed.mrcae.h5")).dataHash, data.contentHash());
    Trainer reopened = Trainer::fromModelFile(file("streamed.mrcae.h5"), readDataset(path));
    QCOMPARE(weightDifference(reopened.weights(), streamed.weights()), 0.0);
  }

  /// A file whose values are not in [0,1] is scaled as the full load scales it, a crop as Dataset::conformed.
  void streamedScalesAndCropsAsTheFullLoad()
  {
    Dataset raw = generateToy("toy2", 12, 66);
    for (float& v : raw.field.data)
    {
      v = 280.0f + 30.0f * v; // kelvin-like values
    }
    raw.originalMin = 0;
    raw.originalMax = 1;
    const std::string path = file("kelvin.h5");
    writeDataset(raw, path);
    const Dataset full = readDataset(path).conformed(3, SizePolicy::Crop);
    StreamedDataset stream(path, ReadOptions{}, 3, SizePolicy::Crop);
    QCOMPARE(stream.metadata().field.h, full.field.h);
    QCOMPARE(stream.metadata().cropTop, full.cropTop);
    QCOMPARE(stream.metadata().originalMin, full.originalMin);
    QCOMPARE(stream.metadata().originalMax, full.originalMax);
    QCOMPARE(stream.contentHash(), full.contentHash());
    std::vector<float> two(2 * full.field.frameSize());
    stream.read({7, 2}, two.data());
    QVERIFY(std::equal(two.begin(), two.begin() + full.field.frameSize(), full.field.frame(7)));
    QVERIFY(std::equal(two.begin() + full.field.frameSize(), two.end(), full.field.frame(2)));
  }

  /// Not even one snapshot at a time fits: refused with the batch that would.
  void streamedRefusesWhatCannotFit()
  {
    const std::string path = file("small.h5");
    writeDataset(smallToy1(), path);
    TrainingConfig c = config(20);
    c.memoryLimitGb = 0.001; // 1 MB, less than the process already holds
    auto stream = std::make_shared<const StreamedDataset>(path, ReadOptions{}, c.levels, SizePolicy::Strict);
    testing::expectInputError([&] { Trainer t(stream, c); }, "training from the file needs");
  }

  /// Two ranks (threads here) on 127.0.0.1: the same parameters on both after every stage, within 1e-6 of one
  /// process on the whole batch, the same decisions, and a model file that reads back as rank 0's run.
  void twoRanksAgreeWithOneProcess()
  {
    QVERIFY(distributedAvailable());
    const TrainingConfig c = config(1000, {10, 8, 6}); // full batch
    Trainer single(smallToy1(), c);
    single.run();
    const std::string singleFile = file("single.mrcae.h5");
    single.save(singleFile);

    const int port = LocalRanks::freePort();
    std::vector<StageWeights> observed(2);
    std::vector<std::vector<StageRecord>> stages(2);
    std::vector<std::vector<LevelEvaluation>> evaluations(2);
    std::vector<std::vector<GroupWeights>> finalWeights(2);
    std::vector<std::string> errors(2);
    auto rank = [&](int r) {
      try
      {
        Trainer t(smallToy1(), c, RankGroup::join(rankOfTwo(r, port, 30)));
        observed[r].trainer = &t;
        t.run(&observed[r]);
        stages[r] = t.stages();
        evaluations[r] = t.evaluate(); // collective: both ranks call it
        finalWeights[r] = t.weights();
        if (r == 0)
        {
          t.save(file("ranks.mrcae.h5"));
        }
      }
      catch (const std::exception& e)
      {
        errors[r] = e.what();
      }
    };
    std::thread other(rank, 1);
    rank(0);
    other.join();
    QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + " / " + errors[1]).c_str());

    QCOMPARE(observed[0].perStage.size(), single.stages().size());
    QCOMPARE(observed[1].perStage.size(), single.stages().size());
    for (size_t s = 0; s < observed[0].perStage.size(); ++s)
    {
      QVERIFY2(weightDifference(observed[0].perStage[s], observed[1].perStage[s]) == 0.0,
               qPrintable(QString("the ranks' parameters differ after stage %1").arg(s)));
    }
    expectSameDecisions(single.stages(), stages[0]);
    expectSameDecisions(stages[0], stages[1]);
    const double diff = weightDifference(single.weights(), finalWeights[0]);
    QVERIFY2(diff <= 1e-6, qPrintable(QString("two ranks differ from one process by %1").arg(diff)));
    expectCloseEvaluations(single.evaluate(), evaluations[0]);
    expectCloseEvaluations(evaluations[0], evaluations[1]);

    // The model file: rank 0's run, the same layout and data as the one-process file.
    const ModelSummary a = ModelFile::summary(singleFile), b = ModelFile::summary(file("ranks.mrcae.h5"));
    QCOMPARE(b.dataHash, a.dataHash);
    QCOMPARE(b.architecture.groupChannels, a.architecture.groupChannels);
    QCOMPARE(b.curvePoints, a.curvePoints);
    QCOMPARE(b.hasOptimizer, a.hasOptimizer);
    Trainer reread = Trainer::fromModelFile(file("ranks.mrcae.h5"), smallToy1());
    QCOMPARE(weightDifference(reread.weights(), finalWeights[0]), 0.0);
  }

  /// A minibatch run over two ranks draws the same batches as one process (every rank the same generator).
  void twoRanksWithMinibatches()
  {
    const TrainingConfig c = config(9, {8, 6, 4});
    Trainer single(smallToy1(), c);
    single.run();
    const int port = LocalRanks::freePort();
    std::vector<std::vector<GroupWeights>> weights(2);
    std::vector<std::vector<StageRecord>> stages(2);
    std::vector<std::string> errors(2);
    auto rank = [&](int r) {
      try
      {
        Trainer t(smallToy1(), c, RankGroup::join(rankOfTwo(r, port, 30)));
        t.run();
        weights[r] = t.weights();
        stages[r] = t.stages();
      }
      catch (const std::exception& e)
      {
        errors[r] = e.what();
      }
    };
    std::thread other(rank, 1);
    rank(0);
    other.join();
    QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + " / " + errors[1]).c_str());
    QCOMPARE(weightDifference(weights[0], weights[1]), 0.0);
    expectSameDecisions(single.stages(), stages[0]);
    const double diff = weightDifference(single.weights(), weights[0]);
    QVERIFY2(diff <= 1e-6, qPrintable(QString("two ranks differ from one process by %1").arg(diff)));
  }

  /// A rank that never arrives: the one that did ends within its timeout, naming the missing rank.
  void aRankThatNeverArrivesIsNamed()
  {
    try
    {
      RankGroup::join(rankOfTwo(0, LocalRanks::freePort(), 2));
      QFAIL("joined a group of two alone");
    }
    catch (const RankError& e)
    {
      const QString message = QString::fromStdString(e.what());
      QCOMPARE(e.lostRank(), 1);
      QVERIFY2(message.contains("rank 1 did not arrive"), qPrintable(message));
      QVERIFY(!message.contains('\n'));
    }
  }

private:
  std::string file(const char* name) const { return dir_.filePath(name).toStdString(); }

  QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestPartitioned)
#include "test_partitioned.moc"
