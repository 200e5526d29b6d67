#include "MrcaeModel.h"

#include "Operators.h"
#include "StrideTwoConv.h"

#include <stdexcept>

namespace F = torch::nn::functional;
using torch::indexing::Slice;

namespace mrcae
{

namespace
{

/// Fills `param` with U(a, b) drawn from the CPU generator `gen`, whatever device `param` lives on, so that
/// a seed gives the same initial weights on CPU and CUDA.
void fillUniform(torch::Tensor& param, double a, double b, torch::Generator& gen)
{
  torch::Tensor values = torch::empty(param.sizes(), torch::kFloat32).uniform_(a, b, gen);
  param.copy_(values);
}

} // namespace

MrcaeModelImpl::MrcaeModelImpl(int levels, Activation activation, bool useMaps)
  : levels_(levels), activation_(activation), useMaps_(useMaps), encoders_(levels), decoders_(levels), maps_(levels),
    masks_(levels), channelMasks_(levels), levelClear_(levels, false)
{
}

std::string MrcaeModelImpl::encoderName(int k, int i)
{
  return "L" + std::to_string(k) + "_Conv_" + std::to_string(i);
}

std::string MrcaeModelImpl::decoderName(int k, int i)
{
  return "L" + std::to_string(k) + "_deConv_" + std::to_string(i);
}

void MrcaeModelImpl::addGroup(int k, int channels)
{
  if (k < 0 || k >= levels_)
  {
    throw std::logic_error("addGroup: level out of range");
  }
  const int i = groups(k);
  if (i == 0 && k > 0 && groups(k - 1) == 0)
  {
    throw std::logic_error("addGroup: level " + std::to_string(k) + " deepened before level " + std::to_string(k - 1));
  }
  if (i == 0 && channels != 1)
  {
    throw std::logic_error("addGroup: the deepen group has one channel");
  }
  auto enc = register_module(encoderName(k, i), torch::nn::Conv2d(torch::nn::Conv2dOptions(1, channels, 3).stride(2)));
  auto dec = register_module(decoderName(k, i),
                             torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(channels, 1, 3).stride(2)));
  // Build on the device of the existing parameters.
  auto existing = parameters();
  if (!existing.empty())
  {
    enc->to(existing.front().device());
    dec->to(existing.front().device());
  }
  encoders_[k].push_back(enc);
  decoders_[k].push_back(dec);
  masks_[k].emplace_back();
  channelMasks_[k] = torch::Tensor();
  if (i >= 1 && useMaps_ && hasResolvedMap(k, i - 1))
  {
    refreshMask(k, i);
  }
}

void MrcaeModelImpl::moveTo(const torch::Device& device)
{
  to(device);
  for (auto* tensors : {&maps_, &masks_})
  {
    for (auto& level : *tensors)
    {
      for (auto& t : level)
      {
        if (t.defined())
        {
          t = t.to(device);
        }
      }
    }
  }
  for (auto& t : channelMasks_)
  {
    if (t.defined())
    {
      t = t.to(device);
    }
  }
}

void MrcaeModelImpl::deepen(int k, double std, bool constantEncoderInit, torch::Generator& gen)
{
  if (groups(k) != 0)
  {
    throw std::logic_error("deepen: level already deepened");
  }
  addGroup(k, 1);
  torch::NoGradGuard noGrad;
  auto& enc = encoders_[k][0];
  auto& dec = decoders_[k][0];
  // SPEC §2.3: the reference calls uniform_(std, std), so every encoder tap is exactly std (a typo for
  // (−std, std), kept for parity unless constantEncoderInit is false); +1 at the centre.
  if (constantEncoderInit)
  {
    enc->weight.fill_(std);
  }
  else
  {
    fillUniform(enc->weight, -std, std, gen);
  }
  enc->weight.index_put_({0, 0, 1, 1}, enc->weight.index({0, 0, 1, 1}) + 1.0);
  fillUniform(enc->bias, -std, std, gen);
  // Decoder: bilinear kernel plus U(−std, std) noise.
  fillUniform(dec->weight, 0.25 - std, 0.25 + std, gen);
  auto w = dec->weight.index({0, 0});
  for (auto [r, c] : {std::pair{0, 1}, {1, 0}, {1, 2}, {2, 1}})
  {
    w.index_put_({r, c}, w.index({r, c}) + 0.25);
  }
  w.index_put_({1, 1}, w.index({1, 1}) + 0.75);
  fillUniform(dec->bias, -std, std, gen);
}

void MrcaeModelImpl::widen(int k, int n, double std, torch::Generator& gen)
{
  if (groups(k) == 0)
  {
    throw std::logic_error("widen: level not deepened yet");
  }
  if (useMaps_ && !hasResolvedMap(k, groups(k) - 1))
  {
    throw std::logic_error("widen: the previous group has no resolved map");
  }
  const int i = groups(k);
  addGroup(k, n);
  torch::NoGradGuard noGrad;
  fillUniform(encoders_[k][i]->weight, -std, std, gen);
  fillUniform(encoders_[k][i]->bias, -std, std, gen);
  fillUniform(decoders_[k][i]->weight, -std, std, gen);
  fillUniform(decoders_[k][i]->bias, -std, std, gen);
}

