#pragma once
// Spaces out the VTK renders of all VtkOpenGLWidgets: one widget renders at a time, in its own turn of the event
// loop (VtkOpenGLWidget::renderNow), Qt blits and composes the window in the next turn, and the next render waits
// until the event loop has had a few milliseconds to itself. On software GL a render costs 10–30 ms and the
// window's composition 20–40 ms; done together, or several at once, they would stall the event loop past the
// 50 ms the GUI promises.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

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
  /// Called by a widget when its render is done (or when it painted for another reason).
  void frameDone(VtkOpenGLWidget* widget);
  /// Milliseconds left to the event loop between two renders.
  void setGapMs(int ms) { gapMs_ = ms; }
  int pending() const { return static_cast<int>(queue_.size()); }
  bool isQueued(const VtkOpenGLWidget* widget) const;

private:
  explicit RenderScheduler(QObject* parent = nullptr);
  void kick();
  void next();

  std::deque<QPointer<VtkOpenGLWidget>> queue_;
  QPointer<VtkOpenGLWidget> inFlight_;
  QTimer timer_;
  QTimer watchdog_;
  QElapsedTimer sinceFrame_;
  int gapMs_ = 8;
};

} // namespace mrcae::widgets
