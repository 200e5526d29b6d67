#include "VtkOpenGLWidget.h"

#include "ApplicationSetup.h"

#include <QApplication>
#include <QSurfaceFormat>

#include <clocale>
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

void ApplicationSetup::afterQApplication()
{
  std::setlocale(LC_NUMERIC, "C");
}

} // namespace mrcae::app
