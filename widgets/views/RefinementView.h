#pragma once
// Refinement heat maps: for each level (row) and group (column), which code pixels were still unresolved after
// that group (strong colour) and the dilated footprint the next group refines (light colour), over the level's
// input in grey, with the counts in the title. The last column sums the unresolved maps over the groups.
// Like LevelGrid, new data is drawn one row per frame.

#include "FieldGrid.h"

#include "LiveSnapshot.h"

#include "mrcae/model/TrainingTypes.h"

#include <QString>

#include <memory>
#include <vector>

namespace mrcae::widgets
{

class RefinementView : public FieldGrid
{
  Q_OBJECT

public:
  explicit RefinementView(QWidget* parent = nullptr);

  void setLevelCount(int levels);
  int levelCount() const { return levels_; }
  /// Updates the grid from a live snapshot's fields: maps, masks and the inputs as background (shared, not
  /// copied).
  void showSnapshot(const std::shared_ptr<const LiveFields>& fields);
  void clear();
  /// The native land mask (1 = valid; empty = none): masked cells of the backdrop show in the neutral grey.
  void setValidMask(const mrcae::Map2D& valid) { valid_ = valid; }

  /// Unresolved pixels of level k after group g as shown (−1 when that map does not exist).
  int unresolvedCount(int level, int group) const;
  /// Number of maps shown in total (tests: "the masks changed").
  int mapCount() const;
  /// Largest number of groups with a map on any level.
  int groupColumns() const { return groupColumns_; }

protected:
  void setUpCell(int row, int column, FieldScene& scene) override;
  bool applyNextUpdate() override;
  bool hasPendingUpdates() const override;

private:
  struct Cell
  {
    mrcae::Map2D overlay; ///< on the code grid; empty = none
    bool sum = false;     ///< the count overlay of the last column
    QString title;
  };
  struct Row
  {
    std::shared_ptr<const mrcae::Map2D> background; ///< the level's input (null: none)
    std::vector<Cell> cells;
    bool dirty = false;
  };

  void showRow(int level, const Row& row);

  int levels_ = 0;
  mrcae::Map2D valid_;
  int groupColumns_ = 0;
  std::vector<Row> rows_;
  std::vector<std::vector<int>> unresolved_;
};

} // namespace mrcae::widgets
