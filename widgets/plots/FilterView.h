#pragma once
// The Filters tab: a level picker and the FilterPlot of that level (kernels, biases and codes of every group),
// in a scroll area. The data come from the trainer when it is idle (Trainer::weights and codes).

#include "FilterPlot.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QScrollArea;

namespace mrcae::widgets
{

class FilterView : public QWidget
{
  Q_OBJECT

public:
  explicit FilterView(QWidget* parent = nullptr);

  void setData(std::vector<mrcae::GroupWeights> weights, std::vector<mrcae::GroupCodes> codes, int snapshot);
  void clear();
  /// A note instead of the plot (e.g. "updates when training pauses or ends").
  void setNote(const QString& note);
  const FilterPlot& plot() const { return plot_; }
  QComboBox* levelBox() const { return levelBox_; }

private:
  class Canvas;
  void refresh();

  FilterPlot plot_;
  QComboBox* levelBox_ = nullptr;
  QLabel* note_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  Canvas* canvas_ = nullptr;
};

} // namespace mrcae::widgets
