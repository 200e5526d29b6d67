#pragma once
// What a saved model does on another dataset (File → Apply Model to Dataset…): the same level views as the
// main window (input, reconstruction and signed error per level) for the snapshot under the time slider, and
// the error of every snapshot over time at a chosen level, so that one sees where the model stops generalising.
// Display only: the window's controller computes everything and feeds it here.

#include "LiveSnapshot.h"
#include "SnapshotErrorView.h"

#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingTypes.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace mrcae::widgets
{

class LevelGrid;
class TimeSlider;

class AppliedModelPanel : public QWidget
{
  Q_OBJECT

public:
  explicit AppliedModelPanel(QWidget* parent = nullptr, Qt::WindowFlags flags = {});

  /// The model, the data and what applying it found (one or more lines).
  void setDescription(const QString& text);
  QString description() const;
  /// Prepares the level views for `levels` levels of a native h × w field shown in units v·scale + offset.
  void setGrid(int levels, int height, int width, const mrcae::Map2D& valid, double scale, double offset);
  /// Snapshots the slider runs over (0..count−1).
  void setSnapshotCount(int count);
  /// The per-snapshot errors, one list per trained level; the curve shows the finest level first.
  void setErrors(std::vector<std::vector<SnapshotError>> perLevel);
  /// The level views of one snapshot.
  void showSnapshot(const std::shared_ptr<const LiveFields>& fields);
  void setBusy(bool busy, const QString& text = QString());

  int currentSnapshot() const;
  void setCurrentSnapshot(int index);
  int curveLevel() const;
  void setCurveLevel(int level);
  /// Writes the curve as PNG, SVG or PDF (by extension); returns an empty string or what went wrong.
  QString exportCurve(const QString& path, const QSize& size) const;

  LevelGrid* levelGrid() const { return levelGrid_; }
  SnapshotErrorView* errorView() const { return errorView_; }
  TimeSlider* timeSlider() const { return slider_; }

Q_SIGNALS:
  /// The slider moved or the curve was clicked: the level views should show `index`.
  void snapshotRequested(int index);
  void exportCurveRequested();

private:
  void showCurve();

  QLabel* description_ = nullptr;
  QLabel* status_ = nullptr;
  QComboBox* levelBox_ = nullptr;
  QPushButton* exportButton_ = nullptr;
  SnapshotErrorView* errorView_ = nullptr;
  TimeSlider* slider_ = nullptr;
  LevelGrid* levelGrid_ = nullptr;
  std::vector<std::vector<SnapshotError>> errors_;
};

} // namespace mrcae::widgets
