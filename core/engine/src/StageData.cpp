#include "StageData.h"

#include "Losses.h"

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

torch::Tensor pixelLossMapOnTrain(const Forward& forward, const StageData& data)
{
  torch::NoGradGuard noGrad;
  return pixelLossMap(forwardNoGrad(forward, data.xTrain), data.xTrain, data.localValid);
}

double globalValError(const Forward& forward, const StageData& data, double w)
{
  torch::NoGradGuard noGrad;
  return globalTotal(forwardNoGrad(forward, data.xVal), data.nativeVal, data, w).item<double>();
}

} // namespace mrcae
