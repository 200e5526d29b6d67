// A benchmark split into parts (issue 15 part 3): the parts' partial tables, merged, are the table of one run
// (benchmark.csv byte for byte; the JSON apart from the wall-clock seconds), and a merge refuses parts that are
// missing, repeated or of another benchmark.
#include "mrcae/engine/BenchmarkRun.h"
#include "mrcae/model/BenchmarkShard.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ToyData.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace mrcae;

namespace
{

TrainingConfig tinyConfig()
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.steps = {2, 2, 1};
  c.threads = 1;
  c.seed = 3;
  return c;
}

std::string csvOf(const BenchmarkTable& t)
{
  std::ostringstream out;
  t.writeCsv(out);
  return out.str();
}

/// The table's JSON without its clock: every "seconds" removed.
Json withoutSeconds(Json j)
{
  for (auto& m : j)
  {
    m.erase("seconds");
    for (auto& s : m["stages"])
    {
      s.erase("seconds");
    }
  }
  return j;
}

/// The InputError message of `f`, or "" when it does not throw one.
template <typename F>
QString inputError(F f)
{
  try
  {
    f();
  }
  catch (const InputError& e)
  {
    return QString::fromStdString(e.what());
  }
  return {};
}

} // namespace

class TestBenchmarkShard : public QObject
{
  Q_OBJECT

  QTemporaryDir dir_;
  Dataset data_ = generateToy("toy1", 20, 63);
  const BenchmarkProtocol whole_{
      tinyConfig(), {Method::MrcaePr, Method::MrcaeRelu, Method::RedNet, Method::Pod, Method::ZfpAccuracy}};

  std::string folder(const std::string& name) const
  {
    const std::string f = dir_.path().toStdString() + "/" + name;
    std::filesystem::create_directories(f);
    return f;
  }

  /// Runs part `text` of the whole benchmark into folder `name`.
  std::string runPart(const std::string& text, const std::string& name)
  {
    const BenchmarkShard shard = BenchmarkShard::parse(text, "--shard");
    const BenchmarkTable table = runBenchmark(data_, shard.of(whole_));
    const std::string f = folder(name);
    writePartialTable(f, shard, whole_, data_, table);
    return f;
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void partsOfTheGrid()
  {
    // Five methods in two parts: positions 1, 3 and 5, then 2 and 4 (1-based, table order).
    const auto one = BenchmarkShard::parse("1/2", "--shard").of(whole_).methods();
    const auto two = BenchmarkShard::parse("2/2", "--shard").of(whole_).methods();
    QCOMPARE(one, (std::vector<Method>{Method::MrcaePr, Method::RedNet, Method::ZfpAccuracy}));
    QCOMPARE(two, (std::vector<Method>{Method::MrcaeRelu, Method::Pod}));
    // Part 2 reports no PR but trains it first: its tolerances give the baselines their architecture.
    QCOMPARE(BenchmarkShard::parse("2/2", "--shard").of(whole_).runOrder().front(), Method::MrcaePr);
    QVERIFY(inputError([&] { BenchmarkShard::parse("6/6", "--shard").of(whole_); }).contains("at most 5 parts"));
    for (const char* bad : {"0/2", "3/2", "1/0", "1", "1/2x", "a/b", "-1/2"})
    {
      QVERIFY2(inputError([&] { BenchmarkShard::parse(bad, "--shard"); }).startsWith("--shard expects I/N"), bad);
    }
  }

  void mergedPartsAreOneRun()
  {
    const BenchmarkTable one = runBenchmark(data_, whole_);
    QCOMPARE(one.runs().size(), size_t(5));
    QVERIFY(!one.runs()[3].settings.empty()); // POD's settings are rows of the table too
    const std::string a = runPart("1/2", "a");
    const std::string b = runPart("2/2", "b");
    // Either order of the folders gives the table order of one run.
    for (const auto& folders : {std::vector<std::string>{a, b}, std::vector<std::string>{b, a}})
    {
      const MergedBenchmark merged = mergePartialTables(folders);
      QCOMPARE(csvOf(merged.table), csvOf(one));
      QCOMPARE(withoutSeconds(merged.table.toJson()), withoutSeconds(one.toJson()));
      QCOMPARE(merged.snapshots, 20);
      QCOMPARE(merged.snapshotBytes, 4.0 * 63 * 63);
    }
  }

  void mergeRefusesWrongParts()
  {
    const std::string a = runPart("1/2", "only-a");
    QVERIFY(inputError([&] { mergePartialTables({a}); }).contains("part 2/2 is missing"));
    QVERIFY(inputError([&] { mergePartialTables({a, a}); }).contains("is given twice"));
    QVERIFY(inputError([&] { mergePartialTables({folder("empty")}); }).contains("no partial table here"));
    // A part of a benchmark with other settings (another seed).
    TrainingConfig other = tinyConfig();
    other.seed = 4;
    const BenchmarkProtocol otherWhole(other, whole_.methods());
    const BenchmarkShard two = BenchmarkShard::parse("2/2", "--shard");
    const std::string foreign = folder("foreign");
    writePartialTable(foreign, two, otherWhole, data_, BenchmarkTable());
    QVERIFY(inputError([&] { mergePartialTables({a, foreign}); }).contains("a part of another benchmark"));
    // A part written before the tables carried POD/ZFP settings: named, with what to do.
    const std::string old = folder("old");
    std::ofstream(old + "/benchmark_part.json") << "{\"format\": \"mrcae-benchmark-part\", \"part\": 2, \"parts\": 2}";
    QVERIFY(inputError([&] { mergePartialTables({a, old}); }).contains("run that part again"));
  }
};

QTEST_GUILESS_MAIN(TestBenchmarkShard)
#include "test_benchmark_shard.moc"
