#pragma once
// Lives on the benchmark thread and runs the chosen methods one after the other, like `mrcae benchmark`:
// MrCAE (PR) first (the baselines follow the architecture it reaches), then MrCAE + ReLU and the RED-Nets.
// Only value types leave it, through queued signals; Stop reaches it through the StopToken atomics.

#include "TrainingMetaTypes.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace mrcae::app
{

class BenchmarkWorker : public QObject
{
  Q_OBJECT

public:
  explicit BenchmarkWorker(mrcae::StopToken* token);

public Q_SLOTS:
  /// `methods`: keys pr, relu, rednet, rednet-relu. MrCAE (PR) always trains (the baselines need its
  /// architecture) but is reported only when asked for.
  void run(const mrcae::Dataset& data, const mrcae::TrainingConfig& config, const QStringList& methods);

Q_SIGNALS:
  void methodStarted(const QString& method);
  void stageStarted(const QString& method, int stage, int level, int maxSteps);
  void stageFinished(const QString& method, const mrcae::StageRecord& record);
  /// One method's run ended; `stopped`: by Stop (its finished stages are kept).
  void methodFinished(const QString& method, double seconds, bool stopped);
  void failed(const QString& message, bool inputError);
  /// Every method ran, or Stop / an error ended the benchmark.
  void finished();

private:
  mrcae::StopToken* token_;
};

} // namespace mrcae::app
