#include "ShardFeed.h"

#include "Operators.h"

#include <algorithm>
#include <cstring>

namespace mrcae
{

ShardFeed::ShardFeed(const Dataset& data, std::shared_ptr<const StreamedDataset> stream, const Split& split, int rank,
                     int world, int levels, const torch::Tensor& validNative, bool fillInvalid,
                     const torch::Device& device, const StreamPlan* plan)
  : data_(data), stream_(std::move(stream)), rank_(rank), world_(world), levels_(levels), validNative_(validNative),
    fillInvalid_(fillInvalid), device_(device)
{
  split_ = {split.train, split.val, split.test};
  for (int p = 0; p < 3; ++p)
  {
    for (size_t i = static_cast<size_t>(rank_); i < split_[p].size(); i += static_cast<size_t>(world_))
    {
      mine_[p].push_back(split_[p][i]);
    }
  }
  if (plan)
  {
    resident_ = {plan->residentTraining, plan->residentEvaluation, plan->residentEvaluation};
    evalChunk_ = std::max(1, plan->evalChunk);
  }
  if (stream_)
  {
    auto readInto = [s = stream_](const std::vector<int>& indices, std::vector<float>& out) {
      const auto& f = s->metadata().field;
      out.resize(indices.size() * static_cast<size_t>(f.h) * f.w);
      s->read(indices, out.data());
    };
    trainReads_ = std::make_unique<Prefetcher>(readInto);
    evalReads_ = std::make_unique<Prefetcher>(readInto);
  }
  for (int p = 0; p < 3; ++p)
  {
    if (!resident_[p] || mine_[p].empty())
    {
      continue;
    }
    // Pure subsampling, computed once (SPEC §8.5), as the trainer does for data in memory.
    const torch::Tensor native = read(mine_[p]);
    for (int k = 0; k < levels_; ++k)
    {
      residentAt_[p].push_back(k == levels_ - 1 ? native : ops::restrict(native, levels_ - 1 - k).contiguous());
    }
    residentAt_[p].push_back(native);
  }
}

ShardFeed::~ShardFeed() = default;

int64_t ShardFeed::total(Part part) const
{
  return static_cast<int64_t>(split_[static_cast<int>(part)].size());
}

int64_t ShardFeed::mine(Part part) const
{
  return static_cast<int64_t>(mine_[static_cast<int>(part)].size());
}

std::vector<int> ShardFeed::mineOf(const std::vector<int64_t>& positions) const
{
  std::vector<int> out;
  for (int64_t p : positions)
  {
    if (p % world_ == rank_)
    {
      out.push_back(split_[0][static_cast<size_t>(p)]);
    }
  }
  return out;
}

torch::Tensor ShardFeed::upload(std::vector<float> values, int64_t n) const
{
  const auto& f = data_.field;
  torch::Tensor t = torch::from_blob(values.data(), {n, 1, f.h, f.w}, torch::kFloat32).clone().to(device_);
  if (fillInvalid_)
  {
    // As the trainer does for data in memory: values under the mask never reach the network.
    t.masked_fill_(validNative_ <= 0.5f, 0.0f);
  }
  return t;
}

torch::Tensor ShardFeed::read(const std::vector<int>& indices)
{
  const auto& f = data_.field;
  const size_t frame = static_cast<size_t>(f.h) * f.w;
  std::vector<float> values(indices.size() * frame);
  if (stream_)
  {
    stream_->read(indices, values.data());
  }
  else
  {
    for (size_t i = 0; i < indices.size(); ++i)
    {
      std::memcpy(values.data() + i * frame, f.frame(indices[i]), frame * sizeof(float));
    }
  }
  return upload(std::move(values), static_cast<int64_t>(indices.size()));
}

ShardFeed::Snapshots ShardFeed::atLevel(const torch::Tensor& native, int level) const
{
  const int times = levels_ - 1 - level;
  return {times == 0 ? native : ops::restrict(native, times).contiguous(), native};
}

ShardFeed::Snapshots ShardFeed::batch(int level, const std::vector<int64_t>& positions)
{
  if (resident_[0])
  {
    // Rows of this rank's shard: position p is row p / world.
    std::vector<int64_t> rows;
    for (int64_t p : positions)
    {
      if (p % world_ == rank_)
      {
        rows.push_back(p / world_);
      }
    }
    if (residentAt_[0].empty() || rows.empty())
    {
      return {};
    }
    const torch::Tensor idx = torch::tensor(rows, torch::kLong).to(device_);
    return {residentAt_[0][level].index_select(0, idx), residentAt_[0][levels_].index_select(0, idx)};
  }
  const std::vector<int> indices = mineOf(positions);
  if (indices.empty())
  {
    return {};
  }
  return atLevel(upload(trainReads_->take(indices), static_cast<int64_t>(indices.size())), level);
}

void ShardFeed::prefetch(const std::vector<int64_t>& positions)
{
  if (!resident_[0] && trainReads_)
  {
    std::vector<int> indices = mineOf(positions);
    if (!indices.empty())
    {
      trainReads_->request(std::move(indices));
    }
  }
}

void ShardFeed::forEach(Part part, int level, const std::function<void(const Snapshots&)>& visit)
{
  const int p = static_cast<int>(part);
  if (resident_[p])
  {
    if (!residentAt_[p].empty())
    {
      visit({residentAt_[p][level], residentAt_[p][levels_]});
    }
    return;
  }
  // Chunk i is visited while chunk i + 1 is read.
  const std::vector<int>& all = mine_[p];
  auto chunkAt = [&](size_t start) {
    return std::vector<int>(
        all.begin() + static_cast<std::ptrdiff_t>(start),
        all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), start + static_cast<size_t>(evalChunk_))));
  };
  for (size_t start = 0; start < all.size(); start += static_cast<size_t>(evalChunk_))
  {
    const std::vector<int> chunk = chunkAt(start);
    std::vector<float> values = evalReads_->take(chunk);
    if (start + evalChunk_ < all.size())
    {
      evalReads_->request(chunkAt(start + evalChunk_));
    }
    visit(atLevel(upload(std::move(values), static_cast<int64_t>(chunk.size())), level));
  }
}

torch::Tensor ShardFeed::snapshots(const std::vector<int>& indices)
{
  return read(indices);
}

long long ShardFeed::prefetchHits() const
{
  return trainReads_ ? trainReads_->hits() : 0;
}

long long ShardFeed::prefetchMisses() const
{
  return trainReads_ ? trainReads_->misses() : 0;
}

} // namespace mrcae
