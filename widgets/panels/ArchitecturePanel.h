#pragma once
// The architecture panel: levels × groups with their channels (cleared levels marked), the parameter count and
// encoding size, and one row per finished stage (op, channels added, parameters, steps, stop reason, best
// validation error, unresolved and refined pixels, seconds).

#include "mrcae/model/TrainingTypes.h"

#include <QWidget>

#include <vector>

class QLabel;
class QTableWidget;

namespace mrcae::widgets
{

class ArchitecturePanel : public QWidget
{
  Q_OBJECT

public:
  explicit ArchitecturePanel(QWidget* parent = nullptr);
  /// Room for the stage table's first columns (level, group, op, parameters) beside the views.
  QSize sizeHint() const override { return QSize(260, 480); }

  void clear();
  /// groupChannels[level][group] = channels of that group; the parameter count of the whole model.
  void setArchitecture(const std::vector<std::vector<int>>& groupChannels, const std::vector<bool>& levelClear,
                       long long params);
  void addStage(const mrcae::StageRecord& record);
  void setStages(const std::vector<mrcae::StageRecord>& records);

  long long params() const { return params_; }
  int stageCount() const;
  /// Unresolved pixels after the last stage of `level` (−1 when unknown).
  int unresolvedAfter(int level) const;
  QString summaryText() const;

private:
  void updateSummary();

  QLabel* summary_ = nullptr;
  QTableWidget* groups_ = nullptr;
  QTableWidget* stages_ = nullptr;
  long long params_ = 0;
  long long encodingSize_ = 0;
  std::vector<mrcae::StageRecord> records_;
};

} // namespace mrcae::widgets
