#pragma once
// The error curves of a run as plain data: global and local train/validation error per step, counted over the
// whole run, the stage ends with their stop reasons, earlier runs for comparison, and what is drawn (EMA
// smoothing, which series). CurvePlot paints it with QPainter, on screen (ErrorChart) and in figures alike.

#include "mrcae/model/TrainingTypes.h"

#include <QString>

#include <array>
#include <utility>
#include <vector>

namespace mrcae::widgets
{

class CurveData
{
public:
  enum Series
  {
    GlobalTrain = 0,
    GlobalVal,
    LocalTrain,
    LocalVal,
    SeriesCount
  };

  struct Run
  {
    QString name;
    std::vector<double> x; ///< step counted over the whole run (1-based)
    std::array<std::vector<double>, SeriesCount> y;
    std::vector<int> stageOfPoint;
  };

  struct StageEnd
  {
    int stage = 0;
    double x = 0;
    QString label; ///< "L1g2 tolerance": level 1, group 2 stopped on tolerance
  };

  /// Forgets the current run (earlier runs stay).
  void clear();
  void appendSteps(const std::vector<mrcae::StepRecord>& steps);
  /// Marks the end of a stage; a stage that was stopped and then continued moves its mark.
  void addStage(const mrcae::StageRecord& record);
  void setRun(const std::vector<mrcae::StepRecord>& steps, const std::vector<mrcae::StageRecord>& stages);
  /// Moves the current run to the earlier runs under `name` (nothing when it is empty).
  void archiveCurrentRun(const QString& name);
  void addEarlierRun(const QString& name, const std::vector<mrcae::StepRecord>& steps);
  void clearEarlierRuns() { earlier_.clear(); }

  const Run& current() const { return current_; }
  const std::vector<Run>& earlier() const { return earlier_; }
  const std::vector<StageEnd>& stageEnds() const { return stageEnds_; }

  /// EMA factor in [0, 0.99]: 0 = raw; applied to log10 of the error, restarted at each stage.
  void setSmoothing(double factor);
  double smoothing() const { return smoothing_; }
  void setSeriesVisible(Series series, bool visible) { visible_[series] = visible; }
  bool seriesVisible(Series series) const { return visible_[series]; }

  /// The points drawn for one series of a run: smoothed, non-positive values skipped, at most `maxPoints`
  /// (every k-th point and the last one).
  std::vector<std::pair<double, double>> drawnPoints(const Run& run, Series series, size_t maxPoints = 4000) const;
  /// Largest x of anything drawn (at least 1).
  double xMax() const;
  /// Whole decades [10^a, 10^b] around every drawn value (b > a), (1e-4, 1) when there is nothing to draw.
  std::pair<double, double> decadeRange() const;

  static const char* seriesName(Series series);

private:
  void addPoints(Run& run, const std::vector<mrcae::StepRecord>& steps, std::vector<double>& stageStart) const;

  Run current_;
  std::vector<double> stageStart_; ///< x where each stage of the current run began
  std::vector<StageEnd> stageEnds_;
  std::vector<Run> earlier_;
  double smoothing_ = 0.0;
  std::array<bool, SeriesCount> visible_{true, true, false, false};
};

} // namespace mrcae::widgets
