#include "BenchmarkController.h"
#include "BenchmarkWorker.h"

namespace mrcae::app
{

BenchmarkController::BenchmarkController(QObject* parent) : QObject(parent)
{
  registerTrainingMetaTypes();
  thread_.setObjectName("benchmark");
  worker_ = new BenchmarkWorker(&token_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  // Worker → GUI: queued (different threads); the values are copied into the event.
  connect(worker_, &BenchmarkWorker::methodStarted, this, &BenchmarkController::methodStarted);
  connect(worker_, &BenchmarkWorker::stageStarted, this, &BenchmarkController::stageStarted);
  connect(worker_, &BenchmarkWorker::stageFinished, this, &BenchmarkController::stageFinished);
  connect(worker_, &BenchmarkWorker::settingFinished, this, &BenchmarkController::settingFinished);
  connect(worker_, &BenchmarkWorker::methodFinished, this, &BenchmarkController::methodFinished);
  connect(worker_, &BenchmarkWorker::failed, this, &BenchmarkController::failed);
  connect(worker_, &BenchmarkWorker::finished, this, [this] {
    setBusy(false);
    Q_EMIT finished();
  });
  thread_.start();
}

BenchmarkController::~BenchmarkController()
{
  // Ask a running method to stop at its next step, then let the thread finish; never terminate() it.
  token_.requestStop();
  thread_.quit();
  thread_.wait();
}

void BenchmarkController::setBusy(bool busy)
{
  if (busy_ != busy)
  {
    busy_ = busy;
    Q_EMIT busyChanged(busy);
  }
}

void BenchmarkController::run(const mrcae::Dataset& data, const mrcae::BenchmarkProtocol& protocol)
{
  if (busy_)
  {
    return;
  }
  token_.reset();
  setBusy(true);
  QMetaObject::invokeMethod(
      worker_, [w = worker_, data, protocol] { w->run(data, protocol); }, Qt::QueuedConnection);
}

void BenchmarkController::stop()
{
  if (busy_)
  {
    token_.requestStop();
  }
}

} // namespace mrcae::app
