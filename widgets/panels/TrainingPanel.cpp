#include "TrainingPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace mrcae::widgets
{

namespace
{

QString joinNumbers(const std::vector<double>& values)
{
  QStringList parts;
  for (double v : values)
  {
    parts << QString::number(v, 'g', 6);
  }
  return parts.join(", ");
}

QString joinInts(const std::vector<int>& values)
{
  QStringList parts;
  for (int v : values)
  {
    parts << QString::number(v);
  }
  return parts.join(", ");
}

/// "1, 2, 3" → numbers; false with `what` named in `error` on a bad entry.
bool parseDoubles(const QString& text, std::vector<double>& out, const QString& what, QString* error)
{
  out.clear();
  const QStringList parts = text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts);
  for (const QString& p : parts)
  {
    bool ok = false;
    const double v = p.toDouble(&ok);
    if (!ok)
    {
      *error = QObject::tr("%1: \"%2\" is not a number").arg(what, p);
      return false;
    }
    out.push_back(v);
  }
  return true;
}

bool parseInts(const QString& text, std::vector<int>& out, const QString& what, QString* error)
{
  std::vector<double> values;
  if (!parseDoubles(text, values, what, error))
  {
    return false;
  }
  out.clear();
  for (double v : values)
  {
    if (v != std::floor(v))
    {
      *error = QObject::tr("%1: %2 is not a whole number").arg(what).arg(v);
      return false;
    }
    out.push_back(static_cast<int>(v));
  }
  return true;
}

bool parseDouble(const QLineEdit* edit, double& out, const QString& what, QString* error)
{
  bool ok = false;
  const double v = edit->text().trimmed().toDouble(&ok);
  if (!ok)
  {
    // The fields show and read numbers the C way (QString::number, QString::toDouble), as the settings files do.
    *error =
        edit->text().contains(',')
            ? QObject::tr("%1: \"%2\" is not a number: use '.' as the decimal point").arg(what, edit->text().trimmed())
            : QObject::tr("%1: \"%2\" is not a number").arg(what, edit->text().trimmed());
    return false;
  }
  out = v;
  return true;
}

QLineEdit* lineEdit(QWidget* parent, const QString& name, const QString& tip)
{
  auto* e = new QLineEdit(parent);
  e->setObjectName(name);
  e->setToolTip(tip);
  return e;
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  settings_ = new QWidget(this);
  auto* form = new QFormLayout(settings_);
  form->setContentsMargins(0, 0, 0, 0);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

  presetBox_ = new QComboBox(settings_);
  presetBox_->setObjectName("preset");
  presetBox_->setToolTip(tr("The paper's settings for its datasets; every field below can be changed"));
  levelsSpin_ = new QSpinBox(settings_);
  levelsSpin_->setObjectName("levels");
  levelsSpin_->setRange(1, 8);
  levelsSpin_->setToolTip(tr("Number of levels L; level 0 is the coarsest"));
  archsEdit_ = lineEdit(settings_, "archs",
                        tr("Cumulative channels per level, levels separated by ';' (e.g. 1,2,3,4; 1,3,5,7). "
                           "The first entry is the deepen (1 channel); each further entry is one widening stage"));
  tolsEdit_ = lineEdit(settings_, "tols",
                       tr("Tolerance per level for the refinement maps; empty = no maps (MrCAE + ReLU variant)"));
  stepsEdit_ = lineEdit(settings_, "steps", tr("Maximum steps per stage, per level (one number = every level)"));
  batchSpin_ = new QSpinBox(settings_);
  batchSpin_->setObjectName("batch");
  batchSpin_->setRange(1, 1000000);
  batchSpin_->setToolTip(tr("Snapshots per step; at least the training set size means full batch"));
  lrEdit_ = lineEdit(settings_, "lr", tr("Adam learning rate"));
  wSpin_ = new QDoubleSpinBox(settings_);
  wSpin_->setObjectName("w");
  wSpin_->setRange(0.0, 1.0);
  wSpin_->setSingleStep(0.05);
  wSpin_->setDecimals(3);
  wSpin_->setToolTip(tr("Weight of the mean against the max term in the losses"));
  initStdEdit_ = lineEdit(settings_, "initStd", tr("Standard deviation of the initial weights"));
  activationBox_ = new QComboBox(settings_);
  activationBox_->setObjectName("activation");
  activationBox_->addItem(tr("identity (MrCAE)"), static_cast<int>(mrcae::Activation::Identity));
  activationBox_->addItem(tr("ReLU"), static_cast<int>(mrcae::Activation::ReLU));
  seedSpin_ = new QSpinBox(settings_);
  seedSpin_->setObjectName("seed");
  seedSpin_->setRange(0, std::numeric_limits<int>::max());
  seedSpin_->setToolTip(tr("One seed for the split, the batches and the initial weights"));
  deviceBox_ = new QComboBox(settings_);
  deviceBox_->setObjectName("device");
  deviceBox_->addItem(tr("CPU"), "cpu");
  deviceBox_->addItem(tr("CUDA"), "cuda");
  deviceBox_->addItem(tr("auto (CUDA when available)"), "auto");
  threadsSpin_ = new QSpinBox(settings_);
  threadsSpin_->setObjectName("threads");
  threadsSpin_->setRange(0, 256);
  threadsSpin_->setSpecialValueText(tr("all cores"));
  threadsSpin_->setToolTip(tr("Threads of the CPU trainer; leaving one core free keeps the window smooth"));
  processesSpin_ = new QSpinBox(settings_);
  processesSpin_->setObjectName("processes");
  processesSpin_->setRange(1, 64);
  processesSpin_->setToolTip(tr("Processes that train together on this machine, each on its share of the "
                                "snapshots (data-parallel over c10d): this window is the first and shows the run, "
                                "the others run mrcae train. With \"all cores\", the cores are shared among them."));

  form->addRow(tr("Preset"), presetBox_);
  form->addRow(tr("Levels"), levelsSpin_);
  form->addRow(tr("Widths"), archsEdit_);
  form->addRow(tr("Tolerances"), tolsEdit_);
  form->addRow(tr("Steps"), stepsEdit_);
  form->addRow(tr("Batch"), batchSpin_);
  form->addRow(tr("Learning rate"), lrEdit_);
  form->addRow(tr("w"), wSpin_);
  form->addRow(tr("Init std"), initStdEdit_);
  form->addRow(tr("Activation"), activationBox_);
  form->addRow(tr("Seed"), seedSpin_);
  form->addRow(tr("Device"), deviceBox_);
  form->addRow(tr("Threads"), threadsSpin_);
  form->addRow(tr("Processes"), processesSpin_);

  advancedBox_ = new QGroupBox(tr("Advanced"), settings_);
  advancedBox_->setCheckable(true);
  advancedBox_->setChecked(false);
  auto* adv = new QFormLayout(advancedBox_);
  selectBox_ = new QComboBox(advancedBox_);
  selectBox_->addItem(tr("global validation error"), static_cast<int>(mrcae::BestSelection::GlobalVal));
  selectBox_->addItem(tr("local validation loss"), static_cast<int>(mrcae::BestSelection::LocalVal));
  selectBox_->addItem(tr("last iterate (reference)"), static_cast<int>(mrcae::BestSelection::LastIterate));
  landBox_ = new QComboBox(advancedBox_);
  landBox_->addItem(tr("as the reference (max term only)"), static_cast<int>(mrcae::LandMaskMode::Reference));
  landBox_->addItem(tr("everywhere (consistent)"), static_cast<int>(mrcae::LandMaskMode::Consistent));
  trainFractionSpin_ = new QDoubleSpinBox(advancedBox_);
  trainFractionSpin_->setRange(0.05, 0.95);
  trainFractionSpin_->setSingleStep(0.05);
  valFractionSpin_ = new QDoubleSpinBox(advancedBox_);
  valFractionSpin_->setRange(0.0, 0.9);
  valFractionSpin_->setSingleStep(0.05);
  slowEdit_ = lineEdit(advancedBox_, "slowConvergence", tr("Relative improvement below which a stage stops"));
  epsEdit_ = lineEdit(advancedBox_, "adamEps", tr("Adam epsilon (the reference uses 1e-3)"));
  decayEdit_ = lineEdit(advancedBox_, "weightDecay", tr("L2 weight decay"));
  constantInitBox_ = new QCheckBox(tr("constant deepen init (as the reference)"), advancedBox_);
  adv->addRow(tr("Best state by"), selectBox_);
  adv->addRow(tr("Land mask"), landBox_);
  adv->addRow(tr("Train fraction"), trainFractionSpin_);
  adv->addRow(tr("Validation fraction"), valFractionSpin_);
  adv->addRow(tr("Slow progress"), slowEdit_);
  adv->addRow(tr("Adam eps"), epsEdit_);
  adv->addRow(tr("Weight decay"), decayEdit_);
  adv->addRow(constantInitBox_);
  // Collapsed by default: the advanced fields only show when the box is ticked.
  auto setAdvancedVisible = [this](bool on) {
    for (QWidget* w : advancedBox_->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly))
    {
      w->setVisible(on);
    }
  };
  connect(advancedBox_, &QGroupBox::toggled, this, setAdvancedVisible);
  setAdvancedVisible(false);
  form->addRow(advancedBox_);
  layout->addWidget(settings_);

  errorLabel_ = new QLabel(this);
  errorLabel_->setObjectName("configError");
  errorLabel_->setWordWrap(true);
  errorLabel_->setStyleSheet("color: #b00020;");
  layout->addWidget(errorLabel_);

  auto* buttons = new QGridLayout;
  trainButton_ = new QPushButton(tr("Train"), this);
  trainButton_->setObjectName("trainButton");
  trainButton_->setToolTip(tr("Start a new run with these settings"));
  pauseButton_ = new QPushButton(tr("Pause"), this);
  pauseButton_->setObjectName("pauseButton");
  stopButton_ = new QPushButton(tr("Stop"), this);
  stopButton_->setObjectName("stopButton");
  stopButton_->setToolTip(tr("Finish the current step, keep the best state of the stage and everything trained"));
  resumeButton_ = new QPushButton(tr("Resume"), this);
  resumeButton_->setObjectName("resumeButton");
  resumeButton_->setToolTip(tr("Continue a paused run, or the rest of the schedule of a stopped one"));
  buttons->addWidget(trainButton_, 0, 0);
  buttons->addWidget(pauseButton_, 0, 1);
  buttons->addWidget(stopButton_, 1, 0);
  buttons->addWidget(resumeButton_, 1, 1);
  layout->addLayout(buttons);
  layout->addStretch(1);

  connect(trainButton_, &QPushButton::clicked, this, &TrainingPanel::trainRequested);
  connect(pauseButton_, &QPushButton::clicked, this, &TrainingPanel::pauseRequested);
  connect(stopButton_, &QPushButton::clicked, this, &TrainingPanel::stopRequested);
  connect(resumeButton_, &QPushButton::clicked, this, &TrainingPanel::resumeRequested);

  connect(presetBox_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    if (!loading_ && loader_ && !name.isEmpty())
    {
      try
      {
        setConfig(loader_(name));
      }
      catch (const std::exception& e)
      {
        error_ = QString::fromStdString(e.what());
        errorLabel_->setText(error_);
        updateButtons();
      }
    }
  });
  for (QLineEdit* e : {archsEdit_, tolsEdit_, stepsEdit_, lrEdit_, initStdEdit_, slowEdit_, epsEdit_, decayEdit_})
  {
    connect(e, &QLineEdit::textChanged, this, &TrainingPanel::onEdited);
  }
  for (QSpinBox* s : {levelsSpin_, batchSpin_, seedSpin_, threadsSpin_})
  {
    connect(s, &QSpinBox::valueChanged, this, &TrainingPanel::onEdited);
  }
  for (QDoubleSpinBox* s : {wSpin_, trainFractionSpin_, valFractionSpin_})
  {
    connect(s, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::onEdited);
  }
  for (QComboBox* c : {activationBox_, deviceBox_, selectBox_, landBox_})
  {
    connect(c, &QComboBox::currentIndexChanged, this, &TrainingPanel::onEdited);
  }
  connect(constantInitBox_, &QCheckBox::toggled, this, &TrainingPanel::onEdited);
  connect(levelsSpin_, &QSpinBox::valueChanged, this, &TrainingPanel::levelsChanged);

  setConfig(mrcae::TrainingConfig{});
}

