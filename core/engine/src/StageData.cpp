#include "StageData.h"

#include "Losses.h"
#include "ShardFeed.h"

#include <algorithm>
#include <vector>

namespace mrcae
{

torch::Tensor forwardNoGrad(const Forward& forward, const torch::Tensor& x)
{
  torch::NoGradGuard noGrad;
  const int64_t chunk = 128;
  if (x.size(0) <= chunk)
  {
    return forward(x);
  }
  std::vector<torch::Tensor> parts;
  for (int64_t s = 0; s < x.size(0); s += chunk)
  {
    parts.push_back(forward(x.slice(0, s, std::min(s + chunk, x.size(0)))));
  }
  return torch::cat(parts, 0);
}

torch::Tensor globalTotal(const torch::Tensor& y, const torch::Tensor& native, const StageData& data, double w)
{
  return globalLoss(y, native, data.prolongations, *data.prolong, w, data.maxMask, data.meanMask).total;
}

torch::Tensor zeroLevelMap(const StageData& data)
{
  const int64_t h = data.maxMask.size(2), w = data.maxMask.size(3);
  const int64_t s = int64_t(1) << data.prolongations;
  return torch::zeros({1, (h + 1) / s - 1, (w + 1) / s - 1}, data.maxMask.options());
}

torch::Tensor zeroNativeMap(const StageData& data)
{
  return torch::zeros({1, data.maxMask.size(2), data.maxMask.size(3)}, data.maxMask.options());
}

PartSums partSums(const Forward& forward, const StageData& data, ShardFeed::Part part)
{
  torch::NoGradGuard noGrad;
  PartSums sums{zeroLevelMap(data), data.globalIsLocal ? torch::Tensor() : zeroNativeMap(data)};
  data.feed->forEach(part, data.level, [&](const ShardFeed::Snapshots& s) {
    const torch::Tensor y = forwardNoGrad(forward, s.level);
    sums.local += localPixelSums(y, s.level);
    if (!data.globalIsLocal)
    {
      sums.global += globalPixelSums(y, s.native, data.prolongations, *data.prolong);
    }
  });
  if (data.globalIsLocal)
  {
    sums.global = sums.local;
  }
  return sums;
}

torch::Tensor pixelLossMapOnTrain(const Forward& forward, const StageData& data)
{
  torch::NoGradGuard noGrad;
  if (!data.partitioned())
  {
    return pixelLossMap(forwardNoGrad(forward, data.xTrain), data.xTrain, data.localValid);
  }
  // mean_t e and max_t e over every rank's chunks: sums and maxima add up exactly across parts.
  torch::Tensor sum, max;
  data.feed->forEach(ShardFeed::Part::Train, data.level, [&](const ShardFeed::Snapshots& s) {
    const torch::Tensor e = (forwardNoGrad(forward, s.level) - s.level).square();
    const torch::Tensor chunkSum = e.sum(0, true), chunkMax = std::get<0>(e.max(0, true));
    sum = sum.defined() ? sum + chunkSum : chunkSum;
    max = max.defined() ? torch::maximum(max, chunkMax) : chunkMax;
  });
  if (!sum.defined())
  {
    // None of the training snapshots is this rank's: it adds nothing (the errors are >= 0).
    sum = zeroLevelMap(data).unsqueeze(0);
    max = sum.clone();
  }
  allSum(data.group, sum);
  allMax(data.group, max);
  return pixelLossMapFromStats(sum / static_cast<double>(data.feed->total(ShardFeed::Part::Train)), max,
                               data.localValid);
}

double globalValError(const Forward& forward, const StageData& data, double w)
{
  torch::NoGradGuard noGrad;
  if (!data.partitioned())
  {
    return globalTotal(forwardNoGrad(forward, data.xVal), data.nativeVal, data, w).item<double>();
  }
  torch::Tensor sum = partSums(forward, data, ShardFeed::Part::Val).global;
  allSum(data.group, sum);
  return lossFromPixelMeans(sum / static_cast<double>(data.feed->total(ShardFeed::Part::Val)), w, data.meanMask,
                            data.maxMask)
      .total.item<double>();
}

} // namespace mrcae
