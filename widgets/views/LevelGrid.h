#pragma once
// Per level, side by side: the input restricted to that level, the current reconstruction and the signed error
// (reconstruction − input, diverging colours centred on zero). Row 0 is the coarsest level. Fields much wider
// than tall are stacked instead: one column, each level's three panels one under the other. New data is kept
// per row and drawn one row per frame (FieldGrid::applyNextUpdate).

#include "FieldGrid.h"

#include "LiveSnapshot.h"
#include "mrcae/model/Field.h"

#include "mrcae/model/TrainingTypes.h"

#include <functional>
#include <memory>
#include <vector>

namespace mrcae::widgets
{

class LevelGrid : public FieldGrid
{
  Q_OBJECT

public:
  enum Column
  {
    Input = 0,
    Reconstruction,
    Error,
    ColumnCount
  };

  explicit LevelGrid(QWidget* parent = nullptr);

  /// One row per level; clears the pictures.
  void setLevelCount(int levels);
  int levelCount() const { return levels_; }
  /// Stacks the panels in one column (for wide fields); clears the pictures like setLevelCount.
  void setStacked(bool stacked);
  bool stacked() const { return stacked_; }
  /// The picture of one level and column, wherever the layout puts it.
  FieldScene& panel(int level, Column column);
  const FieldScene& panel(int level, Column column) const;
  /// Shown values are v·scale + offset (the dataset's units); `valid` is the native land mask (may be empty).
  void setValueTransform(double scale, double offset);
  void setValidMask(const mrcae::Map2D& valid);

  /// Inputs of every level for one snapshot of the native field; reconstructions of another snapshot go.
  void showInputs(const mrcae::Map2D& nativeFrame, int snapshotIndex);
  /// Inputs, reconstructions and errors of the trained levels in a live snapshot's fields, read in place (the
  /// rows share the arrays, nothing is copied); the levels not trained yet keep the inputs of that snapshot
  /// index they already show, or restrict `nativeFrame()` (that snapshot of the native field, asked only then).
  void showSnapshot(const std::shared_ptr<const LiveFields>& fields,
                    const std::function<mrcae::Map2D()>& nativeFrame = {});
  void clearReconstructions();
  /// Levels that have a reconstruction (drawn now or in the next frames).
  int reconstructedLevels() const;
  /// Index of the snapshot the reconstructions belong to (−1 when none).
  int reconstructionIndex() const { return reconstructionIndex_; }
  /// The arrays row `level` shows (tests: the live snapshot's own arrays, not copies); null for none.
  const mrcae::Map2D* shownInput(int level) const;
  const mrcae::Map2D* shownReconstruction(int level) const;

protected:
  void setUpCell(int row, int column, FieldScene& scene) override;
  bool applyNextUpdate() override;
  bool hasPendingUpdates() const override;

private:
  struct Row
  {
    std::shared_ptr<const mrcae::Map2D> input;
    std::shared_ptr<const mrcae::Map2D> reconstruction; ///< null when the level has none (for this snapshot)
    int index = -1;
    bool dirty = false;
  };

  void showRow(int level, const Row& row);
  mrcae::Map2D levelMask(int level, int h, int w) const;

  std::vector<Row> rows_;
  int levels_ = 0;
  bool stacked_ = false;
  double scale_ = 1.0;
  double offset_ = 0.0;
  mrcae::Map2D valid_;
  int reconstructionIndex_ = -1;
};

} // namespace mrcae::widgets
