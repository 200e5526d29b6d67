#pragma once
// The collectives a run over several processes needs, on c10d (RankGroup.cpp is the only file that includes
// c10d's headers: they need USE_DISTRIBUTED and USE_C10D_GLOO). Every operation is in place, blocking, and the
// same on every rank; a rank that is gone turns into RankError naming it. Private: LibTorch.

#include "mrcae/engine/RankGroup.h"

#include <torch/torch.h>

#include <memory>
#include <string>

namespace mrcae
{

struct RankGroup::Impl
{
  RankSetup setup;
  std::string backend; ///< "gloo" or "nccl"

  /// c10d's store and process group, and the heartbeat that tells which rank is gone (RankGroup.cpp).
  struct C10d;
  std::unique_ptr<C10d> c10d;

  Impl();
  ~Impl();

  int rank() const { return setup.rank; }
  int size() const { return setup.worldSize; }

  /// Every rank gets the element-wise sum (max) of every rank's `t`.
  void sum(torch::Tensor& t);
  void max(torch::Tensor& t);
  /// Every rank gets rank `root`'s `t`.
  void broadcast(torch::Tensor& t, int root);
  void barrier();
};

/// The collectives of a trainer: a group of one process (no group) changes nothing and costs nothing.
inline void allSum(RankGroup::Impl* group, torch::Tensor& t)
{
  if (group && group->size() > 1)
  {
    group->sum(t);
  }
}

inline void allMax(RankGroup::Impl* group, torch::Tensor& t)
{
  if (group && group->size() > 1)
  {
    group->max(t);
  }
}

} // namespace mrcae
