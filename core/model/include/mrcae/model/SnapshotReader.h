#pragma once
// A dataset file read one snapshot at a time, when asked, so that a dataset larger than memory can still be
// browsed (issue 7, "Large inputs"). For our HDF5 layout (DESIGN.md §4: /fields/<name> [T,H,W] in [1,H,W] chunks,
// optional /valid, scaling attributes). No LibTorch and no HDF5 in this header.
//
//   SnapshotReader reader("big.h5");        // reads only the metadata: shape, attributes, the land mask
//   reader.snapshots();                      // T; height(), width(), valid(), originalMin() ...
//   Field s = reader.snapshot(17);           // [1,H,W]: one hyperslab, one chunk of the file
//   double kelvin = reader.toOriginal(s.data[0]);
//
// What it keeps: the path, the field's name and shape, the scaling (original_min / original_max), units, dt, dx,
// the land mask ([H,W]; small), the open file, and the file's identity when it was opened. A snapshot is read into
// a fresh Field and not cached, so memory stays at one snapshot (plus HDF5's chunk cache, 1 MB per dataset).
//
// Values are returned as stored. Files that MrCAE Studio writes (import, generate) hold them scaled to [0,1] with
// 0 in invalid cells, which is what a full load (readDataset) gives too; a foreign file in our layout whose
// values are not in [0,1] is rescaled by a full load but not here (scan() tells the range a full load would use).
//
// A file that changes while it is open: every snapshot() first checks that the file at path() is still the one
// that was opened (the same device and inode, size and modification time). If it was removed, renamed,
// replaced (e.g. saved again through a rename) or rewritten, snapshot() throws an InputError that says so and
// to reopen the file; it never reads a half-written file. The reader can still answer its metadata; for the new
// contents open a new SnapshotReader. unchanged() asks the same question without throwing (for polling).
//
// Threads: a reader belongs to one thread at a time. Debian's HDF5 is built thread-safe, so readers on different
// threads may work at once (the library serialises them).

#include "mrcae/model/Field.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace mrcae
{

class SnapshotReader
{
public:
  /// Opens `path` (our HDF5 layout) and reads its metadata; `field` picks /fields/<field> (empty: the first).
  /// Throws InputError: not found, not HDF5, not our layout, no such field, rank not 3, not numeric, a /valid
  /// of another size, a build without HDF5.
  explicit SnapshotReader(const std::string& path, const std::string& field = "");
  ~SnapshotReader();
  SnapshotReader(SnapshotReader&&) noexcept;
  SnapshotReader& operator=(SnapshotReader&&) noexcept;

  const std::string& path() const;
  const std::string& name() const; ///< the field's name under /fields
  int snapshots() const;           ///< T
  int height() const;              ///< H
  int width() const;               ///< W
  /// Bytes a full load of the field takes as float32: T·H·W·4 (compare with availableMemory in MemoryEstimate.h
  /// to decide whether to load it or browse it).
  std::int64_t bytesInMemory() const;

  /// The field's chunks pass through a filter (deflate, as `mrcae generate` and `mrcae import` write by default):
  /// each read inflates them, which costs a streamed training run about as much as its steps.
  bool compressed() const;

  bool hasMask() const;
  const Map2D& valid() const; ///< [H,W], 1 = valid; empty without /valid
  std::size_t validCells() const;

  /// The file's scaling attributes: a stored v stands for originalMin + v·(originalMax − originalMin); 0 and 1
  /// when the file has none (hasScaling() false).
  double originalMin() const;
  double originalMax() const;
  bool hasScaling() const;
  double toOriginal(float v) const { return originalMin() + v * (originalMax() - originalMin()); }
  const std::string& units() const;
  const std::string& source() const;
  double dt() const;
  double dx() const;

  /// Snapshot `t` (0 ≤ t < snapshots()) as a Field [1,H,W]. Throws InputError for an index out of range, a file
  /// that changed or disappeared since it was opened, or a read that fails.
  Field snapshot(int t);

  /// Throws InputError when the file at path() is no longer the one that was opened (removed, renamed,
  /// replaced or rewritten); the message says what happened and to reopen it.
  void checkUnchanged() const;
  /// The same question without an exception.
  bool unchanged() const noexcept;

  /// What a full load would find, streamed one snapshot at a time (memory stays at one snapshot).
  struct Scan
  {
    double min = 0; ///< over valid cells of every snapshot
    double max = 0;
    bool finite = true;      ///< no NaN or infinity in a valid cell (a full load refuses those)
    std::string contentHash; ///< Dataset::contentHash of the full load; empty when !finite or the field is constant
    int snapshotsRead = 0;   ///< < snapshots() when `progress` stopped it (then nothing else is filled in)
  };
  /// Reads every snapshot once (twice when the values are not already in [0,1]: the hash is over the values a
  /// full load scales). `progress(done, total)` is called after each snapshot; returning false stops.
  Scan scan(const std::function<bool(int done, int total)>& progress = {});

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mrcae
