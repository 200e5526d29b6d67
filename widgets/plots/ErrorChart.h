#pragma once
// Log-error curves: global (and optionally local) train and validation error per step on a true log axis,
// stage boundaries marked with their stop reasons, optional EMA smoothing, and earlier runs drawn underneath in
// grey. A vtkChartXY in a VtkOpenGLWidget, with a row of Qt controls above it.

#include "CurveData.h"
#include "VtkOpenGLWidget.h"

#include "mrcae/model/TrainingTypes.h"

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
  using Series = CurveData::Series;
  static constexpr Series GlobalTrain = CurveData::GlobalTrain;
  static constexpr Series GlobalVal = CurveData::GlobalVal;
  static constexpr Series LocalTrain = CurveData::LocalTrain;
  static constexpr Series LocalVal = CurveData::LocalVal;
  static constexpr int SeriesCount = CurveData::SeriesCount;

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
  int earlierRunCount() const { return static_cast<int>(data_.earlier().size()); }

  /// EMA factor in [0, 1): 0 = raw; 0.9 = heavy smoothing (applied to log10 of the error).
  void setSmoothing(double factor);
  double smoothing() const { return data_.smoothing(); }
  void setSeriesVisible(Series series, bool visible);
  bool seriesVisible(Series series) const { return data_.seriesVisible(series); }
  /// What the chart draws, for figures painted elsewhere (CurvePlot).
  const CurveData& data() const { return data_; }
  /// Axis labels, legend and marker labels; rendering tests turn them off so that baselines hold no text.
  void setTextVisible(bool visible);
  /// Hides the Qt control row (tests and figure export).
  void setControlsVisible(bool visible);

  int pointCount() const { return static_cast<int>(data_.current().x.size()); }
  int stageMarkerCount() const;
  /// The last raw value of a series of the current run (NaN when empty).
  double lastValue(Series series) const;
  /// The y range (unscaled) the axis shows after the last update.
  std::pair<double, double> yRange() const { return yRange_; }

  VtkOpenGLWidget* view() const { return view_; }

private:
  void markDirty();
  void rebuild();
  void fillTable(vtkTable* table, const CurveData::Run& run, Series series) const;

  VtkOpenGLWidget* view_ = nullptr;
  QWidget* controls_ = nullptr;
  QCheckBox* smoothBox_ = nullptr;
  QDoubleSpinBox* smoothSpin_ = nullptr;
  QCheckBox* localBox_ = nullptr;
  QPushButton* clearEarlierButton_ = nullptr;

  vtkSmartPointer<vtkContextView> contextView_;
  vtkSmartPointer<vtkChartXY> chart_;
  vtkSmartPointer<StageMarkerItem> markers_;

  CurveData data_;
  bool textVisible_ = true;
  bool dirty_ = true;
  bool plotsStale_ = true;
  std::pair<double, double> yRange_{1e-4, 1.0};
};

} // namespace mrcae::widgets
