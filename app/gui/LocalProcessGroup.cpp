#include "LocalProcessGroup.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/NumberText.h"
#include "mrcae/model/RankError.h"
#include "mrcae/model/StreamedDataset.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <chrono>
#include <fstream>
#include <thread>

namespace mrcae::app
{

namespace
{

/// The command-line tool beside the application (both are installed into the same folder).
std::string rankProgram(const TrainingRequest& request)
{
  const QString program = request.rankProgram.empty()
                              ? QCoreApplication::applicationDirPath() + QStringLiteral("/mrcae")
                              : QString::fromStdString(request.rankProgram);
  if (!QFileInfo(program).isExecutable())
  {
    throw mrcae::InputError(program.toStdString() +
                            ": the command-line tool that runs the other processes is missing: install mrcae "
                            "beside the application, or set Processes to 1");
  }
  return program.toStdString();
}

void writeText(const std::string& path, const std::string& text)
{
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush())
  {
    throw mrcae::InputError(path + ": cannot be written (the temporary folder is full or read-only): free space "
                                   "there, or set Processes to 1");
  }
}

} // namespace

LocalProcessGroup::LocalProcessGroup(const TrainingRequest& request)
  : folder_(QDir::tempPath() + QStringLiteral("/mrcae-processes-XXXXXX")), size_(request.processes),
    timeoutSeconds_(request.rankTimeoutSeconds)
{
  if (!mrcae::distributedAvailable())
  {
    throw mrcae::InputError("this build cannot train on several processes (its LibTorch has no c10d, or "
                            "libgloo-dev was missing when it was built): set Processes to 1");
  }
  if (!folder_.isValid())
  {
    throw mrcae::InputError("no temporary folder for the other processes could be made (" +
                            folder_.errorString().toStdString() + "): free space in " + QDir::tempPath().toStdString() +
                            ", or set Processes to 1");
  }
  const std::string folder = folder_.path().toStdString();
  const std::string program = rankProgram(request);

  std::string data = request.streamPath;
  if (!request.streamed())
  {
    // The dataset before fitting, fitted by each process as here (uncompressed: they read it at once).
    data = folder + "/data.h5";
    mrcae::WriteOptions raw;
    raw.compress = false;
    mrcae::writeDataset(*request.source, data, raw);
  }
  if (request.resumeModel.empty())
  {
    // Every setting, as the model file keeps it (the memory budget is the machine's and travels apart).
    const std::string config = folder + "/config.json";
    writeText(config, request.config.toJson().dump(2) + "\n");
    arguments_ = {"train", data, "--config", config};
    if (request.config.memoryLimitGb > 0)
    {
      arguments_.insert(arguments_.end(), {"--memory-limit", mrcae::number::shortest(request.config.memoryLimitGb)});
    }
  }
  else
  {
    // Going on with a saved run: every process opens the same file (its config and stage state).
    arguments_ = {"resume", request.resumeModel, "--data", data, "--threads", std::to_string(request.config.threads)};
    if (request.moreSteps > 0)
    {
      arguments_.insert(arguments_.end(), {"--more-steps", std::to_string(request.moreSteps)});
    }
  }
  arguments_.insert(arguments_.end(),
                    {"--rank-timeout", mrcae::number::shortest(timeoutSeconds_), "--quiet", "--no-autosave"});
  if (request.streamed())
  {
    arguments_.emplace_back("--stream");
    if (!request.readOptions.field.empty())
    {
      arguments_.insert(arguments_.end(), {"--field", request.readOptions.field});
    }
    if (request.readOptions.maxSnapshots > 0 && request.resumeModel.empty())
    {
      arguments_.insert(arguments_.end(), {"--snapshots", std::to_string(request.readOptions.maxSnapshots)});
    }
  }
  if (request.policy == mrcae::SizePolicy::Crop)
  {
    arguments_.emplace_back("--crop");
  }
  else if (request.policy != mrcae::SizePolicy::Strict)
  {
    arguments_.insert(arguments_.end(), {"--pad", mrcae::toString(request.policy)});
  }

  mrcae::LocalRanks::Options options;
  options.executable = program;
  options.arguments = arguments_;
  options.worldSize = size_;
  options.firstRank = 1; // this process is rank 0
  options.logFolder = folder;
  ranks_ = std::make_unique<mrcae::LocalRanks>(options);

  mrcae::RankSetup setup;
  setup.rank = 0;
  setup.worldSize = size_;
  setup.localRank = 0;
  setup.masterAddress = "127.0.0.1";
  setup.masterPort = ranks_->port();
  setup.timeoutSeconds = timeoutSeconds_;
  try
  {
    group_ = mrcae::RankGroup::join(setup);
  }
  catch (const mrcae::RankError& e)
  {
    // A process that ended at once (a refused argument, another mrcae) says why in its log.
    const std::string why = describe(waitForExits(5));
    throw mrcae::RankError(why.empty() ? std::string(e.what()) : why, e.lostRank());
  }
  if (!request.streamed())
  {
    // While the others load it: the file must fit back to exactly what this process trains on, or the ranks
    // would train on different data without knowing. Read through once, in bounded memory.
    const mrcae::StreamedDataset back(data, {}, request.config.levels, request.policy);
    if (back.contentHash() != request.data->contentHash())
    {
      throw mrcae::InputError("the dataset could not be handed to the other processes unchanged (" + data +
                              " reads back differently): set Processes to 1");
    }
  }
}

void LocalProcessGroup::stop()
{
  group_.reset();
  ranks_->terminate();
}

LocalProcessGroup::~LocalProcessGroup()
{
  group_.reset();
  if (ranks_)
  {
    ranks_->terminate();
  }
}

std::vector<mrcae::LocalRanks::Exit> LocalProcessGroup::waitForExits(double seconds)
{
  std::vector<mrcae::LocalRanks::Exit> exits;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (static_cast<int>(exits.size()) < size_ - 1 && std::chrono::steady_clock::now() < deadline)
  {
    for (const auto& e : ranks_->poll())
    {
      exits.push_back(e);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (static_cast<int>(exits.size()) < size_ - 1)
  {
    // Still running after the others had ended: ended here, and named as the one that stopped responding.
    std::vector<bool> ended(static_cast<size_t>(size_), false);
    for (const auto& e : exits)
    {
      ended[static_cast<size_t>(e.rank)] = true;
    }
    ranks_->terminate();
    for (int rank = 1; rank < size_; ++rank)
    {
      if (!ended[static_cast<size_t>(rank)])
      {
        mrcae::LocalRanks::Exit e;
        e.rank = rank;
        e.endedByLauncher = true;
        exits.push_back(e);
      }
    }
  }
  return exits;
}

std::string LocalProcessGroup::describe(const std::vector<mrcae::LocalRanks::Exit>& exits) const
{
  const auto culprit = mrcae::LocalRanks::culprit(exits);
  if (!culprit)
  {
    return {};
  }
  std::string text = "process " + std::to_string(culprit->rank) + " of " + std::to_string(size_) + " (mrcae " +
                     arguments_.front() + ") " + culprit->describe();
  const std::string said = ranks_->lastLogLine(culprit->rank);
  if (!said.empty())
  {
    text += ": " + said;
  }
  return text;
}

std::string LocalProcessGroup::finish()
{
  group_.reset();
  return describe(waitForExits(timeoutSeconds_));
}

std::string LocalProcessGroup::failure()
{
  group_.reset();
  const std::string text = describe(waitForExits(5));
  return text.empty() ? "a process of the group stopped answering" : text;
}

} // namespace mrcae::app
