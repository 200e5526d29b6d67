// VTK headers first (notes/qt6-vtk.md pitfall 2). None of them includes vtk_glew.h: the GL constants used in
// paintGL come from Qt's qopengl.h, and every GL call goes through VTK's state cache.
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkOpenGLState.h>
#include <vtkRenderWindowInteractor.h>

#include "RenderScheduler.h"
#include "VtkOpenGLWidget.h"

#include <QCursor>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QScreen>
#include <QSurfaceFormat>
#include <QWheelEvent>

namespace mrcae::widgets
{

namespace
{

Qt::CursorShape cursorFor(int vtkCursor)
{
  switch (vtkCursor)
  {
  case VTK_CURSOR_CROSSHAIR: return Qt::CrossCursor;
  case VTK_CURSOR_SIZEALL: return Qt::SizeAllCursor;
  case VTK_CURSOR_SIZENS: return Qt::SizeVerCursor;
  case VTK_CURSOR_SIZEWE: return Qt::SizeHorCursor;
  case VTK_CURSOR_SIZENE: return Qt::SizeBDiagCursor;
  case VTK_CURSOR_SIZENW: return Qt::SizeFDiagCursor;
  case VTK_CURSOR_SIZESE: return Qt::SizeFDiagCursor;
  case VTK_CURSOR_SIZESW: return Qt::SizeBDiagCursor;
  case VTK_CURSOR_HAND: return Qt::PointingHandCursor;
  default: return Qt::ArrowCursor;
  }
}

} // namespace

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent)
  : QOpenGLWidget(parent), renWin_(vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New()),
    iren_(vtkSmartPointer<vtkGenericRenderWindowInteractor>::New())
{
  // Nothing may render before Qt has made a context; VTK must never blit to FBO 0 (not the widget's).
  renWin_->SetReadyForRendering(false);
  renWin_->SetFrameBlitModeToNoBlit();
  renWin_->SetMultiSamples(0);
  observerTags_[0] = renWin_->AddObserver(vtkCommand::WindowMakeCurrentEvent, this, &VtkOpenGLWidget::onVtkEvent);
  observerTags_[1] = renWin_->AddObserver(vtkCommand::WindowIsCurrentEvent, this, &VtkOpenGLWidget::onVtkEvent);
  observerTags_[2] = renWin_->AddObserver(vtkCommand::WindowFrameEvent, this, &VtkOpenGLWidget::onVtkEvent);
  observerTags_[3] = renWin_->AddObserver(vtkCommand::CursorChangedEvent, this, &VtkOpenGLWidget::onVtkEvent);

  // The generic interactor opens no X window of its own; it only turns our forwarded events into VTK events.
  iren_->SetRenderWindow(renWin_);
  iren_->EnableRenderOff(); // renders go through scheduleRender(), never straight from an event
  iren_->Initialize();

  setUpdateBehavior(QOpenGLWidget::NoPartialUpdate);
  // paintGL covers every pixel with an opaque picture: nothing underneath needs repainting when the view updates.
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(64, 64);
}

VtkOpenGLWidget::~VtkOpenGLWidget()
{
  // QOpenGLWidget destroys the context after our members are gone: release VTK's GL resources while we can.
  QObject::disconnect(contextConnection_);
  cleanupContext();
  for (unsigned long tag : observerTags_)
  {
    renWin_->RemoveObserver(tag);
  }
}

QSurfaceFormat VtkOpenGLWidget::defaultFormat()
{
  QSurfaceFormat format;
  format.setRenderableType(QSurfaceFormat::OpenGL);
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setRedBufferSize(8);
  format.setGreenBufferSize(8);
  format.setBlueBufferSize(8);
  format.setAlphaBufferSize(8);
  format.setDepthBufferSize(24);
  format.setStencilBufferSize(0);
  format.setSamples(0);
  format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  return format;
}

vtkGenericOpenGLRenderWindow* VtkOpenGLWidget::renderWindow() const
{
  return renWin_;
}

vtkRenderWindowInteractor* VtkOpenGLWidget::interactor() const
{
  return iren_;
}

void VtkOpenGLWidget::scheduleRender()
{
  sceneDirty_ = true;
  RenderScheduler::instance()->request(this);
}

void VtkOpenGLWidget::initializeGL()
{
  // A new context (first show, or re-parenting to another top level): drop what VTK held in the old one.
  if (contextReady_)
  {
    cleanupContext();
  }
  QObject::disconnect(contextConnection_);
  contextConnection_ = connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &VtkOpenGLWidget::cleanupContext,
                               Qt::DirectConnection);

  renWin_->SetOwnContext(0);
  renWin_->SetForceMaximumHardwareLineWidth(1);
  renWin_->SetReadyForRendering(true);
  renWin_->SetMapped(1);
  renWin_->SetIsCurrent(true);
  // Runs glewInit and VTK's version checks inside Qt's context.
  renWin_->OpenGLInitContext();
  contextReady_ = true;
  updateSizes();
  needsRender_ = true;
}

