#pragma once
// The run's fields in the status bar: stage, step, losses, steps per second, an upper bound of the time left and
// the device. Each label has a fixed size: a label that changes size relayouts the status bar and then the whole
// window on every step, and with OpenGL views in the window each of those relayouts costs a full composition.
// Frequent changes go through the render scheduler, so that they share the next view's frame.

#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <vector>

class QLabel;
class QStatusBar;

namespace mrcae::app
{

class RunStatus : public QObject
{
  Q_OBJECT

public:
  explicit RunStatus(QStatusBar* bar);

  /// A new run of `config` starts: the fields clear and the rate is measured afresh.
  void runStarting(const mrcae::TrainingConfig& config);
  /// The settings of the model on screen (an opened one): the stage count and the time left follow them.
  void setPlan(const mrcae::TrainingConfig& config);
  /// The settings of the run or the model on screen.
  const mrcae::TrainingConfig& plan() const { return plan_; }
  void stageStarted(int stage, int level, int group, const QString& op, int maxSteps);
  /// Steps drawn since the last call: step, losses, rate and time left.
  void stepsDrawn(const std::vector<mrcae::StepRecord>& steps);
  void setDevice(const QString& device);
  void setStage(const QString& text);
  void setPaused();
  /// The run ended: the time left goes.
  void clearTimeLeft();

  /// The fields joined with " | ".
  QString text() const;

private:
  QLabel* addLabel(QStatusBar* bar, const QString& name, const QString& widest);

  QLabel* stage_ = nullptr;
  QLabel* step_ = nullptr;
  QLabel* loss_ = nullptr;
  QLabel* rate_ = nullptr;
  QLabel* eta_ = nullptr;
  QLabel* device_ = nullptr;
  mrcae::TrainingConfig plan_;
  int plannedStages_ = 0;
  int maxSteps_ = 0;
  long long remainingAfterStage_ = 0;
  QElapsedTimer rateClock_;
  long long rateSteps_ = 0;
  double stepsPerSecond_ = 0.0;
};

} // namespace mrcae::app
