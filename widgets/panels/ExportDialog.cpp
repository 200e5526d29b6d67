#include "ExportDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace mrcae::widgets
{

ExportDialog::ExportDialog(Kind kind, const QSize& natural, int snapshots, QWidget* parent)
  : QDialog(parent), kind_(kind), natural_(natural)
{
  setObjectName("exportDialog");
  const char* titles[] = {"Export figure", "Export curves", "Export view", "Export animation"};
  setWindowTitle(tr(titles[static_cast<int>(kind)]));
  auto* form = new QFormLayout;

  byScale_ = new QRadioButton(tr("Scale"), this);
  auto* byPixels = new QRadioButton(tr("Pixels"), this);
  byScale_->setChecked(true);
  scale_ = new QDoubleSpinBox(this);
  scale_->setRange(0.25, 8.0);
  scale_->setSingleStep(0.5);
  scale_->setValue(kind == Kind::View ? 2.0 : 1.0);
  scale_->setSuffix(tr(" ×"));
  scale_->setToolTip(tr("Text, lines and colour bars grow with the picture"));
  width_ = new QSpinBox(this);
  height_ = new QSpinBox(this);
  for (QSpinBox* s : {width_, height_})
  {
    s->setRange(16, 20000);
    s->setSuffix(tr(" px"));
    s->setEnabled(false);
  }
  width_->setValue(natural.width() * 2);
  height_->setValue(natural.height() * 2);
  auto* scaleRow = new QHBoxLayout;
  scaleRow->addWidget(byScale_);
  scaleRow->addWidget(scale_);
  scaleRow->addStretch();
  auto* pixelRow = new QHBoxLayout;
  pixelRow->addWidget(byPixels);
  pixelRow->addWidget(width_);
  pixelRow->addWidget(new QLabel(QStringLiteral("×"), this));
  pixelRow->addWidget(height_);
  form->addRow(tr("Size"), scaleRow);
  form->addRow(QString(), pixelRow);
  connect(byScale_, &QRadioButton::toggled, this, [this](bool on) {
    scale_->setEnabled(on);
    width_->setEnabled(!on);
    height_->setEnabled(!on);
    updateSummary();
  });
  for (QSpinBox* s : {width_, height_})
  {
    connect(s, &QSpinBox::valueChanged, this, &ExportDialog::updateSummary);
  }
  connect(scale_, &QDoubleSpinBox::valueChanged, this, &ExportDialog::updateSummary);

  if (kind == Kind::Figure || kind == Kind::Animation)
  {
    curves_ = new QCheckBox(tr("Error curves under the panels"), this);
    curves_->setChecked(kind == Kind::Figure);
    form->addRow(QString(), curves_);
  }
  if (kind == Kind::Animation)
  {
    first_ = new QSpinBox(this);
    last_ = new QSpinBox(this);
    every_ = new QSpinBox(this);
    first_->setRange(0, std::max(0, snapshots - 1));
    last_->setRange(0, std::max(0, snapshots - 1));
    last_->setValue(std::max(0, snapshots - 1));
    every_->setRange(1, std::max(1, snapshots));
    every_->setValue(std::max(1, snapshots / 100)); // about a hundred frames by default
    auto* range = new QHBoxLayout;
    range->addWidget(first_);
    range->addWidget(new QLabel(tr("to"), this));
    range->addWidget(last_);
    range->addWidget(new QLabel(tr("every"), this));
    range->addWidget(every_);
    form->addRow(tr("Snapshots"), range);
    for (QSpinBox* s : {first_, last_, every_})
    {
      connect(s, &QSpinBox::valueChanged, this, &ExportDialog::updateSummary);
    }
  }
  summary_ = new QLabel(this);
  summary_->setObjectName("exportSummary");
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Choose file…"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(summary_);
  layout->addWidget(buttons);
  updateSummary();
}

ExportDialog::Choice ExportDialog::choice() const
{
  Choice c;
  c.scale = scale_->value();
  c.size = byScale_->isChecked() ? QSize() : QSize(width_->value(), height_->value());
  c.withCurves = curves_ && curves_->isChecked();
  if (first_)
  {
    c.first = std::min(first_->value(), last_->value());
    c.last = std::max(first_->value(), last_->value());
    c.every = every_->value();
  }
  return c;
}

QSize ExportDialog::pixelSize() const
{
  const Choice c = choice();
  return c.size.isValid() ? c.size
                          : QSize(static_cast<int>(natural_.width() * c.scale + 0.5),
                                  static_cast<int>(natural_.height() * c.scale + 0.5));
}

void ExportDialog::updateSummary()
{
  const QSize s = pixelSize();
  QString text = tr("%1 × %2 pixels").arg(s.width()).arg(s.height());
  if (kind_ == Kind::Animation)
  {
    const Choice c = choice();
    text += tr(", %1 frames (PNG series)").arg((c.last - c.first) / c.every + 1);
  }
  else if (kind_ == Kind::View)
  {
    text += tr(" (PNG)");
  }
  else
  {
    text += tr(" — PNG, or SVG / PDF with vector lines and text");
  }
  summary_->setText(text);
}

} // namespace mrcae::widgets
