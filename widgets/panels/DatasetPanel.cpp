#include "DatasetPanel.h"
#include "FieldView.h"
#include "TimeSlider.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace mrcae::widgets
{

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  nameLabel_ = new QLabel(this);
  nameLabel_->setObjectName("datasetName");
  nameLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  shapeLabel_ = new QLabel(this);
  shapeLabel_->setObjectName("datasetShape");
  rangeLabel_ = new QLabel(this);
  rangeLabel_->setObjectName("datasetRange");
  maskLabel_ = new QLabel(this);
  levelsLabel_ = new QLabel(this);
  levelsLabel_->setObjectName("datasetLevels");
  levelsLabel_->setWordWrap(true);
  policyBox_ = new QComboBox(this);
  policyBox_->setObjectName("sizePolicy");
  policyBox_->addItem(tr("As it is"), "strict");
  policyBox_->addItem(tr("Crop (centred)"), "crop");
  policyBox_->addItem(tr("Pad (mirror)"), "pad-reflect");
  policyBox_->addItem(tr("Pad (periodic in x)"), "pad-periodic");
  policyBox_->setToolTip(tr("Every axis must be c·2^L − 1 for L levels; crop or pad a size that is not"));
  form->addRow(tr("Name"), nameLabel_);
  form->addRow(tr("Shape"), shapeLabel_);
  form->addRow(tr("Range"), rangeLabel_);
  form->addRow(tr("Land mask"), maskLabel_);
  form->addRow(tr("Levels"), levelsLabel_);
  form->addRow(tr("Size"), policyBox_);
  layout->addLayout(form);
  preview_ = new FieldView(this);
  preview_->setObjectName("datasetPreview");
  preview_->setMinimumSize(200, 170);
  layout->addWidget(preview_, 1);
  slider_ = new TimeSlider(this);
  layout->addWidget(slider_);

  connect(policyBox_, &QComboBox::currentIndexChanged, this, [this] {
    updateLevels();
    Q_EMIT sizePolicyChanged(sizePolicy());
  });
  connect(slider_, &TimeSlider::indexChanged, this, [this](int index) {
    showFrame(index);
    Q_EMIT indexChanged(index);
  });
  setSummary(DatasetSummary{});
}

void DatasetPanel::setSummary(const DatasetSummary& summary)
{
  summary_ = summary;
  const bool have = summary.snapshots > 0;
  nameLabel_->setText(have ? summary.name : tr("no dataset: File → Open or Generate"));
  nameLabel_->setToolTip(summary.path.isEmpty() ? tr("generated") : summary.path);
  QString shape =
      have ? tr("%1 snapshots × %2 × %3").arg(summary.snapshots).arg(summary.height).arg(summary.width) : QString();
  QString shapeTip;
  if (have && summary.onDemand())
  {
    shape += tr(", read on demand");
    shapeTip = tr("A full load would take %1 GB as float32, more than half the memory available: each snapshot is "
                  "read from the file when it is shown, one snapshot at a time.")
                   .arg(summary.bytesInMemory / 1e9, 0, 'f', 2);
  }
  shapeLabel_->setText(shape);
  shapeLabel_->setToolTip(shapeTip);
  const QString units = summary.units.isEmpty() ? QString() : " " + summary.units;
  rangeLabel_->setText(have ? tr("%1 … %2%3 (scaled to 0…1 for training)")
                                  .arg(summary.originalMin, 0, 'g', 4)
                                  .arg(summary.originalMax, 0, 'g', 4)
                                  .arg(units)
                            : QString());
  maskLabel_->setText(
      !have ? QString()
      : summary.hasMask()
          ? tr("yes, %1 % valid cells (grey in the views)").arg(100.0 * summary.validFraction, 0, 'f', 1)
          : tr("none"));
  preview_->setTitle(have ? summary.name : QString());
  slider_->setCount(summary.snapshots);
  updateLevels();
  showFrame(slider_->index());
}

void DatasetPanel::setRequiredLevels(int levels)
{
  requiredLevels_ = levels;
  updateLevels();
}

QString DatasetPanel::sizePolicy() const
{
  return policyBox_->currentData().toString();
}

void DatasetPanel::setSizePolicy(const QString& policy)
{
  const int i = policyBox_->findData(policy);
  if (i >= 0)
  {
    policyBox_->setCurrentIndex(i);
  }
}

bool DatasetPanel::sizeAccepted() const
{
  if (!hasDataset() || requiredLevels_ <= 0)
  {
    return hasDataset();
  }
  const QString p = sizePolicy();
  const int allowed = p == "strict" ? summary_.levelsAsIs
                      : p == "crop" ? summary_.levelsWithCrop
                                    : summary_.levelsWithPad;
  return requiredLevels_ <= allowed;
}

QString DatasetPanel::levelsText() const
{
  return levelsLabel_->text();
}

void DatasetPanel::updateLevels()
{
  if (!hasDataset())
  {
    levelsLabel_->clear();
    policyBox_->setEnabled(false);
    return;
  }
  QString text = summary_.levelsAsIs > 0
                     ? tr("up to %1 as it is").arg(summary_.levelsAsIs)
                     : tr("%1×%2 fits no level count as it is").arg(summary_.height).arg(summary_.width);
  if (summary_.levelsWithCrop > summary_.levelsAsIs || summary_.levelsAsIs == 0)
  {
    text += tr("; %1 with crop").arg(summary_.levelsWithCrop);
  }
  const bool fits = requiredLevels_ <= summary_.levelsAsIs;
  // Offer crop/pad only when the size needs it; switch to crop by itself rather than refuse to train.
  policyBox_->setEnabled(!fits || sizePolicy() != "strict");
  if (!fits && sizePolicy() == "strict")
  {
    const QSignalBlocker block(policyBox_);
    policyBox_->setCurrentIndex(
        policyBox_->findData(summary_.levelsWithCrop >= requiredLevels_ ? "crop" : "pad-reflect"));
  }
  if (requiredLevels_ > 0 && !fits)
  {
    text += tr(". %1 levels need each side = c·2^%1 − 1: %2")
                .arg(requiredLevels_)
                .arg(sizeAccepted() ? tr("the size will be adjusted as chosen below") : tr("choose pad"));
  }
  levelsLabel_->setText(text);
}

void DatasetPanel::showFrame(int index)
{
  if (hasDataset() && summary_.onDemand())
  {
    try
    {
      const mrcae::Field snapshot = summary_.readSnapshot(index);
      preview_->showFrame(snapshot, 0, summary_.valid.get(), summary_.scale(), summary_.offset());
      return;
    }
    catch (const std::exception& e)
    {
      // The window reports it (once); the preview goes blank rather than show a stale snapshot.
      Q_EMIT snapshotUnreadable(QString::fromStdString(e.what()));
    }
  }
  if (!hasDataset() || !summary_.field)
  {
    preview_->scene().clearField();
    preview_->scheduleRender();
    return;
  }
  preview_->showFrame(*summary_.field, index, summary_.valid.get(), summary_.scale(), summary_.offset());
}

} // namespace mrcae::widgets
