#pragma once
// A saved model applied to any dataset of its grid (issue 16): encode snapshots into the multilevel codes
// (mrcae/model/Codes.h), decode codes back into the reconstruction of every encoded level, reconstruct and score
// snapshots directly. The dataset must be in the model's form first (fitToModel, mrcae/model/ModelInput.h:
// the model's grid, land mask and normalisation); it may have any number of snapshots. Torch-free header (pimpl).

#include "mrcae/model/Codes.h"
#include "mrcae/model/Dataset.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/TrainingTypes.h"

#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

/// The errors of one snapshot on its own at one level: the measures of Trainer::evaluate (SPEC §4.1–§4.2,
/// with the model's w and land-mask mode) over a batch of this one snapshot.
struct SnapshotErrors
{
  int snapshot = 0;
  int level = 0;
  LevelErrors errors;
};

class ModelCodec
{
public:
  /// Reads the network of a model file (architecture, weights, maps; no dataset needed) onto `device` ("cpu",
  /// "cuda", "auto"); `threads` > 0 sets LibTorch's intra-op threads (for the whole process). Throws InputError.
  static ModelCodec open(const std::string& modelPath, const std::string& device = "cpu", int threads = 0);
  ~ModelCodec();
  ModelCodec(ModelCodec&&) noexcept;
  ModelCodec& operator=(ModelCodec&&) noexcept;

  const ModelSummary& summary() const;
  /// FNV-1a over the architecture, weights and resolved maps: codes remember the model that made them.
  const std::string& modelHash() const;
  /// Highest trained level (-1 when the model has no stage).
  int trainedLevel() const;
  /// Code values one snapshot takes for level k (LevelCodes::valuesPerSnapshot; SPEC §7.4).
  long long codeValues(int level) const;
  /// Bytes stored once whatever the number of snapshots: the float32 weights (4 per parameter) and the masks
  /// the decoder needs (one bit per code cell of every widened group), rounded up to whole bytes.
  long long modelBytes() const;

  /// The codes of `snapshots` (indices into `data`, which fitToModel brought to the model's form) for `levels`
  /// (empty: every trained level). `source` names the dataset in the codes. Throws InputError.
  EncodedSnapshots encode(const Dataset& data, const std::vector<int>& snapshots, const std::vector<int>& levels = {},
                          const std::string& source = "") const;
  /// The reconstructions rebuilt from codes alone, scaled as the model's data, one Field [n,N_k,W_k] per
  /// codes.levels entry. Throws InputError for codes of another model or of another grid.
  std::vector<Field> decode(const EncodedSnapshots& codes) const;
  /// F_k of the snapshots by the forward pass, for every trained level k (index k).
  std::vector<Field> reconstruct(const Dataset& data, const std::vector<int>& snapshots) const;
  /// Inputs, reconstructions, maps and masks per trained level, as Trainer::snapshot gives them.
  Snapshot snapshot(const Dataset& data, const std::vector<int>& snapshots) const;
  /// Every snapshot's errors at every trained level, snapshot by snapshot (level ascending within each).
  std::vector<SnapshotErrors> perSnapshotErrors(const Dataset& data, const std::vector<int>& snapshots) const;
  /// The errors of the snapshots together at `level`, as Trainer::evaluate scores one part of the split.
  LevelErrors errors(const Dataset& data, const std::vector<int>& snapshots, int level) const;

  struct Impl;

private:
  explicit ModelCodec(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace mrcae
