#pragma once
// RED-Net, the residual encoder–decoder baseline of the paper's benchmarks (SPEC.md §7.2). Private: LibTorch.
//
// channels = [1, c1, ..., cn]: encoders E_i (c_{i-1} -> c_i, 3×3 stride 2, then the activation), decoders D_i
// (c_i -> c_{i-1}, transposed, no activation); the decoder path adds the encoder activations back:
// z = h_n; z = D_i(z) + h_{i-1} for i = n..2; output D_1(z). No padding or cropping anywhere.

#include "mrcae/model/TrainingConfig.h"

#include <torch/torch.h>

#include <vector>

namespace mrcae
{

class RedNetImpl : public torch::nn::Module
{
public:
  /// All weights and biases U(−std, std) from `gen` (drawn on the CPU, then copied to the device).
  RedNetImpl(std::vector<int> channels, Activation activation, double std, torch::Generator& gen,
             const torch::Device& device = torch::kCPU);

  torch::Tensor forward(const torch::Tensor& x);

  const std::vector<int>& channels() const { return channels_; }
  long long parameterCount() const;
  /// Σ_i [(9 c_{i-1} c_i + c_i) + (9 c_i c_{i-1} + c_{i-1})], without building a network.
  static long long parameterCount(const std::vector<int>& channels);

  torch::nn::Conv2d& encoder(int i) { return encoders_[i - 1]; }          ///< E_i, i = 1..n
  torch::nn::ConvTranspose2d& decoder(int i) { return decoders_[i - 1]; } ///< D_i, i = 1..n

private:
  std::vector<int> channels_;
  Activation activation_;
  std::vector<torch::nn::Conv2d> encoders_;
  std::vector<torch::nn::ConvTranspose2d> decoders_;
};

TORCH_MODULE(RedNet);

} // namespace mrcae
