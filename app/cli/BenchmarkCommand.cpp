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
#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"

#include <cmath>
#include <cstdio>
#include <memory>
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

int benchmark(const BenchmarkArgs& o, StopToken& stop)
{
  const TrainingConfig base = o.training.config();
  const BenchmarkProtocol protocol(base, o.methods);
  const std::string& outDir = o.output;
  const auto [plotWidth, plotHeight] = parsePixelSize(o.plotSize, "--plot-size", 100, 10000);
  checkWritable(outDir, true);
  Dataset data = o.dataOptions.load(o.data, base.levels, o.dataOptions.snapshots);

  BenchmarkProgress progress(o.quiet);
  const BenchmarkTable table = runBenchmark(data, protocol, &progress, &stop);
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
  return 0;
}

} // namespace

void addBenchmarkCommand(CLI::App& app, Action& action, StopToken& stop)
{
  auto b = std::make_shared<BenchmarkArgs>();
  CLI::App* benchmark = app.add_subcommand(
      "benchmark", "MrCAE against its baselines (SPEC 7): MrCAE (PR) first, then each method on the architecture it "
                   "reached; the table per method and stage, and the paper's two figures");
  benchmark->add_option("DATA", b->data, "the dataset file")->required();
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
  benchmark->add_flag("--json", b->json, "the table as JSON on stdout");
  benchmark->add_flag("--quiet", b->quiet, "no progress on stderr");
  addTrainingOptions(*benchmark, b->training);
  addDataOptions(*benchmark, b->dataOptions);
  benchmark->callback([b, &action, &stop] { action = [b, &stop] { return mrcae::cli::benchmark(*b, stop); }; });
}

} // namespace mrcae::cli
