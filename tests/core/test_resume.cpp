// Resume: a stage stopped mid-way goes on exactly where it stopped (in memory and through /optimizer), so
// stop-then-resume equals an uninterrupted run bit for bit; extra steps for the last stage; files without
// /optimizer start the next stage; an /optimizer group that does not fit is refused.
#include "Hdf5Util.h"
#include "StoppingRule.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"

#include "ModelFileContents.h"
#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <map>

using namespace mrcae;
using testing::expectInputError;

namespace
{

/// toy1 at its real size on 20 snapshots: 14 train snapshots, so a batch of 8 makes the sampler matter.
Dataset smallToy1()
{
  return generateToy("toy1", 20, 127);
}

/// Three levels, four stages each; budgets whose checks (K = 2, 1, 1) and slow-convergence averages run
/// well before the stops below.
TrainingConfig resumeConfig(int batch, double lr = 1e-3)
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.steps = {20, 12, 6};
  c.tols = {1e-12, 1e-12, 1e-12}; // nothing resolves: every stage runs, none ends on tolerance
  c.batch = batch;
  c.lr = lr;
  c.threads = 1;
  c.seed = 3;
  return c;
}

/// Asks for a stop at the first recorded step at or after `step` of `stage`; it lands on that flush's last
/// step (flushes come at every check, here every one or two steps).
class StopAt : public TrainingObserver
{
public:
  StopAt(StopToken& token, int stage, int step) : token_(token), stage_(stage), step_(step) {}
  void stepsDone(const std::vector<StepRecord>& steps) override
  {
    for (const auto& r : steps)
    {
      if (r.stage == stage_ && r.step >= step_)
      {
        token_.requestStop();
      }
    }
  }

private:
  StopToken& token_;
  int stage_, step_;
};

class StopAfterStage : public TrainingObserver
{
public:
  StopAfterStage(StopToken& token, int stage) : token_(token), stage_(stage) {}
  void stageFinished(const StageRecord& r) override
  {
    if (r.stage == stage_)
    {
      token_.requestStop();
    }
  }

private:
  StopToken& token_;
  int stage_;
};

bool sameStep(const StepRecord& a, const StepRecord& b)
{
  return a.stage == b.stage && a.level == b.level && a.group == b.group && a.step == b.step &&
         a.localTrain == b.localTrain && a.localVal == b.localVal && a.globalTrain == b.globalTrain &&
         a.globalVal == b.globalVal;
}

/// Every field but the seconds.
bool sameStage(const StageRecord& a, const StageRecord& b)
{
  return a.stage == b.stage && a.level == b.level && a.group == b.group && a.op == b.op &&
         a.addedChannels == b.addedChannels && a.params == b.params && a.steps == b.steps && a.bestStep == b.bestStep &&
         a.stopReason == b.stopReason && a.bestGlobalVal == b.bestGlobalVal && a.unresolved == b.unresolved &&
         a.dilated == b.dilated && a.mapPixels == b.mapPixels && a.levelClear == b.levelClear &&
         a.encodingSize == b.encodingSize;
}

/// `prefix`'s curves are the first curves of `full`, exactly.
void expectCurvePrefix(const std::vector<StepRecord>& prefix, const std::vector<StepRecord>& full)
{
  QVERIFY(prefix.size() <= full.size());
  for (size_t i = 0; i < prefix.size(); ++i)
  {
    QVERIFY2(
        sameStep(prefix[i], full[i]),
        qPrintable(QString("curve point %1 (stage %2 step %3) differs").arg(i).arg(full[i].stage).arg(full[i].step)));
  }
}

/// A step at which a stop lands inside `stage` of the uninterrupted run `a`: at most `wanted`, before the stage's
/// last step, and a check step (a stop requested between checks lands on the next flush, at the next check).
int midStage(const Trainer& a, int stage, int wanted)
{
  const StageRecord& s = a.stages().at(stage);
  const int every = std::max(1, a.config().steps[s.level] / 10);
  return std::min(wanted, s.steps - 1) / every * every;
}

} // namespace

