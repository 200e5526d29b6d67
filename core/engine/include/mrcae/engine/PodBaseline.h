#pragma once
// The POD baseline (issue 16): the truncated SVD of the training snapshot matrix, the standard reduced basis of
// fluid dynamics. A snapshot is stored as its r coefficients on the first r modes; the mean and the modes are
// stored once. Computed by the method of snapshots: the Gram matrix G = Xc·Xcᵀ of the centred training snapshots
// (n×n, float64) is accumulated block by block from a SnapshotSource, so the snapshot matrix never has to fit in
// memory; its eigenvectors V and eigenvalues σ² give the modes Φ = Xcᵀ·V·σ⁻¹ in one more pass. Only valid cells
// (the land mask) take part. Torch-free header (pimpl).

#include "mrcae/model/Field.h"
#include "mrcae/model/SnapshotSource.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <memory>
#include <vector>

namespace mrcae
{

struct PodOptions
{
  bool centre = true; ///< subtract the training mean first (stored once)
  int maxRank = 0;    ///< modes to keep at most (0: every mode whose singular value is above rounding)
  /// Bytes of snapshots held at once while the Gram matrix is accumulated (0: 1 GB). The matrix is read in
  /// blocks of as many snapshots as fit; one block = in core.
  long long memoryBytes = 0;
};

class PodBasis
{
public:
  /// Builds the basis from the snapshots `train` of `source`. Throws InputError (no training snapshot, no
  /// valid cell, a snapshot that cannot be read).
  static PodBasis compute(SnapshotSource& source, const std::vector<int>& train, const PodOptions& options = {});
  ~PodBasis();
  PodBasis(PodBasis&&) noexcept;
  PodBasis& operator=(PodBasis&&) noexcept;

  /// Singular values of the (centred) training matrix, descending, one per training snapshot.
  const std::vector<double>& singularValues() const;
  int modes() const;      ///< modes kept (the largest rank a reconstruction can use)
  int blocks() const;     ///< blocks the Gram matrix was accumulated in (1 = in core)
  int validCells() const; ///< cells per snapshot that take part
  /// Bytes stored once for a rank-r reconstruction: the mean (when centred) and r modes over the valid cells,
  /// float32.
  long long onceBytes(int rank) const;
  /// Bytes per snapshot: its r float32 coefficients.
  static long long bytesPerSnapshot(int rank) { return 4LL * rank; }

  /// The rank-r reconstruction (r is capped at modes()) of `snapshots`, [n,H,W], invalid cells 0.
  Field reconstruct(SnapshotSource& source, const std::vector<int>& snapshots, int rank) const;
  /// The errors of the rank-r reconstructions of `snapshots` for every r of `ranks` (each capped at modes()),
  /// in the measures of Trainer::evaluate at the native level: w·MSE + (1−w)·max over cells of the mean over
  /// snapshots, the land mask as `mode` says. Local and global measures are the same at the native level.
  std::vector<LevelErrors> errors(SnapshotSource& source, const std::vector<int>& snapshots,
                                  const std::vector<int>& ranks, double w, LandMaskMode mode) const;

  struct Impl;

private:
  explicit PodBasis(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace mrcae
