#pragma once
// Snapshots one at a time, scaled as a model uses them ([0,1] over a given range, invalid cells 0), from a
// dataset in memory or streamed from one of our HDF5 files (SnapshotReader): what the baselines (POD, ZFP) read,
// so that they work out of core when the snapshot matrix does not fit in memory.

#include "mrcae/model/Dataset.h"
#include "mrcae/model/SnapshotReader.h"

#include <memory>
#include <string>

namespace mrcae
{

class SnapshotSource
{
public:
  virtual ~SnapshotSource() = default;
  virtual int snapshots() const = 0;
  virtual int height() const = 0;
  virtual int width() const = 0;
  /// [H,W], 1 = valid; empty (0x0) = every cell valid.
  virtual const Map2D& valid() const = 0;
  /// Writes snapshot t (H·W values, row-major) to `out`.
  virtual void read(int t, float* out) = 0;
  size_t frameSize() const { return static_cast<size_t>(height()) * width(); }
};

/// A dataset in memory (its values as they are: already scaled).
class DatasetSource : public SnapshotSource
{
public:
  explicit DatasetSource(const Dataset& data) : data_(data) {}
  int snapshots() const override { return data_.field.t; }
  int height() const override { return data_.field.h; }
  int width() const override { return data_.field.w; }
  const Map2D& valid() const override { return data_.valid; }
  void read(int t, float* out) override;

private:
  const Dataset& data_;
};

/// One of our HDF5 datasets read snapshot by snapshot: stored values are taken to original units with the
/// file's scaling attributes and scaled to [0,1] over [targetMin, targetMax] (a model's range, or the file's
/// own with SnapshotReader::Scan); invalid cells are 0.
class FileSource : public SnapshotSource
{
public:
  FileSource(const std::string& path, const std::string& field, double targetMin, double targetMax);
  int snapshots() const override { return reader_.snapshots(); }
  int height() const override { return reader_.height(); }
  int width() const override { return reader_.width(); }
  const Map2D& valid() const override { return reader_.valid(); }
  void read(int t, float* out) override;

private:
  SnapshotReader reader_;
  double targetMin_, targetSpan_;
};

} // namespace mrcae
