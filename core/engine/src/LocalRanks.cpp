#include "mrcae/engine/LocalRanks.h"

#include "mrcae/model/InputError.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

extern char** environ;

namespace mrcae
{

namespace
{

using Clock = std::chrono::steady_clock;

/// The exit code of a rank that ended because another rank was gone (main.cpp: RankError).
constexpr int kLostAnotherRank = 3;

LocalRanks::Exit exitOf(int rank, int status)
{
  LocalRanks::Exit e;
  e.rank = rank;
  if (WIFSIGNALED(status))
  {
    e.signal = WTERMSIG(status);
  }
  else
  {
    e.code = WEXITSTATUS(status);
    e.lostAnother = e.code == kLostAnotherRank;
  }
  return e;
}

} // namespace

std::string LocalRanks::Exit::describe() const
{
  if (endedByLauncher)
  {
    return "stopped responding (it was ended when the others had given up on it)";
  }
  if (signal != 0)
  {
    return "was killed by signal " + std::to_string(signal) + (signal == SIGKILL ? " (SIGKILL)" : "");
  }
  return code == 0 ? "finished" : "exited with code " + std::to_string(code);
}

std::string LocalRanks::logPath(int rank) const
{
  return options_.logFolder.empty() ? std::string() : options_.logFolder + "/rank-" + std::to_string(rank) + ".log";
}

std::string LocalRanks::lastLogLine(int rank) const
{
  std::ifstream in(logPath(rank));
  std::string line, last;
  while (std::getline(in, line))
  {
    if (line.find_first_not_of(" \t\r") != std::string::npos)
    {
      last = line;
    }
  }
  return last;
}

int LocalRanks::freePort()
{
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
  {
    throw InputError(std::string("cannot open a socket to find a free port: ") + std::strerror(errno));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
  {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw InputError("cannot find a free port on 127.0.0.1: " + why);
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

LocalRanks::LocalRanks(Options options) : options_(std::move(options))
{
  if (options_.worldSize < 1 || options_.firstRank < 0 || options_.firstRank >= options_.worldSize)
  {
    throw InputError("cannot start ranks " + std::to_string(options_.firstRank) + ".." +
                     std::to_string(options_.worldSize - 1) + ": the group needs at least one process");
  }
  port_ = options_.port > 0 ? options_.port : freePort();
  pids_.assign(options_.worldSize, 0);
  exits_.assign(options_.worldSize, std::nullopt);
  for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
  {
    // The environment: this process's, without any group variables, plus the group's.
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
    {
      const std::string v = *e;
      const std::string name = v.substr(0, v.find('='));
      if (name != "RANK" && name != "WORLD_SIZE" && name != "LOCAL_RANK" && name != "MASTER_ADDR" &&
          name != "MASTER_PORT" && name != "MRCAE_LAUNCHED" && name.rfind("SLURM_", 0) != 0)
      {
        env.push_back(v);
      }
    }
    env.push_back("RANK=" + std::to_string(rank));
    env.push_back("WORLD_SIZE=" + std::to_string(options_.worldSize));
    env.push_back("LOCAL_RANK=" + std::to_string(rank));
    env.push_back("MASTER_ADDR=127.0.0.1");
    env.push_back("MASTER_PORT=" + std::to_string(port_));
    env.push_back("MRCAE_LAUNCHED=1");
    std::vector<char*> envp;
    for (auto& v : env)
    {
      envp.push_back(v.data());
    }
    envp.push_back(nullptr);
    std::vector<std::string> args{options_.executable};
    args.insert(args.end(), options_.arguments.begin(), options_.arguments.end());
    std::vector<char*> argv;
    for (auto& a : args)
    {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (rank != 0 && options_.quietWorkers)
    {
      const std::string sink = logPath(rank).empty() ? std::string("/dev/null") : logPath(rank);
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, sink.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    }
    pid_t pid = 0;
    const int err = posix_spawn(&pid, options_.executable.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0)
    {
      terminate();
      throw InputError("cannot start rank " + std::to_string(rank) + " (" + options_.executable +
                       "): " + std::strerror(err));
    }
    pids_[rank] = pid;
  }
}

LocalRanks::~LocalRanks()
{
  terminate();
}

std::vector<LocalRanks::Exit> LocalRanks::poll()
{
  std::vector<Exit> ended;
  for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
  {
    if (pids_[rank] <= 0 || exits_[rank])
    {
      continue;
    }
    int status = 0;
    if (::waitpid(pids_[rank], &status, WNOHANG) == pids_[rank])
    {
      exits_[rank] = exitOf(rank, status);
      ended.push_back(*exits_[rank]);
    }
  }
  return ended;
}

std::vector<LocalRanks::Exit> LocalRanks::wait(double graceSeconds)
{
  std::optional<Clock::time_point> failedAt;
  while (true)
  {
    for (const Exit& e : poll())
    {
      if ((e.code != 0 || e.signal != 0) && !failedAt)
      {
        failedAt = Clock::now();
      }
    }
    bool running = false;
    for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
    {
      running = running || (pids_[rank] > 0 && !exits_[rank]);
    }
    if (!running)
    {
      break;
    }
    if (failedAt && std::chrono::duration<double>(Clock::now() - *failedAt).count() > graceSeconds)
    {
      terminate();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::vector<Exit> out;
  for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
  {
    if (exits_[rank])
    {
      out.push_back(*exits_[rank]);
    }
  }
  return out;
}

std::optional<LocalRanks::Exit> LocalRanks::culprit(const std::vector<Exit>& exits)
{
  // A rank that died or failed by itself; else one ended by the launcher after it stopped responding (it was
  // still running when the others had lost it); else one that only lost another.
  std::optional<Exit> stopped, lost;
  for (const Exit& e : exits)
  {
    if (e.endedByLauncher)
    {
      stopped = stopped ? stopped : e;
    }
    else if (e.signal != 0 || (e.code != 0 && !e.lostAnother))
    {
      return e;
    }
    else if (e.lostAnother && !lost)
    {
      lost = e;
    }
  }
  return stopped ? stopped : lost;
}

void LocalRanks::terminate()
{
  bool any = false;
  std::vector<bool> ended(options_.worldSize, false);
  for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
  {
    if (pids_[rank] > 0 && !exits_[rank])
    {
      ::kill(pids_[rank], SIGTERM);
      ended[rank] = any = true;
    }
  }
  auto mark = [&] {
    for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
    {
      if (ended[rank] && exits_[rank])
      {
        exits_[rank]->endedByLauncher = true;
      }
    }
  };
  if (!any)
  {
    return;
  }
  const auto start = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - start).count() < 2.0)
  {
    poll();
    bool running = false;
    for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
    {
      running = running || (pids_[rank] > 0 && !exits_[rank]);
    }
    if (!running)
    {
      mark();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int rank = options_.firstRank; rank < options_.worldSize; ++rank)
  {
    if (pids_[rank] > 0 && !exits_[rank])
    {
      ::kill(pids_[rank], SIGKILL);
      int status = 0;
      ::waitpid(pids_[rank], &status, 0);
      exits_[rank] = exitOf(rank, status);
    }
  }
  mark();
}

} // namespace mrcae
