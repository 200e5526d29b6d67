#pragma once
// A SnapshotErrorPlot on screen; a click picks the snapshot nearest to it.

#include "SnapshotErrorPlot.h"

#include <QWidget>

namespace mrcae::widgets
{

class SnapshotErrorView : public QWidget
{
  Q_OBJECT

public:
  explicit SnapshotErrorView(QWidget* parent = nullptr);

  SnapshotErrorPlot& plot() { return plot_; }
  const SnapshotErrorPlot& plot() const { return plot_; }
  void setPoints(std::vector<SnapshotError> points);
  void setCurrent(int snapshot);
  QSize sizeHint() const override { return {640, 220}; }
  QSize minimumSizeHint() const override { return {240, 140}; }

Q_SIGNALS:
  void snapshotClicked(int snapshot);

protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

private:
  SnapshotErrorPlot plot_;
};

} // namespace mrcae::widgets
