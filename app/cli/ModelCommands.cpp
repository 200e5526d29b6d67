#include "Commands.h"

#include "ApplyCommands.h"
#include "Options.h"
#include "Reports.h"
#include "SettingOptions.h"
#include "TrainingOptions.h"

#ifdef MRCAE_WITH_PLOTS
#include "ModelFigures.h"
#endif
#include "mrcae/engine/Exporter.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <utility>

namespace mrcae::cli
{

namespace
{

struct ExportArgs
{
  std::string model, data, output;
  std::string format = "h5";
  std::string what;
  std::optional<std::string> snapshots, size;
  std::optional<int> level, threads;
  std::optional<std::string> device;
  double scale = 1.0;
  bool noCurves = false;
  DataOptions dataOptions;
};

int eval(const ModelDataArgs& o)
{
  if (o.perSnapshot)
  {
    return perSnapshotEval(o);
  }
  const std::pair<bool, const char*> perSnapshotOnly[] = {{!o.output.empty(), "-o"},
                                                          {!o.snapshots.empty(), "--snapshots"},
                                                          {o.rangeTolerance.has_value(), "--range-tolerance"}};
  for (const auto& [given, option] : perSnapshotOnly)
  {
    if (given)
    {
      throw InputError(std::string(option) + " belongs to eval --per-snapshot");
    }
  }
  const std::string& modelPath = o.model;
  const std::string& dataPath = o.data;
  ModelSummary s = ModelFile::summary(modelPath);
  Dataset data = o.dataOptions.loadForModel(dataPath, s);
  Trainer trainer = Trainer::fromModelFile(modelPath, std::move(data), o.device.value_or(""), o.threads.value_or(0));
  const auto ev = trainer.evaluate();
  if (o.json)
  {
    Json j = Json::object();
    j["model"] = modelPath;
    j["params"] = trainer.architecture().params;
    j["evaluation"] = evaluationJson(ev);
    std::printf("%s\n", j.dump(2).c_str());
  }
  else
  {
    std::printf("model %s: %lld parameters, %zu stages\n\n", modelPath.c_str(), trainer.architecture().params,
                trainer.stages().size());
    printEvaluation(ev);
  }
  return 0;
}

int exportModel(const ExportArgs& o)
{
  const std::string& modelPath = o.model;
  const std::string& dataPath = o.data;
  const std::string format = o.format;
  const bool figure = format == "png" || format == "svg" || format == "pdf";
  if (format != "h5" && format != "vti" && format != "csv" && !figure)
  {
    throw InputError("--format must be h5, vti, csv (data) or png, svg, pdf (figures)");
  }
#ifndef MRCAE_WITH_PLOTS
  if (figure)
  {
    throw InputError("figures need the GUI build (MRCAE_BUILD_GUI=ON); this mrcae writes h5, vti and csv");
  }
#endif
  const std::string& output = o.output;
  if (output.empty())
  {
    throw InputError("give the output with -o (a file for h5 and one figure, a folder for vti, csv and a figure "
                     "series)");
  }
  // What each format can hold: refuse the rest rather than quietly write something else.
  const std::string defaultWhat = format == "h5"    ? "fields,codes,maps"
                                  : format == "csv" ? "curves"
                                  : figure          ? "figure"
                                                    : "fields";
  const std::map<std::string, std::set<std::string>> allowed = {
      {"h5", {"fields", "codes", "maps"}}, {"vti", {"fields"}},           {"csv", {"curves"}},
      {"png", {"figure", "curves"}},       {"svg", {"figure", "curves"}}, {"pdf", {"figure", "curves"}}};
  ExportContent content{false, false, false};
  std::string figureWhat;
  std::stringstream what(o.what.empty() ? defaultWhat : o.what);
  for (std::string item; std::getline(what, item, ',');)
  {
    if (!allowed.at(format).count(item))
    {
      std::string options;
      for (const auto& a : allowed.at(format))
      {
        options += (options.empty() ? "" : ", ") + a;
      }
      throw InputError("--what " + item + " is not something --format " + format + " holds: use " + options);
    }
    content.fields = content.fields || item == "fields";
    content.codes = content.codes || item == "codes";
    content.maps = content.maps || item == "maps";
    if (figure)
    {
      if (!figureWhat.empty() && figureWhat != item)
      {
        throw InputError("a figure is either --what figure or --what curves, not both");
      }
      figureWhat = item;
    }
  }
  ModelSummary s = ModelFile::summary(modelPath);
  Dataset data = o.dataOptions.loadForModel(dataPath, s);
  Trainer trainer = Trainer::fromModelFile(modelPath, std::move(data), o.device.value_or(""), o.threads.value_or(0));
  if (trainer.trainedLevel() < 0)
  {
    throw InputError(modelPath + ": the model has no trained stage to export");
  }
  const std::string selection = o.snapshots ? *o.snapshots : figure ? "" : "test";
  std::vector<int> snapshots = selection.empty()
                                   ? std::vector<int>{trainer.split().test.empty() ? 0 : trainer.split().test.front()}
                                   : parseSnapshotSelection(trainer, selection);
  if (figure)
  {
#ifdef MRCAE_WITH_PLOTS
    FigureOptions options;
    options.curves = figureWhat == "curves";
    options.withCurves = !o.noCurves;
    if (o.size)
    {
      std::tie(options.width, options.height) = parsePixelSize(*o.size, "--size", 16, 20000);
    }
    options.scale = o.scale;
    if (snapshots.size() > 1 && format != "png")
    {
      throw InputError("an animation is a PNG series: use --format png with several --snapshots");
    }
    const auto written = writeFigures(trainer, snapshots, output, options);
    std::printf("%s\n", written.c_str());
#endif
    return 0;
  }
  if (format == "h5")
  {
    exportHdf5(trainer, snapshots, output, content);
    std::printf("wrote %s (%zu snapshots, levels 0..%d)\n", output.c_str(), snapshots.size(), trainer.trainedLevel());
  }
  else if (format == "vti")
  {
    const int level = o.level.value_or(trainer.trainedLevel());
    const std::string name = std::filesystem::path(dataPath).stem().string() + "_L" + std::to_string(level);
    const std::string pvd = exportVtkSeries(trainer, snapshots, level, output, name);
    std::printf("wrote %s and %zu .vti files (open the .pvd in ParaView)\n", pvd.c_str(), snapshots.size());
  }
  else
  {
    exportCsv(trainer, output);
    std::printf("wrote %s/curves.csv and %s/stages.csv\n", output.c_str(), output.c_str());
  }
  return 0;
}

} // namespace

void addModelCommands(CLI::App& app, Action& action)
{
  auto e = std::make_shared<ModelDataArgs>();
  CLI::App* eval = app.add_subcommand(
      "eval", "the per-level errors of a model on the train, validation and test parts of its data; with "
              "--per-snapshot every snapshot's errors at every level, scored on its own (the data may have any "
              "number of snapshots: the model's grid, mask and scaling apply)");
  addModelDataOptions(*eval, *e, true);
  eval->add_flag("--per-snapshot", e->perSnapshot, "every selected snapshot's errors at every trained level");
  eval->add_option("-o,--output", e->output, "(--per-snapshot) a .csv or .json file instead of stdout")
      ->type_name("FILE.csv|FILE.json");
  eval->add_option("--snapshots", e->snapshots, "(--per-snapshot) which snapshots")
      ->type_name("all|A:B|3,7")
      ->default_str("all");
  eval->callback([e, &action] { action = [e] { return mrcae::cli::eval(*e); }; });

  auto x = std::make_shared<ExportArgs>();
  CLI::App* exp = app.add_subcommand(
      "export", "write a model's results: data (h5: a file; vti and csv: a folder) or a figure (png, svg, pdf: one "
                "snapshot a file, several a folder of numbered PNGs)");
  exp->add_option("MODEL", x->model, "the model file (.mrcae.h5)")->required();
  exp->add_option("DATA", x->data, "the dataset file the model was trained on")->required();
  exp->add_option("-o,--output", x->output, "the file or folder written")->type_name("OUT");
  exp->add_option("--format", x->format, "data: h5, vti, csv; figures: png, svg, pdf")
      ->type_name("h5|vti|csv|png|svg|pdf")
      ->default_str("h5");
  exp->add_option("--what", x->what,
                  "h5: fields,codes,maps; vti: fields; csv: curves; figures: figure or curves (default: all a "
                  "format holds, figure for figures)")
      ->type_name("LIST");
  exp->add_option("--snapshots", x->snapshots, "which snapshots (default: test; figures: the first test snapshot)")
      ->type_name("test|all|1,5");
  exp->add_option_function<std::string>(
         "--level", [x](const std::string& s) { x->level = parseInt(s, "--level"); },
         "(vti) the level written (default: the finest trained)")
      ->type_name("K");
  exp->add_option("--size", x->size, "(figures) the size in pixels")->type_name("WxH");
  exp->add_option_function<std::string>(
         "--scale",
         [x](const std::string& s) {
           x->scale = parseNumber(s, "--scale");
           if (!(x->scale >= 0.1 && x->scale <= 10))
           {
             throw InputError("--scale must be between 0.1 and 10");
           }
         },
         "(figures) scale the default size")
      ->type_name("S")
      ->default_str("1");
  exp->add_flag("--no-curves", x->noCurves, "(figures) leave the error curves out of the figure");
  addSettingText(*exp, Setting::Device, x->device, "the device that runs the model")->type_name("cpu|cuda|auto");
  addSettingInt(*exp, Setting::Threads, x->threads, "intra-op threads (0: all cores)");
  addFieldOptions(*exp, x->dataOptions);
  addSizeOptions(*exp, x->dataOptions);
  exp->callback([x, &action] { action = [x] { return mrcae::cli::exportModel(*x); }; });
}

} // namespace mrcae::cli