void TrainingPanel::setPresets(const QStringList& names, PresetLoader loader)
{
  loader_ = std::move(loader);
  loading_ = true;
  presetBox_->clear();
  presetBox_->addItems(names);
  loading_ = false;
}

void TrainingPanel::setValidator(Validator validator)
{
  validator_ = std::move(validator);
  revalidate();
}

void TrainingPanel::selectPreset(const QString& name)
{
  const int i = presetBox_->findText(name);
  if (i < 0)
  {
    return;
  }
  if (i == presetBox_->currentIndex() && loader_)
  {
    setConfig(loader_(name)); // reselecting restores the preset's values
  }
  presetBox_->setCurrentIndex(i);
}

QString TrainingPanel::presetName() const
{
  return presetBox_->currentText();
}

void TrainingPanel::setConfig(const mrcae::TrainingConfig& c)
{
  loading_ = true;
  const int presetIndex = presetBox_->findText(QString::fromStdString(c.presetName));
  if (presetIndex >= 0)
  {
    presetBox_->setCurrentIndex(presetIndex);
  }
  levelsSpin_->setValue(c.levels);
  QStringList archs;
  for (const auto& a : c.archs)
  {
    archs << joinInts(a);
  }
  archsEdit_->setText(archs.join("; "));
  tolsEdit_->setText(joinNumbers(c.tols));
  stepsEdit_->setText(joinInts(c.steps));
  batchSpin_->setValue(c.batch);
  lrEdit_->setText(QString::number(c.lr, 'g', 6));
  wSpin_->setValue(c.w);
  initStdEdit_->setText(QString::number(c.initStd, 'g', 6));
  activationBox_->setCurrentIndex(activationBox_->findData(static_cast<int>(c.activation)));
  seedSpin_->setValue(static_cast<int>(std::min<std::uint64_t>(c.seed, std::numeric_limits<int>::max())));
  const int device = deviceBox_->findData(QString::fromStdString(c.device));
  deviceBox_->setCurrentIndex(device >= 0 ? device : 0);
  threadsSpin_->setValue(c.threads);
  selectBox_->setCurrentIndex(selectBox_->findData(static_cast<int>(c.selectOn)));
  landBox_->setCurrentIndex(landBox_->findData(static_cast<int>(c.landMask)));
  trainFractionSpin_->setValue(c.trainFraction);
  valFractionSpin_->setValue(c.valFraction);
  slowEdit_->setText(QString::number(c.slowConvergence, 'g', 6));
  epsEdit_->setText(QString::number(c.adamEps, 'g', 6));
  decayEdit_->setText(QString::number(c.weightDecay, 'g', 6));
  constantInitBox_->setChecked(c.constantDeepenInit);
  loading_ = false;
  onEdited();
  Q_EMIT levelsChanged(c.levels);
}

