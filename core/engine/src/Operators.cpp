#include "Operators.h"

#include "StrideTwoConv.h"

namespace F = torch::nn::functional;
using torch::indexing::None;
using torch::indexing::Slice;

namespace mrcae::ops
{

torch::Tensor restrict(const torch::Tensor& x, int times)
{
  if (times <= 0)
  {
    return x;
  }
  const int64_t s = int64_t(1) << times;
  return x.index({Slice(), Slice(), Slice(s - 1, None, s), Slice(s - 1, None, s)});
}

Prolongation::Prolongation(const torch::Device& device)
{
  kernel_ = torch::tensor({0.25f, 0.5f, 0.25f, 0.5f, 1.0f, 0.5f, 0.25f, 0.5f, 0.25f}).view({1, 1, 3, 3}).to(device);
}

torch::Tensor Prolongation::apply(const torch::Tensor& y, int times) const
{
  torch::Tensor u = y;
  for (int i = 0; i < times; ++i)
  {
    const int64_t c = u.size(1);
    torch::Tensor padded = F::pad(u, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate));
    // Channels are independent: fold them into the batch and apply the one kernel.
    const int64_t b = u.size(0), h = padded.size(2), w = padded.size(3);
    torch::Tensor up = transposedConv3x3s2(padded.reshape({b * c, 1, h, w}), kernel_, torch::Tensor());
    up = up.view({b, c, up.size(2), up.size(3)});
    u = up.index({Slice(), Slice(), Slice(2, -2), Slice(2, -2)});
  }
  return u;
}

torch::Tensor boxAverage(const torch::Tensor& x)
{
  return F::avg_pool2d(x, F::AvgPool2dFuncOptions(3).stride(2));
}

torch::Tensor dilate(const torch::Tensor& u)
{
  return F::max_pool2d(u, F::MaxPool2dFuncOptions(3).stride(1).padding(1));
}

int levelSize(int n, int levels, int k)
{
  return (n + 1) / (1 << (levels - 1 - k)) - 1;
}

} // namespace mrcae::ops
