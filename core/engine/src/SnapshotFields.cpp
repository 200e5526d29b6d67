#include "SnapshotFields.h"

#include <cstring>

namespace mrcae
{

Field toField(const torch::Tensor& t)
{
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  Field f(static_cast<int>(c.size(0)), static_cast<int>(c.size(2)), static_cast<int>(c.size(3)));
  std::memcpy(f.data.data(), c.data_ptr<float>(), f.data.size() * sizeof(float));
  return f;
}

Map2D toMap(const torch::Tensor& t)
{
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  Map2D m(static_cast<int>(c.size(-2)), static_cast<int>(c.size(-1)));
  std::memcpy(m.data.data(), c.data_ptr<float>(), m.data.size() * sizeof(float));
  return m;
}

void appendLevelMaps(const MrcaeModel& model, int k, Snapshot& s)
{
  std::vector<Map2D> maps, masks;
  for (int g = 0; g < model->resolvedMapCount(k); ++g)
  {
    maps.push_back(model->hasResolvedMap(k, g) ? toMap(model->resolvedMap(k, g)) : Map2D());
  }
  for (int g = 0; g < model->groups(k); ++g)
  {
    const bool hasMask = g >= 1 && model->useMaps() && model->groupMask(k, g).defined();
    masks.push_back(hasMask ? toMap(model->groupMask(k, g)) : Map2D());
  }
  s.maps.push_back(std::move(maps));
  s.masks.push_back(std::move(masks));
}

} // namespace mrcae
