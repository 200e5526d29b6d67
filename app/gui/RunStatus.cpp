#include "RunStatus.h"

#include "RenderScheduler.h"

#include <QLabel>
#include <QStatusBar>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace mrcae::app
{

namespace
{

QString formatDuration(double seconds)
{
  if (!std::isfinite(seconds) || seconds < 0)
  {
    return QStringLiteral("?");
  }
  const long long s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600)
  {
    return QString("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
  }
  if (s >= 60)
  {
    return QString("%1 min %2 s").arg(s / 60).arg(s % 60);
  }
  return QString("%1 s").arg(s);
}

} // namespace

RunStatus::RunStatus(QStatusBar* bar) : QObject(bar)
{
  stage_ = addLabel(bar, "statusStage", "stopped after 12 stages: Resume continues  ");
  step_ = addLabel(bar, "statusStep", "step 00000/00000  ");
  loss_ = addLabel(bar, "statusLoss", "loss 0.00e-00 · val 0.00e-00  ");
  rate_ = addLabel(bar, "statusRate", "0000 steps/s  ");
  eta_ = addLabel(bar, "statusEta", "ETA ≤ 00 min 00 s  ");
  device_ = addLabel(bar, "statusDevice", "device: cuda:0 (fell back to cpu)  ");
  stage_->setText(tr("no run yet"));
}

QLabel* RunStatus::addLabel(QStatusBar* bar, const QString& name, const QString& widest)
{
  auto* l = new QLabel(bar);
  l->setObjectName(name);
  l->setFixedSize(l->fontMetrics().horizontalAdvance(widest), l->sizeHint().height());
  bar->addPermanentWidget(l);
  return l;
}

void RunStatus::setPlan(const mrcae::TrainingConfig& config)
{
  plan_ = config;
  plannedStages_ = 0;
  for (const auto& a : config.archs)
  {
    plannedStages_ += static_cast<int>(a.size());
  }
}

void RunStatus::runStarting(const mrcae::TrainingConfig& config)
{
  setPlan(config);
  rateSteps_ = 0;
  stepsPerSecond_ = 0.0;
  rateClock_.start();
  stage_->setText(tr("starting…"));
  for (QLabel* l : {step_, loss_, rate_, eta_})
  {
    l->clear();
  }
}

void RunStatus::stageStarted(int stage, int level, int group, const QString& op, int maxSteps)
{
  maxSteps_ = maxSteps;
  // Upper bound of what is left after this stage: the rest of this level's widenings and every later level.
  remainingAfterStage_ = 0;
  for (int k = level; k < static_cast<int>(plan_.archs.size()) && k < static_cast<int>(plan_.steps.size()); ++k)
  {
    const int stagesLeft =
        k == level ? static_cast<int>(plan_.archs[k].size()) - group - 1 : static_cast<int>(plan_.archs[k].size());
    remainingAfterStage_ += static_cast<long long>(std::max(0, stagesLeft)) * plan_.steps[k];
  }
  const QString text = tr("stage %1/%2 · L%3 g%4 %5").arg(stage + 1).arg(plannedStages_).arg(level).arg(group).arg(op);
  mrcae::widgets::RenderScheduler::instance()->post(this, [this, text] { stage_->setText(text); });
}

void RunStatus::stepsDrawn(const std::vector<mrcae::StepRecord>& steps)
{
  if (steps.empty())
  {
    return;
  }
  const mrcae::StepRecord& last = steps.back();
  rateSteps_ += static_cast<long long>(steps.size());
  const double elapsed = rateClock_.isValid() ? rateClock_.nsecsElapsed() / 1e9 : 0.0;
  if (elapsed > 1.0)
  {
    // A moving rate over the last second or so (pauses and stage setup drop out quickly).
    const double rate = rateSteps_ / elapsed;
    stepsPerSecond_ = stepsPerSecond_ > 0 ? 0.5 * stepsPerSecond_ + 0.5 * rate : rate;
    rateSteps_ = 0;
    rateClock_.restart();
  }
  const QString step = tr("step %1/%2").arg(last.step).arg(maxSteps_);
  const QString loss = tr("loss %1 · val %2").arg(last.localTrain, 0, 'e', 2).arg(last.globalVal, 0, 'e', 2);
  QString rate;
  QString eta;
  if (stepsPerSecond_ > 0)
  {
    rate = tr("%1 steps/s").arg(stepsPerSecond_, 0, 'f', stepsPerSecond_ < 10 ? 1 : 0);
    const long long left = (maxSteps_ - last.step) + remainingAfterStage_;
    eta = tr("ETA ≤ %1").arg(formatDuration(left / stepsPerSecond_));
  }
  // The labels change with the next view's frame, in the same composition of the window.
  mrcae::widgets::RenderScheduler::instance()->post(this, [this, step, loss, rate, eta] {
    step_->setText(step);
    loss_->setText(loss);
    if (!rate.isEmpty())
    {
      rate_->setText(rate);
      eta_->setText(eta);
    }
  });
}

void RunStatus::setDevice(const QString& device)
{
  device_->setText(tr("device: %1").arg(device));
}

void RunStatus::setStage(const QString& text)
{
  stage_->setText(text);
}

void RunStatus::setPaused()
{
  eta_->setText(tr("paused"));
}

void RunStatus::clearTimeLeft()
{
  eta_->clear();
}

QString RunStatus::text() const
{
  QStringList parts;
  for (QLabel* l : {stage_, step_, loss_, rate_, eta_, device_})
  {
    if (!l->text().isEmpty())
    {
      parts << l->text();
    }
  }
  return parts.join(" | ");
}

} // namespace mrcae::app
