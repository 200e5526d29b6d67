#include "Commands.h"

#include "Options.h"
#include "Progress.h"
#include "Reports.h"
#include "SettingOptions.h"
#include "TrainingOptions.h"

#ifdef MRCAE_WITH_PLOTS
#include "BenchmarkFigures.h"
#include "HeadlessGui.h"
#endif
#include "mrcae/engine/BenchmarkRun.h"
#include "mrcae/model/BenchmarkProtocol.h"
#include "mrcae/model/BenchmarkShard.h"
#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"

#include <algorithm>
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

/// The table's rows as the Benchmark tab shows them (BenchmarkTable::rowTexts), in aligned columns.
void printBenchmarkRows(const BenchmarkTable& table)
{
  const auto titles = BenchmarkTable::columnTitles();
  const auto rows = table.rowTexts();
  std::vector<size_t> width(titles.size());
  for (size_t c = 0; c < titles.size(); ++c)
  {
    width[c] = titles[c].size();
    for (const auto& row : rows)
    {
      width[c] = std::max(width[c], row.cells[c].size());
    }
  }
  auto print = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c)
    {
      // The method and the setting are text (left-aligned), the rest numbers (right-aligned).
      const std::string pad(width[c] - cells[c].size(), ' ');
      line += (c == 0 ? "" : "  ") + (c == 0 || c + 1 == cells.size() ? cells[c] + pad : pad + cells[c]);
    }
    while (!line.empty() && line.back() == ' ')
    {
      line.pop_back();
    }
    std::printf("%s\n", line.c_str());
  };
  print(titles);
  for (const auto& row : rows)
  {
    print(row.cells);
  }
}

/// Each method's training progress on stderr, as `mrcae train` shows it.
class BenchmarkProgress : public BenchmarkObserver
{
public:
  explicit BenchmarkProgress(bool quiet) : quiet_(quiet) {}

  TrainingObserver* methodStarted(Method method, const TrainingConfig& config) override
  {
    if (BenchmarkProtocol::kindOf(method) == BenchmarkProtocol::Kind::Compressor)
    {
      if (!quiet_)
      {
        std::fprintf(stderr, "%s: one setting per stage of MrCAE (PR)\n", displayName(method).c_str());
      }
      return nullptr; // nothing trains
    }
    // RED-Net stage s trains for s x the level's steps (SPEC 7.2): the ETA counts that.
    progress_ = std::make_unique<Progress>(config, 0, quiet_,
                                           BenchmarkProtocol::kindOf(method) == BenchmarkProtocol::Kind::RedNet);
    return progress_.get();
  }

private:
  bool quiet_;
  std::unique_ptr<Progress> progress_;
};

/// Writes the table's files and figures into o.output and prints the table (or its JSON). `snapshots` and
/// `snapshotBytes` (T and 4·H·W of the data benchmarked): errorbytes.png's share of the once-stored bytes and its
/// raw-snapshot line.
int report(const BenchmarkTable& table, const BenchmarkArgs& o, const std::string& partFile, int snapshots,
           double snapshotBytes)
{
  const std::string& outDir = o.output;
  const auto [plotWidth, plotHeight] = parsePixelSize(o.plotSize, "--plot-size", 100, 10000);
  const auto files = table.writeFiles(outDir);
  const auto& runs = table.runs();
  std::string figuresLine;
#ifdef MRCAE_WITH_PLOTS
  {
    const auto app = guiApplicationIfNone();
    const QStringList written = widgets::writeBenchmarkFigures(QString::fromStdString(outDir), table, snapshots,
                                                               snapshotBytes, QSize(plotWidth, plotHeight));
    figuresLine = "figures: " + written.join(", ").toStdString() + "\n";
  }
#else
  (void)plotWidth;
  (void)plotHeight;
  (void)snapshots;
  (void)snapshotBytes;
  std::fprintf(stderr, "mrcae: note: the figures need the GUI build (MRCAE_BUILD_GUI=ON); the table is written\n");
#endif
  if (o.json)
  {
    std::printf("%s\n", table.toJson().dump(2).c_str());
    return 0;
  }
  printBenchmarkRows(table);
  std::printf("\n");
  for (const auto& r : runs)
  {
    if (r.settings.empty())
    {
      std::printf("%-20s %zu stages, %.1f s\n", displayName(r.method).c_str(), r.stages.size(), r.seconds);
    }
    else
    {
      std::printf("%-20s %zu settings, %.1f s\n", displayName(r.method).c_str(), r.settings.size(), r.seconds);
    }
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
    const MergedBenchmark merged = mergePartialTables(o.merge);
    return report(merged.table, o, "", merged.snapshots, merged.snapshotBytes);
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
  const std::string partFile = o.shard ? writePartialTable(o.output, *o.shard, whole, data, table) : std::string();
  return report(table, o, partFile, data.field.t, 4.0 * data.field.h * data.field.w);
}

} // namespace

void addBenchmarkCommand(CLI::App& app, Action& action, StopToken& stop)
{
  auto b = std::make_shared<BenchmarkArgs>();
  CLI::App* benchmark = app.add_subcommand(
      "benchmark", "MrCAE against its baselines (SPEC 7): MrCAE (PR) first, then each method on the architecture it "
                   "reached, POD and ZFP at the bytes per snapshot of its codes; the table per method and stage, "
                   "the paper's two figures and the error against bytes");
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
          [b](const std::string& list) { b->methods = BenchmarkProtocol::methodsFromList(list); },
          "the methods compared: " + tokenList<Method>() + " (zfp: both ZFP modes)")
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
