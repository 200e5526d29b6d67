// The name tables (Names.h), the stage table's CSV text and the benchmark protocol and table: the tokens files
// hold, values typed in by hand.
#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/Names.h"
#include "mrcae/model/NumberText.h"
#include "mrcae/model/StageTable.h"
#include "mrcae/model/TrainingConfig.h"

#include <QtTest>

#include <algorithm>
#include <set>
#include <sstream>

using namespace mrcae;

namespace
{

template <typename E>
void checkTable(int count)
{
  const auto& table = nameTable<E>();
  QCOMPARE(static_cast<int>(table.size()), count);
  std::set<std::string> tokens;
  for (int i = 0; i < count; ++i)
  {
    // In enumeration order, every value once, every token once.
    QVERIFY(static_cast<int>(table[i].value) == i);
    QVERIFY(tokens.insert(table[i].token).second);
    QVERIFY(fromToken<E>(table[i].token) == table[i].value);
    QVERIFY(std::string(table[i].display).size() > 0);
  }
  QVERIFY(!fromToken<E>("no-such-token"));
}

StageRecord record(int stage, double bestGlobalVal)
{
  StageRecord r;
  r.stage = stage;
  r.level = 1;
  r.group = 2;
  r.op = StageOp::Widen;
  r.addedChannels = 3;
  r.params = 140;
  r.steps = 60;
  r.bestStep = 54;
  r.stopReason = StopReason::SlowProgress;
  r.bestGlobalVal = bestGlobalVal;
  r.seconds = 1.5;
  r.unresolved = 7;
  r.dilated = 9;
  r.mapPixels = 225;
  r.levelClear = true;
  r.encodingSize = 512;
  return r;
}

TrainingConfig tinyConfig()
{
  TrainingConfig c = TrainingConfig::preset("toy1");
  c.steps = {2, 2, 1};
  return c;
}

} // namespace

