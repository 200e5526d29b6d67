#include "LiveSnapshot.h"

#include <algorithm>
#include <atomic>

namespace mrcae::widgets
{

namespace
{

std::atomic<long long> copied{0};

mrcae::Map2D firstFrame(const mrcae::Field& field)
{
  mrcae::Map2D m(field.h, field.w);
  if (field.t > 0)
  {
    std::copy(field.frame(0), field.frame(0) + field.frameSize(), m.data.begin());
  }
  copied.fetch_add(1, std::memory_order_relaxed);
  return m;
}

std::vector<std::vector<mrcae::Map2D>> copyMaps(const std::vector<std::vector<mrcae::Map2D>>& maps)
{
  for (const auto& level : maps)
  {
    copied.fetch_add(static_cast<long long>(level.size()), std::memory_order_relaxed);
  }
  return maps;
}

std::shared_ptr<const mrcae::Map2D> element(const std::shared_ptr<const LiveFields>& fields,
                                            const std::vector<mrcae::Map2D>& list, int k)
{
  if (k < 0 || k >= static_cast<int>(list.size()) || list[k].h <= 0)
  {
    return nullptr;
  }
  return std::shared_ptr<const mrcae::Map2D>(fields, &list[k]); // shares ownership of the whole snapshot
}

} // namespace

std::shared_ptr<const LiveFields> LiveFields::fromEngine(const mrcae::Snapshot& snapshot)
{
  if (snapshot.inputs.empty() || snapshot.snapshotIndices.empty())
  {
    return nullptr;
  }
  auto fields = std::make_shared<LiveFields>();
  fields->snapshotIndex = snapshot.snapshotIndices.front();
  for (const mrcae::Field& f : snapshot.inputs)
  {
    fields->inputs.push_back(firstFrame(f));
  }
  for (const mrcae::Field& f : snapshot.reconstructions)
  {
    fields->reconstructions.push_back(firstFrame(f));
  }
  fields->maps = copyMaps(snapshot.maps);
  fields->masks = copyMaps(snapshot.masks);
  return fields;
}

long long LiveFields::copiedArrays()
{
  return copied.load();
}

std::shared_ptr<const mrcae::Map2D> LiveFields::input(const std::shared_ptr<const LiveFields>& fields, int k)
{
  return fields ? element(fields, fields->inputs, k) : nullptr;
}

std::shared_ptr<const mrcae::Map2D> LiveFields::reconstruction(const std::shared_ptr<const LiveFields>& fields, int k)
{
  return fields ? element(fields, fields->reconstructions, k) : nullptr;
}

} // namespace mrcae::widgets
