#include "VtkOpenGLWidget.h"

#include "ApplicationSetup.h"

#include <QApplication>
#include <QSurfaceFormat>

#include <malloc.h>

namespace mrcae::app
{

void ApplicationSetup::beforeQApplication()
{
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  QSurfaceFormat::setDefaultFormat(mrcae::widgets::VtkOpenGLWidget::defaultFormat());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
}

} // namespace mrcae::app
