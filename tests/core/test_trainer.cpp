// The trainer on small data: growth schedule, level clearing, best-state restore, stop, variants, determinism.
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ToyData.h"

#include "TestHelpers.h"

#include <QtTest>

#include <torch/cuda.h>

using namespace mrcae;

namespace
{

/// toy1 on few snapshots: the real sizes (127², 3 levels), small enough for seconds per run.
Dataset smallToy1(int snapshots = 20)
{
  return generateToy("toy1", snapshots, 127);
}

TrainingConfig quickConfig(std::vector<int> steps = {3, 3, 2})
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.steps = std::move(steps);
  c.threads = 1;
  c.seed = 11;
  return c;
}

class Recorder : public TrainingObserver
{
public:
  std::vector<StageRecord> stages;
  std::vector<StepRecord> steps;
  int snapshots = 0;
  std::function<void(const StepRecord&)> onStep;
  std::function<void(const StageRecord&)> onStage;
  void stepsDone(const std::vector<StepRecord>& s) override
  {
    for (const auto& r : s)
    {
      steps.push_back(r);
      if (onStep)
      {
        onStep(r);
      }
    }
  }
  void stageFinished(const StageRecord& r) override
  {
    stages.push_back(r);
    if (onStage)
    {
      onStage(r);
    }
  }
  void snapshotReady(const Snapshot&) override { ++snapshots; }
};

} // namespace

