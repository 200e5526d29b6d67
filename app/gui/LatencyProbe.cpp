#include "LatencyProbe.h"

#include "CurveView.h"
#include "VtkOpenGLWidget.h"

#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace mrcae::app
{

namespace
{
double percentile(std::vector<double> v, double p)
{
  if (v.empty())
  {
    return 0.0;
  }
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * (v.size() - 1) + 0.5));
  return v[i];
}
} // namespace

LatencyProbe::LatencyProbe(int intervalMs, QObject* parent)
  : QObject(parent), trace_(qEnvironmentVariableIsSet("MRCAE_LATENCY_TRACE"))
{
  timer_.setInterval(intervalMs);
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, [this] {
    const qint64 now = clock_.nsecsElapsed();
    if (last_ >= 0)
    {
      const double gap = (now - last_) / 1e6;
      gaps_.push_back(gap);
      worstGap_ = std::max(worstGap_, gap);
      if (trace_ && gap > 30.0)
      {
        std::fprintf(stderr, "[probe %8.1f ms] event-loop gap %.1f ms\n", now / 1e6, gap);
      }
    }
    last_ = now;
  });
}

void LatencyProbe::start()
{
  gaps_.clear();
  frames_.clear();
  framesOf_.clear();
  worstGap_ = 0.0;
  last_ = -1;
  stoppedAt_ = -1;
  clock_.start();
  running_ = true;
  timer_.start();
}

void LatencyProbe::stop()
{
  timer_.stop();
  if (running_)
  {
    stoppedAt_ = clock_.nsecsElapsed();
  }
  running_ = false;
}

double LatencyProbe::seconds() const
{
  if (!clock_.isValid())
  {
    return 0.0;
  }
  return (stoppedAt_ >= 0 ? stoppedAt_ : clock_.nsecsElapsed()) / 1e9;
}

void LatencyProbe::record(const QObject* view, double ms)
{
  if (!running_)
  {
    return;
  }
  frames_.push_back(ms);
  ++framesOf_[view];
  if (trace_ && ms > 15.0)
  {
    std::fprintf(stderr, "[probe %8.1f ms] %s frame %.1f ms\n", clock_.nsecsElapsed() / 1e6,
                 qPrintable(view->objectName()), ms);
  }
}

void LatencyProbe::watch(mrcae::widgets::VtkOpenGLWidget* view)
{
  watched_.push_back(view);
  connect(view, &mrcae::widgets::VtkOpenGLWidget::frameRendered, this, [this, view](double ms) { record(view, ms); });
}

void LatencyProbe::watch(mrcae::widgets::CurveView* view)
{
  watched_.push_back(view);
  connect(view, &mrcae::widgets::CurveView::frameRendered, this, [this, view](double ms) { record(view, ms); });
}

double LatencyProbe::framesPerSecond(const QObject* view) const
{
  const auto it = framesOf_.find(view);
  const double s = seconds();
  return it == framesOf_.end() || s <= 0.0 ? 0.0 : it->second / s;
}

double LatencyProbe::meanGapMs() const
{
  return gaps_.empty() ? 0.0 : std::accumulate(gaps_.begin(), gaps_.end(), 0.0) / gaps_.size();
}

double LatencyProbe::gapPercentileMs(double p) const
{
  return percentile(gaps_, p);
}

double LatencyProbe::meanFrameMs() const
{
  return frames_.empty() ? 0.0 : std::accumulate(frames_.begin(), frames_.end(), 0.0) / frames_.size();
}

double LatencyProbe::worstFrameMs() const
{
  return frames_.empty() ? 0.0 : *std::max_element(frames_.begin(), frames_.end());
}

double LatencyProbe::framePercentileMs(double p) const
{
  return percentile(frames_, p);
}

QString LatencyProbe::report() const
{
  QStringList perView;
  for (const QObject* view : watched_)
  {
    perView << QString("%1 %2").arg(view->objectName()).arg(framesPerSecond(view), 0, 'f', 1);
  }
  return QString("event loop: %1 ticks of %2 ms, mean gap %3 ms, p99 %4 ms, worst %5 ms; "
                 "frames: %6, mean %7 ms, p95 %8 ms, worst %9 ms; frames/s over %10 s: %11")
      .arg(ticks())
      .arg(timer_.interval())
      .arg(meanGapMs(), 0, 'f', 1)
      .arg(gapPercentileMs(99), 0, 'f', 1)
      .arg(worstGapMs(), 0, 'f', 1)
      .arg(frames())
      .arg(meanFrameMs(), 0, 'f', 1)
      .arg(framePercentileMs(95), 0, 'f', 1)
      .arg(worstFrameMs(), 0, 'f', 1)
      .arg(seconds(), 0, 'f', 1)
      .arg(perView.join(", "));
}

} // namespace mrcae::app
