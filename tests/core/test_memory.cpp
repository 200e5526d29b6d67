// The memory estimate checked before training (issue 7, "Large inputs"): the formula of MemoryEstimate.h by
// hand for a small configuration, a run that does not fit is refused with an InputError that says what would
// fit (and what it suggests does fit), and the machine's available memory is read.
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/ToyData.h"

#include "TestHelpers.h"

#include <QtTest>

#include <fstream>
#include <map>
#include <regex>

using namespace mrcae;

namespace
{

/// Two levels of 7² and 15², archs [[1,2],[1,3]], batch 4 of 7 training snapshots.
TrainingConfig smallConfig()
{
  TrainingConfig c;
  c.levels = 2;
  c.archs = {{1, 2}, {1, 3}};
  c.tols.clear(); // every widen is performed: the final architecture is the one estimated
  c.steps = {10, 20};
  c.batch = 4;
  c.threads = 1;
  return c;
}

/// The number after `option` in a message ("--batch 120 fits"), or -1.
long long suggested(const std::string& message, const std::string& option)
{
  std::smatch m;
  if (std::regex_search(message, m, std::regex(option + " ([0-9]+) fits")))
  {
    return std::stoll(m[1]);
  }
  return -1;
}

std::string refusal(const Dataset& d, const TrainingConfig& c, std::map<std::string, double>* numbers = nullptr)
{
  try
  {
    Trainer t(d, c);
  }
  catch (const InputError& e)
  {
    if (e.problem() == Problem::MemoryRefused && numbers)
    {
      *numbers = e.numbers();
    }
    return e.what();
  }
  return {};
}

} // namespace

