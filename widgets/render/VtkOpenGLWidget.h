#pragma once
// A QOpenGLWidget that hosts a vtkGenericOpenGLRenderWindow. Debian's VTK Qt module is Qt 5 only, so this is
// our own bridge (notes/qt6-vtk.md §5): VTK renders into its own framebuffers inside Qt's context, and paintGL()
// blits the result into the widget's framebuffer. VTK objects live on the GUI thread only.

// VTK before any QOpenGL header: vtk_glew.h must come before GL/gl.h in every translation unit.
#include <vtkSmartPointer.h>

#include <QElapsedTimer>
#include <QOpenGLWidget>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkRenderWindowInteractor;
class vtkObject;

namespace mrcae::widgets
{

class VtkOpenGLWidget : public QOpenGLWidget
{
  Q_OBJECT

public:
  explicit VtkOpenGLWidget(QWidget* parent = nullptr);
  ~VtkOpenGLWidget() override;

  /// The surface format VTK needs (3.2 core, depth, no multisampling). Set it as the default before QApplication.
  static QSurfaceFormat defaultFormat();

  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkRenderWindowInteractor* interactor() const;

  /// Marks the scene dirty and queues a repaint with the RenderScheduler; calls before the paint coalesce.
  void scheduleRender();
  /// Renders the scene now, outside paintGL, into VTK's own framebuffers; the caller then calls update() (a
  /// little later) and the paint only blits. Splitting the two keeps each event-loop turn short on software GL.
  /// False when there is no context yet.
  bool renderNow();
  /// Milliseconds the last VTK render took.
  double lastRenderMs() const { return lastRenderMs_; }
  /// Number of VTK renders done so far (tests and the --measure mode read it).
  int renderCount() const { return renderCount_; }
  /// Whether the right button goes to VTK (off: it opens the widget's context menu instead).
  void setForwardRightButton(bool forward) { forwardRightButton_ = forward; }

Q_SIGNALS:
  /// Right before a VTK render: owners that compose this widget push pending data here.
  void aboutToRender();
  /// After each VTK render, with its duration.
  void frameRendered(double milliseconds);

protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;

  /// Called right before each VTK render: subclasses push pending data into their pipelines here.
  virtual void prepareRender() {}

  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;
  void enterEvent(QEnterEvent* event) override;
  void leaveEvent(QEvent* event) override;

private:
  void onVtkEvent(vtkObject* caller, unsigned long eventId, void* callData);
  void cleanupContext();
  void updateSizes();
  void forwardMouse(QMouseEvent* event, unsigned long vtkEvent);
  void forwardKey(QKeyEvent* event, unsigned long vtkEvent);
  void renderScene();

  vtkSmartPointer<vtkGenericOpenGLRenderWindow> renWin_;
  vtkSmartPointer<vtkGenericRenderWindowInteractor> iren_;
  unsigned long observerTags_[4] = {0, 0, 0, 0};
  QMetaObject::Connection contextConnection_;
  bool forwardRightButton_ = true;
  bool needsRender_ = true; ///< no picture for the current size yet (first paint, resize): paintGL renders
  bool sceneDirty_ = false; ///< new data: the RenderScheduler renders it in its turn
  bool inPaint_ = false;
  bool inRenderNow_ = false;
  bool contextReady_ = false;
  int fbWidth_ = 0;
  int fbHeight_ = 0;
  double lastRenderMs_ = 0.0;
  int renderCount_ = 0;
};

} // namespace mrcae::widgets
