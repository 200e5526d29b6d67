#pragma once
// Data-parallel training over several processes (issue 15, docs/distributed.md): each process is one rank of a
// group that PyTorch's c10d connects (a TCPStore for the rendezvous, Gloo on the CPU, NCCL on CUDA where the
// LibTorch has it). A Trainer given a group trains on its shard of the snapshots and all-reduces what every
// decision needs, so that all ranks take the same steps and end with the same parameters. No LibTorch here.
//
//   if (auto setup = RankSetup::fromEnvironment())          // torchrun's or Slurm's variables
//     group = RankGroup::join(*setup);                       // blocks until every rank arrived (or the timeout)
//   Trainer trainer(data, config, group);                    // every rank the same data and config
//   trainer.run(rank0 ? &observer : nullptr, &stop);         // rank 0 observes, logs and saves; the others don't

#include <memory>
#include <optional>
#include <string>

namespace mrcae
{

/// Where a process sits in its group and how to reach the others.
struct RankSetup
{
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;                       ///< the rank on its machine (picks the CUDA device with NCCL)
  std::string masterAddress = "127.0.0.1"; ///< where rank 0 hosts the rendezvous store
  int masterPort = 29500;
  std::string backend = "auto"; ///< "gloo", "nccl", or "auto": NCCL for a CUDA run where the build has it, else Gloo
  /// Seconds a rank waits for the others (the rendezvous, every collective) before it gives up and says which rank
  /// is missing.
  double timeoutSeconds = 60;

  /// The group from the environment: torchrun's RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT, or Slurm's
  /// SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID (with MASTER_ADDR and MASTER_PORT from the job script). Empty when
  /// neither is set; throws InputError for values that are not numbers or out of range.
  static std::optional<RankSetup> fromEnvironment();
};

/// True when this build can join a group (LibTorch with c10d and the Gloo headers; CMake option MRCAE_WITH_C10D).
bool distributedAvailable();

/// One process's membership of a group. Shared by the trainers of the process (one at a time).
class RankGroup
{
public:
  /// Joins the group: rank 0 hosts the rendezvous store at masterAddress:masterPort; every rank waits up to
  /// timeoutSeconds for the others. Throws RankError naming the ranks that did not arrive, InputError for a
  /// setup that cannot work (a build without c10d, a bad backend).
  static std::shared_ptr<RankGroup> join(const RankSetup& setup);
  ~RankGroup();
  RankGroup(const RankGroup&) = delete;
  RankGroup& operator=(const RankGroup&) = delete;

  int rank() const;
  int size() const;
  const RankSetup& setup() const;
  std::string backend() const; ///< "gloo" or "nccl"

  /// Waits until every rank has arrived here (or throws RankError).
  void barrier();

  struct Impl; ///< the engine's (LibTorch)
  Impl& impl();

private:
  explicit RankGroup(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace mrcae
