#pragma once
// A dataset trained on without loading it (issue 15, "Out of core"): our HDF5 layout (DESIGN.md §4, [1,H,W]
// chunks) read a few snapshots at a time, each snapshot exactly as a full load (readDataset, then
// Dataset::conformed) has it: scaled to [0,1] with the range over every snapshot, invalid cells 0, cropped or
// padded to c·2^L − 1. Opening it reads the file through once, for the range, the check for NaN and infinite
// values (refused as a full load refuses them) and the content hash (Dataset::contentHash of the full load, so
// that a model trained on it finds its data again); a file already in [0,1] (what import and generate write)
// needs that one pass, another needs a second one for the hash. No LibTorch here.
//
//   StreamedDataset data(path, options, levels, SizePolicy::Strict);   // one pass over the file
//   data.metadata().field.t;                                           // T, H, W; field.data stays empty
//   std::vector<float> v(n * H * W);  data.read({4, 17, 9}, v.data()); // three snapshots, as a full load
//
// read() may be called from several threads (the trainer's prefetch thread, its own, the window's views); they take
// turns snapshot by snapshot. It is a SnapshotSource too (one snapshot at a time, for the baselines).

#include "mrcae/model/Dataset.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/SnapshotSource.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

class StreamedDataset : public SnapshotSource
{
public:
  /// Opens `path` (options.field and options.maxSnapshots as readDataset) and reads it through once (twice
  /// when its values are not in [0,1]); `progress(done, total)` after each snapshot. Throws InputError: what
  /// SnapshotReader refuses, a size that does not fit `levels` under `policy` (as Dataset::conformed), values
  /// that a full load refuses (NaN or infinite in a valid cell, a constant field), a build without HDF5.
  StreamedDataset(const std::string& path, const ReadOptions& options, int levels, SizePolicy policy,
                  const std::function<void(int done, int total)>& progress = {});
  ~StreamedDataset() override;
  StreamedDataset(StreamedDataset&&) noexcept;
  StreamedDataset& operator=(StreamedDataset&&) noexcept;

  /// Everything of the full load but the values: name, path, units, source, dt, dx, scaling, crop offsets, the
  /// conformed land mask, and field.t/h/w (field.data is empty).
  const Dataset& metadata() const;
  /// Dataset::contentHash of the full load.
  const std::string& contentHash() const;
  /// The size before conforming (for the note that says what was cropped or padded).
  int fileHeight() const;
  int fileWidth() const;
  /// Bytes the full load would take: T·H·W·4.
  std::int64_t bytesInMemory() const;
  /// The file's chunks are deflated (SnapshotReader::compressed): reading them costs about as much as the steps.
  bool compressed() const;

  /// Snapshots `indices` (each 0..T−1) as the full load has them: indices.size()·H·W floats, snapshot-major.
  /// Throws InputError for an index out of range or a file that changed since it was opened.
  void read(const std::vector<int>& indices, float* out) const;

  // SnapshotSource: the conformed size and mask, and one snapshot as the full load has it.
  int snapshots() const override;
  int height() const override;
  int width() const override;
  const Map2D& valid() const override;
  void read(int t, float* out) override;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mrcae
