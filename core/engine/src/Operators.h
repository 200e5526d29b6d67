#pragma once
// Fixed operators of SPEC.md §1.3–§1.4 and §3, as plain functions on (B,C,H,W) tensors. Private: LibTorch.

#include <torch/torch.h>

namespace mrcae::ops
{

/// Restriction applied `times` times: coarse[i,j] = fine[s·i + s−1, s·j + s−1] with s = 2^times
/// (the reference's centre-tap stride-2 conv, which subsamples odd indices).
torch::Tensor restrict(const torch::Tensor& x, int times = 1);

/// Bilinear prolongation P (replicate pad 1, transposed conv with the fixed kernel, crop 2): M -> 2M+1.
class Prolongation
{
public:
  explicit Prolongation(const torch::Device& device);
  torch::Tensor apply(const torch::Tensor& y, int times = 1) const;
  const torch::Tensor& kernel() const { return kernel_; }

private:
  torch::Tensor kernel_; ///< (1,1,3,3): [[1/4,1/2,1/4],[1/2,1,1/2],[1/4,1/2,1/4]]
};

/// 3×3 box average, stride 2, no padding: N -> (N−1)/2 (used for the resolved maps).
torch::Tensor boxAverage(const torch::Tensor& x);

/// Binary 3×3 dilation, clipped at the border (max-pool 3×3, stride 1, pad 1).
torch::Tensor dilate(const torch::Tensor& u);

/// The size of level k for a native size n with L levels: (n+1)/2^(L−1−k) − 1.
int levelSize(int n, int levels, int k);

} // namespace mrcae::ops
