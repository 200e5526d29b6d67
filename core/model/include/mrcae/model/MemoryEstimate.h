#pragma once
// The memory a training run will need, estimated from its settings and the data's shape before anything is
// allocated, and the memory the machine can give. The trainer checks one against the other before it uploads the
// data, and refuses a run that does not fit with an InputError that says what to change, instead of failing
// inside LibTorch halfway through a stage. No LibTorch here: the application can show the estimate.
//
// The model, in float32 values (4 bytes each), with n_k × w_k the size of level k (SPEC §1.5), q_k the number of
// cells of its code grid ((n_k−1)/2 · (w_k−1)/2), C_k = archs[k].back() its channels and G_k its groups in the
// final architecture, K = L−1 the finest level, H × W the native size, T snapshots, t / v the training and
// validation snapshots, b = min(batch, t):
//   data        = (T + 1) · (H·W + Σ_k n_k·w_k)    every snapshot at native resolution, every level's
//                                                   train/val/test data (Trainer keeps both, SPEC §8.5), and the
//                                                   valid-cell masks (the "+ 1")
//   batch       = b · 2·H·W when b < t             the gathered batch at the finest level and at native size
//   activations = max(step, check)
//     step      = b · (2·F + 2·H·W) + v · E         one step: the forward kept for backward and its gradients
//                                                   (2·F), the loss buffers, and the validation forward without
//                                                   autograd
//     check     = 4·t·H·W + min(t, 128) · E         the tolerance check and the evaluation on the training set:
//                                                   the chunks and their concatenation, then output, difference
//                                                   and squares of every training snapshot
//     F         = Σ_{k≤K} (2·C_k·q_k + 2·n_k·w_k)  per snapshot: a forward through every level with autograd
//     E         = Σ_{k≤K} C_k·q_k + 3·H·W + 2·H·W  per snapshot: a forward without autograd, its loss, the metric
//   parameters  = 10·P + 2·Σ_k C_k·q_k + 4·S        weights, gradients, Adam's two moments, the best state and
//                                                   the saved stage state; the code masks; the step losses of the
//                                                   longest stage (S steps); P = Σ_k (19·C_k + G_k)
// Measured against the growth of the peak resident memory of `mrcae train` on toy1 at 127², 255² and 511²
// (README.md, "Large inputs") it is 20–30 % above with full batches and within 10 % with small ones (the
// allocator's fragmentation and the threads' arenas come on top). The process itself (LibTorch, the dataset as read from its file) is not in it: it is already
// allocated when the check runs, so it is no longer in the available memory either.

#include "mrcae/model/TrainingConfig.h"

#include <cstdint>
#include <string>

namespace mrcae
{

/// Bytes, by what holds them.
struct MemoryEstimate
{
  std::int64_t data = 0;        ///< resident for the whole run on the training device
  std::int64_t batch = 0;       ///< the gathered batch (0 with full-batch steps)
  std::int64_t activations = 0; ///< max(step, check): the largest transient need, at the finest level
  std::int64_t step = 0;        ///< one training step at the finest level
  std::int64_t check = 0;       ///< the tolerance check / evaluation over the training set
  std::int64_t parameters = 0;  ///< weights, gradients, Adam, best and saved states, masks, step losses
  int level = 0;                ///< the finest level (where the activations are largest)
  int batchSize = 0;            ///< snapshots per step: min(batch, training snapshots)
  int trainSnapshots = 0;
  int valSnapshots = 0;

  std::int64_t total() const { return data + batch + activations + parameters; }
};

/// The estimate for `config` on `t` snapshots of h × w split as Dataset::makeSplit splits them (the config's
/// fractions). Sizes that are not c·2^L − 1 are taken as the level sizes they would give.
MemoryEstimate estimateTrainingMemory(const TrainingConfig& config, int t, int h, int w);
/// The same with the split's sizes given.
MemoryEstimate estimateTrainingMemory(const TrainingConfig& config, int t, int h, int w, int trainSnapshots,
                                      int valSnapshots);

/// Memory the machine can give now.
struct MemoryBudget
{
  std::int64_t bytes = -1; ///< < 0: unknown (nothing is checked)
  std::string source;      ///< where the number comes from, for messages: "MemAvailable", "the cgroup limit", ...
};

/// On the CPU: MemAvailable of /proc/meminfo, or the memory cgroup's limit less its usage when that is lower (a
/// container). On CUDA: the free memory of the current device (cudaMemGetInfo, looked up at run time in the CUDA
/// runtime LibTorch has loaded, so that every build compiles; unknown when it is not there).
MemoryBudget availableMemory(bool cuda);

/// The budget a run gets: config.memoryLimitGb when it is positive (the memory-limit setting), else
/// availableMemory.
MemoryBudget memoryBudget(const TrainingConfig& config, bool cuda);

/// Throws InputError (one line) when `estimate` (for t snapshots of h × w) exceeds `budget`: how much is needed,
/// by part, how much there is and where that number comes from, and what would fit (the largest batch, the most
/// snapshots, or a crop). An unknown budget checks nothing.
void checkMemory(const TrainingConfig& config, const MemoryEstimate& estimate, const MemoryBudget& budget, int t, int h,
                 int w, const std::string& deviceName);

/// True when a run that loads the whole dataset fits `budget`: the estimate plus the dataset as read (T·H·W
/// float32, held by the caller while the trainer copies it). An unknown budget fits.
bool fitsInMemory(const TrainingConfig& config, int t, int h, int w, const MemoryBudget& budget);

/// The process's resident memory now (VmRSS), or -1 when unknown.
std::int64_t residentBytes();

/// How a streamed run (StreamedDataset, issue 15) uses its memory: the training batches come from the file (the
/// one in use and the next one, read ahead); the validation and test snapshots stay in memory when they fit,
/// else every evaluation reads them again in chunks. With several processes, the counts are one rank's shard.
///   resident   = (resident snapshots + 1) · D          D = 4·(H·W + Σ_k n_k·w_k): a snapshot at native size and
///                                                       every level (the "+ 1": the valid-cell masks)
///   batches    = 3 · b · 4·H·W + b · D                  the batch read ahead, the one read, and in use
///   step       = 4·b·(2·F + 2·H·W) + 4·c·E + c · D      one step and one evaluation chunk of c snapshots
///   parameters = as MemoryEstimate
/// with F and E as in estimateTrainingMemory, b = min(batch, training snapshots). A full batch keeps the
/// training snapshots in memory (read once).
struct StreamPlan
{
  int evalChunk = 0;               ///< snapshots per evaluation chunk
  bool residentEvaluation = false; ///< validation and test snapshots kept in memory
  bool residentTraining = false;   ///< full batch: the training snapshots kept in memory
  std::int64_t bytes = 0;          ///< the plan's estimate
};

/// The plan for `config` on a shard of `train`, `val` and `test` snapshots of h × w that fits `budgetBytes`:
/// evaluation in memory if it fits, else the largest chunk (at most 128). Throws InputError (one line: what is
/// needed, what there is, the largest batch that fits) when not even chunks of one snapshot fit. `heldBytes`:
/// what the process holds already (LibTorch, metadata) out of a budget that caps the whole process.
StreamPlan planStreamedTraining(const TrainingConfig& config, int h, int w, int train, int val, int test,
                                std::int64_t budgetBytes, const std::string& budgetSource, std::int64_t heldBytes = 0);

/// "1.23 GB" (1e9 bytes), "45.6 MB", "789 kB".
std::string formatBytes(std::int64_t bytes);

} // namespace mrcae
