#include "Commands.h"

#include "Options.h"
#include "Progress.h"
#include "Reports.h"
#include "SettingOptions.h"
#include "TrainingOptions.h"

#ifdef MRCAE_WITH_PLOTS
#include "BenchmarkFigures.h"
#endif
#include "mrcae/engine/BenchmarkRun.h"
#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/BenchmarkShard.h"
#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>

namespace mrcae::cli
{

namespace
{

struct BenchmarkArgs
{
  std::string data;
  std::string output = "benchmark";
  std::vector<Method> methods = BenchmarkProtocol::defaultMethods();
  std::string plotSize = "1200x900";
  TrainingOptions training;
  DataOptions dataOptions;
  std::optional<BenchmarkShard> shard;
  std::vector<std::string> merge;
  bool json = false, quiet = false;
};

/// Each method's training progress on stderr, as `mrcae train` shows it.
class BenchmarkProgress : public BenchmarkObserver
{
public:
  explicit BenchmarkProgress(bool quiet) : quiet_(quiet) {}

  TrainingObserver* methodStarted(Method method, const TrainingConfig& config) override
  {
    // RED-Net stage s trains for s x the level's steps (SPEC 7.2): the ETA counts that.
    progress_ = std::make_unique<Progress>(config, 0, quiet_,
                                           BenchmarkProtocol::kindOf(method) == BenchmarkProtocol::Kind::RedNet);
    return progress_.get();
  }

private:
  bool quiet_;
  std::unique_ptr<Progress> progress_;
};

/// Writes the table's files and figures into o.output and prints the table (or its JSON).
int report(const BenchmarkTable& table, const BenchmarkArgs& o, const std::string& partFile)
{
  const std::string& outDir = o.output;
  const auto [plotWidth, plotHeight] = parsePixelSize(o.plotSize, "--plot-size", 100, 10000);
  const auto files = table.writeFiles(outDir);
  const auto& runs = table.runs();
  std::string figuresLine;
#ifdef MRCAE_WITH_PLOTS
  {
    std::vector<MethodStages> figureRuns;
    for (const auto& r : runs)
    {
      figureRuns.push_back({displayName(r.method), r.stages});
    }
    const auto written = writeBenchmarkFigures(outDir, figureRuns, plotWidth, plotHeight);
    figuresLine = "figures: " + written.at(0) + ", " + written.at(1) + "\n";
  }
#else
  (void)plotWidth;
  (void)plotHeight;
  std::fprintf(stderr, "mrcae: note: params.png and encoding.png need the GUI build (MRCAE_BUILD_GUI=ON); "
                       "the table is written\n");
#endif
  if (o.json)
  {
    std::printf("%s\n", table.toJson().dump(2).c_str());
    return 0;
  }
  std::printf("%-18s %6s %5s %8s %14s %10s %10s\n", "method", "stage", "level", "params", "ln(val err)", "encoding",
              "seconds");
  for (const auto& r : runs)
  {
    for (const auto& s : r.stages)
    {
      std::printf("%-18s %6d %5d %8lld %14.3f %10lld %10.1f\n", displayName(r.method).c_str(), s.stage, s.level,
                  s.params, std::log(s.bestGlobalVal), s.encodingSize, s.seconds);
    }
  }
  std::printf("\n");
  for (const auto& r : runs)
  {
    std::printf("%-18s %zu stages, %.1f s\n", displayName(r.method).c_str(), r.stages.size(), r.seconds);
  }
  std::printf("table: %s, %s, %s\n", files.at(0).c_str(), files.at(1).c_str(), files.at(2).c_str());
  std::printf("%s", figuresLine.c_str());
  if (!partFile.empty())
  {
    std::printf("partial table: %s (mrcae benchmark --merge joins the parts)\n", partFile.c_str());
  }
  return 0;
}

int benchmark(const BenchmarkArgs& o, StopToken& stop)
{
  if (!o.merge.empty())
  {
    // Joining the parts of a sharded benchmark: no training, no dataset.
    if (!o.data.empty() || o.shard)
    {
      throw InputError(Problem::Conflict,
                       SettingText("--merge joins the partial tables of a benchmark run with --shard: give only the "
                                   "parts' folders (and -o), no dataset and no --shard"));
    }
    checkWritable(o.output, true);
    return report(mergePartialTables(o.merge), o, "");
  }
  if (o.data.empty())
  {
    throw InputError("missing the dataset file (see mrcae benchmark --help)");
  }
  const TrainingConfig base = o.training.config();
  const BenchmarkProtocol whole(base, o.methods);
  const BenchmarkProtocol protocol = o.shard ? o.shard->of(whole) : whole;
  parsePixelSize(o.plotSize, "--plot-size", 100, 10000);
  checkWritable(o.output, true);
  Dataset data = o.dataOptions.load(o.data, base.levels, o.dataOptions.snapshots);

  BenchmarkProgress progress(o.quiet);
  const BenchmarkTable table = runBenchmark(data, protocol, &progress, &stop);
  const std::string partFile =
      o.shard ? writePartialTable(o.output, *o.shard, whole, data.contentHash(), table) : std::string();
  return report(table, o, partFile);
}

} // namespace

void addBenchmarkCommand(CLI::App& app, Action& action, StopToken& stop)
{
  auto b = std::make_shared<BenchmarkArgs>();
  CLI::App* benchmark = app.add_subcommand(
      "benchmark", "MrCAE against its baselines (SPEC 7): MrCAE (PR) first, then each method on the architecture it "
                   "reached; the table per method and stage, and the paper's two figures");
  benchmark->add_option("DATA", b->data, "the dataset file (none with --merge)");
  benchmark->add_option("-o,--output", b->output, "the folder written")->type_name("DIR")->default_str("benchmark");
  std::string methods;
  for (Method m : b->methods)
  {
    methods += (methods.empty() ? "" : ",") + token(m);
  }
  benchmark
      ->add_option_function<std::string>(
          *optionName(Setting::Methods),
          [b](const std::string& list) {
            b->methods.clear();
            std::stringstream ss(list);
            for (std::string m; std::getline(ss, m, ',');)
            {
              const auto method = fromToken<Method>(m);
              if (!method)
              {
                throw InputError(Problem::UnknownChoice,
                                 SettingText("unknown method '" + m + "': use " + tokenList<Method>()),
                                 Setting::Methods, m);
              }
              b->methods.push_back(*method);
            }
          },
          "the methods compared: " + tokenList<Method>())
      ->type_name("LIST")
      ->default_str(methods);
  benchmark
      ->add_option_function<std::string>(
          "--plot-size", [b](const std::string& s) { parsePixelSize(b->plotSize = s, "--plot-size", 100, 10000); },
          "the figures' size in pixels")
      ->type_name("WxH")
      ->default_str(b->plotSize);
  benchmark
      ->add_option_function<std::string>(
          "--shard", [b](const std::string& s) { b->shard = BenchmarkShard::parse(s, "--shard"); },
          "run part I of N of the grid (the methods in table order: I, I + N, ...) and write its partial table "
          "(benchmark_part.json) beside its files; a part that reports a baseline also trains MrCAE (PR) first, "
          "unreported (docs/distributed.md)")
      ->type_name("I/N");
  benchmark
      ->add_option("--merge", b->merge,
                   "join the partial tables in these folders (parts 1..N of one benchmark) "
                   "into the files and figures of one run, in -o")
      ->type_name("DIR...")
      ->expected(1, -1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  benchmark->add_flag("--json", b->json, "the table as JSON on stdout");
  benchmark->add_flag("--quiet", b->quiet, "no progress on stderr");
  addTrainingOptions(*benchmark, b->training);
  addDataOptions(*benchmark, b->dataOptions);
  benchmark->callback([b, &action, &stop] { action = [b, &stop] { return mrcae::cli::benchmark(*b, stop); }; });
}

} // namespace mrcae::cli
