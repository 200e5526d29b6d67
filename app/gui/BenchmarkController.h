#pragma once
// The GUI side of a benchmark: owns its thread and worker (as TrainingController does for training), turns
// Run / Stop into a queued call and a StopToken request, and re-emits the worker's results on the GUI thread.

#include "TrainingMetaTypes.h"

#include "mrcae/model/BenchmarkProtocol.h"

#include <QObject>
#include <QThread>

namespace mrcae::app
{

class BenchmarkWorker;

class BenchmarkController : public QObject
{
  Q_OBJECT

public:
  explicit BenchmarkController(QObject* parent = nullptr);
  ~BenchmarkController() override;

  bool isBusy() const { return busy_; }
  void run(const mrcae::Dataset& data, const mrcae::BenchmarkProtocol& protocol);
  /// Ends the method that is running after its current step (its finished stages stay); no further method starts.
  void stop();

Q_SIGNALS:
  void busyChanged(bool busy);
  void methodStarted(mrcae::Method method);
  void stageStarted(mrcae::Method method, int stage, int level, int maxSteps);
  void stageFinished(mrcae::Method method, const mrcae::StageRecord& record);
  void settingFinished(mrcae::Method method, const mrcae::CompressionResult& result);
  void methodFinished(mrcae::Method method, double seconds, bool stopped);
  void failed(const QString& message, bool inputError);
  void finished();

private:
  void setBusy(bool busy);

  QThread thread_;
  BenchmarkWorker* worker_ = nullptr;
  mrcae::StopToken token_;
  bool busy_ = false;
};

} // namespace mrcae::app
