#include "LevelGrid.h"
#include "FieldMath.h"

#include <algorithm>
#include <cmath>

namespace mrcae::widgets
{

LevelGrid::LevelGrid(QWidget* parent) : FieldGrid(parent) {}

void LevelGrid::setUpCell(int row, int column, FieldScene& scene)
{
  const int kind = stacked_ ? row % ColumnCount : column;
  scene.setColormap(kind == Error ? ColormapKind::Diverging : ColormapKind::Viridis);
  scene.setRangeMode(kind == Error ? RangeMode::Symmetric : RangeMode::Auto);
  scene.setFontSize(10);
}

FieldScene& LevelGrid::panel(int level, Column column)
{
  return stacked_ ? cell(level * ColumnCount + column, 0) : cell(level, column);
}

const FieldScene& LevelGrid::panel(int level, Column column) const
{
  return stacked_ ? cell(level * ColumnCount + column, 0) : cell(level, column);
}

void LevelGrid::setStacked(bool stacked)
{
  if (stacked != stacked_)
  {
    // A new layout: the cells are set up again for what they now show.
    const int levels = levels_;
    setGrid(0, 0);
    stacked_ = stacked;
    setLevelCount(levels);
  }
}

void LevelGrid::setLevelCount(int levels)
{
  levels_ = std::max(0, levels);
  // Existing cells are reused: creating renderers costs more than refilling them.
  if (stacked_)
  {
    setGrid(levels_ * ColumnCount, 1);
  }
  else
  {
    setGrid(levels_, ColumnCount);
  }
  rows_.assign(static_cast<size_t>(levels_), Row{});
  for (int k = 0; k < levels_; ++k)
  {
    for (int c = 0; c < ColumnCount; ++c)
    {
      panel(k, Column(c)).clearField();
      panel(k, Column(c)).setTitle(QString());
    }
    panel(k, Input).setTitle(tr("L%1 input").arg(k));
  }
  reconstructionIndex_ = -1;
  scheduleRender();
}

void LevelGrid::setValueTransform(double scale, double offset)
{
  scale_ = scale;
  offset_ = offset;
}

void LevelGrid::setValidMask(const mrcae::Map2D& valid)
{
  valid_ = valid;
}

int LevelGrid::reconstructedLevels() const
{
  return static_cast<int>(
      std::count_if(rows_.begin(), rows_.end(), [](const Row& r) { return r.reconstruction != nullptr; }));
}

mrcae::Map2D LevelGrid::levelMask(int level, int h, int w) const
{
  if (valid_.h <= 0)
  {
    return {};
  }
  (void)level; // the size says which level it is
  return FieldMath::restrictTo(valid_, h, w);
}

const mrcae::Map2D* LevelGrid::shownInput(int level) const
{
  return level >= 0 && level < static_cast<int>(rows_.size()) ? rows_[level].input.get() : nullptr;
}

const mrcae::Map2D* LevelGrid::shownReconstruction(int level) const
{
  return level >= 0 && level < static_cast<int>(rows_.size()) ? rows_[level].reconstruction.get() : nullptr;
}

void LevelGrid::showRow(int level, const Row& row)
{
  if (!row.input)
  {
    for (int c = 0; c < ColumnCount; ++c)
    {
      panel(level, Column(c)).clearField();
    }
    return;
  }
  const mrcae::Map2D& input = *row.input;
  const mrcae::Map2D* reconstruction = row.reconstruction.get();
  const mrcae::Map2D mask = levelMask(level, input.h, input.w);
  const float* valid = mask.h > 0 ? mask.data.data() : nullptr;
  FieldScene& in = panel(level, Input);
  in.setField(input.data.data(), input.h, input.w, valid, scale_, offset_);
  in.setTitle(tr("L%1 input %2×%3, t=%4").arg(level).arg(input.h).arg(input.w).arg(row.index));

  FieldScene& rec = panel(level, Reconstruction);
  FieldScene& err = panel(level, Error);
  if (reconstruction && reconstruction->h == input.h && reconstruction->w == input.w)
  {
    rec.setField(reconstruction->data.data(), reconstruction->h, reconstruction->w, valid, scale_, offset_);
    // Same colours as the input, so that the two pictures compare directly (unless the user chose a range).
    if (!rec.userChoice())
    {
      rec.setFixedRange(in.range().first, in.range().second);
    }
    rec.setTitle(tr("L%1 reconstruction, t=%2").arg(level).arg(row.index));
    const mrcae::Map2D diff = FieldMath::difference(*reconstruction, input);
    err.setField(diff.data.data(), diff.h, diff.w, valid, scale_, 0.0);
    // Titles change only with the snapshot index: re-rasterising text each update costs more than the images.
    err.setTitle(tr("L%1 error, t=%2").arg(level).arg(row.index));
  }
  else
  {
    rec.clearField();
    rec.setTitle(tr("L%1 reconstruction: not trained yet").arg(level));
    err.clearField();
    err.setTitle(tr("L%1 error").arg(level));
  }
}

bool LevelGrid::applyNextUpdate()
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

bool LevelGrid::hasPendingUpdates() const
{
  return std::any_of(rows_.begin(), rows_.end(), [](const Row& r) { return r.dirty; });
}

void LevelGrid::showInputs(const mrcae::Map2D& nativeFrame, int snapshotIndex)
{
  const int levels = levelCount();
  const bool keepReconstructions = reconstructionIndex_ == snapshotIndex;
  for (int k = 0; k < levels; ++k)
  {
    Row& row = rows_[k];
    row.input = std::make_shared<const mrcae::Map2D>(FieldMath::restrict(nativeFrame, levels - 1 - k));
    if (!keepReconstructions)
    {
      row.reconstruction.reset();
    }
    row.index = snapshotIndex;
    row.dirty = true;
  }
  if (!keepReconstructions)
  {
    reconstructionIndex_ = -1;
  }
  scheduleRender();
}

void LevelGrid::showSnapshot(const std::shared_ptr<const LiveFields>& fields,
                             const std::function<mrcae::Map2D()>& nativeFrame)
{
  if (!fields || fields->inputs.empty())
  {
    return;
  }
  const int index = fields->snapshotIndex;
  const int trained = std::min<int>(levelCount(), static_cast<int>(fields->inputs.size()));
  mrcae::Map2D native; // read only when a level not trained yet shows another snapshot
  for (int k = 0; k < levelCount(); ++k)
  {
    Row& row = rows_[k];
    if (k < trained)
    {
      row.input = LiveFields::input(fields, k);
      row.reconstruction = LiveFields::reconstruction(fields, k);
    }
    else
    {
      if ((row.index != index || !row.input) && nativeFrame)
      {
        if (native.h == 0)
        {
          native = nativeFrame();
        }
        row.input = native.h > 0
                        ? std::make_shared<const mrcae::Map2D>(FieldMath::restrict(native, levelCount() - 1 - k))
                        : nullptr;
      }
      row.reconstruction.reset();
    }
    row.index = index;
    row.dirty = true;
  }
  reconstructionIndex_ = index;
  scheduleRender();
}

void LevelGrid::clearReconstructions()
{
  for (Row& row : rows_)
  {
    row.reconstruction.reset();
    row.dirty = true;
  }
  reconstructionIndex_ = -1;
  scheduleRender();
}

} // namespace mrcae::widgets
