#include "RenderScheduler.h"
#include "VtkOpenGLWidget.h"

#include <QCoreApplication>

#include <algorithm>

namespace mrcae::widgets
{

RenderScheduler* RenderScheduler::instance()
{
  // Parented to the application, so it goes with it; one per process (the GUI thread is the only VTK thread).
  static QPointer<RenderScheduler> scheduler;
  if (!scheduler)
  {
    scheduler = new RenderScheduler(QCoreApplication::instance());
  }
  return scheduler;
}

RenderScheduler::RenderScheduler(QObject* parent) : QObject(parent)
{
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &RenderScheduler::next);
  // A widget hidden after it was asked to paint never reports back: do not wait for it forever.
  watchdog_.setSingleShot(true);
  watchdog_.setInterval(250);
  connect(&watchdog_, &QTimer::timeout, this, [this] {
    inFlight_.clear();
    kick();
  });
  sinceFrame_.start();
}

void RenderScheduler::request(VtkOpenGLWidget* widget)
{
  if (widget == inFlight_)
  {
    // Rendered but not painted yet: queue it again, the new data needs another render.
    if (std::find(queue_.begin(), queue_.end(), widget) == queue_.end())
    {
      queue_.push_back(widget);
    }
    return;
  }
  if (std::find(queue_.begin(), queue_.end(), widget) == queue_.end())
  {
    queue_.push_back(widget);
  }
  kick();
}

bool RenderScheduler::isQueued(const VtkOpenGLWidget* widget) const
{
  return std::find(queue_.begin(), queue_.end(), widget) != queue_.end();
}

void RenderScheduler::frameDone(VtkOpenGLWidget* widget)
{
  queue_.erase(std::remove(queue_.begin(), queue_.end(), widget), queue_.end());
  if (widget == inFlight_ || !inFlight_)
  {
    inFlight_.clear();
    watchdog_.stop();
  }
  // Count the gap from the end of this paint cycle (the window still composes after paintGL returns).
  QTimer::singleShot(0, this, [this] {
    sinceFrame_.restart();
    kick();
  });
}

void RenderScheduler::kick()
{
  if (inFlight_ || timer_.isActive() || queue_.empty())
  {
    return;
  }
  timer_.start(std::max<qint64>(0, gapMs_ - sinceFrame_.elapsed()));
}

void RenderScheduler::next()
{
  while (!queue_.empty())
  {
    QPointer<VtkOpenGLWidget> w = queue_.front();
    queue_.pop_front();
    if (!w)
    {
      continue;
    }
    if (!w->isVisible())
    {
      continue; // it renders when it is shown again (its scene stays marked dirty)
    }
    inFlight_ = w;
    watchdog_.start();
    // Render in this turn of the event loop, let Qt blit and compose the window in a later one.
    if (w->renderNow())
    {
      // A few milliseconds later, so that timers and input that waited during the render run first.
      QTimer::singleShot(3, w, [w] { w->update(); });
    }
    else
    {
      w->update();
    }
    return;
  }
}

} // namespace mrcae::widgets
