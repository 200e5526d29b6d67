#include "Losses.h"

namespace mrcae
{

namespace
{

LossParts combine(const torch::Tensor& se, double w, const torch::Tensor& meanMask, const torch::Tensor& maxMask)
{
  // One pass over the batch: the mean over (b, p) is the mean over p of the per-pixel batch mean.
  return lossFromPixelMeans(se.mean(0), w, meanMask, maxMask);
}

} // namespace

LossParts lossFromPixelMeans(const torch::Tensor& perPixelMean, double w, const torch::Tensor& meanMask,
                             const torch::Tensor& maxMask)
{
  LossParts parts;
  torch::Tensor perPixel = perPixelMean.dim() == 4 ? perPixelMean.squeeze(0) : perPixelMean;
  if (meanMask.defined())
  {
    parts.mse = (perPixel * meanMask.squeeze(0)).sum() / (meanMask.sum() * perPixel.size(0));
  }
  else
  {
    parts.mse = perPixel.mean();
  }
  if (maxMask.defined())
  {
    perPixel = perPixel * maxMask.squeeze(0);
  }
  parts.max = perPixel.max();
  parts.total = w * parts.mse + (1.0 - w) * parts.max;
  return parts;
}

torch::Tensor localPixelSums(const torch::Tensor& y, const torch::Tensor& x)
{
  return (y - x).square().sum(0);
}

torch::Tensor globalPixelSums(const torch::Tensor& y, const torch::Tensor& native, int prolongations,
                              const ops::Prolongation& prolong)
{
  torch::Tensor se = prolong.apply(y, prolongations);
  if (prolongations > 0)
  {
    se.sub_(native).square_();
  }
  else
  {
    se = (se - native).square();
  }
  return se.sum(0);
}

LossParts localLoss(const torch::Tensor& y, const torch::Tensor& x, double w, const torch::Tensor& valid)
{
  return combine((y - x).square(), w, valid, valid);
}

LossParts globalLoss(const torch::Tensor& y, const torch::Tensor& native, int prolongations,
                     const ops::Prolongation& prolong, double w, const torch::Tensor& maxMask,
                     const torch::Tensor& meanMask)
{
  torch::Tensor se = prolong.apply(y, prolongations);
  if (prolongations > 0)
  {
    // A fresh tensor (not a view of y): square the difference in place, no extra native-size buffers.
    se.sub_(native).square_();
  }
  else
  {
    se = (se - native).square();
  }
  // ((P y − X)·M)² = (P y − X)²·M for a 0/1 mask.
  return combine(se, w, meanMask, maxMask);
}

torch::Tensor pixelLossMap(const torch::Tensor& y, const torch::Tensor& x, const torch::Tensor& valid)
{
  torch::Tensor e = (y - x).square();
  return pixelLossMapFromStats(e.mean(0, true), std::get<0>(e.max(0, true)), valid);
}

torch::Tensor pixelLossMapFromStats(const torch::Tensor& meanE, const torch::Tensor& maxE, const torch::Tensor& valid)
{
  torch::Tensor l = 0.5 * meanE + 0.5 * maxE;
  if (valid.defined())
  {
    // A code pixel's loss is the mean over the valid cells of its 3×3 footprint (as the losses average over
    // valid cells only); a footprint without any valid cell has no loss, so it counts as resolved. The valid
    // fraction is 0 or at least 1/9, so the clamp only avoids 0/0.
    const torch::Tensor fraction = ops::boxAverage(valid);
    return (ops::boxAverage(l * valid) / fraction.clamp_min(1.0 / 18)).squeeze(0).squeeze(0);
  }
  return ops::boxAverage(l).squeeze(0).squeeze(0);
}

} // namespace mrcae
