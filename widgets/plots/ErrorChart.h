#pragma once
// Log-error curves on screen: global (and optionally local) train and validation error per step on a log axis,
// stage boundaries marked with their stop reasons, optional EMA smoothing, and earlier runs drawn underneath in
// grey. A row of Qt controls above a CurveView, which paints the same CurvePlot that the figure export writes.

#include "CurveData.h"

#include "mrcae/model/TrainingTypes.h"

#include <QString>
#include <QWidget>

#include <utility>
#include <vector>

class QCheckBox;
class QDoubleSpinBox;
class QPushButton;

namespace mrcae::widgets
{

class CurveView;

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
  int earlierRunCount() const { return static_cast<int>(data().earlier().size()); }

  /// EMA factor in [0, 1): 0 = raw; 0.9 = heavy smoothing (applied to log10 of the error).
  void setSmoothing(double factor);
  double smoothing() const { return data().smoothing(); }
  void setSeriesVisible(Series series, bool visible);
  bool seriesVisible(Series series) const { return data().seriesVisible(series); }
  /// What the chart draws, for figures painted elsewhere.
  const CurveData& data() const;
  /// Hides the Qt control row (tests and figure export).
  void setControlsVisible(bool visible);

  int pointCount() const { return static_cast<int>(data().current().x.size()); }
  int stageMarkerCount() const { return static_cast<int>(data().stageEnds().size()); }
  /// The last raw value of a series of the current run (NaN when empty).
  double lastValue(Series series) const;
  /// The y range the log axis shows: whole decades around every drawn value.
  std::pair<double, double> yRange() const { return data().decadeRange(); }

  CurveView* view() const { return view_; }

private:
  CurveData& mutableData();

  CurveView* view_ = nullptr;
  QWidget* controls_ = nullptr;
  QCheckBox* smoothBox_ = nullptr;
  QDoubleSpinBox* smoothSpin_ = nullptr;
  QCheckBox* localBox_ = nullptr;
  QPushButton* clearEarlierButton_ = nullptr;
};

} // namespace mrcae::widgets