mrcae::TrainingConfig TrainingPanel::parse(QString* error) const
{
  mrcae::TrainingConfig c;
  c.presetName = presetBox_->currentText().toStdString();
  c.levels = levelsSpin_->value();
  c.archs.clear();
  const QStringList levels = archsEdit_->text().split(';', Qt::SkipEmptyParts);
  for (int k = 0; k < levels.size(); ++k)
  {
    std::vector<int> arch;
    if (!parseInts(levels[k], arch, tr("Widths of level %1").arg(k), error))
    {
      return c;
    }
    if (!arch.empty())
    {
      c.archs.push_back(arch);
    }
  }
  if (!parseDoubles(tolsEdit_->text(), c.tols, tr("Tolerances"), error) ||
      !parseInts(stepsEdit_->text(), c.steps, tr("Steps"), error))
  {
    return c;
  }
  if (c.steps.size() == 1 && c.levels > 1)
  {
    c.steps.assign(static_cast<size_t>(c.levels), c.steps.front()); // one number: the same for every level
  }
  c.batch = batchSpin_->value();
  if (!parseDouble(lrEdit_, c.lr, tr("Learning rate"), error) ||
      !parseDouble(initStdEdit_, c.initStd, tr("Init std"), error) ||
      !parseDouble(slowEdit_, c.slowConvergence, tr("Slow progress"), error) ||
      !parseDouble(epsEdit_, c.adamEps, tr("Adam eps"), error) ||
      !parseDouble(decayEdit_, c.weightDecay, tr("Weight decay"), error))
  {
    return c;
  }
  c.w = wSpin_->value();
  c.activation = static_cast<mrcae::Activation>(activationBox_->currentData().toInt());
  c.seed = static_cast<std::uint64_t>(seedSpin_->value());
  c.device = deviceBox_->currentData().toString().toStdString();
  c.threads = threadsSpin_->value();
  c.selectOn = static_cast<mrcae::BestSelection>(selectBox_->currentData().toInt());
  c.landMask = static_cast<mrcae::LandMaskMode>(landBox_->currentData().toInt());
  c.trainFraction = trainFractionSpin_->value();
  c.valFraction = valFractionSpin_->value();
  c.constantDeepenInit = constantInitBox_->isChecked();
  return c;
}

