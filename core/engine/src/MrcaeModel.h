#pragma once
// The growing multiresolution autoencoder (SPEC.md §2). Private: LibTorch.
//
// Level k holds groups g = 0..G_k−1. Group 0 (from deepening) is L{k}_Conv_0 / L{k}_deConv_0, 1 channel;
// group i >= 1 (from widening) is L{k}_Conv_i (1→n_i, then the activation) and L{k}_deConv_i (n_i→1),
// its code multiplied by the dilated unresolved set of R_k[i−1] when maps are in use.

#include "mrcae/model/TrainingConfig.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace mrcae
{

class MrcaeModelImpl : public torch::nn::Module
{
public:
  MrcaeModelImpl(int levels, Activation activation, bool useMaps);

  /// Adds group 0 of level k (k must be the next level), initialised per SPEC §2.3.
  void deepen(int k, double std, bool constantEncoderInit, torch::Generator& gen);
  /// Adds a group of n channels to level k, all weights and biases U(−std, std).
  void widen(int k, int n, double std, torch::Generator& gen);
  /// Creates the modules of a group without initialising them (for loading saved weights).
  void addGroup(int k, int channels);
  /// Moves the parameters, the resolved maps and the masks to `device` (parameters keep their identity).
  void moveTo(const torch::Device& device);

  /// F_k(x): x is (B,1,N_k,W_k) at level k's size; the output has the same size.
  torch::Tensor forward(const torch::Tensor& x, int k);
  /// The masked codes of every group i >= 1 of level k (group 0's entry is its encoder output).
  std::vector<torch::Tensor> codes(const torch::Tensor& x, int k);

  int levels() const { return levels_; }
  int groups(int k) const { return static_cast<int>(encoders_[k].size()); }
  int channels(int k, int g) const;
  /// Highest level with at least one group, -1 if none.
  int topLevel() const;
  long long parameterCount() const;
  bool useMaps() const { return useMaps_; }
  Activation activation() const { return activation_; }

  /// R_k[g] (1 = resolved) on level k's code grid; refreshes the mask of group g+1 if it exists.
  void setResolvedMap(int k, int g, const torch::Tensor& resolved);
  bool hasResolvedMap(int k, int g) const;
  const torch::Tensor& resolvedMap(int k, int g) const { return maps_[k][g]; }
  int resolvedMapCount(int k) const { return static_cast<int>(maps_[k].size()); }
  /// The dilated unresolved mask (1,1,h,w) of group i >= 1 of level k; undefined without maps.
  const torch::Tensor& groupMask(int k, int i) const { return masks_[k][i]; }
  bool levelClear(int k) const { return levelClear_[k]; }
  void setLevelClear(int k, bool clear) { levelClear_[k] = clear; }

  /// Reference names: L{k}_Conv_{i} and L{k}_deConv_{i}.
  static std::string encoderName(int k, int i);
  static std::string decoderName(int k, int i);
  torch::nn::Conv2d& encoder(int k, int i) { return encoders_[k][i]; }
  torch::nn::ConvTranspose2d& decoder(int k, int i) { return decoders_[k][i]; }

private:
  void refreshMask(int k, int i);
  /// The per-channel mask of all widened groups of a level, rebuilt when groups or maps change.
  const torch::Tensor& channelMask(int k);

  int levels_;
  Activation activation_;
  bool useMaps_;
  std::vector<std::vector<torch::nn::Conv2d>> encoders_;
  std::vector<std::vector<torch::nn::ConvTranspose2d>> decoders_;
  std::vector<std::vector<torch::Tensor>> maps_;
  std::vector<std::vector<torch::Tensor>> masks_;
  std::vector<torch::Tensor> channelMasks_;
  std::vector<bool> levelClear_;
};

TORCH_MODULE(MrcaeModel);

} // namespace mrcae
