#pragma once
// Spaces out the VTK renders of all VtkOpenGLWidgets: one widget renders at a time, in its own turn of the event
// loop (VtkOpenGLWidget::renderNow), Qt blits and composes the window in the next turn, and the next render waits
// until the event loop has had a few milliseconds to itself after the last composition of the window, whatever
// caused it (a view, a label, a table). On software GL a render costs 10–30 ms and the window's composition
// 20–40 ms; done together, or several at once, they would stall the event loop past the 50 ms the GUI promises.
// Frequent changes to plain widgets (status labels, tables) go through post(): they are applied together with the
// next view's blit, so that they share its composition instead of adding one of their own.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <utility>
#include <vector>

namespace mrcae::widgets
{

class VtkOpenGLWidget;

class RenderScheduler : public QObject
{
  Q_OBJECT

public:
  /// The GUI thread's scheduler.
  static RenderScheduler* instance();

  /// Queues a repaint of `widget` (once, however often it is asked).
  void request(VtkOpenGLWidget* widget);
  /// Called by a widget at the end of every paint (its render, if any, is on its way to the screen).
  void frameDone(VtkOpenGLWidget* widget);
  /// Runs `change` (an update of plain widgets) in the scheduler's next turn, with the next view's blit; dropped
  /// if `context` is gone by then. Changes run in the order they were posted.
  void post(QObject* context, std::function<void()> change);
  /// Runs every posted change now (before reading what they show, e.g. at the end of a run).
  void flushPosted();
  /// Milliseconds left to the event loop between two renders.
  void setGapMs(int ms) { gapMs_ = ms; }
  int pending() const { return static_cast<int>(queue_.size()); }
  bool isQueued(const VtkOpenGLWidget* widget) const;

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  explicit RenderScheduler(QObject* parent = nullptr);
  void watchWindow(QWidget* window);
  void compositionDone();
  void kick();
  void next();

  std::deque<QPointer<VtkOpenGLWidget>> queue_;
  std::vector<QPointer<QWidget>> windows_;
  std::vector<std::pair<QPointer<QObject>, std::function<void()>>> posted_;
  QPointer<VtkOpenGLWidget> inFlight_;
  QTimer timer_;
  QTimer watchdog_;
  QElapsedTimer sinceFrame_;
  int gapMs_ = 8;
};

} // namespace mrcae::widgets
