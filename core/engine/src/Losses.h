#pragma once
// The losses of SPEC.md §4.1–§4.2 and the pixel loss map of §3. Private: LibTorch.

#include "Operators.h"

#include <torch/torch.h>

namespace mrcae
{

/// Three parts of a loss: w·mse + (1−w)·max.
struct LossParts
{
  torch::Tensor mse;
  torch::Tensor max;
  torch::Tensor total;
};

/// ℓ(y,x) = w·mean (y−x)² + (1−w)·max_p mean_b (y−x)². With `valid` (1,1,H,W), means and max run over
/// valid cells only (LandMaskMode::Consistent); an undefined `valid` means every cell.
LossParts localLoss(const torch::Tensor& y, const torch::Tensor& x, double w, const torch::Tensor& valid = {});

/// g = w·mean (Pⁿy − X)² + (1−w)·max_p mean_b ((Pⁿy − X)·M)², n = prolongations to the native grid.
/// `maxMask` is M (the reference applies the land mask only here); `meanMask`, when defined, also restricts the
/// mean to valid cells (consistent mode).
LossParts globalLoss(const torch::Tensor& y, const torch::Tensor& native, int prolongations,
                     const ops::Prolongation& prolong, double w, const torch::Tensor& maxMask,
                     const torch::Tensor& meanMask = {});

/// The mean/max combination of both losses from the per-pixel batch means of the squared error, `perPixel`
/// (1,H,W) or (1,1,H,W): w·(mean over (valid) pixels) + (1−w)·(max over pixels of perPixel·maxMask). Lets a metric
/// be accumulated over snapshots in chunks (PixelErrorSum; a batch split over chunks or processes adds its parts' per-pixel sums first) and still be
/// exactly the losses' combination.
LossParts lossFromPixelMeans(const torch::Tensor& perPixel, double w, const torch::Tensor& meanMask,
                             const torch::Tensor& maxMask);

/// Σ_b (y−x)² per pixel, (C,H,W): a part's contribution to the local loss's P.
torch::Tensor localPixelSums(const torch::Tensor& y, const torch::Tensor& x);

/// Σ_b (Pⁿy − X)² per pixel at native resolution, (C,H,W): a part's contribution to the global loss's P.
torch::Tensor globalPixelSums(const torch::Tensor& y, const torch::Tensor& native, int prolongations,
                              const ops::Prolongation& prolong);

/// S = boxavg(0.5·mean_t e + 0.5·max_t e) on level k's code grid, e = (y−x)² (SPEC §3; w fixed at 0.5).
/// With `valid` (consistent mode), a code pixel's S is the mean over the valid cells of its footprint only, and a
/// code pixel without any valid cell has S = 0: invalid cells count as resolved.
torch::Tensor pixelLossMap(const torch::Tensor& y, const torch::Tensor& x, const torch::Tensor& valid = {});

/// The same from mean_t e and max_t e (1,1,h,w each), gathered over parts of the training set.
torch::Tensor pixelLossMapFromStats(const torch::Tensor& meanE, const torch::Tensor& maxE,
                                    const torch::Tensor& valid = {});

} // namespace mrcae