class TestMemory : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void estimateByHand()
  {
    // T = 10 snapshots of 15 × 15: 7 train, 2 val (the 0.7 / 0.2 split), batch b = 4 < 7.
    // Level 1 (native): 15², code grid 7² = 49 cells, C = 3, G = 2. Level 0: 7², code grid 3² = 9, C = 2, G = 2.
    const MemoryEstimate e = estimateTrainingMemory(smallConfig(), 10, 15, 15);
    QCOMPARE(e.trainSnapshots, 7);
    QCOMPARE(e.valSnapshots, 2);
    QCOMPARE(e.batchSize, 4);
    QCOMPARE(e.level, 1);
    // data = 4 · (T + 1) · (H·W + Σ n_k·w_k) = 4 · 11 · (225 + 225 + 49)
    QCOMPARE(e.data, 4LL * 11 * 499);
    // batch = 4 · b · 2·H·W
    QCOMPARE(e.batch, 4LL * 4 * 2 * 225);
    // F = (2·2·9 + 2·49) + (2·3·49 + 2·225) = 134 + 744 = 878; E = Σ C·q + 5·H·W = 18 + 147 + 1125 = 1290
    // step = 4 · (b·(2F + 2·H·W) + v·E) = 4 · (4·2206 + 2·1290)
    QCOMPARE(e.step, 4LL * (4 * 2206 + 2 * 1290));
    // check = 4 · (4·t·H·W + min(t,128)·E) = 4 · (6300 + 9030)
    QCOMPARE(e.check, 4LL * (6300 + 9030));
    QCOMPARE(e.activations, e.check);
    // P = (19·2 + 2) + (19·3 + 2) = 99; parameters = 4 · (10·P + 2·Σ C·q + 4·S) = 4 · (990 + 330 + 80)
    QCOMPARE(e.parameters, 4LL * 1400);
    QCOMPARE(e.total(), 4LL * 11 * 499 + 7200 + 61320 + 5600);

    // P is the model's real parameter count once the schedule is done.
    Trainer t(generateToy("toy1", 10, 15), smallConfig());
    t.run();
    QCOMPARE(t.architecture().params, 99LL);

    // A full batch gathers nothing; a wider level costs more activations.
    TrainingConfig full = smallConfig();
    full.batch = 350;
    QCOMPARE(estimateTrainingMemory(full, 10, 15, 15).batch, 0LL);
    QCOMPARE(estimateTrainingMemory(full, 10, 15, 15).batchSize, 7);
    TrainingConfig wide = smallConfig();
    wide.archs[1] = {1, 3, 9};
    QVERIFY(estimateTrainingMemory(wide, 10, 15, 15).total() > e.total());
  }

  void theNotebookRunAtTheChannelSize()
  {
    // toy1's settings on 500 snapshots of 511 × 511 (the size of the large input): the data alone are
    // (T+1)·(511² + 255² + 127²)·4 bytes, and a full batch of 350 needs several GB more.
    const TrainingConfig c = TrainingConfig::preset("toy1");
    const MemoryEstimate e = estimateTrainingMemory(c, 500, 511, 511);
    QCOMPARE(e.data, 4LL * 501 * (511 * 511 + 511 * 511 + 255 * 255 + 127 * 127));
    QCOMPARE(e.batchSize, 350);
    QVERIFY(e.activations > 4000000000LL);
    QVERIFY(e.activations == e.step); // a full batch: the step, not the check, is the largest need
  }

  void aRunThatDoesNotFitIsRefusedBeforeTraining()
  {
    const Dataset d = generateToy("toy1", 10, 15);
    TrainingConfig c = smallConfig();
    const MemoryEstimate e = estimateTrainingMemory(c, 10, 15, 15);
    // Exactly the estimate fits; one byte less does not.
    c.memoryLimitGb = e.total() / 1e9;
    QCOMPARE(refusal(d, c), std::string());
    c.memoryLimitGb = (e.total() - 1) / 1e9;
    const std::string msg = refusal(d, c);
    QVERIFY2(msg.find("training needs about") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("memory limit") != std::string::npos, msg.c_str());
    QVERIFY(msg.find('\n') == std::string::npos);
    testing::expectInputError([&] { Trainer t(d, c); }, "smaller batch");

    // A limit far below the estimate, on a realistic size: what it suggests really fits, one more does not.
    const Dataset big = generateToy("toy1", 60, 127);
    TrainingConfig t1 = TrainingConfig::preset("toy1");
    t1.threads = 1;
    const MemoryEstimate eb = estimateTrainingMemory(t1, 60, 127, 127);
    t1.memoryLimitGb = 0.8 * eb.total() / 1e9;
    const long long budget = memoryBudget(t1, false).bytes;
    std::map<std::string, double> numbers;
    const std::string m = refusal(big, t1, &numbers);
    QVERIFY2(m.find("needs about " + formatBytes(eb.total())) != std::string::npos, m.c_str());
    // The sentence names the setting (each front end says it its own way); the error carries the numbers.
    const long long batch = suggested(m, "batch");
    QVERIFY2(batch >= 1, m.c_str());
    QCOMPARE(numbers.at("batch_fits"), double(batch));
    QCOMPARE(numbers.at("needed_bytes"), double(eb.total()));
    QCOMPARE(numbers.at("budget_bytes"), double(budget));
    TrainingConfig smaller = t1;
    smaller.batch = static_cast<int>(batch);
    QVERIFY(estimateTrainingMemory(smaller, 60, 127, 127).total() <= budget);
    smaller.batch = static_cast<int>(batch + 1);
    QVERIFY(estimateTrainingMemory(smaller, 60, 127, 127).total() > budget);
    const long long snapshots = suggested(m, "snapshots");
    QVERIFY2(snapshots >= 5 && snapshots < 60, m.c_str());
    QCOMPARE(numbers.at("snapshots_fits"), double(snapshots));
    QVERIFY(estimateTrainingMemory(t1, static_cast<int>(snapshots), 127, 127).total() <= budget);
    QVERIFY2(m.find("crop") != std::string::npos, m.c_str());

    // A negative limit is a bad setting.
    t1.memoryLimitGb = -1;
    testing::expectInputError([&] { t1.validate(); }, "memory limit");
  }

  void theMachinesMemoryIsTheDefaultBudget()
  {
    const MemoryBudget cpu = availableMemory(false);
    QVERIFY(cpu.bytes > 0);
    QVERIFY(!cpu.source.empty());
    // Never more than the machine has.
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    long long totalKb = 0;
    meminfo >> key >> totalKb;
    QCOMPARE(key, std::string("MemTotal:"));
    QVERIFY(cpu.bytes <= totalKb * 1024);
    TrainingConfig c = smallConfig();
    QCOMPARE(memoryBudget(c, false).source, cpu.source);
    c.memoryLimitGb = 2.5;
    QCOMPARE(memoryBudget(c, false).bytes, 2500000000LL);
    QCOMPARE(memoryBudget(c, true).bytes, 2500000000LL);
    // CUDA: the device's free memory where a CUDA runtime is loaded, else unknown (nothing is refused).
    const MemoryBudget gpu = availableMemory(true);
    QVERIFY(gpu.bytes == -1 || gpu.bytes > 0);
    // The small run fits any real machine.
    QCOMPARE(refusal(generateToy("toy1", 10, 15), smallConfig()), std::string());
  }
};

QTEST_GUILESS_MAIN(TestMemory)
#include "test_memory.moc"
