#pragma once
// The snapshots one process trains on when the data are partitioned (issue 15): read from the file in batches
// (StreamedDataset), or this rank's shard of a run over several processes, or both. A rank owns every world-th
// snapshot of each part of the split (positions rank, rank + world, ...), keeps in memory what the plan allows
// and reads the rest when it is needed, the next training batch in the background. Every rank calls the same
// methods in the same order; the feed does no collectives itself. Private: LibTorch.

#include "Prefetcher.h"
#include "mrcae/model/Dataset.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/StreamedDataset.h"

#include <torch/torch.h>

#include <array>
#include <functional>
#include <memory>
#include <vector>

namespace mrcae
{

class ShardFeed
{
public:
  enum class Part
  {
    Train = 0,
    Val = 1,
    Test = 2
  };

  /// Snapshots at one level and at native resolution, on the device; n may be 0 (none of them is this rank's).
  struct Snapshots
  {
    torch::Tensor level;  ///< (n,1,N_k,W_k)
    torch::Tensor native; ///< (n,1,H,W)
  };

  /// `data` holds the values (stream null) or only the metadata (stream set); `validNative` (1,1,H,W) on the
  /// device; `fillInvalid`: invalid cells read as 0 (consistent land-mask mode); `plan` says what stays in memory
  /// (null: everything of this rank's shard).
  ShardFeed(const Dataset& data, std::shared_ptr<const StreamedDataset> stream, const Split& split, int rank, int world,
            int levels, const torch::Tensor& validNative, bool fillInvalid, const torch::Device& device,
            const StreamPlan* plan);
  ~ShardFeed();

  /// Snapshots in `part` over all ranks, and this rank's.
  int64_t total(Part part) const;
  int64_t mine(Part part) const;
  /// True when training batches are read from the file.
  bool streamsTraining() const { return !resident_[0]; }

  /// This rank's snapshots among `positions` (indices into split.train; the same list on every rank) at `level`.
  Snapshots batch(int level, const std::vector<int64_t>& positions);
  /// Reads this rank's snapshots among `positions` in the background, for the next batch().
  void prefetch(const std::vector<int64_t>& positions);
  /// This rank's snapshots of `part` at `level`, chunk by chunk (one chunk when they are in memory).
  void forEach(Part part, int level, const std::function<void(const Snapshots&)>& visit);
  /// Snapshots by dataset index at native resolution, on the device (any index: views, codes).
  torch::Tensor snapshots(const std::vector<int>& indices);

  /// Prefetch statistics of the training batches (Prefetcher::hits/misses).
  long long prefetchHits() const;
  long long prefetchMisses() const;

private:
  /// Dataset indices of this rank's positions among `positions` of the training part.
  std::vector<int> mineOf(const std::vector<int64_t>& positions) const;
  /// (n,1,H,W) on the device from host values, invalid cells filled.
  torch::Tensor upload(std::vector<float> values, int64_t n) const;
  torch::Tensor read(const std::vector<int>& indices);
  Snapshots atLevel(const torch::Tensor& native, int level) const;

  const Dataset& data_;
  std::shared_ptr<const StreamedDataset> stream_;
  int rank_, world_, levels_;
  torch::Tensor validNative_;
  bool fillInvalid_;
  torch::Device device_;
  int evalChunk_ = 128;
  std::array<std::vector<int>, 3> split_;                ///< the dataset indices of each part (all ranks)
  std::array<std::vector<int>, 3> mine_;                 ///< this rank's dataset indices of each part
  std::array<bool, 3> resident_{{true, true, true}};     ///< the part is in memory
  std::array<std::vector<torch::Tensor>, 3> residentAt_; ///< [part][k] at level k, and [part][levels] native
  std::unique_ptr<Prefetcher> trainReads_, evalReads_;
};

} // namespace mrcae
