#pragma once
// Plain value types that cross the core boundary. No LibTorch here: widgets and app include these.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mrcae
{

/// A stack of 2-D snapshots, row-major [t][h][w], float32.
struct Field
{
  int t = 0;
  int h = 0;
  int w = 0;
  std::vector<float> data;

  Field() = default;
  Field(int t_, int h_, int w_) : t(t_), h(h_), w(w_), data(static_cast<size_t>(t_) * h_ * w_, 0.0f) {}
  size_t frameSize() const { return static_cast<size_t>(h) * w; }
  float& at(int k, int i, int j) { return data[(static_cast<size_t>(k) * h + i) * w + j]; }
  float at(int k, int i, int j) const { return data[(static_cast<size_t>(k) * h + i) * w + j]; }
  const float* frame(int k) const { return data.data() + k * frameSize(); }
};

/// A 2-D float map [h][w] (resolved maps, masks, heat maps).
struct Map2D
{
  int h = 0;
  int w = 0;
  std::vector<float> data;

  Map2D() = default;
  Map2D(int h_, int w_, float value = 0.0f) : h(h_), w(w_), data(static_cast<size_t>(h_) * w_, value) {}
  float at(int i, int j) const { return data[static_cast<size_t>(i) * w + j]; }
  float& at(int i, int j) { return data[static_cast<size_t>(i) * w + j]; }
};

} // namespace mrcae