void VtkOpenGLWidget::updateSizes()
{
  const double dpr = devicePixelRatioF();
  fbWidth_ = static_cast<int>(width() * dpr + 0.5);
  fbHeight_ = static_cast<int>(height() * dpr + 0.5);
  iren_->UpdateSize(fbWidth_, fbHeight_);
  renWin_->SetSize(fbWidth_, fbHeight_);
  if (QScreen* s = screen())
  {
    renWin_->SetScreenSize(static_cast<int>(s->size().width() * dpr), static_cast<int>(s->size().height() * dpr));
  }
  // Text and scalar bars are sized in points: scale them with the device pixel ratio.
  renWin_->SetDPI(static_cast<int>(72 * dpr + 0.5));
}

void VtkOpenGLWidget::resizeGL(int /*w*/, int /*h*/)
{
  updateSizes();
  needsRender_ = true;
}

void VtkOpenGLWidget::renderScene()
{
  QElapsedTimer clock;
  clock.start();
  Q_EMIT aboutToRender();
  prepareRender();
  needsRender_ = false;
  sceneDirty_ = false;
  // VTK renders into its own render/display framebuffers (NoBlit), saving and restoring the GL state around it.
  renWin_->Render();
  lastRenderMs_ = clock.nsecsElapsed() / 1e6;
  ++renderCount_;
  Q_EMIT frameRendered(lastRenderMs_);
}

bool VtkOpenGLWidget::renderNow()
{
  if (!contextReady_ || !isValid() || fbWidth_ <= 0 || fbHeight_ <= 0)
  {
    return false;
  }
  makeCurrent();
  // The caller asks for the blit later: painting right away would add the window's composition to this turn.
  inRenderNow_ = true;
  renderScene();
  inRenderNow_ = false;
  return true;
}

void VtkOpenGLWidget::paintGL()
{
  if (!contextReady_ || fbWidth_ <= 0 || fbHeight_ <= 0)
  {
    return;
  }
  inPaint_ = true;
  // A paint Qt started itself (first show, resize, shown again after the scheduler skipped it) still gets a fresh
  // picture; data the scheduler will render in its own turn is left for that turn.
  if (needsRender_ || (sceneDirty_ && !RenderScheduler::instance()->isQueued(this)))
  {
    renderScene();
  }

  // Rendering may have switched contexts (another widget's observer): make ours current again before blitting.
  makeCurrent();
  vtkOpenGLState* state = renWin_->GetState();
  state->Reset();
  state->PushFramebufferBindings();
  state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  GLenum drawBuffer = GL_COLOR_ATTACHMENT0;
  state->vtkglDrawBuffers(1, &drawBuffer);
  state->vtkglDisable(GL_SCISSOR_TEST);
  const int* size = renWin_->GetSize();
  renWin_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, fbWidth_, fbHeight_, GL_COLOR_BUFFER_BIT,
                                  GL_NEAREST);
  // Opaque alpha, so that the compositor does not blend the widget with what lies behind it.
  state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  state->vtkglClearColor(0.0f, 0.0f, 0.0f, 1.0f);
  state->vtkglClear(GL_COLOR_BUFFER_BIT);
  state->vtkglColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  state->PopFramebufferBindings();
  inPaint_ = false;
  RenderScheduler::instance()->frameDone(this);
}

void VtkOpenGLWidget::cleanupContext()
{
  if (!contextReady_)
  {
    return;
  }
  makeCurrent();
  renWin_->Finalize();
  renWin_->SetReadyForRendering(false);
  contextReady_ = false;
  doneCurrent();
}

void VtkOpenGLWidget::onVtkEvent(vtkObject* /*caller*/, unsigned long eventId, void* callData)
{
  switch (eventId)
  {
  case vtkCommand::WindowMakeCurrentEvent:
    if (isValid() && QOpenGLContext::currentContext() != context())
    {
      makeCurrent();
    }
    break;
  case vtkCommand::WindowIsCurrentEvent:
    if (callData)
    {
      *static_cast<bool*>(callData) = isValid() && QOpenGLContext::currentContext() == context();
    }
    break;
  case vtkCommand::WindowFrameEvent:
    // A render started outside paintGL (interactor, application): show it with the next paint.
    if (!inPaint_ && !inRenderNow_)
    {
      update();
    }
    break;
  case vtkCommand::CursorChangedEvent:
    if (callData)
    {
      setCursor(cursorFor(*static_cast<int*>(callData)));
    }
    break;
  default: break;
  }
}

