#include "RedNet.h"

#include "StrideTwoConv.h"

#include <stdexcept>

namespace mrcae
{

RedNetImpl::RedNetImpl(std::vector<int> channels, Activation activation, double std, torch::Generator& gen,
                       const torch::Device& device)
  : channels_(std::move(channels)), activation_(activation)
{
  if (channels_.size() < 2 || channels_.front() != 1)
  {
    throw std::logic_error("RED-Net channels must start with 1 and have at least one encoder");
  }
  for (size_t i = 1; i < channels_.size(); ++i)
  {
    const int in = channels_[i - 1], out = channels_[i];
    encoders_.push_back(
        register_module("E" + std::to_string(i), torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(2))));
    decoders_.push_back(register_module(
        "D" + std::to_string(i), torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(out, in, 3).stride(2))));
  }
  torch::NoGradGuard noGrad;
  for (auto& p : parameters())
  {
    p.copy_(torch::empty(p.sizes(), torch::kFloat32).uniform_(-std, std, gen));
  }
  to(device);
}

torch::Tensor RedNetImpl::forward(const torch::Tensor& x)
{
  std::vector<torch::Tensor> hs = {x};
  for (auto& e : encoders_)
  {
    torch::Tensor h = ops::conv3x3s2(hs.back(), e->weight, e->bias);
    hs.push_back(activation_ == Activation::ReLU ? torch::relu(h) : h);
  }
  const size_t n = encoders_.size();
  torch::Tensor z = hs[n];
  for (size_t i = n; i >= 2; --i)
  {
    z = ops::transposedConv3x3s2(z, decoders_[i - 1]->weight, decoders_[i - 1]->bias) + hs[i - 1];
  }
  return ops::transposedConv3x3s2(z, decoders_[0]->weight, decoders_[0]->bias);
}

long long RedNetImpl::parameterCount() const
{
  long long n = 0;
  for (const auto& p : parameters())
  {
    n += p.numel();
  }
  return n;
}

long long RedNetImpl::parameterCount(const std::vector<int>& c)
{
  long long n = 0;
  for (size_t i = 1; i < c.size(); ++i)
  {
    n += (9LL * c[i - 1] * c[i] + c[i]) + (9LL * c[i] * c[i - 1] + c[i - 1]);
  }
  return n;
}

} // namespace mrcae
