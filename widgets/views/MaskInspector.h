#pragma once
// The mask inspector: pick a level and a group and see, side by side, the code pixels still unresolved after that
// group (1 − R_k[g]), the dilated mask the next group multiplies its code with, and that mask's footprint on the
// level's own grid (the cells the next group's decoder writes to) over the level's input, with the counts.
// The Refinement maps tab shows every group at once; this is the close-up.

#include "FieldGrid.h"

#include "LiveSnapshot.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;

namespace mrcae::widgets
{

class MaskInspector : public QWidget
{
  Q_OBJECT

public:
  explicit MaskInspector(QWidget* parent = nullptr);

  /// New maps, masks and inputs (a live snapshot's fields, shared, not copied); keeps the level and group
  /// picked when they exist.
  void showSnapshot(const std::shared_ptr<const LiveFields>& fields);
  void clear();
  void select(int level, int group);

  int level() const;
  int group() const;
  /// The counts shown: unresolved code pixels after the group, pixels of the next group's dilated mask, and
  /// cells of its footprint on the level's grid (−1 when there is no map).
  int unresolvedCount() const { return unresolved_; }
  int dilatedCount() const { return dilated_; }
  int footprintCount() const { return footprint_; }
  FieldGrid* grid() const { return grid_; }
  QComboBox* levelBox() const { return levelBox_; }
  QComboBox* groupBox() const { return groupBox_; }

private:
  void fillGroups();
  void refresh();

  /// What is shown (an empty set when nothing is).
  const LiveFields& shown() const;

  std::shared_ptr<const LiveFields> fields_;
  FieldGrid* grid_ = nullptr;
  QComboBox* levelBox_ = nullptr;
  QComboBox* groupBox_ = nullptr;
  QLabel* counts_ = nullptr;
  int unresolved_ = -1;
  int dilated_ = -1;
  int footprint_ = -1;
};

} // namespace mrcae::widgets
