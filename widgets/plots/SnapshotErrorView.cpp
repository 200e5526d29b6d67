#include "SnapshotErrorView.h"

#include <QMouseEvent>
#include <QPainter>

namespace mrcae::widgets
{

SnapshotErrorView::SnapshotErrorView(QWidget* parent) : QWidget(parent)
{
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  setCursor(Qt::PointingHandCursor);
}

void SnapshotErrorView::setPoints(std::vector<SnapshotError> points)
{
  plot_.setPoints(std::move(points));
  update();
}

void SnapshotErrorView::setCurrent(int snapshot)
{
  plot_.setCurrent(snapshot);
  update();
}

void SnapshotErrorView::paintEvent(QPaintEvent*)
{
  QPainter painter(this);
  plot_.paint(painter, rect());
}

void SnapshotErrorView::mousePressEvent(QMouseEvent* event)
{
  const int snapshot = plot_.snapshotAt(event->position().x(), rect());
  if (snapshot >= 0 && event->button() == Qt::LeftButton)
  {
    Q_EMIT snapshotClicked(snapshot);
  }
  QWidget::mousePressEvent(event);
}

} // namespace mrcae::widgets
