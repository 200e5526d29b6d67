#pragma once
// Lives on the benchmark thread and runs a BenchmarkProtocol with the engine's runBenchmark, as `mrcae benchmark`
// does. Only value types leave it, through queued signals; Stop reaches it through the StopToken atomics.

#include "TrainingMetaTypes.h"

#include "mrcae/model/BenchmarkProtocol.h"

#include <QObject>
#include <QString>

namespace mrcae::app
{

class BenchmarkWorker : public QObject
{
  Q_OBJECT

public:
  explicit BenchmarkWorker(mrcae::StopToken* token);

public Q_SLOTS:
  /// MrCAE (PR) always trains (the baselines need its architecture); its stages are reported only when the
  /// protocol reports it.
  void run(const mrcae::Dataset& data, const mrcae::BenchmarkProtocol& protocol);

Q_SIGNALS:
  void methodStarted(mrcae::Method method);
  void stageStarted(mrcae::Method method, int stage, int level, int maxSteps);
  void stageFinished(mrcae::Method method, const mrcae::StageRecord& record);
  /// One setting of a compressor (POD, ZFP) the protocol reports.
  void settingFinished(mrcae::Method method, const mrcae::CompressionResult& result);
  /// One method's run ended; `stopped`: by Stop (its finished stages are kept).
  void methodFinished(mrcae::Method method, double seconds, bool stopped);
  /// `message` is phrased for the window (control names, no command-line options).
  void failed(const QString& message, bool inputError);
  /// Every method ran, or Stop / an error ended the benchmark.
  void finished();

private:
  mrcae::StopToken* token_;
};

} // namespace mrcae::app
