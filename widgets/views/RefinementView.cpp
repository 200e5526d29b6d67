#include <vtkLookupTable.h>

#include "FieldMath.h"
#include "RefinementView.h"

#include <algorithm>

namespace mrcae::widgets
{

RefinementView::RefinementView(QWidget* parent) : FieldGrid(parent) {}

void RefinementView::setUpCell(int /*row*/, int /*column*/, FieldScene& scene)
{
  // The field is only a backdrop for the overlay: grey, no colour bar.
  scene.setColormap(ColormapKind::Greys);
  scene.setColorBarVisible(false);
  scene.setFontSize(10);
}

void RefinementView::setLevelCount(int levels)
{
  levels_ = levels;
  groupColumns_ = 0;
  unresolved_.assign(static_cast<size_t>(std::max(0, levels)), {});
  rows_.assign(static_cast<size_t>(std::max(0, levels)), Row{});
  setGrid(levels, 1);
  for (int k = 0; k < levels; ++k)
  {
    cell(k, 0).clearField();
    cell(k, 0).setTitle(tr("L%1: no map yet").arg(k));
  }
  scheduleRender();
}

void RefinementView::clear()
{
  setLevelCount(levels_);
}

int RefinementView::unresolvedCount(int level, int group) const
{
  if (level < 0 || level >= static_cast<int>(unresolved_.size()) || group < 0 ||
      group >= static_cast<int>(unresolved_[level].size()))
  {
    return -1;
  }
  return unresolved_[level][group];
}

int RefinementView::mapCount() const
{
  int n = 0;
  for (const auto& level : unresolved_)
  {
    n += static_cast<int>(std::count_if(level.begin(), level.end(), [](int c) { return c >= 0; }));
  }
  return n;
}

void RefinementView::showSnapshot(const std::shared_ptr<const LiveFields>& fields)
{
  if (levels_ <= 0 || !fields)
  {
    return;
  }
  const LiveFields& snapshot = *fields;
  int groups = 0;
  for (const auto& level : snapshot.maps)
  {
    groups = std::max(groups, static_cast<int>(level.size()));
  }
  if (groups == 0)
  {
    return; // no tolerances, or no stage finished yet: keep what is shown
  }
  groupColumns_ = groups;
  setGrid(levels_, groups + 1);

  unresolved_.assign(static_cast<size_t>(levels_), {});
  for (int k = 0; k < levels_; ++k)
  {
    Row& row = rows_[k];
    row.cells.assign(static_cast<size_t>(groups + 1), Cell{});
    row.background = LiveFields::input(fields, k);
    const int levelMaps = k < static_cast<int>(snapshot.maps.size()) ? static_cast<int>(snapshot.maps[k].size()) : 0;
    mrcae::Map2D sum;
    for (int g = 0; g < groups; ++g)
    {
      Cell& c = row.cells[g];
      const mrcae::Map2D* map = g < levelMaps ? &snapshot.maps[k][g] : nullptr;
      if (!map || map->h <= 0)
      {
        unresolved_[k].push_back(-1);
        c.title = g < levelMaps ? tr("L%1 g%2: no map").arg(k).arg(g) : tr("L%1 g%2").arg(k).arg(g);
        continue;
      }
      // The footprint group g+1 refines: the engine's own mask when that group exists, else the same dilation.
      const mrcae::Map2D* next = (k < static_cast<int>(snapshot.masks.size()) &&
                                  g + 1 < static_cast<int>(snapshot.masks[k].size()) && snapshot.masks[k][g + 1].h > 0)
                                     ? &snapshot.masks[k][g + 1]
                                     : nullptr;
      c.overlay = FieldMath::refinementOverlay(*map, next);
      const int open = FieldMath::countUnresolved(*map);
      const int refined = FieldMath::countSet(c.overlay); // unresolved + halo
      unresolved_[k].push_back(open);
      if (sum.h == 0)
      {
        sum = mrcae::Map2D(map->h, map->w, 0.0f);
      }
      for (size_t i = 0; i < sum.data.size() && i < map->data.size(); ++i)
      {
        sum.data[i] += map->data[i] < 0.5f ? 1.0f : 0.0f;
      }
      // Compact (cells are small): unresolved / code pixels, and the footprint the next group refines.
      c.title = open == 0 ? tr("L%1g%2 all %3 resolved").arg(k).arg(g).arg(map->h * map->w)
                          : tr("L%1g%2 %3/%4, next %5").arg(k).arg(g).arg(open).arg(map->h * map->w).arg(refined);
    }
    Cell& total = row.cells[groups];
    total.sum = true;
    total.overlay = sum;
    total.title = sum.h > 0 ? tr("L%1 sum of %2 groups").arg(k).arg(levelMaps) : tr("L%1: no maps").arg(k);
    row.dirty = true;
  }
  scheduleRender();
}

void RefinementView::showRow(int level, const Row& row)
{
  const int groups = static_cast<int>(row.cells.size()) - 1;
  const auto sumLut = Colormaps::countOverlay(std::max(1, groups));
  const auto mapLut = Colormaps::refinementOverlay();
  for (int g = 0; g < static_cast<int>(row.cells.size()) && g < columns(); ++g)
  {
    FieldScene& scene = cell(level, g);
    const Cell& c = row.cells[g];
    if (row.background)
    {
      const mrcae::Map2D& background = *row.background;
      const mrcae::Map2D mask = FieldMath::restrictTo(valid_, background.h, background.w);
      scene.setField(background.data.data(), background.h, background.w, mask.h > 0 ? mask.data.data() : nullptr);
    }
    else
    {
      scene.clearField();
    }
    if (c.overlay.h > 0 && row.background)
    {
      scene.setOverlay(c.overlay.data.data(), c.overlay.h, c.overlay.w, c.sum ? sumLut : mapLut, 2.0, 1.0);
    }
    else
    {
      scene.clearOverlay();
    }
    scene.setTitle(c.title);
  }
}

bool RefinementView::applyNextUpdate()
{
  auto it = std::find_if(rows_.begin(), rows_.end(), [](const Row& r) { return r.dirty; });
  if (it == rows_.end())
  {
    return false;
  }
  it->dirty = false;
  showRow(static_cast<int>(it - rows_.begin()), *it);
  return hasPendingUpdates();
}

bool RefinementView::hasPendingUpdates() const
{
  return std::any_of(rows_.begin(), rows_.end(), [](const Row& r) { return r.dirty; });
}

} // namespace mrcae::widgets
