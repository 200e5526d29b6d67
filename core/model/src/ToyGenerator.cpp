#include "mrcae/model/ToyGenerator.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/ToyData.h"

#include <algorithm>

namespace mrcae
{

ToyGenerator::ToyGenerator(const std::string& name, int snapshots, int n) : name_(name), snapshots_(snapshots), n_(n)
{
  toyTime(name, 0, 1); // refuses another name
  if (snapshots < 1 || n < 3)
  {
    throw InputError("a toy dataset needs at least 1 snapshot and 3 cells per side");
  }
  coord_.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
  {
    coord_[static_cast<size_t>(i)] = -5.0 + 10.0 * i / (n - 1);
  }
  std::vector<double> values(static_cast<size_t>(n) * n);
  for (int k = 0; k < snapshots; ++k)
  {
    raw(k, values.data());
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    lo_ = k == 0 ? *lo : std::min(lo_, *lo);
    hi_ = k == 0 ? *hi : std::max(hi_, *hi);
  }
}

void ToyGenerator::raw(int k, double* out) const
{
  const double t = toyTime(name_, k, snapshots_);
  for (int i = 0; i < n_; ++i)
  {
    for (int j = 0; j < n_; ++j)
    {
      // The first spatial axis is x (the notebooks save Φ.T of a meshgrid with 'xy' indexing).
      out[static_cast<size_t>(i) * n_ + j] =
          toyValue(name_, coord_[static_cast<size_t>(i)], coord_[static_cast<size_t>(j)], t);
    }
  }
}

void ToyGenerator::snapshot(int k, float* out) const
{
  std::vector<double> values(static_cast<size_t>(n_) * n_);
  raw(k, values.data());
  for (size_t p = 0; p < values.size(); ++p)
  {
    // Scaled in double with the global min and max, as the notebooks do before saving.
    out[p] = static_cast<float>((values[p] - lo_) / (hi_ - lo_));
  }
}

Dataset ToyGenerator::metadata() const
{
  Dataset d;
  d.name = name_;
  d.field.t = snapshots_;
  d.field.h = n_;
  d.field.w = n_;
  d.source = name_ + " generator (Liu, Ponce, Brunton, Kutz 2020; SPEC.md section 6)";
  d.originalMin = lo_;
  d.originalMax = hi_;
  d.originalH = n_;
  d.originalW = n_;
  d.dx = 10.0 / (n_ - 1);
  d.dt = toyTime(name_, 1, snapshots_);
  return d;
}

} // namespace mrcae
