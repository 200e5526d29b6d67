#include "Commands.h"

#include "Options.h"
#include "Progress.h"
#include "Ranks.h"
#include "Reports.h"
#include "SettingOptions.h"
#include "TrainingOptions.h"

#include "mrcae/engine/Device.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/DeviceError.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/RankError.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

namespace mrcae::cli
{

namespace
{

struct TrainArgs
{
  std::string data;
  std::string output;
  TrainingOptions training;
  DataOptions dataOptions;
  RankOptions ranks;
  bool json = false, quiet = false, noAutosave = false;
};

struct ResumeArgs
{
  std::string model;
  std::string data;
  std::string output;
  std::optional<std::string> device;
  std::optional<int> threads;
  int moreSteps = 0;
  DataOptions dataOptions;
  RankOptions ranks;
  bool json = false, quiet = false, noAutosave = false;
};

/// Progress on stderr, and an atomic save after every stage so that a crash or kill loses one stage at most.
class AutosavingProgress : public Progress
{
public:
  AutosavingProgress(Trainer& trainer, std::string output, bool quiet)
    : Progress(trainer.config(), static_cast<int>(trainer.stages().size()), quiet), trainer_(trainer),
      output_(std::move(output))
  {
  }

  void stageFinished(const StageRecord& record) override
  {
    Progress::stageFinished(record);
    if (!output_.empty())
    {
      trainer_.save(output_);
    }
  }

private:
  Trainer& trainer_;
  std::string output_;
};

/// Trains, saves and reports; shared by train and resume.
/// Over several processes every rank trains and evaluates; only rank 0 (`trainer.rank() == 0`) observes, saves
/// and prints.
int trainAndReport(Trainer& trainer, std::string output, bool autosave, bool json, bool quiet, StopToken& stop)
{
  const bool rank0 = trainer.rank() == 0;
  if (!rank0)
  {
    output.clear();
  }
  AutosavingProgress progress(trainer, autosave ? output : std::string(), quiet);
  const auto t0 = std::chrono::steady_clock::now();
  const size_t stagesBefore = trainer.stages().size();
  std::string error;
  std::optional<DeviceError> deviceError;
  try
  {
    trainer.run(rank0 ? &progress : nullptr, &stop);
  }
  catch (const RankError&)
  {
    // A rank is gone: nothing is saved after the last complete stage (rank 0's last autosave is the run).
    throw;
  }
  catch (const DeviceError& e)
  {
    // Out of device memory: the stage that ran out is kept as stopped (with its best state), exactly as after
    // Ctrl-C, so the file is saved and `mrcae resume` goes on with that stage.
    deviceError = e;
  }
  catch (const std::exception& e)
  {
    // Keep what was trained: save it before reporting the failure.
    error = e.what();
  }
  const double seconds = secondsSince(t0);
  const bool stopped = stop.stopRequested();
  if (!output.empty() && (trainer.stages().size() > stagesBefore || deviceError))
  {
    trainer.save(output);
  }
  if (deviceError)
  {
    SettingText message = deviceError->message();
    if (!output.empty())
    {
      message << "; saved to " << output << ": mrcae resume " << output << " --device cpu goes on with that stage";
    }
    throw DeviceError(deviceError->kind(), deviceError->device(), message, deviceError->stage(), deviceError->steps(),
                      deviceError->exact());
  }
  if (!error.empty())
  {
    throw std::runtime_error("training failed: " + error +
                             (output.empty() ? "" : " (stages finished so far were saved to " + output + ")"));
  }
  const auto ev = trainer.evaluate(); // collective over a group
  if (!rank0)
  {
    return 0;
  }
  const bool diverged = !trainer.stages().empty() && trainer.stages().back().stopReason == StopReason::Diverged;
  if (json)
  {
    Json j = Json::object();
    j["config"] = trainer.config().toJson();
    j["device"] = trainer.deviceName();
    j["ranks"] = trainer.ranks();
    j["streamed"] = trainer.streamed();
    j["seconds"] = seconds;
    j["stopped"] = stopped;
    j["finished"] = trainer.finished();
    j["output"] = output;
    j["stages"] = stagesJson(trainer.stages());
    j["evaluation"] = evaluationJson(ev);
    std::printf("%s\n", j.dump(2).c_str());
  }
  else
  {
    printStages(trainer.stages());
    std::printf("\n");
    printEvaluation(ev);
    std::printf("\ndevice %s, %.1f s%s%s\n", trainer.deviceName().c_str(), seconds,
                stopped ? ", stopped by the user (best state of the last stage kept)" : "",
                output.empty() ? "" : (", saved to " + output).c_str());
  }
  if (diverged)
  {
    std::fprintf(stderr, "mrcae: training diverged (a loss became NaN or infinite); the best state was kept. "
                         "Try a smaller --lr.\n");
    return 1;
  }
  return 0;
}

int train(const TrainArgs& o, StopToken& stop)
{
  const TrainingConfig config = o.training.config();
  std::string output = o.output;
  if (output.empty() && hdf5Available())
  {
    output = std::filesystem::path(o.data).stem().string() + ".mrcae.h5";
  }
  // --ranks N starts the group here, unless this process is already one of a group (torchrun, Slurm, --ranks).
  if (startsLocalRanks(o.ranks))
  {
    if (!output.empty())
    {
      checkWritable(output, false);
    }
    return launchLocalRanks(o.ranks, output);
  }
  std::shared_ptr<RankGroup> group = joinGroup(o.ranks);
  const bool rank0 = !group || group->rank() == 0;
  if (rank0 && !output.empty())
  {
    checkWritable(output, false);
  }
  Trainer trainer = makeTrainer(o.data, o.dataOptions, o.ranks, o.quiet, config, group, rank0);
  if (rank0 && !o.quiet)
  {
    std::fprintf(stderr, "training %s on %s (%d snapshots: %zu train, %zu val, %zu test), device %s%s%s\n",
                 config.presetName.c_str(), o.data.c_str(), trainer.dataset().field.t, trainer.split().train.size(),
                 trainer.split().val.size(), trainer.split().test.size(), trainer.deviceName().c_str(),
                 trainer.ranks() > 1 ? (", " + std::to_string(trainer.ranks()) + " ranks").c_str() : "",
                 trainer.streamed() ? ", read from the file in batches" : "");
  }
  return trainAndReport(trainer, output, !o.noAutosave, o.json, o.quiet || !rank0, stop);
}

int resume(const ResumeArgs& o, StopToken& stop)
{
  const std::string& modelPath = o.model;
  if (o.device)
  {
    requireDevice(*o.device); // before any data is read
  }
  ModelSummary s = ModelFile::summary(modelPath);
  const std::string dataPath = o.data.empty() ? s.dataPath : o.data;
  if (dataPath.empty() || !std::filesystem::exists(dataPath))
  {
    throw InputError("the model's dataset " + (dataPath.empty() ? std::string("(unknown)") : dataPath) +
                     " was not found: pass it with --data FILE");
  }
  const std::string output = o.output.empty() ? modelPath : o.output;
  if (startsLocalRanks(o.ranks))
  {
    checkWritable(output, false);
    return launchLocalRanks(o.ranks, output);
  }
  std::shared_ptr<RankGroup> group = joinGroup(o.ranks);
  const bool rank0 = !group || group->rank() == 0;
  Trainer trainer = resumeTrainer(modelPath, dataPath, o.dataOptions, o.ranks, o.quiet, o.device.value_or(""),
                                  o.threads.value_or(0), s, group, rank0);
  const auto& stages = trainer.stages();
  const bool moreSteps = o.moreSteps > 0;
  const int extraSteps = o.moreSteps;
  if (moreSteps)
  {
    trainer.extendLastStage(extraSteps);
  }
  else if (rank0 && !stages.empty() && stages.back().stopReason == StopReason::UserStop && !trainer.hasStageState())
  {
    std::fprintf(stderr,
                 "resume: %s has no optimizer state (an older file), so stopped stage %d stays at step %d "
                 "and the next stage starts\n",
                 modelPath.c_str(), stages.back().stage + 1, stages.back().steps);
  }
  if (trainer.finished())
  {
    if (!rank0)
    {
      return 0;
    }
    std::printf("%s: the schedule is complete (%zu stages); nothing to resume (--more-steps N trains the last "
                "stage longer)\n",
                modelPath.c_str(), stages.size());
    return 0;
  }
  const ResumePoint next = trainer.resumePoint();
  if (rank0 && next.continuesStage)
  {
    std::fprintf(stderr, "resume: stage %d (L%d %s, group %d) goes on from step %d to at most %d%s\n", next.stage + 1,
                 next.level, token(next.op).c_str(), next.group, next.fromStep, next.maxSteps,
                 moreSteps ? (", " + std::to_string(extraSteps) + " more steps granted").c_str()
                           : ", exactly where it was stopped");
  }
  else if (rank0)
  {
    std::fprintf(stderr, "resume: next stage %d (L%d %s, group %d), up to %d steps\n", next.stage + 1, next.level,
                 token(next.op).c_str(), next.group, next.maxSteps);
  }
  if (rank0)
  {
    checkWritable(output, false);
  }
  // trainAndReport saves at the end only when stages were added; a continued stage replaces its record, so
  // without autosave it is saved here.
  const size_t stagesBefore = stages.size(), curvesBefore = trainer.curves().size();
  auto saveContinuedStage = [&] {
    if (rank0 && next.continuesStage && o.noAutosave && trainer.stages().size() == stagesBefore &&
        trainer.curves().size() > curvesBefore)
    {
      trainer.save(output);
    }
  };
  int rc = 0;
  try
  {
    rc = trainAndReport(trainer, output, !o.noAutosave, o.json, o.quiet || !rank0, stop);
  }
  catch (const RankError&)
  {
    throw; // nothing is saved after a rank was lost
  }
  catch (...)
  {
    saveContinuedStage();
    throw;
  }
  saveContinuedStage();
  return rc;
}

/// The flags train and resume share.
void addRunFlags(CLI::App& command, bool& json, bool& quiet, bool& noAutosave)
{
  command.add_flag("--json", json, "the stages and the evaluation as JSON on stdout");
  command.add_flag("--quiet", quiet, "no progress on stderr");
  command.add_flag("--no-autosave", noAutosave,
                   "save only at the end (default: the model file is rewritten after every stage)");
}

} // namespace

void addTrainCommands(CLI::App& app, Action& action, StopToken& stop)
{
  auto t = std::make_shared<TrainArgs>();
  CLI::App* train = app.add_subcommand("train", "train MrCAE on a dataset (.h5 or .npy) and save the model");
  train->add_option("DATA", t->data, "the dataset file (e.g. toy1.h5)")->required();
  train->add_option("-o,--output", t->output, "the model file (default: DATA's name with .mrcae.h5)")
      ->type_name("RUN.mrcae.h5");
  addRunFlags(*train, t->json, t->quiet, t->noAutosave);
  addTrainingOptions(*train, t->training);
  addDataOptions(*train, t->dataOptions);
  addRankOptions(*train, t->ranks);
  train->callback([t, &action, &stop] { action = [t, &stop] { return mrcae::cli::train(*t, stop); }; });

  auto r = std::make_shared<ResumeArgs>();
  CLI::App* resume = app.add_subcommand(
      "resume", "go on with a saved model: a stopped stage goes on exactly where it stopped (with the saved "
                "optimizer state), then the schedule");
  resume->add_option("MODEL", r->model, "the model file (.mrcae.h5)")->required();
  resume->add_option("--data", r->data, "the dataset (default: the one the model was trained on)")->type_name("DATA");
  resume->add_option("-o,--output", r->output, "where to save (default: the model file itself)")->type_name("OUT");
  addInt(*resume, "--more-steps", r->moreSteps, "grant the last stage N more steps", 1)->default_str("");
  addSettingText(*resume, Setting::Device, r->device, "the training device (default: the saved one)")
      ->type_name("cpu|cuda|auto");
  addSettingInt(*resume, Setting::Threads, r->threads, "intra-op threads (0: all cores)");
  addRunFlags(*resume, r->json, r->quiet, r->noAutosave);
  addFieldOptions(*resume, r->dataOptions);
  addSizeOptions(*resume, r->dataOptions);
  addRankOptions(*resume, r->ranks);
  resume->callback([r, &action, &stop] { action = [r, &stop] { return mrcae::cli::resume(*r, stop); }; });
}

} // namespace mrcae::cli
