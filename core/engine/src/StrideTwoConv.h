#pragma once
// The model's two learned operators, 3×3 kernels with stride 2 and no padding, on the CPU. Private: LibTorch.
//
//   conv3x3s2:           (B,C,2M+1,2N+1) -> (B,O,M,N), weight (O,C,3,3)   (every encoder)
//   transposedConv3x3s2: (B,C,M,N) -> (B,O,2M+1,2N+1), weight (C,O,3,3)   (every decoder, and P)
//
// LibTorch 1.13 runs transposed convolutions on the CPU through a per-sample loop of tiny GEMMs, and the
// weight gradient of these one-channel convolutions through a slow oneDNN path: together most of a training
// step. The two operators are adjoint to each other, so three row kernels (scatter, gather, weight gradient;
// vectorisable inner loops, parallel over the batch) give both forwards and both backwards. On other devices
// or dtypes, and for even input sizes, LibTorch's own operators run. Results agree to float rounding.

#include <torch/torch.h>

namespace mrcae::ops
{

torch::Tensor conv3x3s2(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);
torch::Tensor transposedConv3x3s2(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

} // namespace mrcae::ops