class TestResume : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  Dataset data = smallToy1();
  std::map<std::pair<int, double>, std::unique_ptr<Trainer>> uninterrupted; // by batch size and lr

  std::string path(const std::string& name) const { return dir.path().toStdString() + "/" + name; }

  const Trainer& uninterruptedRun(int batch, double lr = 1e-3)
  {
    auto& t = uninterrupted[{batch, lr}];
    if (!t)
    {
      t = std::make_unique<Trainer>(data, resumeConfig(batch, lr));
      t->run();
    }
    return *t;
  }

  /// Curves, stage records (but seconds), reconstructions, maps, masks, errors and every saved dataset of the
  /// weights, maps, curves and optimizer state: all identical.
  void expectSameRun(const Trainer& a, const Trainer& b)
  {
    QCOMPARE(b.curves().size(), a.curves().size());
    expectCurvePrefix(b.curves(), a.curves());
    QCOMPARE(b.stages().size(), a.stages().size());
    for (size_t i = 0; i < a.stages().size(); ++i)
    {
      QVERIFY2(sameStage(a.stages()[i], b.stages()[i]), qPrintable(QString("stage %1 differs").arg(i)));
    }
    QCOMPARE(b.finished(), a.finished());
    const std::vector<int> shown = {0, 5, 13, 19};
    Snapshot sa = a.snapshot(shown), sb = b.snapshot(shown);
    QCOMPARE(sb.reconstructions.size(), sa.reconstructions.size());
    for (size_t k = 0; k < sa.reconstructions.size(); ++k)
    {
      QVERIFY2(sa.reconstructions[k].data == sb.reconstructions[k].data,
               qPrintable(QString("level %1 reconstructions differ").arg(k)));
      QCOMPARE(sb.maps[k].size(), sa.maps[k].size());
      for (size_t g = 0; g < sa.maps[k].size(); ++g)
      {
        QVERIFY(sa.maps[k][g].data == sb.maps[k][g].data);
      }
      for (size_t g = 1; g < sa.masks[k].size(); ++g)
      {
        QVERIFY(sa.masks[k][g].data == sb.masks[k][g].data);
      }
    }
    const auto ea = a.evaluate(), eb = b.evaluate();
    for (size_t k = 0; k < ea.size(); ++k)
    {
      QVERIFY(ea[k].test.global == eb[k].test.global && ea[k].train.local == eb[k].train.local);
    }
    a.save(path("compare-a.mrcae.h5"));
    b.save(path("compare-b.mrcae.h5"));
    const std::vector<std::string> groups = {"/weights", "/maps", "/history", "/optimizer"};
    const testing::Datasets fa = testing::datasetsOf(path("compare-a.mrcae.h5"), groups);
    const testing::Datasets fb = testing::datasetsOf(path("compare-b.mrcae.h5"), groups);
    QVERIFY(fa.count("/weights/L2_Conv_3/weight") && fa.count("/optimizer/adam/L2_deConv_3/bias/exp_avg_sq"));
    for (const auto& [name, values] : fa)
    {
      QVERIFY2(fb.count(name) && fb.at(name) == values, qPrintable(QString::fromStdString(name) + " differs"));
    }
    QCOMPARE(fb.size(), fa.size());
  }

  /// Stops `t` at (stage, step), checks that the stage is open, and (viaFile) saves and reopens it.
  void stopAt(std::unique_ptr<Trainer>& t, int stage, int step, bool viaFile)
  {
    const ResumePoint from = t->resumePoint();
    const int limit = from.continuesStage && from.stage == stage ? from.maxSteps : 0;
    StopToken stop;
    StopAt observer(stop, stage, step);
    t->run(&observer, &stop);
    QCOMPARE(int(t->stages().size()), stage + 1);
    const StageRecord& last = t->stages().back();
    COMPARE_REASON(last.stopReason, StopReason::UserStop);
    const int maxSteps = limit > 0 ? limit : t->config().steps[last.level];
    QVERIFY2(last.steps >= step && last.steps < maxSteps, "the stop must land mid-stage");
    QVERIFY(!t->finished());
    ResumePoint p = t->resumePoint();
    QVERIFY(p.continuesStage);
    QCOMPARE(p.stage, stage);
    QCOMPARE(p.fromStep, last.steps);
    QCOMPARE(p.maxSteps, maxSteps);
    if (viaFile)
    {
      const std::string file = path("stopped.mrcae.h5");
      t->save(file);
      QVERIFY(ModelFile::summary(file).hasOptimizer);
      t = std::make_unique<Trainer>(Trainer::fromModelFile(file, data));
      QVERIFY(t->hasStageState());
      QVERIFY(t->resumePoint().continuesStage);
      QCOMPARE(t->resumePoint().fromStep, p.fromStep);
      COMPARE_REASON(t->stages().back().stopReason, StopReason::UserStop);
    }
  }