int TrainingPanel::processes() const
{
  return processesSpin_->value();
}

void TrainingPanel::setProcesses(int processes)
{
  processesSpin_->setValue(processes);
}

mrcae::TrainingConfig TrainingPanel::config() const
{
  QString ignored;
  return parse(&ignored);
}

void TrainingPanel::revalidate()
{
  onEdited();
}

void TrainingPanel::onEdited()
{
  if (loading_)
  {
    return;
  }
  QString error;
  const mrcae::TrainingConfig c = parse(&error);
  if (error.isEmpty() && validator_)
  {
    error = validator_(c);
  }
  error_ = error;
  errorLabel_->setText(error_);
  updateButtons();
  Q_EMIT configChanged();
}

void TrainingPanel::setCanTrain(bool can, const QString& reason)
{
  canTrain_ = can;
  cannotTrainReason_ = reason;
  updateButtons();
}

void TrainingPanel::setRunState(RunState state)
{
  state_ = state;
  updateButtons();
}

void TrainingPanel::updateButtons()
{
  const bool busy = state_ == RunState::Running || state_ == RunState::Paused || state_ == RunState::Stopping;
  settings_->setEnabled(!busy);
  trainButton_->setEnabled(!busy && canTrain_ && error_.isEmpty());
  trainButton_->setToolTip(!canTrain_          ? cannotTrainReason_
                           : !error_.isEmpty() ? error_
                                               : tr("Start a new run with these settings"));
  pauseButton_->setEnabled(state_ == RunState::Running);
  stopButton_->setEnabled(state_ == RunState::Running || state_ == RunState::Paused);
  resumeButton_->setEnabled(state_ == RunState::Paused || (state_ == RunState::Stopped && canTrain_));
  errorLabel_->setText(!error_.isEmpty() ? error_ : (!canTrain_ && !busy) ? cannotTrainReason_ : QString());
}

} // namespace mrcae::widgets
