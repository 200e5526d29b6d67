#include "PixelErrorSum.h"

namespace mrcae
{

void PixelErrorSum::add(const torch::Tensor& reconstruction, const torch::Tensor& data)
{
  if (reconstruction.size(0) == 0)
  {
    return;
  }
  torch::Tensor se = (reconstruction.to(torch::kFloat64) - data.to(torch::kFloat64)).square().sum(0);
  sum_ = sum_.defined() ? sum_ + se : se;
  count_ += reconstruction.size(0);
}

LossParts PixelErrorSum::result(double w, const torch::Tensor& maxMask, const torch::Tensor& meanMask) const
{
  if (count_ == 0)
  {
    const torch::Tensor zero = torch::zeros({}, torch::kFloat64);
    return {zero, zero, zero};
  }
  auto asDouble = [](const torch::Tensor& m) { return m.defined() ? m.to(torch::kFloat64) : m; };
  return lossFromPixelMeans(sum_ / static_cast<double>(count_), w, asDouble(meanMask), asDouble(maxMask));
}

LevelErrors PixelErrorSum::nativeErrors(double w, const Map2D& valid, LandMaskMode mode) const
{
  torch::Tensor maxMask, meanMask;
  if (valid.h > 0)
  {
    maxMask = torch::from_blob(const_cast<float*>(valid.data.data()), {1, 1, valid.h, valid.w}, torch::kFloat32)
                  .to(torch::kFloat64);
    meanMask = mode == LandMaskMode::Consistent ? maxMask : torch::Tensor();
  }
  const LossParts parts = result(w, maxMask, meanMask);
  LevelErrors e;
  e.globalMse = e.localMse = parts.mse.item<double>();
  e.globalMax = e.localMax = parts.max.item<double>();
  e.global = e.local = parts.total.item<double>();
  return e;
}

} // namespace mrcae
