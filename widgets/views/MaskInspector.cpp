#include <vtkLookupTable.h>

#include "Colormaps.h"
#include "FieldMath.h"
#include "MaskInspector.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace mrcae::widgets
{

namespace
{

enum Cell
{
  Unresolved = 0,
  NextMask,
  Footprint
};

} // namespace

MaskInspector::MaskInspector(QWidget* parent) : QWidget(parent)
{
  setObjectName("maskInspector");
  levelBox_ = new QComboBox(this);
  levelBox_->setObjectName("inspectorLevel");
  groupBox_ = new QComboBox(this);
  groupBox_->setObjectName("inspectorGroup");
  counts_ = new QLabel(this);
  counts_->setObjectName("inspectorCounts");
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Level"), this));
  top->addWidget(levelBox_);
  top->addWidget(new QLabel(tr("after group"), this));
  top->addWidget(groupBox_);
  top->addWidget(counts_, 1);
  grid_ = new FieldGrid(this);
  grid_->setObjectName("inspectorGrid");
  grid_->setGrid(1, 3);
  for (int c = 0; c < 3; ++c)
  {
    grid_->cell(0, c).setColorBarVisible(false);
    grid_->cell(0, c).setFontSize(11);
  }
  grid_->cell(0, Unresolved).setColormap(ColormapKind::Magma);
  grid_->cell(0, NextMask).setColormap(ColormapKind::Magma);
  grid_->cell(0, Footprint).setColormap(ColormapKind::Greys);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addWidget(grid_, 1);
  connect(levelBox_, &QComboBox::currentIndexChanged, this, [this] {
    fillGroups();
    refresh();
  });
  connect(groupBox_, &QComboBox::currentIndexChanged, this, &MaskInspector::refresh);
  clear();
}

int MaskInspector::level() const
{
  return levelBox_->currentIndex();
}

int MaskInspector::group() const
{
  return groupBox_->currentIndex();
}

void MaskInspector::clear()
{
  showSnapshot(nullptr);
}

void MaskInspector::select(int level, int group)
{
  levelBox_->setCurrentIndex(level);
  groupBox_->setCurrentIndex(group);
}

const LiveFields& MaskInspector::shown() const
{
  static const LiveFields none;
  return fields_ ? *fields_ : none;
}

void MaskInspector::showSnapshot(const std::shared_ptr<const LiveFields>& fields)
{
  fields_ = fields;
  const LiveFields& live = shown();
  const int keepLevel = level();
  const int keepGroup = group();
  {
    const QSignalBlocker block(levelBox_);
    levelBox_->clear();
    for (size_t k = 0; k < live.maps.size(); ++k)
    {
      if (!live.maps[k].empty())
      {
        levelBox_->addItem(tr("L%1").arg(k));
      }
    }
    // The newest level by default; the user's pick while it exists.
    levelBox_->setCurrentIndex(keepLevel >= 0 && keepLevel < levelBox_->count() ? keepLevel : levelBox_->count() - 1);
  }
  fillGroups();
  if (keepGroup >= 0 && keepGroup < groupBox_->count() && keepLevel == level())
  {
    const QSignalBlocker block(groupBox_);
    groupBox_->setCurrentIndex(keepGroup);
  }
  refresh();
}

void MaskInspector::fillGroups()
{
  const LiveFields& live = shown();
  const QSignalBlocker block(groupBox_);
  groupBox_->clear();
  const int k = level();
  if (k < 0 || k >= static_cast<int>(live.maps.size()))
  {
    return;
  }
  for (size_t g = 0; g < live.maps[k].size(); ++g)
  {
    groupBox_->addItem(tr("g%1").arg(g));
  }
  groupBox_->setCurrentIndex(groupBox_->count() - 1);
}

void MaskInspector::refresh()
{
  const LiveFields& live = shown();
  const int k = level();
  const int g = group();
  const bool has =
      k >= 0 && k < static_cast<int>(live.maps.size()) && g >= 0 && g < static_cast<int>(live.maps[k].size());
  unresolved_ = dilated_ = footprint_ = -1;
  if (!has)
  {
    for (int c = 0; c < 3; ++c)
    {
      grid_->cell(0, c).clearField();
      grid_->cell(0, c).clearOverlay();
    }
    grid_->cell(0, Unresolved).setTitle(tr("no map yet: maps appear after the first stage with tolerances"));
    grid_->cell(0, NextMask).setTitle(QString());
    grid_->cell(0, Footprint).setTitle(QString());
    counts_->clear();
    grid_->scheduleRender();
    return;
  }
  const mrcae::Map2D& resolved = live.maps[k][g];
  mrcae::Map2D unresolved(resolved.h, resolved.w);
  for (size_t i = 0; i < resolved.data.size(); ++i)
  {
    unresolved.data[i] = resolved.data[i] < 0.5f ? 1.0f : 0.0f;
  }
  // The mask group g+1 uses, from the trainer when that group exists, else what it would be (the rule of SPEC §3).
  const bool nextExists = k < static_cast<int>(live.masks.size()) && g + 1 < static_cast<int>(live.masks[k].size()) &&
                          live.masks[k][g + 1].h > 0;
  const mrcae::Map2D next = nextExists ? live.masks[k][g + 1] : FieldMath::dilate(unresolved);
  const mrcae::Map2D foot = FieldMath::footprint(next);
  unresolved_ = FieldMath::countSet(unresolved);
  dilated_ = FieldMath::countSet(next);
  footprint_ = FieldMath::countSet(foot);

  FieldScene& u = grid_->cell(0, Unresolved);
  u.setFixedRange(0.0, 1.0);
  u.setField(unresolved.data.data(), unresolved.h, unresolved.w);
  u.setTitle(tr("L%1 unresolved after g%2: %3 / %4").arg(k).arg(g).arg(unresolved_).arg(unresolved.data.size()));
  FieldScene& n = grid_->cell(0, NextMask);
  n.setFixedRange(0.0, 1.0);
  n.setField(next.data.data(), next.h, next.w);
  n.setTitle(nextExists ? tr("mask of g%1 (dilated): %2 px").arg(g + 1).arg(dilated_)
                        : tr("mask a g%1 would get (dilated): %2 px").arg(g + 1).arg(dilated_));
  FieldScene& f = grid_->cell(0, Footprint);
  const bool haveInput =
      k < static_cast<int>(live.inputs.size()) && live.inputs[k].h == foot.h && live.inputs[k].w == foot.w;
  if (haveInput)
  {
    const mrcae::Map2D& input = live.inputs[k];
    f.setField(input.data.data(), input.h, input.w);
  }
  else
  {
    const mrcae::Map2D blank(foot.h, foot.w, 0.0f);
    f.setField(blank.data.data(), blank.h, blank.w);
  }
  f.setOverlay(foot.data.data(), foot.h, foot.w, Colormaps::countOverlay(1));
  f.setTitle(tr("footprint on the L%1 grid %2×%3: %4 cells").arg(k).arg(foot.h).arg(foot.w).arg(footprint_));
  counts_->setText(tr("%1 unresolved code pixels · %2 in the next mask · %3 level cells refined")
                       .arg(unresolved_)
                       .arg(dilated_)
                       .arg(footprint_));
  grid_->scheduleRender();
}

} // namespace mrcae::widgets
