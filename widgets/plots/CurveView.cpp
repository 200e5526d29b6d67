#include "CurveView.h"
#include "RenderScheduler.h"

#include <QElapsedTimer>
#include <QFontInfo>
#include <QPainter>

#include <algorithm>

namespace mrcae::widgets
{

CurveView::CurveView(QWidget* parent) : QWidget(parent)
{
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  // The plot paints every pixel: Qt need not clear the background first.
  setAttribute(Qt::WA_OpaquePaintEvent);
  // On screen the text has the size of the window's own text, whatever the chart's size.
  plot_.setFontPixels(std::max(11, QFontInfo(font()).pixelSize()));
}

void CurveView::scheduleRepaint()
{
  if (repaintPosted_)
  {
    return;
  }
  repaintPosted_ = true;
  RenderScheduler::instance()->post(this, [this] {
    repaintPosted_ = false;
    update();
  });
}

void CurveView::paintEvent(QPaintEvent*)
{
  QElapsedTimer clock;
  clock.start();
  QPainter painter(this);
  plot_.paint(painter, rect());
  painter.end();
  ++paintCount_;
  Q_EMIT frameRendered(clock.nsecsElapsed() / 1e6);
}

} // namespace mrcae::widgets
