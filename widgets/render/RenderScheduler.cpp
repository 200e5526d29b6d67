#include "RenderScheduler.h"
#include "VtkOpenGLWidget.h"

#include <QCoreApplication>
#include <QEvent>

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
  timer_.setObjectName("renderTimer");
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &RenderScheduler::next);
  // A widget hidden after it was asked to paint never reports back: do not wait for it forever.
  watchdog_.setObjectName("renderWatchdog");
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
  watchWindow(widget->window());
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
  // A widget still queued keeps its turn: this paint did not render its new data (VtkOpenGLWidget::paintGL).
  if (widget == inFlight_)
  {
    inFlight_.clear();
    watchdog_.stop();
  }
  compositionDone();
}

void RenderScheduler::watchWindow(QWidget* window)
{
  windows_.erase(std::remove(windows_.begin(), windows_.end(), nullptr), windows_.end());
  if (std::find(windows_.begin(), windows_.end(), window) == windows_.end())
  {
    windows_.push_back(window);
    window->installEventFilter(this);
  }
}

bool RenderScheduler::eventFilter(QObject* watched, QEvent* event)
{
  // An update request composes the whole window (paintGL of dirty views included): the next render waits for it.
  if (event->type() == QEvent::UpdateRequest)
  {
    compositionDone();
  }
  return QObject::eventFilter(watched, event);
}

void RenderScheduler::compositionDone()
{
  // Called from inside the paint cycle. A render that fell due meanwhile waits its gap like any other: stop it
  // now, since a due timer may run before anything posted from here.
  timer_.stop();
  QTimer::singleShot(0, this, [this] {
    sinceFrame_.restart();
    kick();
  });
}

void RenderScheduler::post(QObject* context, std::function<void()> change)
{
  posted_.emplace_back(context, std::move(change));
  kick();
}

void RenderScheduler::flushPosted()
{
  std::vector<std::pair<QPointer<QObject>, std::function<void()>>> changes;
  changes.swap(posted_);
  for (auto& [context, change] : changes)
  {
    if (context)
    {
      change();
    }
  }
}

void RenderScheduler::kick()
{
  if (inFlight_ || timer_.isActive() || (queue_.empty() && posted_.empty()))
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
      // A few milliseconds later, so that timers and input that waited during the render run first; posted
      // changes go with the blit into the same composition.
      QTimer::singleShot(3, w, [this, w] {
        flushPosted();
        w->update();
      });
    }
    else
    {
      flushPosted();
      w->update();
    }
    return;
  }
  // No view to render: the posted changes compose on their own, and the next render waits its gap after that.
  flushPosted();
}

} // namespace mrcae::widgets
