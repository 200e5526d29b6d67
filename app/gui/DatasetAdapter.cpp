#include "DatasetAdapter.h"

#include <algorithm>

namespace mrcae::app
{

int DatasetAdapter::levelsWithCrop(int n)
{
  int levels = 0;
  while ((2 << (levels + 1)) - 1 <= n) // 2·2^(L+1) − 1 still fits
  {
    ++levels;
  }
  return levels;
}

int DatasetAdapter::levelsWithPad(int n)
{
  int best = 0;
  for (int levels = 1; levels <= 8; ++levels)
  {
    const int step = 1 << levels;
    const int c = std::max(2, (n + 1 + step - 1) / step); // smallest c with c·2^L − 1 >= n
    if (c * step - 1 <= n + n / 2)
    {
      best = levels;
    }
  }
  return best;
}

void DatasetAdapter::setLevels(mrcae::widgets::DatasetSummary& s)
{
  s.levelsAsIs = std::min(mrcae::Dataset::maxLevelsFor(s.height), mrcae::Dataset::maxLevelsFor(s.width));
  s.levelsWithCrop = std::min(levelsWithCrop(s.height), levelsWithCrop(s.width));
  s.levelsWithPad = std::max(s.levelsAsIs, std::min(levelsWithPad(s.height), levelsWithPad(s.width)));
}

mrcae::widgets::DatasetSummary DatasetAdapter::summarize(const std::shared_ptr<const mrcae::Dataset>& dataset)
{
  mrcae::widgets::DatasetSummary s;
  if (!dataset)
  {
    return s;
  }
  const mrcae::Dataset& d = *dataset;
  s.name = QString::fromStdString(d.name);
  s.path = QString::fromStdString(d.path);
  s.units = QString::fromStdString(d.units);
  s.source = QString::fromStdString(d.source);
  s.snapshots = d.field.t;
  s.height = d.field.h;
  s.width = d.field.w;
  s.originalMin = d.originalMin;
  s.originalMax = d.originalMax;
  setLevels(s);
  // Aliasing shared pointers: the views read the dataset's own arrays while the dataset lives.
  s.field = std::shared_ptr<const mrcae::Field>(dataset, &dataset->field);
  if (d.hasMask())
  {
    s.valid = std::shared_ptr<const mrcae::Map2D>(dataset, &dataset->valid);
    const auto valid = std::count_if(d.valid.data.begin(), d.valid.data.end(), [](float v) { return v > 0.5f; });
    s.validFraction = d.valid.data.empty() ? 1.0 : double(valid) / d.valid.data.size();
  }
  return s;
}

mrcae::SizePolicy DatasetAdapter::policyFromPanel(const QString& name)
{
  if (name == "crop")
  {
    return mrcae::SizePolicy::Crop;
  }
  if (name == "pad-reflect")
  {
    return mrcae::SizePolicy::PadReflect;
  }
  if (name == "pad-periodic")
  {
    return mrcae::SizePolicy::PadPeriodic;
  }
  return mrcae::SizePolicy::Strict;
}

} // namespace mrcae::app
