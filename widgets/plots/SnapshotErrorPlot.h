#pragma once
// The error of every snapshot of a dataset that a saved model was applied to, over time: one point per snapshot
// at its index, a log error axis in decades, points coloured by their part (train, val, test: the model's own
// snapshots; new: snapshots it never saw), the current snapshot marked by a vertical line. Painted with QPainter
// only, so it exports like the other charts.

#include "PlotAxes.h"

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>

#include <vector>

class QPainter;

namespace mrcae::widgets
{

struct SnapshotError
{
  int snapshot = 0;
  QString part; ///< "train", "val", "test" or "new"
  double error = 0;
};

class SnapshotErrorPlot
{
public:
  void setPoints(std::vector<SnapshotError> points);
  const std::vector<SnapshotError>& points() const { return points_; }
  /// The snapshot marked by the vertical line (-1: none).
  void setCurrent(int snapshot) { current_ = snapshot; }
  int current() const { return current_; }
  /// The y axis' title, e.g. "global error, level 2".
  void setErrorLabel(const QString& label) { errorLabel_ = label; }
  void setTitle(const QString& title) { title_ = title; }

  /// The colour of a part; fixed, so that runs compare at a glance.
  static QColor partColor(const QString& part);

  void paint(QPainter& painter, const QRect& target) const;
  QImage render(const QSize& size) const;

  QRectF plotArea(const QRect& target) const;
  QPointF toPixel(double snapshot, double error, const QRect& target) const;
  /// The snapshot whose index is nearest to pixel column `x` (-1 without points).
  int snapshotAt(double x, const QRect& target) const;

private:
  struct Range
  {
    double lo = 0, hi = 1;
  };
  Range xRange() const;
  PlotAxis yAxis() const; ///< the errors, widened to whole decades

  std::vector<SnapshotError> points_;
  int current_ = -1;
  QString errorLabel_ = QStringLiteral("global error");
  QString title_;
};

} // namespace mrcae::widgets
