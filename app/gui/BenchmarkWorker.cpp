#include "BenchmarkWorker.h"
#include "ErrorText.h"

#include "ThreadPriority.h"

#include "mrcae/engine/BenchmarkRun.h"
#include "mrcae/model/InputError.h"

#include <memory>

namespace mrcae::app
{

namespace
{

/// Passes one method's stage starts and ends on as the worker's signals. Steps are not needed by the tab, so
/// nothing per step crosses threads.
class StageRelay : public mrcae::TrainingObserver
{
public:
  StageRelay(BenchmarkWorker* worker, mrcae::Method method, bool report)
    : worker_(worker), method_(method), report_(report)
  {
  }
  void stageStarted(int stage, int level, int, mrcae::StageOp, int maxSteps) override
  {
    Q_EMIT worker_->stageStarted(method_, stage, level, maxSteps);
  }
  void stageFinished(const mrcae::StageRecord& record) override
  {
    if (report_)
    {
      Q_EMIT worker_->stageFinished(method_, record);
    }
  }

private:
  BenchmarkWorker* worker_;
  mrcae::Method method_;
  bool report_;
};

/// The benchmark's progress as the worker's signals.
class MethodRelay : public mrcae::BenchmarkObserver
{
public:
  MethodRelay(BenchmarkWorker* worker, const mrcae::BenchmarkProtocol& protocol) : worker_(worker), protocol_(protocol)
  {
  }
  mrcae::TrainingObserver* methodStarted(mrcae::Method method, const mrcae::TrainingConfig&) override
  {
    current_ = method;
    stages_ = std::make_unique<StageRelay>(worker_, method, protocol_.reports(method));
    Q_EMIT worker_->methodStarted(method);
    return stages_.get();
  }
  void settingFinished(mrcae::Method method, const mrcae::CompressionResult& result) override
  {
    Q_EMIT worker_->settingFinished(method, result);
  }
  void methodFinished(const mrcae::MethodRun& run, bool stopped) override
  {
    Q_EMIT worker_->methodFinished(run.method, run.seconds, stopped);
  }
  mrcae::Method current() const { return current_; }

private:
  BenchmarkWorker* worker_;
  const mrcae::BenchmarkProtocol& protocol_;
  std::unique_ptr<StageRelay> stages_;
  mrcae::Method current_ = mrcae::Method::MrcaePr;
};

} // namespace

BenchmarkWorker::BenchmarkWorker(mrcae::StopToken* token) : token_(token) {}

void BenchmarkWorker::run(const mrcae::Dataset& data, const mrcae::BenchmarkProtocol& protocol)
{
  lowerCurrentThreadPriority();
  MethodRelay relay(this, protocol);
  try
  {
    mrcae::runBenchmark(data, protocol, &relay, token_);
  }
  catch (const mrcae::InputError& e)
  {
    Q_EMIT failed(windowText(e), true);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(tr("%1 failed: %2").arg(QString::fromStdString(mrcae::displayName(relay.current())), windowText(e)),
                  false);
  }
  Q_EMIT finished();
}

} // namespace mrcae::app
