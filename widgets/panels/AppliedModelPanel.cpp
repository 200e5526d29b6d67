#include "AppliedModelPanel.h"

#include "FieldMath.h"
#include "FigureWriter.h"
#include "LevelGrid.h"
#include "TimeSlider.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace mrcae::widgets
{

AppliedModelPanel::AppliedModelPanel(QWidget* parent, Qt::WindowFlags flags) : QWidget(parent, flags)
{
  auto* layout = new QVBoxLayout(this);
  description_ = new QLabel(this);
  description_->setWordWrap(true);
  description_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(description_);
  status_ = new QLabel(this);
  status_->setObjectName("appliedStatus");
  layout->addWidget(status_);

  auto* curveRow = new QHBoxLayout;
  curveRow->addWidget(new QLabel(tr("Error of every snapshot at"), this));
  levelBox_ = new QComboBox(this);
  levelBox_->setObjectName("curveLevel");
  curveRow->addWidget(levelBox_);
  curveRow->addStretch(1);
  exportButton_ = new QPushButton(tr("Export Curve…"), this);
  curveRow->addWidget(exportButton_);
  layout->addLayout(curveRow);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  errorView_ = new SnapshotErrorView(splitter);
  auto* lower = new QWidget(splitter);
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  slider_ = new TimeSlider(lower);
  lowerLayout->addWidget(slider_);
  levelGrid_ = new LevelGrid(lower);
  levelGrid_->setObjectName("appliedLevelGrid");
  lowerLayout->addWidget(levelGrid_, 1);
  splitter->addWidget(errorView_);
  splitter->addWidget(lower);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 3);
  layout->addWidget(splitter, 1);

  connect(levelBox_, &QComboBox::currentIndexChanged, this, [this] { showCurve(); });
  connect(exportButton_, &QPushButton::clicked, this, &AppliedModelPanel::exportCurveRequested);
  connect(slider_, &TimeSlider::indexChanged, this, [this](int index) {
    errorView_->setCurrent(index);
    Q_EMIT snapshotRequested(index);
  });
  connect(errorView_, &SnapshotErrorView::snapshotClicked, this, [this](int snapshot) { slider_->setIndex(snapshot); });
  exportButton_->setEnabled(false);
}

void AppliedModelPanel::setDescription(const QString& text)
{
  description_->setText(text);
}

QString AppliedModelPanel::description() const
{
  return description_->text();
}

void AppliedModelPanel::setGrid(int levels, int height, int width, const mrcae::Map2D& valid, double scale,
                                double offset)
{
  levelGrid_->setStacked(FieldMath::stacksPanels(height, width));
  levelGrid_->setLevelCount(levels);
  levelGrid_->setValidMask(valid);
  levelGrid_->setValueTransform(scale, offset);
}

void AppliedModelPanel::setSnapshotCount(int count)
{
  slider_->setCount(count);
}

void AppliedModelPanel::setErrors(std::vector<std::vector<SnapshotError>> perLevel)
{
  errors_ = std::move(perLevel);
  const QSignalBlocker block(levelBox_);
  levelBox_->clear();
  for (size_t k = 0; k < errors_.size(); ++k)
  {
    levelBox_->addItem(tr("level %1").arg(k), static_cast<int>(k));
  }
  levelBox_->setCurrentIndex(static_cast<int>(errors_.size()) - 1);
  exportButton_->setEnabled(!errors_.empty());
  showCurve();
}

void AppliedModelPanel::showCurve()
{
  const int k = levelBox_->currentIndex();
  if (k < 0 || k >= static_cast<int>(errors_.size()))
  {
    errorView_->setPoints({});
    return;
  }
  errorView_->plot().setErrorLabel(tr("global error, level %1").arg(k));
  errorView_->setPoints(errors_[k]);
}

void AppliedModelPanel::showSnapshot(const std::shared_ptr<const LiveFields>& fields)
{
  levelGrid_->showSnapshot(fields);
}

void AppliedModelPanel::setBusy(bool busy, const QString& text)
{
  status_->setText(text);
  slider_->setEnabled(!busy);
}

int AppliedModelPanel::currentSnapshot() const
{
  return slider_->index();
}

void AppliedModelPanel::setCurrentSnapshot(int index)
{
  slider_->setIndex(index);
}

int AppliedModelPanel::curveLevel() const
{
  return levelBox_->currentIndex();
}

void AppliedModelPanel::setCurveLevel(int level)
{
  levelBox_->setCurrentIndex(level);
}

QString AppliedModelPanel::exportCurve(const QString& path, const QSize& size) const
{
  const SnapshotErrorPlot& plot = errorView_->plot();
  return FigureWriter::write(path, size, [&plot](QPainter& p, const QRect& r) { plot.paint(p, r); });
}

} // namespace mrcae::widgets
