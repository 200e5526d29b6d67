#include "LatencyProbe.h"

#include "VtkOpenGLWidget.h"

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
  worstGap_ = 0.0;
  last_ = -1;
  clock_.start();
  running_ = true;
  timer_.start();
}

void LatencyProbe::stop()
{
  timer_.stop();
  running_ = false;
}

void LatencyProbe::watch(mrcae::widgets::VtkOpenGLWidget* view)
{
  connect(view, &mrcae::widgets::VtkOpenGLWidget::frameRendered, this, [this, view](double ms) {
    if (running_)
    {
      frames_.push_back(ms);
      if (trace_ && ms > 15.0)
      {
        std::fprintf(stderr, "[probe %8.1f ms] %s frame %.1f ms\n", clock_.nsecsElapsed() / 1e6,
                     qPrintable(view->objectName()), ms);
      }
    }
  });
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
  return QString("event loop: %1 ticks of %2 ms, mean gap %3 ms, p99 %4 ms, worst %5 ms; "
                 "VTK frames: %6, mean %7 ms, p95 %8 ms, worst %9 ms")
      .arg(ticks())
      .arg(timer_.interval())
      .arg(meanGapMs(), 0, 'f', 1)
      .arg(gapPercentileMs(99), 0, 'f', 1)
      .arg(worstGapMs(), 0, 'f', 1)
      .arg(frames())
      .arg(meanFrameMs(), 0, 'f', 1)
      .arg(framePercentileMs(95), 0, 'f', 1)
      .arg(worstFrameMs(), 0, 'f', 1);
}

} // namespace mrcae::app
