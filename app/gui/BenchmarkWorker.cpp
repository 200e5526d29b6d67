#include "BenchmarkWorker.h"

#include "ThreadPriority.h"

#include "mrcae/engine/RedNetBaseline.h"
#include "mrcae/model/InputError.h"

#include "BenchmarkPanel.h"

#include <QElapsedTimer>

namespace mrcae::app
{

namespace
{

using mrcae::widgets::BenchmarkPanel;

/// Passes stage starts and ends of one method on as the worker's signals. Steps are not needed by the tab,
/// so nothing per step crosses threads.
class StageRelay : public mrcae::TrainingObserver
{
public:
  StageRelay(BenchmarkWorker* worker, QString method, bool report)
    : worker_(worker), method_(std::move(method)), report_(report)
  {
  }
  void stageStarted(int stage, int level, int, const std::string&, int maxSteps) override
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
  QString method_;
  bool report_;
};

} // namespace

BenchmarkWorker::BenchmarkWorker(mrcae::StopToken* token) : token_(token) {}

void BenchmarkWorker::run(const mrcae::Dataset& data, const mrcae::TrainingConfig& config, const QStringList& methods)
{
  lowerCurrentThreadPriority();
  QString current;
  try
  {
    const QString prName = BenchmarkPanel::methodName(QStringLiteral("pr"));
    current = prName;
    const bool reportPr = methods.contains(QStringLiteral("pr"));
    mrcae::Trainer pr(data, config);
    Q_EMIT methodStarted(prName);
    QElapsedTimer clock;
    clock.start();
    {
      StageRelay relay(this, prName, reportPr);
      pr.run(&relay, token_);
    }
    Q_EMIT methodFinished(prName, clock.elapsed() / 1000.0, token_->stopRequested());
    const auto arch = pr.architecture().cumulativeWidths();
    for (const QString& key : methods)
    {
      if (key == QLatin1String("pr") || token_->stopRequested())
      {
        continue;
      }
      const QString name = BenchmarkPanel::methodName(key);
      current = name;
      mrcae::TrainingConfig c = config;
      c.tols.clear();
      c.archs = arch;
      c.activation = key.endsWith(QLatin1String("relu")) ? mrcae::Activation::ReLU : mrcae::Activation::Identity;
      Q_EMIT methodStarted(name);
      clock.restart();
      StageRelay relay(this, name, true);
      if (key == QLatin1String("relu"))
      {
        mrcae::Trainer t(data, c);
        t.run(&relay, token_);
      }
      else
      {
        mrcae::RedNetBaseline r(data, c, arch);
        r.run(&relay, token_);
      }
      Q_EMIT methodFinished(name, clock.elapsed() / 1000.0, token_->stopRequested());
    }
  }
  catch (const mrcae::InputError& e)
  {
    Q_EMIT failed(QString::fromStdString(e.what()), true);
  }
  catch (const std::exception& e)
  {
    Q_EMIT failed(tr("%1 failed: %2").arg(current, QString::fromStdString(e.what())), false);
  }
  Q_EMIT finished();
}

} // namespace mrcae::app
