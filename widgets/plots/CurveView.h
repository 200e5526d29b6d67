#pragma once
// A CurvePlot on screen: the same QPainter chart that the figure exports write. Repaints are coalesced with the
// render scheduler's next frame, so that a curve that grows every step costs one composition of the window with
// the field views rather than one of its own.

#include "CurvePlot.h"

#include <QWidget>

namespace mrcae::widgets
{

class CurveView : public QWidget
{
  Q_OBJECT

public:
  explicit CurveView(QWidget* parent = nullptr);

  CurvePlot& plot() { return plot_; }
  const CurvePlot& plot() const { return plot_; }
  /// Asks for a repaint with the next frame of the window (once, however often it is asked).
  void scheduleRepaint();
  /// Paints so far (tests: "the chart was drawn").
  int paintCount() const { return paintCount_; }

  QSize sizeHint() const override { return {640, 320}; }
  QSize minimumSizeHint() const override { return {240, 120}; }

Q_SIGNALS:
  /// After each paint, with the milliseconds it took (LatencyProbe).
  void frameRendered(double milliseconds);

protected:
  void paintEvent(QPaintEvent* event) override;

private:
  CurvePlot plot_;
  int paintCount_ = 0;
  bool repaintPosted_ = false;
};

} // namespace mrcae::widgets
