#include "OnDemandDataset.h"

#include "DatasetAdapter.h"

#include "mrcae/model/Dataset.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/MemoryEstimate.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>

namespace mrcae::app
{

std::shared_ptr<OnDemandDataset> OnDemandDataset::openIfTooLarge(const QString& path, std::int64_t limitBytes)
{
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == "npy" || !QFileInfo::exists(path))
  {
    return nullptr;
  }
  if (limitBytes < 0)
  {
    const mrcae::MemoryBudget budget = mrcae::availableMemory(false);
    if (budget.bytes < 0)
    {
      return nullptr; // unknown: load it as before
    }
    limitBytes = budget.bytes / 2;
  }
  try
  {
    auto opened = std::make_shared<OnDemandDataset>(path);
    // Without its scaling attributes a file's values are scaled by their own range, which only a full read
    // finds: such a file goes through the full load, which says whether it fits.
    return opened->reader().bytesInMemory() > limitBytes && opened->reader().hasScaling() ? opened : nullptr;
  }
  catch (const std::exception&)
  {
    return nullptr;
  }
}

OnDemandDataset::OnDemandDataset(const QString& path) : path_(path), reader_(path.toStdString()) {}

const mrcae::Field& OnDemandDataset::snapshot(int t)
{
  if (t != cachedIndex_)
  {
    cachedIndex_ = -1; // nothing cached if the read throws
    cached_ = reader_.snapshot(t);
    cachedIndex_ = t;
  }
  else
  {
    reader_.checkUnchanged(); // the cached values must still be the file's
  }
  return cached_;
}

mrcae::widgets::DatasetSummary OnDemandDataset::summary(const std::shared_ptr<OnDemandDataset>& self) const
{
  mrcae::widgets::DatasetSummary s;
  const mrcae::SnapshotReader& r = reader_;
  s.name = QString::fromStdString(r.name());
  s.path = path_;
  s.units = QString::fromStdString(r.units());
  s.source = QString::fromStdString(r.source());
  s.snapshots = r.snapshots();
  s.height = r.height();
  s.width = r.width();
  // The file's own scaling attributes (a scan of every snapshot would read the whole file).
  s.originalMin = r.originalMin();
  s.originalMax = r.originalMax();
  DatasetAdapter::setLevels(s);
  if (r.hasMask())
  {
    s.valid = std::shared_ptr<const mrcae::Map2D>(self, &self->reader_.valid());
    s.validFraction = double(r.validCells()) / (double(r.height()) * r.width());
  }
  s.bytesInMemory = static_cast<double>(r.bytesInMemory());
  std::weak_ptr<OnDemandDataset> weak = self;
  s.readSnapshot = [weak](int t) -> mrcae::Field {
    const auto d = weak.lock();
    if (!d)
    {
      throw mrcae::InputError("the dataset was closed");
    }
    return d->snapshot(t);
  };
  return s;
}

QString OnDemandDataset::benchmarkNote() const
{
  return QCoreApplication::translate("OnDemandDataset",
                                     "%1 takes %2 GB as float32, more than half the memory available, so it is "
                                     "shown one snapshot at a time. Train reads it from the file in batches; the "
                                     "benchmark needs it loaded: run mrcae benchmark %3 --snapshots N, or open it "
                                     "with a higher mrcae-studio --load-limit.")
      .arg(QString::fromStdString(reader_.name()))
      .arg(reader_.bytesInMemory() / 1e9, 0, 'f', 2)
      .arg(QFileInfo(path_).fileName());
}

} // namespace mrcae::app