int MrcaeModelImpl::channels(int k, int g) const
{
  return static_cast<int>(encoders_[k][g]->weight.size(0));
}

int MrcaeModelImpl::topLevel() const
{
  int top = -1;
  for (int k = 0; k < levels_; ++k)
  {
    if (groups(k) > 0)
    {
      top = k;
    }
  }
  return top;
}

long long MrcaeModelImpl::parameterCount() const
{
  long long n = 0;
  for (const auto& p : parameters())
  {
    n += p.numel();
  }
  return n;
}

bool MrcaeModelImpl::hasResolvedMap(int k, int g) const
{
  return g >= 0 && g < static_cast<int>(maps_[k].size()) && maps_[k][g].defined();
}

void MrcaeModelImpl::setResolvedMap(int k, int g, const torch::Tensor& resolved)
{
  if (static_cast<int>(maps_[k].size()) <= g)
  {
    maps_[k].resize(g + 1);
  }
  maps_[k][g] = resolved.detach().to(torch::kFloat32);
  if (g + 1 < groups(k))
  {
    refreshMask(k, g + 1);
  }
}

void MrcaeModelImpl::refreshMask(int k, int i)
{
  // Computed once per stage, not on every forward as the reference does (SPEC §8.2).
  torch::Tensor unresolved = (1.0 - maps_[k][i - 1]).view({1, 1, maps_[k][i - 1].size(0), maps_[k][i - 1].size(1)});
  masks_[k][i] = ops::dilate(unresolved).to(encoders_[k][i]->weight.device());
  channelMasks_[k] = torch::Tensor();
}

const torch::Tensor& MrcaeModelImpl::channelMask(int k)
{
  if (!channelMasks_[k].defined())
  {
    std::vector<torch::Tensor> parts;
    for (int i = 1; i < groups(k); ++i)
    {
      parts.push_back(masks_[k][i].expand({1, channels(k, i), -1, -1}));
    }
    channelMasks_[k] = torch::cat(parts, 1).contiguous();
  }
  return channelMasks_[k];
}

torch::Tensor MrcaeModelImpl::forward(const torch::Tensor& x, int k)
{
  const int g = groups(k);
  // Every encoder of the level reads the same input: one conv with the stacked kernels does them all
  // (the same sums as separate convs, fewer passes over x).
  std::vector<torch::Tensor> encW, encB;
  for (int i = 0; i < g; ++i)
  {
    encW.push_back(encoders_[k][i]->weight);
    encB.push_back(encoders_[k][i]->bias);
  }
  torch::Tensor all = g == 1 ? ops::conv3x3s2(x, encoders_[k][0]->weight, encoders_[k][0]->bias)
                             : ops::conv3x3s2(x, torch::cat(encW, 0), torch::cat(encB, 0));
  torch::Tensor z = g == 1 ? all : all.index({Slice(), Slice(0, 1)});
  if (k > 0)
  {
    z = forward(z, k - 1);
  }
  torch::Tensor padded = F::pad(z, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate));
  torch::Tensor y = ops::transposedConv3x3s2(padded, decoders_[k][0]->weight, decoders_[k][0]->bias)
                        .index({Slice(), Slice(), Slice(2, -2), Slice(2, -2)});
  if (g == 1)
  {
    return y;
  }
  torch::Tensor h = all.index({Slice(), Slice(1, torch::indexing::None)});
  if (activation_ == Activation::ReLU)
  {
    h = torch::relu(h);
  }
  if (useMaps_)
  {
    h = h * channelMask(k);
  }
  std::vector<torch::Tensor> decW;
  torch::Tensor decBias = decoders_[k][1]->bias;
  for (int i = 1; i < g; ++i)
  {
    decW.push_back(decoders_[k][i]->weight);
    if (i > 1)
    {
      decBias = decBias + decoders_[k][i]->bias;
    }
  }
  // The decoder biases are not masked (SPEC §2.2): each adds a constant, so their sum does the same.
  torch::Tensor refinement = ops::transposedConv3x3s2(h, torch::cat(decW, 0), decBias);
  return y + refinement;
}

std::vector<torch::Tensor> MrcaeModelImpl::codes(const torch::Tensor& x, int k)
{
  std::vector<torch::Tensor> out;
  for (int i = 0; i < groups(k); ++i)
  {
    torch::Tensor h = ops::conv3x3s2(x, encoders_[k][i]->weight, encoders_[k][i]->bias);
    if (i >= 1)
    {
      if (activation_ == Activation::ReLU)
      {
        h = torch::relu(h);
      }
      if (useMaps_)
      {
        h = h * masks_[k][i];
      }
    }
    out.push_back(h);
  }
  return out;
}

} // namespace mrcae