void VtkOpenGLWidget::forwardMouse(QMouseEvent* event, unsigned long vtkEvent)
{
  const double dpr = devicePixelRatioF();
  const QPointF p = event->position();
  const Qt::KeyboardModifiers mods = event->modifiers();
  const int repeat = event->type() == QEvent::MouseButtonDblClick ? 1 : 0;
  iren_->SetEventInformationFlipY(static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr),
                                  (mods & Qt::ControlModifier) ? 1 : 0, (mods & Qt::ShiftModifier) ? 1 : 0, 0, repeat);
  iren_->SetAltKey((mods & Qt::AltModifier) ? 1 : 0);
  iren_->InvokeEvent(vtkEvent, event);
  scheduleRender();
}

void VtkOpenGLWidget::mousePressEvent(QMouseEvent* event)
{
  if (event->button() == Qt::RightButton && !forwardRightButton_)
  {
    QOpenGLWidget::mousePressEvent(event);
    return;
  }
  switch (event->button())
  {
  case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent); break;
  case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent); break;
  case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent); break;
  default: QOpenGLWidget::mousePressEvent(event); break;
  }
}

void VtkOpenGLWidget::mouseReleaseEvent(QMouseEvent* event)
{
  if (event->button() == Qt::RightButton && !forwardRightButton_)
  {
    QOpenGLWidget::mouseReleaseEvent(event);
    return;
  }
  switch (event->button())
  {
  case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonReleaseEvent); break;
  case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonReleaseEvent); break;
  case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonReleaseEvent); break;
  default: QOpenGLWidget::mouseReleaseEvent(event); break;
  }
}

void VtkOpenGLWidget::mouseDoubleClickEvent(QMouseEvent* event)
{
  mousePressEvent(event);
}

void VtkOpenGLWidget::mouseMoveEvent(QMouseEvent* event)
{
  const double dpr = devicePixelRatioF();
  const QPointF p = event->position();
  iren_->SetEventInformationFlipY(static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr),
                                  (event->modifiers() & Qt::ControlModifier) ? 1 : 0,
                                  (event->modifiers() & Qt::ShiftModifier) ? 1 : 0);
  iren_->InvokeEvent(vtkCommand::MouseMoveEvent, event);
  // Only a drag changes the picture; plain hovering must not cost a render.
  if (event->buttons() != Qt::NoButton)
  {
    scheduleRender();
  }
}

void VtkOpenGLWidget::wheelEvent(QWheelEvent* event)
{
  const double dpr = devicePixelRatioF();
  const QPointF p = event->position();
  iren_->SetEventInformationFlipY(static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr),
                                  (event->modifiers() & Qt::ControlModifier) ? 1 : 0,
                                  (event->modifiers() & Qt::ShiftModifier) ? 1 : 0);
  const int delta = event->angleDelta().y();
  if (delta > 0)
  {
    iren_->InvokeEvent(vtkCommand::MouseWheelForwardEvent, event);
  }
  else if (delta < 0)
  {
    iren_->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, event);
  }
  event->accept();
  scheduleRender();
}

void VtkOpenGLWidget::forwardKey(QKeyEvent* event, unsigned long vtkEvent)
{
  const QString text = event->text();
  const char keyCode = text.isEmpty() ? 0 : text.at(0).toLatin1();
  const QByteArray keySym = text.toLatin1();
  iren_->SetKeyEventInformation((event->modifiers() & Qt::ControlModifier) ? 1 : 0,
                                (event->modifiers() & Qt::ShiftModifier) ? 1 : 0, keyCode,
                                event->isAutoRepeat() ? 1 : 0, keySym.isEmpty() ? nullptr : keySym.constData());
  iren_->SetAltKey((event->modifiers() & Qt::AltModifier) ? 1 : 0);
  iren_->InvokeEvent(vtkEvent, event);
  if (vtkEvent == vtkCommand::KeyPressEvent && keyCode != 0)
  {
    iren_->InvokeEvent(vtkCommand::CharEvent, event);
  }
  scheduleRender();
}

void VtkOpenGLWidget::keyPressEvent(QKeyEvent* event)
{
  forwardKey(event, vtkCommand::KeyPressEvent);
}

void VtkOpenGLWidget::keyReleaseEvent(QKeyEvent* event)
{
  forwardKey(event, vtkCommand::KeyReleaseEvent);
}

void VtkOpenGLWidget::enterEvent(QEnterEvent* event)
{
  iren_->InvokeEvent(vtkCommand::EnterEvent, event);
  QOpenGLWidget::enterEvent(event);
}

void VtkOpenGLWidget::leaveEvent(QEvent* event)
{
  iren_->InvokeEvent(vtkCommand::LeaveEvent, event);
  QOpenGLWidget::leaveEvent(event);
}

} // namespace mrcae::widgets
