#include "FieldMath.h"

#include <algorithm>
#include <cstring>

namespace mrcae::widgets
{

mrcae::Map2D FieldMath::frame(const mrcae::Field& field, int index)
{
  if (index < 0 || index >= field.t)
  {
    return {};
  }
  mrcae::Map2D m(field.h, field.w);
  std::memcpy(m.data.data(), field.frame(index), field.frameSize() * sizeof(float));
  return m;
}

mrcae::Map2D FieldMath::restrict(const mrcae::Map2D& fine, int times)
{
  mrcae::Map2D current = fine;
  for (int n = 0; n < times; ++n)
  {
    const int h = (current.h - 1) / 2;
    const int w = (current.w - 1) / 2;
    if (h <= 0 || w <= 0)
    {
      return {};
    }
    mrcae::Map2D coarse(h, w);
    for (int i = 0; i < h; ++i)
    {
      for (int j = 0; j < w; ++j)
      {
        coarse.at(i, j) = current.at(2 * i + 1, 2 * j + 1);
      }
    }
    current = std::move(coarse);
  }
  return current;
}

mrcae::Map2D FieldMath::difference(const mrcae::Map2D& a, const mrcae::Map2D& b)
{
  if (a.h != b.h || a.w != b.w)
  {
    return {};
  }
  mrcae::Map2D d(a.h, a.w);
  for (size_t k = 0; k < d.data.size(); ++k)
  {
    d.data[k] = a.data[k] - b.data[k];
  }
  return d;
}

mrcae::Map2D FieldMath::restrictTo(const mrcae::Map2D& fine, int h, int w)
{
  mrcae::Map2D m = fine;
  while (m.h > h && m.h > 0)
  {
    m = restrict(m, 1);
  }
  return m.h == h && m.w == w ? m : mrcae::Map2D();
}

mrcae::Map2D FieldMath::dilate(const mrcae::Map2D& map)
{
  mrcae::Map2D out(map.h, map.w, 0.0f);
  for (int i = 0; i < map.h; ++i)
  {
    for (int j = 0; j < map.w; ++j)
    {
      if (map.at(i, j) <= 0.5f)
      {
        continue;
      }
      for (int di = std::max(0, i - 1); di <= std::min(map.h - 1, i + 1); ++di)
      {
        for (int dj = std::max(0, j - 1); dj <= std::min(map.w - 1, j + 1); ++dj)
        {
          out.at(di, dj) = 1.0f;
        }
      }
    }
  }
  return out;
}

mrcae::Map2D FieldMath::refinementOverlay(const mrcae::Map2D& resolved, const mrcae::Map2D* nextMask)
{
  mrcae::Map2D unresolved(resolved.h, resolved.w);
  for (size_t k = 0; k < resolved.data.size(); ++k)
  {
    unresolved.data[k] = resolved.data[k] < 0.5f ? 1.0f : 0.0f;
  }
  const bool useNext = nextMask && nextMask->h == resolved.h && nextMask->w == resolved.w;
  const mrcae::Map2D footprint = useNext ? *nextMask : dilate(unresolved);
  mrcae::Map2D out(resolved.h, resolved.w, 0.0f);
  for (size_t k = 0; k < out.data.size(); ++k)
  {
    out.data[k] = unresolved.data[k] > 0.5f ? 2.0f : (footprint.data[k] > 0.5f ? 1.0f : 0.0f);
  }
  return out;
}

mrcae::Map2D FieldMath::footprint(const mrcae::Map2D& mask)
{
  mrcae::Map2D out(2 * mask.h + 1, 2 * mask.w + 1, 0.0f);
  for (int a = 0; a < mask.h; ++a)
  {
    for (int b = 0; b < mask.w; ++b)
    {
      if (mask.at(a, b) <= 0.5f)
      {
        continue;
      }
      for (int i = 2 * a; i <= 2 * a + 2; ++i)
      {
        for (int j = 2 * b; j <= 2 * b + 2; ++j)
        {
          out.at(i, j) = 1.0f;
        }
      }
    }
  }
  return out;
}

int FieldMath::countSet(const mrcae::Map2D& map)
{
  return static_cast<int>(std::count_if(map.data.begin(), map.data.end(), [](float v) { return v > 0.5f; }));
}

int FieldMath::countUnresolved(const mrcae::Map2D& resolved)
{
  return static_cast<int>(std::count_if(resolved.data.begin(), resolved.data.end(), [](float v) { return v < 0.5f; }));
}

} // namespace mrcae::widgets
