#include "mrcae/model/Dataset.h"

#include "ContentHash.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/NumberText.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <random>

namespace mrcae
{

std::string toString(SizePolicy p)
{
  switch (p)
  {
  case SizePolicy::Strict: return "strict";
  case SizePolicy::Crop: return "crop";
  case SizePolicy::PadReflect: return "reflect";
  case SizePolicy::PadPeriodic: return "periodic";
  }
  return "strict";
}

SizePolicy sizePolicyFromString(const std::string& s)
{
  if (s == "strict" || s.empty())
  {
    return SizePolicy::Strict;
  }
  if (s == "crop")
  {
    return SizePolicy::Crop;
  }
  if (s == "reflect")
  {
    return SizePolicy::PadReflect;
  }
  if (s == "periodic")
  {
    return SizePolicy::PadPeriodic;
  }
  throw InputError(Problem::UnknownChoice,
                   SettingText("unknown size policy '" + s + "': use crop, reflect or periodic"), Setting::SizePolicy,
                   s);
}

Dataset Dataset::fromRaw(Field raw, Map2D valid, const std::string& name)
{
  if (raw.t < 1)
  {
    throw InputError(Problem::BadData, SettingText("the field '" + name +
                                                   "' has no snapshots: choose data with at "
                                                   "least 5 snapshots"));
  }
  if (raw.h < 1 || raw.w < 1 || raw.data.size() != static_cast<size_t>(raw.t) * raw.h * raw.w)
  {
    throw InputError(Problem::BadData,
                     SettingText("the field '" + name + "' is " + std::to_string(raw.t) + "x" + std::to_string(raw.h) +
                                 "x" + std::to_string(raw.w) + " with " + std::to_string(raw.data.size()) +
                                 " values: it has no cells, or its shape and values disagree"));
  }
  const bool masked = valid.h > 0;
  if (masked && (valid.h != raw.h || valid.w != raw.w))
  {
    throw InputError("the land mask is " + std::to_string(valid.h) + "x" + std::to_string(valid.w) +
                     " but the field is " + std::to_string(raw.h) + "x" + std::to_string(raw.w) +
                     ": use a mask of the field's size");
  }
  size_t validCells = 0;
  for (size_t p = 0; p < raw.frameSize(); ++p)
  {
    validCells += !masked || valid.data[p] > 0.5f;
  }
  if (validCells == 0)
  {
    throw InputError("the land mask marks every cell invalid: nothing is left to train on");
  }
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (int k = 0; k < raw.t; ++k)
  {
    for (int i = 0; i < raw.h; ++i)
    {
      for (int j = 0; j < raw.w; ++j)
      {
        if (masked && valid.at(i, j) <= 0.5f)
        {
          continue;
        }
        const double v = raw.at(k, i, j);
        if (!std::isfinite(v))
        {
          throw InputError("the field '" + name + "' has " + (std::isnan(v) ? "NaN" : "infinite") +
                           " values (first at snapshot " + std::to_string(k) + ", row " + std::to_string(i) +
                           ", column " + std::to_string(j) + "): fill or mask them before training");
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (!(hi > lo))
  {
    throw InputError("the field '" + name + "' is constant (" + number::shortest(lo) +
                     "): it cannot be scaled to [0,1]; choose another variable or time range");
  }
  Dataset d;
  d.name = name;
  d.originalMin = lo;
  d.originalMax = hi;
  d.originalH = raw.h;
  d.originalW = raw.w;
  const double scale = 1.0 / (hi - lo);
  for (int k = 0; k < raw.t; ++k)
  {
    for (size_t p = 0; p < raw.frameSize(); ++p)
    {
      float& v = raw.data[k * raw.frameSize() + p];
      // Invalid cells hold fill values; give them a neutral, finite value.
      v = (masked && valid.data[p] <= 0.5f) ? 0.0f : static_cast<float>((v - lo) * scale);
    }
  }
  d.field = std::move(raw);
  if (masked)
  {
    for (auto& v : valid.data)
    {
      v = v > 0.5f ? 1.0f : 0.0f;
    }
    d.valid = std::move(valid);
  }
  return d;
}

int Dataset::maxLevelsFor(int n)
{
  int levels = 0;
  for (int l = 1; l < 30; ++l)
  {
    const long long p = 1LL << l;
    if ((n + 1) % p == 0 && (n + 1) / p >= 2)
    {
      levels = l;
    }
    else
    {
      break;
    }
  }
  return levels;
}

int Dataset::maxLevels() const
{
  return std::min(maxLevelsFor(field.h), maxLevelsFor(field.w));
}

namespace
{

bool fits(int n, int levels)
{
  const long long p = 1LL << levels;
  return (n + 1) % p == 0 && (n + 1) / p >= 2;
}

/// Source index for target index i of a padded axis (numpy's 'reflect' or 'wrap').
int sourceIndex(int i, int n, bool periodic)
{
  if (periodic)
  {
    return ((i % n) + n) % n;
  }
  if (n == 1)
  {
    return 0;
  }
  const int period = 2 * (n - 1);
  int m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

} // namespace

namespace
{

std::map<std::string, double> sizeNumbers(const Field& f, int levels)
{
  return {{"height", double(f.h)}, {"width", double(f.w)}, {"levels", double(levels)}};
}

} // namespace

// A function-try-block: every refusal below names the file the data came from.
Dataset Dataset::conformed(int levels, SizePolicy policy) const
try
{
  if (fits(field.h, levels) && fits(field.w, levels))
  {
    return *this;
  }
  const long long p = 1LL << levels;
  const long long smallest = 2 * p - 1; // c >= 2: the coarsest level still has a code grid
  if (policy == SizePolicy::Strict)
  {
    if (field.h < smallest || field.w < smallest)
    {
      throw InputError(Problem::SizeDoesNotFit,
                       SettingText() << "size " << field.h << "x" << field.w << " allows at most " << maxLevels()
                                     << " levels, not " << levels << ": use fewer " << Setting::Levels
                                     << ", or pad each side to at least " << smallest << " (" << Setting::SizePolicy
                                     << ")",
                       Setting::SizePolicy, std::string(), sizeNumbers(field, levels));
    }
    // The nearest sizes that fit, below and above.
    auto nearest = [&](int n) {
      const long long down = ((n + 1) / p) * p - 1, up = ((n + 1 + p - 1) / p) * p - 1;
      return down == up ? std::to_string(n) : std::to_string(down) + " or " + std::to_string(up);
    };
    throw InputError(Problem::SizeDoesNotFit,
                     SettingText() << "size " << field.h << "x" << field.w << " does not fit " << levels
                                   << " levels (each side must be c*" << p << "-1: " << nearest(field.h) << " rows, "
                                   << nearest(field.w) << " columns): crop or pad it (" << Setting::SizePolicy << ")",
                     Setting::SizePolicy, std::string(), sizeNumbers(field, levels));
  }
  auto target = [&](int n) -> int {
    if (fits(n, levels))
    {
      return n;
    }
    long long t = policy == SizePolicy::Crop ? ((n + 1) / p) * p - 1 : ((n + 1 + p - 1) / p) * p - 1;
    if (t < 2 * p - 1)
    {
      if (policy == SizePolicy::Crop)
      {
        throw InputError(Problem::SizeDoesNotFit,
                         SettingText() << "a side of " << n << " cells is too small to crop for " << levels
                                       << " levels (needs at least " << 2 * p - 1 << "): use fewer " << Setting::Levels
                                       << " or pad",
                         Setting::Levels, std::string(), sizeNumbers(field, levels));
      }
      t = 2 * p - 1;
    }
    return static_cast<int>(t);
  };
  const int th = target(field.h);
  const int tw = target(field.w);
  // Offsets: positive = rows removed from the top (crop), negative = rows added (pad).
  const int top = (field.h - th) / 2 + ((field.h - th) < 0 && (field.h - th) % 2 ? -1 : 0);
  const int left = (field.w - tw) / 2 + ((field.w - tw) < 0 && (field.w - tw) % 2 ? -1 : 0);
  const bool periodicW = policy == SizePolicy::PadPeriodic;
  Dataset out = *this;
  out.field = Field(field.t, th, tw);
  for (int k = 0; k < field.t; ++k)
  {
    for (int i = 0; i < th; ++i)
    {
      const int si = sourceIndex(i + top, field.h, false);
      for (int j = 0; j < tw; ++j)
      {
        out.field.at(k, i, j) = field.at(k, si, sourceIndex(j + left, field.w, periodicW));
      }
    }
  }
  if (hasMask())
  {
    out.valid = Map2D(th, tw);
    for (int i = 0; i < th; ++i)
    {
      for (int j = 0; j < tw; ++j)
      {
        out.valid.at(i, j) = valid.at(sourceIndex(i + top, field.h, false), sourceIndex(j + left, field.w, periodicW));
      }
    }
  }
  out.cropTop = cropTop + top;
  out.cropLeft = cropLeft + left;
  return out;
}
catch (const InputError& e)
{
  throw path.empty() ? e : e.inFile(path);
}

// A function-try-block: every refusal below names the file the data came from.
void Dataset::checkTrainable(int levels, double trainFraction, double valFraction) const
try
{
  const int maxL = maxLevels();
  if (levels > maxL)
  {
    throw InputError(Problem::SizeDoesNotFit,
                     SettingText() << "size " << field.h << "x" << field.w << " allows at most " << maxL
                                   << " levels, not " << levels << ": use fewer " << Setting::Levels
                                   << ", or crop/pad to c*2^L-1 (" << Setting::SizePolicy << ")",
                     Setting::Levels, std::string(), sizeNumbers(field, levels));
  }
  Split s = makeSplit(field.t, 0, trainFraction, valFraction);
  if (s.train.empty() || s.val.empty())
  {
    throw InputError(Problem::BadData,
                     SettingText() << "only " << field.t
                                   << " snapshots: the split needs at least one training and one validation snapshot "
                                      "(use at least 5 snapshots)",
                     Setting::Snapshots, std::string(), {{"snapshots", double(field.t)}});
  }
}
catch (const InputError& e)
{
  throw path.empty() ? e : e.inFile(path);
}

std::string Dataset::contentHash() const
{
  ContentHash hash;
  int dims[3] = {field.t, field.h, field.w};
  hash.mix(dims, sizeof(dims));
  hash.mix(field.data.data(), field.data.size() * sizeof(float));
  return hash.hex();
}

Split Dataset::makeSplit(int t, std::uint64_t seed, double trainFraction, double valFraction)
{
  std::vector<int> idx(t);
  for (int i = 0; i < t; ++i)
  {
    idx[i] = i;
  }
  // Fisher–Yates with a fixed generator and plain modulo: the same split on every platform.
  std::mt19937_64 rng(seed);
  for (int i = t - 1; i > 0; --i)
  {
    const int j = static_cast<int>(rng() % static_cast<std::uint64_t>(i + 1));
    std::swap(idx[i], idx[j]);
  }
  const int nTrain = static_cast<int>(std::floor(trainFraction * t + 1e-9));
  const int nVal = static_cast<int>(std::floor(valFraction * t + 1e-9));
  Split s;
  s.train.assign(idx.begin(), idx.begin() + nTrain);
  s.val.assign(idx.begin() + nTrain, idx.begin() + nTrain + nVal);
  s.test.assign(idx.begin() + nTrain + nVal, idx.end());
  return s;
}

} // namespace mrcae
