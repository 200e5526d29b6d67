#include "ImportDialog.h"
#include "ErrorText.h"

#include "ColorRamp.h"
#include "FieldMath.h"

#include "mrcae/model/InputError.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mrcae::app
{

ImportDialog::ImportDialog(const QString& path, QWidget* parent) : QDialog(parent), path_(path)
{
  setObjectName("importDialog");
  setWindowTitle(tr("Import %1").arg(QFileInfo(path).fileName()));
  listing_ = mrcae::listImportable(path.toStdString());

  variable_ = new QComboBox(this);
  variable_->setObjectName("importVariable");
  for (const auto& v : listing_.variables)
  {
    if (v.importable())
    {
      QString label = QString::fromStdString(v.name + " " + v.shapeText());
      if (!v.units.empty())
      {
        label += QStringLiteral(" [%1]").arg(QString::fromStdString(v.units));
      }
      variable_->addItem(label, QString::fromStdString(v.name));
    }
  }
  if (variable_->count() == 0)
  {
    throw mrcae::InputError(path.toStdString() + ": no variable with at least three axes (time, y, x) to import");
  }
  timeAxis_ = new QComboBox(this);
  timeAxis_->setObjectName("importTimeAxis");
  policy_ = new QComboBox(this);
  policy_->setObjectName("importPolicy");
  policy_->addItem(tr("keep the size (crop or pad later, when training)"), int(mrcae::SizePolicy::Strict));
  policy_->addItem(tr("crop to c·2^L − 1 (centred)"), int(mrcae::SizePolicy::Crop));
  policy_->addItem(tr("pad by reflection"), int(mrcae::SizePolicy::PadReflect));
  policy_->addItem(tr("pad periodically (longitude)"), int(mrcae::SizePolicy::PadPeriodic));
  levels_ = new QSpinBox(this);
  levels_->setRange(1, 8);
  levels_->setValue(3);
  levels_->setToolTip(tr("Crop and pad aim at sides of c·2^L − 1 for this many levels"));
  maskMode_ = new QComboBox(this);
  maskMode_->addItem(tr("a cell that is fill in any snapshot is invalid in all"), int(mrcae::MaskOverTime::Union));
  maskMode_->addItem(tr("refuse when the fill cells change over time"), int(mrcae::MaskOverTime::Refuse));
  dropEmpty_ = new QCheckBox(tr("leave out snapshots that are entirely fill"), this);
  nanAsFill_ = new QCheckBox(tr("NaN values are fill"), this);
  previewIndex_ = new QSpinBox(this);
  previewIndex_->setObjectName("importPreviewIndex");
  previewIndex_->setRange(0, 0);

  auto* form = new QFormLayout;
  form->addRow(tr("Variable"), variable_);
  form->addRow(tr("Time axis"), timeAxis_);
  axesForm_ = new QFormLayout;
  form->addRow(axesForm_);
  auto* sizeRow = new QHBoxLayout;
  sizeRow->addWidget(policy_, 1);
  sizeRow->addWidget(new QLabel(tr("L ="), this));
  sizeRow->addWidget(levels_);
  form->addRow(tr("Size"), sizeRow);
  form->addRow(tr("Land mask"), maskMode_);
  form->addRow(QString(), dropEmpty_);
  form->addRow(QString(), nanAsFill_);
  form->addRow(tr("Preview snapshot"), previewIndex_);

  picture_ = new QLabel(this);
  picture_->setObjectName("importPicture");
  picture_->setMinimumSize(320, 240);
  picture_->setAlignment(Qt::AlignCenter);
  facts_ = new QLabel(this);
  facts_->setObjectName("importFacts");
  facts_->setWordWrap(true);
  facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* previewBox = new QGroupBox(tr("What the dataset will be (masked cells in grey)"), this);
  auto* previewLayout = new QVBoxLayout(previewBox);
  previewLayout->addWidget(picture_, 1);
  previewLayout->addWidget(facts_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* columns = new QHBoxLayout;
  columns->addLayout(form, 1);
  columns->addWidget(previewBox, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(columns, 1);
  layout->addWidget(buttons);

  connect(variable_, &QComboBox::currentIndexChanged, this, [this] {
    fillAxes();
    updatePreview();
  });
  connect(timeAxis_, &QComboBox::currentIndexChanged, this, [this] {
    fillAxes();
    updatePreview();
  });
  for (QComboBox* box : {policy_, maskMode_})
  {
    connect(box, &QComboBox::currentIndexChanged, this, &ImportDialog::updatePreview);
  }
  for (QSpinBox* box : {levels_, previewIndex_})
  {
    connect(box, &QSpinBox::valueChanged, this, &ImportDialog::updatePreview);
  }
  for (QCheckBox* box : {dropEmpty_, nanAsFill_})
  {
    connect(box, &QCheckBox::toggled, this, &ImportDialog::updatePreview);
  }
  fillAxes();
  updatePreview();
}

const mrcae::ImportVariable* ImportDialog::current() const
{
  const std::string name = variable_->currentData().toString().toStdString();
  for (const auto& v : listing_.variables)
  {
    if (v.name == name)
    {
      return &v;
    }
  }
  return nullptr;
}

void ImportDialog::fillAxes()
{
  const mrcae::ImportVariable* v = current();
  if (!v)
  {
    return;
  }
  const int rank = static_cast<int>(v->shape.size());
  auto axisName = [&](int a) {
    return a < static_cast<int>(v->dims.size()) ? QString::fromStdString(v->dims[a]) : tr("axis %1").arg(a);
  };
  // The time axis: any but the last two (y, x); the variable's own guess first.
  const QVariant keep = timeAxis_->currentData();
  {
    const QSignalBlocker block(timeAxis_);
    const bool sameVariable = timeAxis_->property("variable").toString() == QString::fromStdString(v->name);
    timeAxis_->clear();
    for (int a = 0; a < rank - 2; ++a)
    {
      timeAxis_->addItem(QStringLiteral("%1 (%2)").arg(axisName(a)).arg(v->shape[a]), a);
    }
    const int guess = sameVariable && keep.isValid() ? keep.toInt() : std::max(0, v->timeAxis);
    timeAxis_->setCurrentIndex(std::clamp(guess, 0, timeAxis_->count() - 1));
    timeAxis_->setProperty("variable", QString::fromStdString(v->name));
  }
  const int time = timeAxis_->currentData().toInt();
  while (axesForm_->rowCount() > 0)
  {
    axesForm_->removeRow(0);
  }
  fixed_.clear();
  for (int a = 0; a < rank - 2; ++a)
  {
    if (a == time)
    {
      continue;
    }
    auto* index = new QSpinBox(this);
    index->setRange(0, static_cast<int>(v->shape[a] - 1));
    connect(index, &QSpinBox::valueChanged, this, &ImportDialog::updatePreview);
    axesForm_->addRow(tr("%1 at index").arg(axisName(a)), index);
    fixed_.emplace_back(a, index);
  }
  previewIndex_->setRange(0, static_cast<int>(std::max<long long>(0, v->shape[time] - 1)));
}

mrcae::ImportOptions ImportDialog::options() const
{
  mrcae::ImportOptions o;
  if (const mrcae::ImportVariable* v = current())
  {
    o.variable = v->name;
  }
  o.timeAxis = std::to_string(timeAxis_->currentData().toInt());
  for (const auto& [axis, box] : fixed_)
  {
    o.indices.push_back({std::to_string(axis), box->value()});
  }
  o.sizePolicy = static_cast<mrcae::SizePolicy>(policy_->currentData().toInt());
  o.levels = levels_->value();
  o.maskMode = static_cast<mrcae::MaskOverTime>(maskMode_->currentData().toInt());
  o.dropEmptySnapshots = dropEmpty_->isChecked();
  o.nanAsFill = nanAsFill_->isChecked();
  return o;
}

void ImportDialog::setPreviewSnapshot(int index)
{
  previewIndex_->setValue(index);
}

void ImportDialog::updatePreview()
{
  // One snapshot only: what the import will do to it, without converting the whole file.
  mrcae::ImportOptions o = options();
  o.firstSnapshot = previewIndex_->value();
  o.endSnapshot = o.firstSnapshot + 1;
  o.dropEmptySnapshots = false;
  preview_.reset();
  previewError_.clear();
  try
  {
    preview_ = mrcae::importDataset(path_.toStdString(), o);
  }
  catch (const std::exception& e)
  {
    previewError_ = windowText(e);
  }
  if (!preview_)
  {
    picture_->setPixmap(QPixmap());
    picture_->setText(tr("No preview"));
    facts_->setText(previewError_);
    return;
  }
  const mrcae::Dataset& d = preview_->dataset;
  const mrcae::Map2D frame = widgets::FieldMath::frame(d.field, 0);
  const mrcae::Map2D* valid = d.hasMask() ? &d.valid : nullptr;
  const QImage image = widgets::ColorRamp::image(frame, widgets::ColormapKind::Viridis, 0.0, 1.0, valid);
  picture_->setPixmap(QPixmap::fromImage(image).scaled(picture_->size(), Qt::KeepAspectRatio, Qt::FastTransformation));
  const mrcae::ImportReport& r = *preview_;
  QStringList lines;
  lines << tr("%1 × %2 per snapshot; %3 snapshots along %4")
               .arg(d.field.h)
               .arg(d.field.w)
               .arg(r.variable.shape.at(r.timeAxis))
               .arg(QString::fromStdString(r.timeAxisName));
  lines << tr("invalid (fill) cells: %1 of %2").arg(r.invalidCells).arg(r.cells);
  if (!r.cf.empty())
  {
    lines << tr("applied: %1").arg(QString::fromStdString(r.cf));
  }
  lines << tr("%1 levels fit as it is").arg(d.maxLevels());
  for (const auto& n : r.notes)
  {
    // The preview reads one snapshot on purpose: the importer's warning about too few snapshots is not news.
    const QString note = windowText(n);
    if (note.startsWith("only "))
    {
      continue;
    }
    lines << note;
  }
  lines << tr("(the preview scales this snapshot alone; the import scales over all of them)");
  facts_->setText(lines.join("\n"));
}

} // namespace mrcae::app
