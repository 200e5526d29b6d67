// Stopping rules (SPEC.md §4.4) on constructed loss sequences.
#include "StoppingRule.h"

#include "TestHelpers.h"

#include <QtTest>

using namespace mrcae;

namespace
{

/// Feeds `losses` (step i+1 gets losses[i]) and returns (step, reason) of the stop, or (steps, MaxSteps).
std::pair<int, StopReason> runRule(StoppingRule& rule, const std::vector<double>& losses,
                                   const std::function<double(int)>& worst, int* worstCalls = nullptr)
{
  for (size_t i = 0; i < losses.size(); ++i)
  {
    const int step = static_cast<int>(i) + 1;
    auto r = rule.afterStep(step, losses[i], [&] {
      if (worstCalls)
      {
        ++*worstCalls;
      }
      return worst(step);
    });
    if (r)
    {
      return {step, *r};
    }
  }
  return {static_cast<int>(losses.size()), StopReason::MaxSteps};
}

std::vector<double> decreasing(int n, double start, double factorPerStep)
{
  std::vector<double> v;
  double x = start;
  for (int i = 0; i < n; ++i)
  {
    v.push_back(x);
    x *= factorPerStep;
  }
  return v;
}

} // namespace

class TestStopping : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void cadenceIsTenthOfBudget()
  {
    QCOMPARE(StoppingRule(5000, 1e-3, 1e-3).checkEvery(), 500);
    QCOMPARE(StoppingRule(150, 1e-3, 1e-3).checkEvery(), 15);
    QCOMPARE(StoppingRule(9, 1e-3, 1e-3).checkEvery(), 1); // max(1, 9/10): small budgets work
    QCOMPARE(StoppingRule(1, 1e-3, 1e-3).checkEvery(), 1);
  }

  void toleranceStopsAtTheFirstCheck()
  {
    StoppingRule rule(100, 1e-3, 1e-3);
    int calls = 0;
    auto [step, reason] = runRule(
        rule, decreasing(100, 1.0, 0.9), [](int) { return 5e-4; }, &calls);
    QCOMPARE(step, 10);
    COMPARE_REASON(reason, StopReason::Tolerance);
    QCOMPARE(calls, 1); // the pixel loss is only computed on checks
  }

  void toleranceReachedLaterStopsThere()
  {
    StoppingRule rule(200, 1e-3, 1e-3);
    auto [step, reason] = runRule(rule, decreasing(200, 1.0, 0.95), [](int s) { return s >= 60 ? 1e-3 : 2e-3; });
    QCOMPARE(step, 60); // <= tol counts as met
    COMPARE_REASON(reason, StopReason::Tolerance);
  }

  void toleranceIsNeverTestedOnTheLastStep()
  {
    StoppingRule rule(100, 1e-3, 1e-3);
    auto [step, reason] = runRule(rule, decreasing(100, 1.0, 0.9), [](int s) { return s == 100 ? 0.0 : 1.0; });
    QCOMPARE(step, 100);
    COMPARE_REASON(reason, StopReason::MaxSteps);
  }

  void flatLossStopsAtSevenTenths()
  {
    // The first comparison (step 60) is against 1e10 and cannot fire; the next check (70) can.
    StoppingRule rule(100, 0.0, 1e-3);
    auto [step, reason] = runRule(rule, std::vector<double>(100, 0.5), [](int) { return 1.0; });
    QCOMPARE(step, 70);
    COMPARE_REASON(reason, StopReason::SlowProgress);
    StoppingRule notebook(5000, 0.0, 1e-3);
    auto [step2, reason2] = runRule(notebook, std::vector<double>(5000, 0.5), [](int) { return 1.0; });
    QCOMPARE(step2, 3500);
    COMPARE_REASON(reason2, StopReason::SlowProgress);
  }

  void steadyProgressRunsToTheEnd()
  {
    // 1% per step = about 10% per window of 10: well above the 1e-3 threshold.
    StoppingRule rule(100, 0.0, 1e-3);
    auto [step, reason] = runRule(rule, decreasing(100, 1.0, 0.99), [](int) { return 1.0; });
    QCOMPARE(step, 100);
    COMPARE_REASON(reason, StopReason::MaxSteps);
  }

  void slowProgressUsesTheMeanOfTheLastWindow()
  {
    // Windows (K = 10) of mean 1.0 at steps 51..60, then 0.9995 over 61..70: a 5e-4 relative gain < 1e-3.
    std::vector<double> losses(100, 2.0);
    for (int i = 50; i < 60; ++i)
    {
      losses[i] = 1.0;
    }
    for (int i = 60; i < 100; ++i)
    {
      losses[i] = 0.9995;
    }
    StoppingRule rule(100, 0.0, 1e-3);
    auto [step, reason] = runRule(rule, losses, [](int) { return 1.0; });
    QCOMPARE(step, 70);
    COMPARE_REASON(reason, StopReason::SlowProgress);
    // A 1% gain between the same windows does not stop; the next window equal to it does.
    for (int i = 60; i < 70; ++i)
    {
      losses[i] = 0.99;
    }
    for (int i = 70; i < 100; ++i)
    {
      losses[i] = 0.99;
    }
    StoppingRule rule2(100, 0.0, 1e-3);
    auto [step2, reason2] = runRule(rule2, losses, [](int) { return 1.0; });
    QCOMPARE(step2, 80);
    COMPARE_REASON(reason2, StopReason::SlowProgress);
  }

  void tinyBudgetsCheckEveryStep()
  {
    StoppingRule rule(5, 0.0, 1e-3);
    // 5/2 = 2: step 3 sets the reference window, step 4 compares; step 5 is the last and is never tested.
    auto [step, reason] = runRule(rule, std::vector<double>(5, 0.3), [](int) { return 1.0; });
    QCOMPARE(step, 4);
    COMPARE_REASON(reason, StopReason::SlowProgress);
  }
};

QTEST_GUILESS_MAIN(TestStopping)
#include "test_stopping.moc"
