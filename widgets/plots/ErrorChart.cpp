#include "ErrorChart.h"
#include "CurveView.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

#include <limits>

namespace mrcae::widgets
{

ErrorChart::ErrorChart(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);

  controls_ = new QWidget(this);
  auto* row = new QHBoxLayout(controls_);
  row->setContentsMargins(4, 2, 4, 0);
  smoothBox_ = new QCheckBox(tr("Smooth (EMA)"), controls_);
  smoothSpin_ = new QDoubleSpinBox(controls_);
  smoothSpin_->setRange(0.0, 0.99);
  smoothSpin_->setSingleStep(0.05);
  smoothSpin_->setValue(0.8);
  smoothSpin_->setEnabled(false);
  smoothSpin_->setToolTip(tr("Weight of the past in the exponential moving average of log10(error)"));
  localBox_ = new QCheckBox(tr("Local losses"), controls_);
  localBox_->setToolTip(tr("Also draw the level's own (local) train and validation loss"));
  clearEarlierButton_ = new QPushButton(tr("Clear earlier runs"), controls_);
  clearEarlierButton_->setEnabled(false);
  row->addWidget(smoothBox_);
  row->addWidget(smoothSpin_);
  row->addSpacing(12);
  row->addWidget(localBox_);
  row->addStretch(1);
  row->addWidget(clearEarlierButton_);
  layout->addWidget(controls_);

  view_ = new CurveView(this);
  view_->setObjectName("curveView");
  layout->addWidget(view_, 1);

  connect(smoothBox_, &QCheckBox::toggled, this, [this](bool on) {
    smoothSpin_->setEnabled(on);
    setSmoothing(on ? smoothSpin_->value() : 0.0);
  });
  connect(smoothSpin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (smoothBox_->isChecked())
    {
      setSmoothing(v);
    }
  });
  connect(localBox_, &QCheckBox::toggled, this, [this](bool on) {
    setSeriesVisible(LocalTrain, on);
    setSeriesVisible(LocalVal, on);
  });
  connect(clearEarlierButton_, &QPushButton::clicked, this, &ErrorChart::clearEarlierRuns);
  setMinimumHeight(160);
}

ErrorChart::~ErrorChart() = default;

const CurveData& ErrorChart::data() const
{
  return view_->plot().data();
}

CurveData& ErrorChart::mutableData()
{
  // Every change is drawn with the window's next frame.
  view_->scheduleRepaint();
  return view_->plot().data();
}

void ErrorChart::clear()
{
  mutableData().clear();
}

void ErrorChart::appendSteps(const std::vector<mrcae::StepRecord>& steps)
{
  if (!steps.empty())
  {
    mutableData().appendSteps(steps);
  }
}

void ErrorChart::addStage(const mrcae::StageRecord& record)
{
  mutableData().addStage(record);
}

void ErrorChart::setRun(const std::vector<mrcae::StepRecord>& steps, const std::vector<mrcae::StageRecord>& stages)
{
  mutableData().setRun(steps, stages);
}

void ErrorChart::archiveCurrentRun(const QString& name)
{
  mutableData().archiveCurrentRun(name);
  clearEarlierButton_->setEnabled(!data().earlier().empty());
}

void ErrorChart::addEarlierRun(const QString& name, const std::vector<mrcae::StepRecord>& steps)
{
  mutableData().addEarlierRun(name, steps);
  clearEarlierButton_->setEnabled(true);
}

void ErrorChart::clearEarlierRuns()
{
  mutableData().clearEarlierRuns();
  clearEarlierButton_->setEnabled(false);
}

void ErrorChart::setSmoothing(double factor)
{
  mutableData().setSmoothing(factor);
}

void ErrorChart::setSeriesVisible(Series series, bool visible)
{
  mutableData().setSeriesVisible(series, visible);
}

void ErrorChart::setControlsVisible(bool visible)
{
  controls_->setVisible(visible);
}

double ErrorChart::lastValue(Series series) const
{
  const auto& y = data().current().y[series];
  return y.empty() ? std::numeric_limits<double>::quiet_NaN() : y.back();
}

} // namespace mrcae::widgets
