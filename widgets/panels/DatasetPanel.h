#pragma once
// The dataset panel: name, shape, value range, how many levels the size allows, the crop/pad choice when the size
// is not c·2^L − 1, the land mask, a preview of the current snapshot and the time slider all views follow.

#include "DatasetSummary.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace mrcae::widgets
{

class FieldView;
class TimeSlider;

class DatasetPanel : public QWidget
{
  Q_OBJECT

public:
  explicit DatasetPanel(QWidget* parent = nullptr);

  void setSummary(const DatasetSummary& summary);
  const DatasetSummary& summary() const { return summary_; }
  bool hasDataset() const { return summary_.snapshots > 0; }

  /// The number of levels the training panel asks for: shows whether the size fits and offers crop or pad.
  void setRequiredLevels(int levels);
  /// "strict", "crop", "pad-reflect" or "pad-periodic".
  QString sizePolicy() const;
  void setSizePolicy(const QString& policy);
  /// True when the size fits the required levels as it is, or the chosen policy makes it fit.
  bool sizeAccepted() const;

  TimeSlider* timeSlider() const { return slider_; }
  FieldView* preview() const { return preview_; }
  QString levelsText() const;

Q_SIGNALS:
  void sizePolicyChanged(const QString& policy);
  /// The snapshot every view should show.
  void indexChanged(int index);
  /// A dataset read on demand could not give the snapshot (the file changed or went away): the reason.
  void snapshotUnreadable(const QString& reason);

private:
  void showFrame(int index);
  void updateLevels();

  DatasetSummary summary_;
  int requiredLevels_ = 0;
  QLabel* nameLabel_ = nullptr;
  QLabel* shapeLabel_ = nullptr;
  QLabel* rangeLabel_ = nullptr;
  QLabel* maskLabel_ = nullptr;
  QLabel* levelsLabel_ = nullptr;
  QComboBox* policyBox_ = nullptr;
  FieldView* preview_ = nullptr;
  TimeSlider* slider_ = nullptr;
};

} // namespace mrcae::widgets
