#pragma once
// Log-error curves: global (and optionally local) train and validation error per step on a true log axis,
// stage boundaries marked with their stop reasons, optional EMA smoothing, and earlier runs drawn underneath in
// grey. A vtkChartXY in a VtkOpenGLWidget, with a row of Qt controls above it.

#include "VtkOpenGLWidget.h"

#include <engine/TrainingTypes.h>

#include <vtkSmartPointer.h>

#include <QString>
#include <QWidget>

#include <array>
#include <vector>

class QCheckBox;
class QDoubleSpinBox;
class QPushButton;
class vtkChartXY;
class vtkContextView;
class vtkTable;

namespace mrcae::widgets
{

class StageMarkerItem;

class ErrorChart : public QWidget
{
  Q_OBJECT

public:
  enum Series
  {
    GlobalTrain = 0,
    GlobalVal,
    LocalTrain,
    LocalVal,
    SeriesCount
  };

  explicit ErrorChart(QWidget* parent = nullptr);
  ~ErrorChart() override;

  /// Forgets the current run (earlier runs stay).
  void clear();
  /// Adds steps of the current run; x is the step counted over the whole run.
  void appendSteps(const std::vector<mrcae::StepRecord>& steps);
  /// Marks the end of a finished stage with its level, group and stop reason.
  void addStage(const mrcae::StageRecord& record);
  /// Replaces the current run (e.g. a run reopened from a model file).
  void setRun(const std::vector<mrcae::StepRecord>& steps, const std::vector<mrcae::StageRecord>& stages);
  /// Moves the current run to the earlier runs (drawn in grey under the next one).
  void archiveCurrentRun(const QString& name);
  void addEarlierRun(const QString& name, const std::vector<mrcae::StepRecord>& steps);
  void clearEarlierRuns();
  int earlierRunCount() const { return static_cast<int>(earlier_.size()); }

  /// EMA factor in [0, 1): 0 = raw; 0.9 = heavy smoothing (applied to log10 of the error).
  void setSmoothing(double factor);
  double smoothing() const { return smoothing_; }
  void setSeriesVisible(Series series, bool visible);
  bool seriesVisible(Series series) const { return visible_[series]; }
  /// Axis labels, legend and marker labels; rendering tests turn them off so that baselines hold no text.
  void setTextVisible(bool visible);
  /// Hides the Qt control row (tests and figure export).
  void setControlsVisible(bool visible);

  int pointCount() const { return static_cast<int>(current_.x.size()); }
  int stageMarkerCount() const;
  /// The last raw value of a series of the current run (NaN when empty).
  double lastValue(Series series) const;
  /// The y range (unscaled) the axis shows after the last update.
  std::pair<double, double> yRange() const { return yRange_; }

  VtkOpenGLWidget* view() const { return view_; }

private:
  struct Run
  {
    QString name;
    std::vector<double> x;
    std::array<std::vector<double>, SeriesCount> y;
    std::vector<int> stageOfPoint;
  };

  void addPoints(Run& run, const std::vector<mrcae::StepRecord>& steps, std::vector<double>* stageStart);
  void markDirty();
  void rebuild();
  void fillTable(vtkTable* table, const Run& run, Series series, std::pair<double, double>& yBounds) const;

  VtkOpenGLWidget* view_ = nullptr;
  QWidget* controls_ = nullptr;
  QCheckBox* smoothBox_ = nullptr;
  QDoubleSpinBox* smoothSpin_ = nullptr;
  QCheckBox* localBox_ = nullptr;
  QPushButton* clearEarlierButton_ = nullptr;

  vtkSmartPointer<vtkContextView> contextView_;
  vtkSmartPointer<vtkChartXY> chart_;
  vtkSmartPointer<StageMarkerItem> markers_;

  Run current_;
  std::vector<double> stageStart_; ///< x where each stage of the current run began
  std::vector<std::pair<double, std::string>> stageEnds_;
  std::vector<Run> earlier_;
  double smoothing_ = 0.0;
  std::array<bool, SeriesCount> visible_{true, true, false, false};
  bool textVisible_ = true;
  bool dirty_ = true;
  bool plotsStale_ = true;
  std::pair<double, double> yRange_{1e-4, 1.0};
};

} // namespace mrcae::widgets
