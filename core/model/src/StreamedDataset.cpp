#include "mrcae/model/StreamedDataset.h"

#include "ContentHash.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/SnapshotReader.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>

namespace mrcae
{

struct StreamedDataset::Impl
{
  mutable SnapshotReader reader;
  mutable std::mutex mutex; ///< one read at a time through the reader
  Dataset metadata;         ///< field.t/h/w set, field.data empty
  std::string hash;
  int levels = 1;
  SizePolicy policy = SizePolicy::Strict;
  bool conform = false; ///< the file's size is not c·2^L − 1: every snapshot is cropped or padded
  double lo = 0, scale = 1;
  Map2D rawValid; ///< the file's mask (0/1), before conforming; empty without one

  Impl(const std::string& path, const std::string& field) : reader(path, field) {}

  /// Snapshot t of the file as the full load has it, into out (H·W after conforming). `identity`: the scaling
  /// is taken as v → v (the first pass, before the range is known).
  void prepare(int t, float* out, bool identity) const { finish(reader.snapshot(t), out, identity); }

  /// A snapshot `f` [1,H,W] as read from the file, scaled and conformed into out.
  void finish(Field f, float* out, bool identity) const
  {
    const bool masked = rawValid.h > 0;
    for (size_t p = 0; p < f.data.size(); ++p)
    {
      float& v = f.data[p];
      // The same arithmetic as Dataset::fromRaw.
      v = (masked && rawValid.data[p] <= 0.5f) ? 0.0f : identity ? v : static_cast<float>((v - lo) * scale);
    }
    if (!conform)
    {
      std::memcpy(out, f.data.data(), f.data.size() * sizeof(float));
      return;
    }
    // The same index mapping as the full load's Dataset::conformed, on this one snapshot.
    Dataset one;
    one.field = std::move(f);
    one.valid = rawValid;
    const Dataset c = one.conformed(levels, policy);
    std::memcpy(out, c.field.data.data(), c.field.data.size() * sizeof(float));
  }
};

StreamedDataset::StreamedDataset(const std::string& path, const ReadOptions& options, int levels, SizePolicy policy,
                                 const std::function<void(int, int)>& progress)
  : impl_(std::make_unique<Impl>(path, options.field))
{
  Impl& m = *impl_;
  SnapshotReader& r = m.reader;
  const int t = options.maxSnapshots > 0 ? std::min(options.maxSnapshots, r.snapshots()) : r.snapshots();
  m.levels = levels;
  m.policy = policy;
  m.rawValid = r.valid();
  if (r.hasMask() && r.validCells() == 0)
  {
    throw InputError("the land mask marks every cell invalid: nothing is left to train on");
  }
  // The conformed size and mask: Dataset::conformed on the mask alone (one zero snapshot) says what the full
  // load would do, and refuses what it would refuse.
  {
    Dataset probe;
    probe.field = Field(1, r.height(), r.width());
    probe.valid = m.rawValid;
    Dataset c = probe.conformed(levels, policy);
    m.conform = c.field.h != r.height() || c.field.w != r.width();
    m.metadata.valid = c.valid;
    m.metadata.cropTop = c.cropTop;
    m.metadata.cropLeft = c.cropLeft;
    m.metadata.field.h = c.field.h;
    m.metadata.field.w = c.field.w;
  }
  m.metadata.field.t = t;
  m.metadata.name = r.name();
  m.metadata.units = r.units();
  m.metadata.source = r.source();
  m.metadata.dt = r.dt();
  m.metadata.dx = r.dx();
  m.metadata.originalH = r.height();
  m.metadata.originalW = r.width();
  std::error_code ec;
  m.metadata.path = std::filesystem::absolute(path, ec).string();

  // One pass: the range over valid cells, finiteness, and the hash of the identity-scaled snapshots (right when
  // the range turns out to be [0,1]).
  const int fileW = r.width();
  const size_t frame = static_cast<size_t>(m.metadata.field.h) * m.metadata.field.w;
  std::vector<float> buffer(frame);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  ContentHash identityHash;
  const int dims[3] = {t, m.metadata.field.h, m.metadata.field.w};
  identityHash.mix(dims, sizeof(dims));
  const bool masked = m.rawValid.h > 0;
  for (int k = 0; k < t; ++k)
  {
    Field f = r.snapshot(k);
    for (size_t p = 0; p < f.data.size(); ++p)
    {
      if (masked && m.rawValid.data[p] <= 0.5f)
      {
        continue;
      }
      const double v = f.data[p];
      if (!std::isfinite(v))
      {
        throw InputError("the field '" + r.name() + "' has " + (std::isnan(v) ? "NaN" : "infinite") +
                         " values (first at snapshot " + std::to_string(k) + ", row " +
                         std::to_string(static_cast<int>(p) / fileW) + ", column " +
                         std::to_string(static_cast<int>(p) % fileW) + "): fill or mask them before training");
      }
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    m.finish(std::move(f), buffer.data(), true);
    identityHash.mix(buffer.data(), frame * sizeof(float));
    if (progress)
    {
      progress(k + 1, t);
    }
  }
  if (!(hi > lo))
  {
    throw InputError("the field '" + r.name() + "' is constant (" + std::to_string(lo) +
                     "): it cannot be scaled to [0,1]; choose another variable or time range");
  }
  m.lo = lo;
  m.scale = 1.0 / (hi - lo);
  // As readDataset: the file's own range attributes compose with this scaling.
  const double a = r.originalMin(), b = r.originalMax();
  m.metadata.originalMin = r.hasScaling() ? a + lo * (b - a) : lo;
  m.metadata.originalMax = r.hasScaling() ? a + hi * (b - a) : hi;
  if (lo == 0.0 && hi == 1.0)
  {
    m.hash = identityHash.hex();
    return;
  }
  ContentHash hash;
  hash.mix(dims, sizeof(dims));
  for (int k = 0; k < t; ++k)
  {
    m.prepare(k, buffer.data(), false);
    hash.mix(buffer.data(), frame * sizeof(float));
  }
  m.hash = hash.hex();
}

StreamedDataset::~StreamedDataset() = default;
StreamedDataset::StreamedDataset(StreamedDataset&&) noexcept = default;
StreamedDataset& StreamedDataset::operator=(StreamedDataset&&) noexcept = default;

const Dataset& StreamedDataset::metadata() const
{
  return impl_->metadata;
}

const std::string& StreamedDataset::contentHash() const
{
  return impl_->hash;
}

bool StreamedDataset::compressed() const
{
  return impl_->reader.compressed();
}

int StreamedDataset::fileHeight() const
{
  return impl_->reader.height();
}

int StreamedDataset::fileWidth() const
{
  return impl_->reader.width();
}

std::int64_t StreamedDataset::bytesInMemory() const
{
  const Field& f = impl_->metadata.field;
  return static_cast<std::int64_t>(f.t) * f.h * f.w * static_cast<std::int64_t>(sizeof(float));
}

void StreamedDataset::read(const std::vector<int>& indices, float* out) const
{
  const Impl& m = *impl_;
  const Field& f = m.metadata.field;
  const size_t frame = static_cast<size_t>(f.h) * f.w;
  for (size_t i = 0; i < indices.size(); ++i)
  {
    if (indices[i] < 0 || indices[i] >= f.t)
    {
      throw InputError(m.metadata.path + ": snapshot " + std::to_string(indices[i]) + " is out of range (0.." +
                       std::to_string(f.t - 1) + ")");
    }
    // One snapshot at a time: a reader on another thread (the window's views) waits for one read, not a batch.
    std::lock_guard<std::mutex> lock(m.mutex);
    m.prepare(indices[i], out + i * frame, false);
  }
}

int StreamedDataset::snapshots() const
{
  return impl_->metadata.field.t;
}

int StreamedDataset::height() const
{
  return impl_->metadata.field.h;
}

int StreamedDataset::width() const
{
  return impl_->metadata.field.w;
}

const Map2D& StreamedDataset::valid() const
{
  return impl_->metadata.valid;
}

void StreamedDataset::read(int t, float* out)
{
  read(std::vector<int>{t}, out);
}

} // namespace mrcae
