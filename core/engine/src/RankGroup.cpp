#include "mrcae/engine/RankGroup.h"

#include "RankGroupImpl.h"
#include "mrcae/engine/Device.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/RankError.h"

#ifdef MRCAE_WITH_C10D
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>
#ifdef MRCAE_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <vector>

namespace mrcae
{

namespace
{

/// An environment variable as an int; nullopt when unset, InputError when it is not a whole number.
std::optional<long> envInt(const char* name)
{
  const char* v = std::getenv(name);
  if (!v || !*v)
  {
    return std::nullopt;
  }
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*end != '\0')
  {
    throw InputError(std::string("the environment variable ") + name + " must be a whole number (it is '" + v + "')");
  }
  return n;
}

std::string envString(const char* name, const std::string& fallback)
{
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

bool isLoopback(const std::string& address)
{
  return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

/// The first line of an error (c10d's messages carry a backtrace).
std::string firstLine(const std::string& what)
{
  return what.substr(0, what.find('\n'));
}

} // namespace

std::optional<RankSetup> RankSetup::fromEnvironment()
{
  RankSetup s;
  const auto rank = envInt("RANK"), world = envInt("WORLD_SIZE");
  const auto slurmRank = envInt("SLURM_PROCID"), slurmTasks = envInt("SLURM_NTASKS");
  if (rank && world)
  {
    s.rank = static_cast<int>(*rank);
    s.worldSize = static_cast<int>(*world);
    s.localRank = static_cast<int>(envInt("LOCAL_RANK").value_or(0));
  }
  else if (slurmRank && slurmTasks && *slurmTasks > 1)
  {
    s.rank = static_cast<int>(*slurmRank);
    s.worldSize = static_cast<int>(*slurmTasks);
    s.localRank = static_cast<int>(envInt("SLURM_LOCALID").value_or(0));
  }
  else
  {
    return std::nullopt;
  }
  if (s.worldSize < 1 || s.rank < 0 || s.rank >= s.worldSize)
  {
    throw InputError("the environment says rank " + std::to_string(s.rank) + " of " + std::to_string(s.worldSize) +
                     " processes: the rank must be 0 to WORLD_SIZE-1");
  }
  s.masterAddress = envString("MASTER_ADDR", s.masterAddress);
  const long port = envInt("MASTER_PORT").value_or(s.masterPort);
  if (port < 1 || port > 65535)
  {
    throw InputError("MASTER_PORT must be a port number (1 to 65535), not " + std::to_string(port));
  }
  s.masterPort = static_cast<int>(port);
  return s;
}

#ifdef MRCAE_WITH_C10D

bool distributedAvailable()
{
  return true;
}

// The process groups derive from ProcessGroup in LibTorch 1.x and from Backend in 2.x.
#if defined(TORCH_VERSION_MAJOR) && TORCH_VERSION_MAJOR >= 2
using GroupBase = c10d::Backend;
#else
using GroupBase = c10d::ProcessGroup;
#endif

struct RankGroup::Impl::C10d
{
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<GroupBase> group;
  // The heartbeat: every rank counts up its key once a second through a store connection of its own, so that
  // after a failed collective the ranks that stopped counting can be named.
  c10::intrusive_ptr<c10d::TCPStore> heartbeatStore;
  std::thread heartbeat;
  std::atomic<bool> stopping{false};

  ~C10d()
  {
    stopping = true;
    if (heartbeat.joinable())
    {
      heartbeat.join();
    }
  }
};

namespace
{

using Millis = std::chrono::milliseconds;

Millis timeoutOf(const RankSetup& s)
{
  return Millis(static_cast<long long>(s.timeoutSeconds * 1000));
}

std::string aliveKey(int rank)
{
  return "mrcae/alive/" + std::to_string(rank);
}

std::string arrivedKey(int rank)
{
  return "mrcae/arrived/" + std::to_string(rank);
}

std::string listRanks(const std::vector<int>& ranks)
{
  std::ostringstream os;
  for (size_t i = 0; i < ranks.size(); ++i)
  {
    os << (i == 0 ? "" : i + 1 == ranks.size() ? " and " : ", ") << ranks[i];
  }
  return os.str();
}

std::string whatToDo(const RankSetup& s)
{
  return s.rank == 0 ? "nothing was written after the last complete stage: resume from the last autosave"
                     : "rank 0 keeps its last autosave: resume from it";
}

/// Which ranks stopped counting their heartbeat: read every counter, wait a little over two beats, read again.
std::vector<int> silentRanks(RankGroup::Impl& g)
{
  auto& store = *g.c10d->store;
  const int n = g.size();
  auto read = [&] {
    std::vector<std::string> v(n);
    for (int r = 0; r < n; ++r)
    {
      if (r != g.rank() && store.check({aliveKey(r)}))
      {
        const auto bytes = store.get(aliveKey(r));
        v[r] = std::string(bytes.begin(), bytes.end());
      }
    }
    return v;
  };
  const auto before = read();
  std::this_thread::sleep_for(Millis(2500));
  const auto after = read();
  std::vector<int> silent;
  for (int r = 0; r < n; ++r)
  {
    if (r != g.rank() && before[r] == after[r])
    {
      silent.push_back(r);
    }
  }
  return silent;
}

/// A collective failed: find out which rank is gone and say so in one line.
[[noreturn]] void lost(RankGroup::Impl& g, const std::exception& e)
{
  const RankSetup& s = g.setup;
  std::vector<int> silent;
  try
  {
    silent = silentRanks(g);
  }
  catch (const std::exception&)
  {
    // The store is gone with its host.
    silent = {0};
  }
  const std::string me = "rank " + std::to_string(s.rank) + " of " + std::to_string(s.worldSize);
  if (silent.empty())
  {
    throw RankError(me + ": the group stopped working (" + firstLine(e.what()) +
                        "); every rank is still running: " + "check the network between them, then " + whatToDo(s),
                    -1);
  }
  throw RankError(me + ": rank " + listRanks(silent) + (silent.size() == 1 ? " is" : " are") +
                      " gone (it died, was killed or stopped responding for " +
                      std::to_string(static_cast<int>(s.timeoutSeconds)) + " s); the run ends here: " + whatToDo(s),
                  silent.front());
}

template <typename F>
void collective(RankGroup::Impl& g, const F& body)
{
  try
  {
    body();
  }
  catch (const RankError&)
  {
    throw;
  }
  catch (const std::exception& e)
  {
    lost(g, e);
  }
}

} // namespace

RankGroup::Impl::Impl() = default;
RankGroup::Impl::~Impl() = default;

std::shared_ptr<RankGroup> RankGroup::join(const RankSetup& s)
{
  if (s.worldSize < 1 || s.rank < 0 || s.rank >= s.worldSize)
  {
    throw InputError("rank " + std::to_string(s.rank) + " of " + std::to_string(s.worldSize) +
                     " processes: the rank must be 0 to (processes - 1)");
  }
  if (!(s.timeoutSeconds > 0))
  {
    throw InputError("the rank timeout must be positive");
  }
  auto impl = std::make_unique<Impl>();
  impl->setup = s;
  const bool cuda = cudaStatus().available;
  std::string backend = s.backend;
  if (backend == "auto")
  {
#ifdef MRCAE_WITH_NCCL
    backend = cuda ? "nccl" : "gloo";
#else
    backend = "gloo";
#endif
  }
  if (backend != "gloo" && backend != "nccl")
  {
    throw InputError("the backend must be gloo, nccl or auto (got '" + s.backend + "')");
  }
#ifndef MRCAE_WITH_NCCL
  if (backend == "nccl")
  {
    throw InputError("this build's LibTorch has no NCCL: use the gloo backend (or auto)");
  }
#endif
  (void)cuda;
  impl->backend = backend;
  impl->c10d = std::make_unique<Impl::C10d>();
  Impl::C10d& c = *impl->c10d;
  const std::string where = s.masterAddress + ":" + std::to_string(s.masterPort);
  const std::string me = "rank " + std::to_string(s.rank) + " of " + std::to_string(s.worldSize);
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(s.masterPort);
  options.isServer = s.rank == 0;
  options.numWorkers = s.worldSize;
  options.waitWorkers = false; // the arrival keys below name the ranks that are missing
  options.timeout = timeoutOf(s);
  try
  {
    c.store = c10::make_intrusive<c10d::TCPStore>(s.masterAddress, options);
  }
  catch (const std::exception& e)
  {
    if (s.rank == 0)
    {
      throw RankError(me + ": cannot host the rendezvous at " + where + " (" + firstLine(e.what()) +
                          "): choose another MASTER_PORT",
                      -1);
    }
    throw RankError(me + ": rank 0 did not open the rendezvous at " + where + " within " +
                        std::to_string(static_cast<int>(s.timeoutSeconds)) + " s (" + firstLine(e.what()) +
                        "): start rank 0, or check MASTER_ADDR and MASTER_PORT",
                    0);
  }
  // Arrival: every rank sets its key and waits for all of them; the keys that are missing name the ranks.
  std::vector<std::string> keys;
  for (int r = 0; r < s.worldSize; ++r)
  {
    keys.push_back(arrivedKey(r));
  }
  try
  {
    c.store->set(arrivedKey(s.rank), std::vector<uint8_t>{1});
    c.store->wait(keys, timeoutOf(s));
  }
  catch (const std::exception& e)
  {
    std::vector<int> missing;
    try
    {
      for (int r = 0; r < s.worldSize; ++r)
      {
        if (!c.store->check({arrivedKey(r)}))
        {
          missing.push_back(r);
        }
      }
    }
    catch (const std::exception&)
    {
      missing = {0};
    }
    if (missing.empty())
    {
      throw RankError(me + ": the rendezvous at " + where + " failed (" + firstLine(e.what()) + ")", -1);
    }
    throw RankError(me + ": rank " + listRanks(missing) + " did not arrive at " + where + " within " +
                        std::to_string(static_cast<int>(s.timeoutSeconds)) +
                        " s: start every rank with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE",
                    missing.front());
  }
  try
  {
    c10d::TCPStoreOptions beat = options;
    beat.isServer = false;
    c.heartbeatStore = c10::make_intrusive<c10d::TCPStore>(s.masterAddress, beat);
    if (backend == "gloo")
    {
      auto gloo = c10d::ProcessGroupGloo::Options::create(timeoutOf(s));
      if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"))
      {
        gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
      }
      else
      {
        gloo->devices.push_back(isLoopback(s.masterAddress)
                                    ? c10d::ProcessGroupGloo::createDeviceForHostname(s.masterAddress)
                                    : c10d::ProcessGroupGloo::createDefaultDevice());
      }
      c.group = c10::make_intrusive<c10d::ProcessGroupGloo>(c.store, s.rank, s.worldSize, gloo);
    }
#ifdef MRCAE_WITH_NCCL
    else
    {
      auto nccl = c10d::ProcessGroupNCCL::Options::create();
      nccl->timeout = timeoutOf(s);
      c.group = c10::make_intrusive<c10d::ProcessGroupNCCL>(c.store, s.rank, s.worldSize, nccl);
    }
#endif
  }
  catch (const std::exception& e)
  {
    throw RankError(me + ": cannot connect to the other ranks (" + firstLine(e.what()) + ")", -1);
  }
  c.heartbeat = std::thread([&c, rank = s.rank] {
    long long beat = 0;
    while (!c.stopping)
    {
      try
      {
        const std::string v = std::to_string(++beat);
        c.heartbeatStore->set(aliveKey(rank), std::vector<uint8_t>(v.begin(), v.end()));
      }
      catch (const std::exception&)
      {
        return; // the store is gone; the collectives will say so
      }
      for (int i = 0; i < 10 && !c.stopping; ++i)
      {
        std::this_thread::sleep_for(Millis(100));
      }
    }
  });
  auto group = std::shared_ptr<RankGroup>(new RankGroup(std::move(impl)));
  group->barrier();
  return group;
}

void RankGroup::Impl::sum(torch::Tensor& t)
{
  collective(*this, [&] {
    std::vector<at::Tensor> ts{t};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    c10d->group->allreduce(ts, options)->wait();
  });
}

void RankGroup::Impl::max(torch::Tensor& t)
{
  collective(*this, [&] {
    std::vector<at::Tensor> ts{t};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::MAX;
    c10d->group->allreduce(ts, options)->wait();
  });
}

void RankGroup::Impl::broadcast(torch::Tensor& t, int root)
{
  collective(*this, [&] {
    std::vector<at::Tensor> ts{t};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    c10d->group->broadcast(ts, options)->wait();
  });
}

void RankGroup::Impl::barrier()
{
  // An all-reduce of one number: the same on every backend, and it fails like every other collective.
  torch::Tensor one = torch::ones({1});
  sum(one);
}

#else // no c10d

bool distributedAvailable()
{
  return false;
}

struct RankGroup::Impl::C10d
{
};

RankGroup::Impl::Impl() = default;
RankGroup::Impl::~Impl() = default;

std::shared_ptr<RankGroup> RankGroup::join(const RankSetup&)
{
  throw InputError("this build cannot train on several processes: its LibTorch has no c10d, or the Gloo headers "
                   "(libgloo-dev) were missing when it was configured");
}

void RankGroup::Impl::sum(torch::Tensor&) {}
void RankGroup::Impl::max(torch::Tensor&) {}
void RankGroup::Impl::broadcast(torch::Tensor&, int) {}
void RankGroup::Impl::barrier() {}

#endif

RankGroup::RankGroup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RankGroup::~RankGroup() = default;

int RankGroup::rank() const
{
  return impl_->rank();
}

int RankGroup::size() const
{
  return impl_->size();
}

const RankSetup& RankGroup::setup() const
{
  return impl_->setup;
}

std::string RankGroup::backend() const
{
  return impl_->backend;
}

void RankGroup::barrier()
{
  impl_->barrier();
}

RankGroup::Impl& RankGroup::impl()
{
  return *impl_;
}

} // namespace mrcae