class TestTrainer : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void growsThroughTheNotebookParameterCounts()
  {
    TrainingConfig c = quickConfig();
    c.tols = {1e-12, 1e-12, 1e-12}; // nothing resolves, nothing clears
    Trainer t(smallToy1(), c);
    Recorder rec;
    t.run(&rec);
    std::vector<long long> params;
    for (const auto& s : t.stages())
    {
      params.push_back(s.params);
    }
    QCOMPARE(params, (std::vector<long long>{20, 40, 60, 80, 100, 120, 140, 160, 180, 219, 258, 297}));
    QVERIFY(t.finished());
    QCOMPARE(rec.stages.size(), size_t(12));
    QCOMPARE(t.architecture().groupChannels[2], (std::vector<int>{1, 2, 2, 2}));
    QCOMPARE(t.stages()[9].addedChannels, 2);
    QCOMPARE(t.stages()[0].unresolved, 225); // every code pixel unresolved at this tolerance
    QCOMPARE(t.stages()[4].mapPixels, 961);
    // Every stage recorded its steps in order, and the observer saw them all.
    QCOMPARE(rec.steps.size(), t.curves().size());
    QCOMPARE(t.curves().front().step, 1);
    // Size of encoding (SPEC §7.3): deepen adds the code grid, a widen adds unresolved × channels.
    QCOMPARE(t.stages()[0].encodingSize, 225LL);
    QCOMPARE(t.stages()[1].encodingSize, 225LL + 225);
    QCOMPARE(t.stages()[9].encodingSize - t.stages()[8].encodingSize, 3969LL * 2);
    // Per-level reconstructions in the final snapshot.
    Snapshot s = t.snapshot();
    QCOMPARE(s.reconstructions.size(), size_t(3));
    QCOMPARE(s.reconstructions[0].h, 31);
    QCOMPARE(s.reconstructions[2].w, 127);
    QCOMPARE(s.maps[1].size(), size_t(4));
    QCOMPARE(s.masks[2][1].h, 63);
  }

  void aClearedLevelIsNotWidened()
  {
    TrainingConfig c = quickConfig();
    c.tols = {10.0, 10.0, 10.0}; // everything resolved at once
    Trainer t(smallToy1(), c);
    t.run();
    QCOMPARE(t.stages().size(), size_t(3)); // one deepen per level, no widen
    for (const auto& s : t.stages())
    {
      QVERIFY(s.op == mrcae::StageOp::Deepen);
      QCOMPARE(s.unresolved, 0);
      QVERIFY(s.levelClear);
      // The tolerance check fires at the first check (step 1 of 3 here: cadence max(1, 3/10)).
      COMPARE_REASON(s.stopReason, StopReason::Tolerance);
      QCOMPARE(s.steps, 1);
    }
    QCOMPARE(t.architecture().params, 60LL);
  }

  void bestStateIsReallyRestored()
  {
    // A large learning rate makes the validation error go up and down, so the best step is not the last.
    TrainingConfig c = quickConfig({40, 1, 1});
    c.levels = 3;
    c.lr = 0.05;
    c.slowConvergence = 0; // never stop early: keep all 40 steps
    c.tols = {1e-12, 1e-12, 1e-12};
    c.archs = {{1}, {1}, {1}};
    Trainer t(smallToy1(), c);
    StopToken stop;
    Recorder rec;
    rec.onStage = [&](const StageRecord&) { stop.requestStop(); }; // end after stage 0, between stages
    t.run(&rec, &stop);
    QCOMPARE(t.stages().size(), size_t(1));
    const StageRecord& s = t.stages().front();
    QCOMPARE(s.steps, 40);
    COMPARE_REASON(s.stopReason, StopReason::MaxSteps);
    double best = 1e300;
    int bestStep = 0;
    for (const auto& r : t.curves())
    {
      if (r.stage == 0 && r.globalVal < best)
      {
        best = r.globalVal;
        bestStep = r.step;
      }
    }
    QVERIFY2(bestStep != 40, "the test needs a non-monotone curve");
    QVERIFY(t.curves()[39].globalVal > best);
    // Either the restored state is the best recorded step, or the final iterate (never recorded) beat it.
    if (s.bestStep > 0)
    {
      QCOMPARE(s.bestStep, bestStep);
      QVERIFY(std::abs(s.bestGlobalVal - best) <= 1e-6 * best);
    }
    else
    {
      QVERIFY(s.bestGlobalVal <= best);
    }
    // And the model really holds that state now: evaluating level 0 on the validation set gives it.
    QVERIFY(std::abs(t.evaluate()[0].val.global - s.bestGlobalVal) <= 1e-6 * best);

    // The reference's behaviour (no restore) keeps the last iterate.
    c.selectOn = BestSelection::LastIterate;
    Trainer last(smallToy1(), c);
    last.run();
    QCOMPARE(last.stages().front().bestStep, 0);
  }

  void stopFinishesTheStepAndKeepsTheBestState()
  {
    // A large learning rate makes the validation error go up and down, so the best step is rarely the last one.
    TrainingConfig c = quickConfig({50, 50, 50});
    c.lr = 0.05;
    Trainer t(smallToy1(), c);
    StopToken stop;
    Recorder rec;
    rec.onStep = [&](const StepRecord& r) {
      if (r.step == 7)
      {
        stop.requestStop();
      }
    };
    t.run(&rec, &stop);
    QCOMPARE(t.stages().size(), size_t(1));
    COMPARE_REASON(t.stages().front().stopReason, StopReason::UserStop);
    // Steps are flushed in batches, so the stop lands within a few steps of the request, never at the end.
    QVERIFY(t.stages().front().steps >= 7 && t.stages().front().steps < 50);
    QVERIFY(!t.finished());
    // The model holds the best state of the steps it took (or the final iterate, if that was better still).
    const StageRecord& s = t.stages().front();
    double best = 1e300;
    int bestStep = 0;
    for (const auto& r : t.curves())
    {
      if (r.globalVal < best)
      {
        best = r.globalVal;
        bestStep = r.step;
      }
    }
    QVERIFY(s.bestGlobalVal <= best * (1 + 1e-6));
    if (s.bestStep > 0)
    {
      QCOMPARE(s.bestStep, bestStep);
    }
    QVERIFY(std::abs(t.evaluate()[0].val.global - s.bestGlobalVal) <= 1e-6 * s.bestGlobalVal);
  }

  void weightsListEveryKernelOfEveryGroup()
  {
    TrainingConfig c = quickConfig({2, 2, 2});
    c.tols = {1e-12, 1e-12, 1e-12}; // no level clears: every stage of the schedule runs
    Trainer t(smallToy1(), c);
    t.run();
    const auto weights = t.weights();
    long long params = 0;
    int groups = 0;
    for (const auto& w : weights)
    {
      QCOMPARE(w.encoderWeight.size(), size_t(9 * w.channels));
      QCOMPARE(w.encoderBias.size(), size_t(w.channels));
      QCOMPARE(w.decoderWeight.size(), size_t(9 * w.channels));
      QCOMPARE(w.channels, t.architecture().groupChannels[w.level][w.group]);
      params += 19 * w.channels + 1; // SPEC §2.1: 10n + (9n + 1) per group
      ++groups;
    }
    QCOMPARE(params, t.architecture().params);
    QCOMPARE(groups, 12);
    // Deepen decoders start as the bilinear kernel (centre 1, SPEC §2.3): after two steps it is still near 1.
    QVERIFY(std::abs(weights.front().decoderWeight[4] - 1.0f) < 0.05f);
  }

  void reluVariantHasNoMapsAndWidensAlways()
  {
    TrainingConfig c = TrainingConfig::preset("toy1-relu");
    c.steps = {2, 2, 2};
    c.threads = 1;
    Trainer t(smallToy1(), c);
    t.run();
    QCOMPARE(t.stages().size(), size_t(12));
    QCOMPARE(t.stages().back().params, 297LL);
    for (const auto& s : t.stages())
    {
      QCOMPARE(s.unresolved, -1);
    }
    // Without maps the encoding grows by the whole grid per channel.
    QCOMPARE(t.stages()[1].encodingSize, 450LL);
  }

  void sameSeedSameRun()
  {
    TrainingConfig c = quickConfig({4, 2, 1});
    Trainer a(smallToy1(), c), b(smallToy1(), c);
    a.run();
    b.run();
    QCOMPARE(a.curves().size(), b.curves().size());
    for (size_t i = 0; i < a.curves().size(); ++i)
    {
      QCOMPARE(a.curves()[i].globalVal, b.curves()[i].globalVal);
    }
    c.seed = 12;
    Trainer other(smallToy1(), c);
    other.run();
    QVERIFY(other.curves()[0].globalVal != a.curves()[0].globalVal); // another split
  }

  void divergenceEndsTheRunWithTheBestState()
  {
    TrainingConfig c = quickConfig({30, 30, 30});
    c.lr = 1e30;
    c.adamEps = 1e-30;
    Trainer t(smallToy1(), c);
    t.run();
    QCOMPARE(t.stages().size(), size_t(1));
    COMPARE_REASON(t.stages().front().stopReason, StopReason::Diverged);
    QVERIFY(std::isfinite(t.stages().front().bestGlobalVal));
  }

  void badSettingsAreRefused()
  {
    auto refuse = [](TrainingConfig c, const QString& fragment) {
      try
      {
        Trainer t(smallToy1(8), c);
      }
      catch (const InputError& e)
      {
        QVERIFY2(QString(e.what()).contains(fragment), e.what());
        return;
      }
      QFAIL(qPrintable("accepted; expected " + fragment));
    };
    TrainingConfig c = quickConfig();
    c.archs.pop_back();
    refuse(c, "archs has 2 levels");
    c = quickConfig();
    c.tols = {1e-3};
    refuse(c, "tols has 1 values");
    c = quickConfig();
    c.archs[1] = {1, 3, 3};
    refuse(c, "increasing");
    c = quickConfig({0, 1, 1});
    refuse(c, "at least 1");
    c = quickConfig();
    c.levels = 7;
    c.archs.resize(7, {1});
    c.tols.resize(7, 1e-3);
    c.steps.resize(7, 1);
    refuse(c, "at most 6 levels");
    c = quickConfig();
    c.device = "tpu";
    refuse(c, "device");
    if (!torch::cuda::is_available())
    {
      c = quickConfig();
      c.device = "cuda";
      refuse(c, "CUDA");
    }
  }

  void cpuAndCudaAgreeOnOneStage()
  {
    if (!torch::cuda::is_available())
    {
      QSKIP("no CUDA device");
    }
    TrainingConfig c = quickConfig({20, 1, 1});
    c.archs = {{1}, {1}, {1}};
    Trainer cpu(smallToy1(), c);
    c.device = "cuda";
    Trainer gpu(smallToy1(), c);
    cpu.run();
    gpu.run();
    const double a = cpu.stages().front().bestGlobalVal, b = gpu.stages().front().bestGlobalVal;
    QVERIFY2(std::abs(a - b) <= 1e-3 * a, qPrintable(QString("cpu %1 vs cuda %2").arg(a).arg(b)));
  }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