class TestNames : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void everyValueHasOneRow()
  {
    checkTable<StopReason>(5);
    checkTable<StageOp>(3);
    checkTable<Method>(7);
    checkTable<StageField>(17);
    checkTable<CurveField>(8);
  }

  void tokensAreThoseOfTheFilesWritten()
  {
    // Model files and CSV files written so far hold these: they must keep reading.
    QCOMPARE(toString(StopReason::MaxSteps), std::string("max_steps"));
    QCOMPARE(toString(StopReason::Tolerance), std::string("tolerance"));
    QCOMPARE(toString(StopReason::SlowProgress), std::string("slow_convergence"));
    QCOMPARE(toString(StopReason::UserStop), std::string("stopped"));
    QCOMPARE(toString(StopReason::Diverged), std::string("diverged"));
    QVERIFY(stopReasonFromString("slow_convergence") == StopReason::SlowProgress);
    QVERIFY_THROWS_EXCEPTION(InputError, stopReasonFromString("slow_progress"));
    QVERIFY(stageOpFromString("rednet") == StageOp::RedNet);
    QCOMPARE(tokenList<Method>(), std::string("pr, relu, rednet, rednet-relu, pod, zfp-accuracy, zfp-rate"));
    QCOMPARE(displayName(Method::RedNet), std::string("RED-Net (linear)"));
    QCOMPARE(briefName(StopReason::SlowProgress), std::string("slow"));
    QCOMPARE(briefName(StageOp::Deepen), std::string("deepen")); // no brief form: the display name
    QCOMPARE(csvHeader(allValues<CurveField>()),
             std::string("stage,level,group,step,local_train,local_val,global_train,global_val"));
  }

  void stageRowsAreExactAndLocaleFree()
  {
    std::setlocale(LC_NUMERIC, "de_DE.UTF-8"); // a decimal comma must not reach the file
    std::ostringstream out;
    writeStagesCsv(out, {record(4, 0.00125)});
    std::setlocale(LC_NUMERIC, "C");
    QCOMPARE(out.str(),
             std::string("stage,level,group,op,added_channels,params,steps,best_step,stop_reason,"
                         "best_global_val,seconds,unresolved,dilated,map_pixels,level_clear,encoding_size,code_values\n"
                         "4,1,2,widen,3,140,60,54,slow_convergence,0.00125,1.5,7,9,225,1,512,-1\n"));
    const Json j = toJson(record(4, 0.00125));
    QCOMPARE(j.at("stop_reason").get<std::string>(), std::string("slow_convergence"));
    const StageRecord back = stageFromJson(j);
    QVERIFY(back.op == StageOp::Widen);
    QCOMPARE(back.bestGlobalVal, 0.00125);
  }

  void protocolRunsPrFirstAndGivesBaselinesItsArchitecture()
  {
    const BenchmarkProtocol p(tinyConfig(), {Method::RedNet, Method::MrcaeRelu, Method::RedNet});
    QVERIFY((p.methods() == std::vector<Method>{Method::MrcaeRelu, Method::RedNet})); // table order, once each
    QVERIFY((p.runOrder() == std::vector<Method>{Method::MrcaePr, Method::MrcaeRelu, Method::RedNet}));
    QVERIFY(!p.reports(Method::MrcaePr));
    const std::vector<std::vector<int>> reached = {{1, 2}, {1}, {1, 3}};
    const TrainingConfig relu = p.configFor(Method::MrcaeRelu, reached);
    QVERIFY(relu.tols.empty());
    QVERIFY(relu.archs == reached);
    QVERIFY(relu.activation == Activation::ReLU);
    QVERIFY((relu.steps == std::vector<int>{2, 2, 1}));
    QCOMPARE(relu.seed, tinyConfig().seed);
    const TrainingConfig red = p.configFor(Method::RedNet, reached);
    QVERIFY(red.activation == Activation::Identity);
    QVERIFY(BenchmarkProtocol::kindOf(Method::RedNetRelu) == BenchmarkProtocol::Kind::RedNet);
    QVERIFY(BenchmarkProtocol::kindOf(Method::Pod) == BenchmarkProtocol::Kind::Compressor);
    QVERIFY(BenchmarkProtocol::kindOf(Method::ZfpRate) == BenchmarkProtocol::Kind::Compressor);
    QVERIFY(BenchmarkProtocol::kindOf(Method::MrcaeRelu) == BenchmarkProtocol::Kind::Mrcae);
    QVERIFY(p.configFor(Method::MrcaePr, reached).archs == tinyConfig().archs);

    TrainingConfig noTols = tinyConfig();
    noTols.tols.clear();
    QVERIFY_THROWS_EXCEPTION(InputError, BenchmarkProtocol(noTols, {Method::MrcaePr}));
    QVERIFY_THROWS_EXCEPTION(InputError, BenchmarkProtocol(tinyConfig(), {}));
  }

  void methodListsNameMethodsByToken()
  {
    // "zfp" is both modes; the protocol then orders them as the Method table does, compressors last.
    const auto methods = BenchmarkProtocol::methodsFromList("zfp,pr,pod,rednet");
    QVERIFY((methods ==
             std::vector<Method>{Method::ZfpAccuracy, Method::ZfpRate, Method::MrcaePr, Method::Pod, Method::RedNet}));
    const BenchmarkProtocol p(tinyConfig(), methods);
    QVERIFY((p.runOrder() ==
             std::vector<Method>{Method::MrcaePr, Method::RedNet, Method::Pod, Method::ZfpAccuracy, Method::ZfpRate}));
    QVERIFY((BenchmarkProtocol::methodsFromList("zfp-rate") == std::vector<Method>{Method::ZfpRate}));
    try
    {
      BenchmarkProtocol::methodsFromList("pr,svd");
      QFAIL("an unknown method was accepted");
    }
    catch (const InputError& e)
    {
      QVERIFY2(std::string(e.what()).find("'svd'") != std::string::npos, e.what());
      QVERIFY(e.setting() == Setting::Methods);
      QVERIFY(e.problem() == Problem::UnknownChoice && e.subject() == "svd");
    }
    QVERIFY_THROWS_EXCEPTION(InputError, BenchmarkProtocol::methodsFromList("pr,,relu"));
  }

  void benchmarkTableKeepsTheClockApart()
  {
    BenchmarkTable t;
    t.addStage(Method::MrcaePr, record(0, 1.0));
    t.addStage(Method::RedNet, record(0, 0.5));
    t.setSeconds(Method::MrcaePr, 12.25);
    t.setSeconds(Method::MrcaeRelu, 3.0); // no stage of it: no run
    QCOMPARE(t.runs().size(), size_t(2));
    std::ostringstream csv, timing;
    t.writeCsv(csv);
    t.writeTimingCsv(timing);
    // Bytes of a network: 4 per parameter once (140 → 560), 4 per code value per snapshot (unknown here: empty).
    QCOMPARE(csv.str(), "method,stage,level,params,best_global_val,ln_best_global_val,encoding_size,steps,stop_reason,"
                        "once_bytes,bytes_per_snapshot,setting\n"
                        "\"MrCAE (PR)\",0,1,140,1,0,512,60,slow_convergence,560,,\n"
                        "\"RED-Net (linear)\",0,1,140,0.5," +
                            number::shortest(std::log(0.5)) + ",512,60,slow_convergence,560,,\n");
    QCOMPARE(timing.str(), std::string("method,stage,level,seconds\n"
                                       "\"MrCAE (PR)\",0,1,1.5\n"
                                       "\"RED-Net (linear)\",0,1,1.5\n"));
    const Json j = t.toJson();
    QCOMPARE(j.at(0).at("method").get<std::string>(), std::string("MrCAE (PR)"));
    QCOMPARE(j.at(0).at("seconds").get<double>(), 12.25);
    QCOMPARE(j.at(1).at("stages").size(), size_t(1));
  }

  void compressorRowsStateTheirBytesAndSetting()
  {
    BenchmarkTable t;
    StageRecord pr = record(0, 0.25);
    pr.codeValues = 37;
    t.addStage(Method::MrcaePr, pr);
    CompressionResult pod;
    pod.setting = "rank 37";
    pod.matchedStage = 0;
    pod.matchedLevel = 1;
    pod.parameter = 37;
    pod.onceBytes = 4 * 38 * 961; // mean and 37 modes over 961 cells
    pod.bytesPerSnapshot = 148;
    pod.val.global = 0.125;
    t.addSetting(Method::Pod, pod);
    CompressionResult zfp;
    zfp.setting = "none fits 148 bytes";
    zfp.fits = false;
    t.addSetting(Method::ZfpRate, zfp);
    std::ostringstream csv;
    t.writeCsv(csv);
    const std::string lines = csv.str().substr(csv.str().find('\n') + 1);
    QCOMPARE(lines, "\"MrCAE (PR)\",0,1,140,0.25," + number::shortest(std::log(0.25)) +
                        ",512,60,slow_convergence,560,148,\n"
                        "\"POD\",0,1,,0.125," +
                        number::shortest(std::log(0.125)) +
                        ",,,,146072,148,\"rank 37\"\n"
                        "\"ZFP (fixed rate)\",0,0,,,,,,,,,\"none fits 148 bytes\"\n");
    // Every CSV row has the header's 12 columns.
    std::istringstream in(csv.str());
    for (std::string line; std::getline(in, line);)
    {
      QCOMPARE(std::count(line.begin(), line.end(), ','), 11L);
    }
    // The rows people read: the same numbers, ln(val err) to 3 decimals.
    const auto rows = t.rowTexts();
    QCOMPARE(rows.size(), size_t(3));
    QCOMPARE(rows[1].cells.size(), BenchmarkTable::columnTitles().size());
    QVERIFY((rows[1].cells == std::vector<std::string>{"POD", "0", "1", "", "-2.079", "", "146072", "148", "rank 37"}));
    QVERIFY(
        (rows[0].cells == std::vector<std::string>{"MrCAE (PR)", "0", "1", "140", "-1.386", "512", "560", "148", ""}));
    const Json j = t.toJson();
    QCOMPARE(j.at(1).at("settings").at(0).at("once_bytes").get<long long>(), 146072LL);
    QCOMPARE(j.at(2).at("settings").at(0).at("fits").get<bool>(), false);
  }
};

QTEST_GUILESS_MAIN(TestNames)
#include "test_names.moc"