private Q_SLOTS:
  void stopThenRunEqualsAnUninterruptedRun_data()
  {
    QTest::addColumn<int>("batch");
    QTest::addColumn<double>("lr");
    QTest::addColumn<bool>("viaFile");
    QTest::newRow("sampled batch, in memory") << 8 << 1e-3 << false;
    QTest::newRow("sampled batch, through the file") << 8 << 1e-3 << true;
    QTest::newRow("full batch, in memory") << 350 << 1e-3 << false;
    QTest::newRow("full batch, through the file") << 350 << 1e-3 << true;
    // Validation errors that go up and down: the best state kept before the stop is restored at the end.
    QTest::newRow("larger steps, through the file") << 8 << 0.01 << true;
  }

  void stopThenRunEqualsAnUninterruptedRun()
  {
    QFETCH(int, batch);
    QFETCH(double, lr);
    QFETCH(bool, viaFile);
    const Trainer& a = uninterruptedRun(batch, lr);
    QCOMPARE(a.stages().size(), size_t(12));
    QVERIFY(a.finished());

    auto b = std::make_unique<Trainer>(data, resumeConfig(batch, lr));
    // Stage 0 after its slow-convergence average started (checks every 2 steps after step 10), then a widen
    // of level 1 (the level-0 parameters keep moving under weight decay there), then the last stage.
    for (auto [stage, wanted] : {std::pair<int, int>{0, 12}, {5, 7}, {11, 3}})
    {
      const int step = midStage(a, stage, wanted);
      QVERIFY2(step >= 1, "the uninterrupted stage is too short to stop in");
      stopAt(b, stage, step, viaFile);
      if (QTest::currentTestFailed())
      {
        return;
      }
      QCOMPARE(b->stages().back().steps, step);
      expectCurvePrefix(b->curves(), a.curves());
    }
    b->run();
    QVERIFY(b->finished());
    expectSameRun(a, *b);
  }

  void stageBoundaryThroughTheFileEqualsAnUninterruptedRun()
  {
    const Trainer& a = uninterruptedRun(8);
    Trainer b(data, resumeConfig(8));
    StopToken stop;
    StopAfterStage observer(stop, 5);
    b.run(&observer, &stop);
    QCOMPARE(b.stages().size(), size_t(6));
    QVERIFY(!b.resumePoint().continuesStage); // the stage ended on its own: the schedule goes on
    b.save(path("boundary.mrcae.h5"));
    Trainer c = Trainer::fromModelFile(path("boundary.mrcae.h5"), data);
    QCOMPARE(c.resumePoint().stage, 6);
    c.run();
    expectSameRun(a, c);
  }

  void fileWithoutOptimizerStartsTheNextStage()
  {
    auto b = std::make_unique<Trainer>(data, resumeConfig(8));
    stopAt(b, 1, 9, false);
    const int stoppedAt = b->stages().back().steps;
    const std::string file = path("old-style.mrcae.h5");
    b->save(file);
    {
      H5::H5File f(file, H5F_ACC_RDWR);
      f.unlink("optimizer");
    }
    QVERIFY(!ModelFile::summary(file).hasOptimizer);
    Trainer c = Trainer::fromModelFile(file, data);
    QVERIFY(!c.hasStageState());
    ResumePoint p = c.resumePoint();
    QVERIFY(!p.continuesStage);
    QCOMPARE(p.stage, 2);
    QCOMPARE(p.fromStep, 0);
    QVERIFY(!c.finished());
    expectInputError([&] { c.extendLastStage(10); }, "/optimizer");
    c.run();
    QVERIFY(c.finished());
    QCOMPARE(c.stages().size(), size_t(12));
    COMPARE_REASON(c.stages()[1].stopReason, StopReason::UserStop);
    QCOMPARE(c.stages()[1].steps, stoppedAt);
    QCOMPARE(c.stages()[2].stage, 2);
    // The stopped stage's curve ends where it stopped; the next one starts at step 1.
    int lastOfStage1 = 0;
    for (const auto& r : c.curves())
    {
      lastOfStage1 = r.stage == 1 ? r.step : lastOfStage1;
    }
    QCOMPARE(lastOfStage1, stoppedAt);
  }

  void moreStepsOnTheLastStage()
  {
    TrainingConfig cfg = resumeConfig(8);
    Trainer a(data, cfg);
    a.run();
    QVERIFY(a.finished());
    const StageRecord before = a.stages().back();
    COMPARE_REASON(before.stopReason, StopReason::MaxSteps);
    const std::vector<StepRecord> curvesBefore = a.curves();
    a.save(path("finished.mrcae.h5"));

    expectInputError([&] { a.extendLastStage(0); }, "at least 1");
    a.extendLastStage(5);
    QVERIFY(!a.finished());
    ResumePoint p = a.resumePoint();
    QVERIFY(p.continuesStage);
    QCOMPARE(p.stage, before.stage);
    QCOMPARE(p.fromStep, before.steps);
    QCOMPARE(p.maxSteps, before.steps + 5);
    a.run();
    QVERIFY(a.finished());
    QCOMPARE(a.stages().size(), size_t(12));
    // The checks go on every step here (K = 6/10 -> 1), so slow convergence may end the extension early.
    const StageRecord& after = a.stages().back();
    QVERIFY(after.steps > before.steps && after.steps <= before.steps + 5);
    if (after.steps < before.steps + 5)
    {
      COMPARE_REASON(after.stopReason, StopReason::SlowProgress);
    }
    else
    {
      COMPARE_REASON(after.stopReason, StopReason::MaxSteps);
    }
    QCOMPARE(a.curves().size(), curvesBefore.size() + (after.steps - before.steps));
    expectCurvePrefix(curvesBefore, a.curves());
    QCOMPARE(a.curves().back().step, after.steps);
    QCOMPARE(a.curves().back().stage, before.stage);

    // The same extension on the reopened file, stopped inside the extension and resumed through the file.
    auto b = std::make_unique<Trainer>(Trainer::fromModelFile(path("finished.mrcae.h5"), data));
    QVERIFY(b->finished());
    b->extendLastStage(5);
    if (after.steps >= before.steps + 2)
    {
      stopAt(b, before.stage, before.steps + 1, true);
      QCOMPARE(b->resumePoint().maxSteps, before.steps + 5);
    }
    b->run();
    expectSameRun(a, *b);

    // A stopped stage keeps its remaining budget and gets the extra steps on top.
    auto c = std::make_unique<Trainer>(data, cfg);
    stopAt(c, 0, 6, false);
    c->extendLastStage(3);
    QCOMPARE(c->resumePoint().maxSteps, cfg.steps[0] + 3);

    Trainer fresh(data, cfg);
    expectInputError([&] { fresh.extendLastStage(3); }, "train first");
  }

  void anExtendedRuleKeepsItsCadence()
  {
    // Budget 20 (checks every 2 steps, slow convergence armed after step 10), run to its end while improving.
    // Its state restored into a rule extended to 30 steps.
    StoppingRule ended(20, 0.0, 1e-3);
    for (int step = 1; step <= 20; ++step)
    {
      QVERIFY(!ended.afterStep(step, 1.0 / step, [] { return 1.0; }));
    }
    StoppingRule more(20, 0.0, 1e-3);
    more.extendTo(30);
    more.restore(ended.state());
    QCOMPARE(more.checkEvery(), 2);
    QCOMPARE(int(ended.state().window.size()), 2);
    // Steady progress: no stop through step 29.
    for (int step = 21; step <= 29; ++step)
    {
      QVERIFY(!more.afterStep(step, 1.0 / step, [] { return 1.0; }));
    }
    QVERIFY(!more.afterStep(30, 0.1, [] { return 1.0; })); // worse, but the last step never stops
    // No progress after the budget: the next check (K = 2 steps on) compares with the average before step 20.
    StoppingRule flatAfter(20, 0.0, 1e-3);
    flatAfter.extendTo(30);
    flatAfter.restore(ended.state());
    QVERIFY(!flatAfter.afterStep(21, 0.1, [] { return 1.0; }));
    auto r = flatAfter.afterStep(22, 0.1, [] { return 1.0; });
    QVERIFY(r.has_value());
    COMPARE_REASON(*r, StopReason::SlowProgress);
  }

  void optimizerStateThatDoesNotFitIsRefused()
  {
    auto b = std::make_unique<Trainer>(data, resumeConfig(8));
    stopAt(b, 4, 5, false);
    const std::string good = path("good.mrcae.h5");
    b->save(good);
    Trainer::fromModelFile(good, data); // reads
    auto edited = [&](const char* name, const std::function<void(H5::H5File&)>& edit) {
      const std::string file = path(name);
      std::filesystem::copy_file(good, file, std::filesystem::copy_options::overwrite_existing);
      H5::H5File f(file, H5F_ACC_RDWR);
      edit(f);
      return file;
    };
    auto setInt = [](H5::H5File& f, const char* attr, long long v) {
      H5::Group g = f.openGroup("optimizer");
      g.removeAttr(attr);
      h5::writeInt(g, attr, v);
    };
    const std::string otherStage = edited("o1.mrcae.h5", [&](H5::H5File& f) { setInt(f, "stage", 3); });
    expectInputError([&] { Trainer::fromModelFile(otherStage, data); }, "belongs to stage 3");
    const std::string otherStep = edited("o2.mrcae.h5", [&](H5::H5File& f) { setInt(f, "steps", 2); });
    expectInputError([&] { Trainer::fromModelFile(otherStep, data); }, "stage record says");
    const std::string shape = edited("o3.mrcae.h5", [](H5::H5File& f) {
      H5::Group g = f.openGroup("optimizer/current/L0_Conv_1");
      g.unlink("weight");
      float v[4] = {0};
      h5::writeFloats(g, "weight", {2, 2}, v);
    });
    expectInputError([&] { Trainer::fromModelFile(shape, data); }, "another shape");
    const std::string extra = edited("o4.mrcae.h5", [](H5::H5File& f) {
      H5::Group g = f.openGroup("optimizer/best");
      float v[9] = {0};
      h5::writeFloats(g, "L2_Conv_0/weight", {1, 1, 3, 3}, v);
    });
    expectInputError([&] { Trainer::fromModelFile(extra, data); }, "not a parameter");
    const std::string missing =
        edited("o5.mrcae.h5", [](H5::H5File& f) { f.openGroup("optimizer/adam/L1_Conv_0/weight").unlink("exp_avg"); });
    expectInputError([&] { Trainer::fromModelFile(missing, data); }, "adam/L1_Conv_0/weight/exp_avg is missing");
    const std::string generator = edited("o6.mrcae.h5", [](H5::H5File& f) {
      H5::Group g = f.openGroup("optimizer");
      g.unlink("generator");
      unsigned char v[10] = {0};
      h5::writeBytes(g, "generator", {10}, v);
    });
    expectInputError([&] { Trainer::fromModelFile(generator, data); }, "generator state");
  }
};

QTEST_GUILESS_MAIN(TestResume)
#include "test_resume.moc"
