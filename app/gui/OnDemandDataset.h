#pragma once
// A dataset file too large to load, browsed one snapshot at a time (issue 7, "Large inputs"): the window shows
// its shape, scaling and land mask, and the time slider reads each snapshot from the file when it is shown.
// The last snapshot read is kept, so the dataset preview and the level views share one read per slider move.
// Train reads such a file in batches as training goes (StreamedDataset, issue 15); the benchmark needs it loaded.

#include "DatasetSummary.h"

#include "mrcae/model/SnapshotReader.h"

#include <QString>

#include <cstdint>
#include <memory>

namespace mrcae::app
{

class OnDemandDataset
{
public:
  /// `path` opened for browsing when a full load of it (our HDF5 layout) would take more than `limitBytes` (a
  /// negative limit: half the memory available now); null otherwise. Files that cannot be opened this way (.npy,
  /// foreign HDF5, unreadable, without the scaling attributes our tools write) answer null and go through the
  /// usual full load, which reports their problems.
  static std::shared_ptr<OnDemandDataset> openIfTooLarge(const QString& path, std::int64_t limitBytes);

  /// Opens the file (metadata and land mask only); throws InputError as SnapshotReader does.
  explicit OnDemandDataset(const QString& path);

  const mrcae::SnapshotReader& reader() const { return reader_; }
  QString path() const { return path_; }
  /// Snapshot t as [1, H, W]; throws InputError when the file changed or went away since it was opened.
  const mrcae::Field& snapshot(int t);
  /// Why the benchmark cannot run on it in the window, and what to do instead.
  QString benchmarkNote() const;
  /// What the dataset panel shows; its readSnapshot reads through this object, which must outlive it.
  mrcae::widgets::DatasetSummary summary(const std::shared_ptr<OnDemandDataset>& self) const;

private:
  QString path_;
  mrcae::SnapshotReader reader_;
  int cachedIndex_ = -1;
  mrcae::Field cached_;
};

} // namespace mrcae::app
