#include "mrcae/engine/PodBaseline.h"

#include "PixelErrorSum.h"
#include "mrcae/model/InputError.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mrcae
{

namespace
{

constexpr long long kDefaultMemory = 1LL << 30;
/// Singular values below this fraction of the largest are rounding (the Gram matrix squares them, so float64
/// resolves about 1e-8 of the largest; float32 data carry about 1e-7).
constexpr double kRelativeCutoff = 1e-6;
constexpr size_t kChunk = 64;

} // namespace

struct PodBasis::Impl
{
  int height = 0, width = 0;
  std::vector<int64_t> cells; ///< flat indices of the valid cells
  torch::Tensor cellIndex;    ///< the same as a tensor
  torch::Tensor mean;         ///< (P) float64; zeros without centring
  torch::Tensor modes;        ///< (P, r) float64, orthonormal columns
  std::vector<double> singular;
  bool centred = true;
  int blocks = 1;

  /// Snapshots `idx` of `source` over the valid cells, minus the mean: (n, P) float64.
  torch::Tensor read(SnapshotSource& source, const std::vector<int>& idx, size_t begin, size_t end) const
  {
    torch::Tensor frames = torch::empty({static_cast<int64_t>(end - begin), height * width}, torch::kFloat32);
    for (size_t i = begin; i < end; ++i)
    {
      source.read(idx[i], frames.data_ptr<float>() + (i - begin) * frames.size(1));
    }
    return frames.index_select(1, cellIndex).to(torch::kFloat64) - mean;
  }

  /// (n, P) values on the valid cells -> (n,1,H,W), other cells 0.
  torch::Tensor toGrid(const torch::Tensor& values) const
  {
    torch::Tensor full = torch::zeros({values.size(0), height * width}, torch::kFloat64);
    full.index_copy_(1, cellIndex, values);
    return full.view({values.size(0), 1, height, width});
  }
};

PodBasis::PodBasis(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PodBasis::~PodBasis() = default;
PodBasis::PodBasis(PodBasis&&) noexcept = default;
PodBasis& PodBasis::operator=(PodBasis&&) noexcept = default;

PodBasis PodBasis::compute(SnapshotSource& source, const std::vector<int>& train, const PodOptions& options)
{
  if (train.empty())
  {
    throw InputError("POD needs at least one training snapshot");
  }
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.height = source.height();
  m.width = source.width();
  m.centred = options.centre;
  const Map2D& valid = source.valid();
  for (int64_t p = 0; p < static_cast<int64_t>(source.frameSize()); ++p)
  {
    if (valid.h == 0 || valid.data[p] > 0.5f)
    {
      m.cells.push_back(p);
    }
  }
  if (m.cells.empty())
  {
    throw InputError("POD: the land mask leaves no valid cell");
  }
  m.cellIndex = torch::tensor(m.cells, torch::kLong);
  const int64_t n = static_cast<int64_t>(train.size()), P = static_cast<int64_t>(m.cells.size());
  torch::NoGradGuard noGrad;

  // The training mean, streamed.
  m.mean = torch::zeros({P}, torch::kFloat64);
  if (options.centre)
  {
    torch::Tensor sum = torch::zeros({P}, torch::kFloat64);
    for (size_t b = 0; b < train.size(); b += kChunk)
    {
      sum += m.read(source, train, b, std::min(train.size(), b + kChunk)).sum(0);
    }
    m.mean = sum / static_cast<double>(n);
  }

  // G = Xc·Xcᵀ block by block: hold a block of B snapshots, then stream every later snapshot against it.
  const long long budget = options.memoryBytes > 0 ? options.memoryBytes : kDefaultMemory;
  const int64_t B = std::clamp<int64_t>(budget / (P * 8), 1, n);
  torch::Tensor G = torch::zeros({n, n}, torch::kFloat64);
  m.blocks = 0;
  for (int64_t i0 = 0; i0 < n; i0 += B)
  {
    const int64_t i1 = std::min(n, i0 + B);
    const torch::Tensor block = m.read(source, train, i0, i1);
    G.index_put_({torch::indexing::Slice(i0, i1), torch::indexing::Slice(i0, i1)}, block.matmul(block.t()));
    for (int64_t j0 = i1; j0 < n; j0 += B)
    {
      const int64_t j1 = std::min(n, j0 + B);
      // One snapshot at a time beyond the block when memory is tight (B = 1), a block otherwise.
      const torch::Tensor other = m.read(source, train, j0, j1);
      const torch::Tensor cross = block.matmul(other.t());
      G.index_put_({torch::indexing::Slice(i0, i1), torch::indexing::Slice(j0, j1)}, cross);
      G.index_put_({torch::indexing::Slice(j0, j1), torch::indexing::Slice(i0, i1)}, cross.t());
    }
    ++m.blocks;
  }

  // Eigenvalues ascending from eigh: reversed, they are the squared singular values.
  auto [lambda, V] = torch::linalg_eigh(G);
  lambda = lambda.flip(0);
  V = V.flip(1);
  const torch::Tensor sigma = lambda.clamp_min(0).sqrt();
  m.singular.assign(sigma.data_ptr<double>(), sigma.data_ptr<double>() + n);
  int r = 0;
  while (r < n && m.singular[r] > kRelativeCutoff * m.singular[0] && (options.maxRank <= 0 || r < options.maxRank))
  {
    ++r;
  }
  // Φ = Xcᵀ·V_r·σ_r⁻¹, accumulated block by block.
  const torch::Tensor scaled = V.slice(1, 0, r) / sigma.slice(0, 0, r);
  m.modes = torch::zeros({P, r}, torch::kFloat64);
  for (int64_t i0 = 0; i0 < n && r > 0; i0 += B)
  {
    const int64_t i1 = std::min(n, i0 + B);
    m.modes += m.read(source, train, i0, i1).t().matmul(scaled.slice(0, i0, i1));
  }
  return PodBasis(std::move(impl));
}

const std::vector<double>& PodBasis::singularValues() const
{
  return impl_->singular;
}

int PodBasis::modes() const
{
  return static_cast<int>(impl_->modes.size(1));
}

int PodBasis::blocks() const
{
  return impl_->blocks;
}

int PodBasis::validCells() const
{
  return static_cast<int>(impl_->cells.size());
}

long long PodBasis::onceBytes(int rank) const
{
  const long long r = std::clamp(rank, 0, modes());
  return 4LL * validCells() * (r + (impl_->centred ? 1 : 0));
}

Field PodBasis::reconstruct(SnapshotSource& source, const std::vector<int>& snapshots, int rank) const
{
  const Impl& m = *impl_;
  const int64_t r = std::clamp(rank, 0, modes());
  Field out(static_cast<int>(snapshots.size()), m.height, m.width);
  torch::NoGradGuard noGrad;
  const torch::Tensor phi = m.modes.slice(1, 0, r);
  for (size_t b = 0; b < snapshots.size(); b += kChunk)
  {
    const size_t e = std::min(snapshots.size(), b + kChunk);
    const torch::Tensor x = m.read(source, snapshots, b, e);
    const torch::Tensor recon = m.toGrid(x.matmul(phi).matmul(phi.t()) + m.mean).to(torch::kFloat32).contiguous();
    std::memcpy(out.data.data() + b * out.frameSize(), recon.data_ptr<float>(), recon.numel() * sizeof(float));
  }
  return out;
}

std::vector<LevelErrors> PodBasis::errors(SnapshotSource& source, const std::vector<int>& snapshots,
                                          const std::vector<int>& ranks, double w, LandMaskMode mode) const
{
  const Impl& m = *impl_;
  // Ranks in ascending order: each reconstruction adds the next modes to the previous one.
  std::vector<int> order(ranks.size());
  for (size_t i = 0; i < order.size(); ++i)
  {
    order[i] = static_cast<int>(i);
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) { return ranks[a] < ranks[b]; });
  std::vector<PixelErrorSum> sums(ranks.size());
  torch::NoGradGuard noGrad;
  for (size_t b = 0; b < snapshots.size(); b += kChunk)
  {
    const size_t e = std::min(snapshots.size(), b + kChunk);
    const torch::Tensor x = m.read(source, snapshots, b, e);
    const torch::Tensor data = m.toGrid(x + m.mean);
    const torch::Tensor coefficients = x.matmul(m.modes);
    torch::Tensor recon = torch::zeros_like(x);
    int64_t done = 0;
    for (int i : order)
    {
      const int64_t r = std::clamp(ranks[i], 0, modes());
      if (r > done)
      {
        recon += coefficients.slice(1, done, r).matmul(m.modes.slice(1, done, r).t());
        done = r;
      }
      sums[i].add(m.toGrid(recon + m.mean), data);
    }
  }
  std::vector<LevelErrors> out;
  for (const auto& s : sums)
  {
    out.push_back(s.nativeErrors(w, source.valid(), mode));
  }
  return out;
}

} // namespace mrcae
