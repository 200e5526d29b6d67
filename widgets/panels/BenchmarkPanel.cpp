#include "BenchmarkPanel.h"
#include "BenchmarkPlotView.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mrcae::widgets
{

namespace
{

QString stopReasonText(mrcae::StopReason r)
{
  switch (r)
  {
  case mrcae::StopReason::MaxSteps: return QStringLiteral("max_steps");
  case mrcae::StopReason::Tolerance: return QStringLiteral("tolerance");
  case mrcae::StopReason::SlowProgress: return QStringLiteral("slow_progress");
  case mrcae::StopReason::UserStop: return QStringLiteral("user_stop");
  case mrcae::StopReason::Diverged: return QStringLiteral("diverged");
  }
  return QString();
}

} // namespace

BenchmarkPanel::BenchmarkPanel(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);

  // Two rows of method boxes: one row of four would set the window's minimum width.
  auto* methodsRow = new QHBoxLayout;
  auto* methodGrid = new QGridLayout;
  for (const QString& key : methodKeys())
  {
    auto* box = new QCheckBox(methodName(key), this);
    box->setObjectName(QStringLiteral("method_") + QString(key).replace('-', '_'));
    box->setChecked(key != QLatin1String("rednet-relu"));
    const int i = static_cast<int>(methodBoxes_.size());
    methodGrid->addWidget(box, i % 2, i / 2);
    methodBoxes_.push_back(box);
  }
  methodsRow->addLayout(methodGrid);
  methodsRow->addStretch(1);
  runButton_ = new QPushButton(tr("Run"), this);
  runButton_->setObjectName("benchmarkRun");
  runButton_->setToolTip(tr("Trains each chosen method in turn with the Training panel's settings on the current "
                            "dataset. MrCAE (PR) runs first: the baselines use the architecture it reaches."));
  stopButton_ = new QPushButton(tr("Stop"), this);
  stopButton_->setObjectName("benchmarkStop");
  stopButton_->setToolTip(tr("Ends the method that is running after its current step; finished stages are kept and "
                             "the remaining methods do not start."));
  methodsRow->addWidget(runButton_);
  methodsRow->addWidget(stopButton_);
  layout->addLayout(methodsRow);

  status_ = new QLabel(this);
  status_->setObjectName("benchmarkStatus");
  layout->addWidget(status_);

  table_ = new QTableWidget(0, 8, this);
  table_->setObjectName("benchmarkTable");
  table_->setHorizontalHeaderLabels({tr("method"), tr("stage"), tr("level"), tr("params"), tr("ln(val err)"),
                                     tr("encoding size"), tr("steps"), tr("seconds")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);

  paramsView_ = new BenchmarkPlotView(BenchmarkPlot::XAxis::Parameters, this);
  paramsView_->setObjectName("benchmarkParamsPlot");
  encodingView_ = new BenchmarkPlotView(BenchmarkPlot::XAxis::EncodingSize, this);
  encodingView_->setObjectName("benchmarkEncodingPlot");
  auto* plots = new QSplitter(Qt::Horizontal, this);
  plots->addWidget(paramsView_);
  plots->addWidget(encodingView_);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(table_);
  split->addWidget(plots);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  auto* exportRow = new QHBoxLayout;
  exportRow->addStretch(1);
  exportRow->addWidget(new QLabel(tr("Figure size (px):"), this));
  exportWidth_ = new QSpinBox(this);
  exportWidth_->setObjectName("exportWidth");
  exportHeight_ = new QSpinBox(this);
  exportHeight_->setObjectName("exportHeight");
  for (QSpinBox* s : {exportWidth_, exportHeight_})
  {
    s->setRange(200, 8000);
    s->setSingleStep(100);
    exportRow->addWidget(s);
  }
  exportWidth_->setValue(1200);
  exportHeight_->setValue(900);
  exportButton_ = new QPushButton(tr("Export…"), this);
  exportButton_->setObjectName("benchmarkExport");
  exportButton_->setToolTip(tr("Writes params.png, encoding.png and benchmark.csv into a folder."));
  exportRow->addWidget(exportButton_);
  layout->addLayout(exportRow);

  connect(runButton_, &QPushButton::clicked, this, [this] {
    const QStringList methods = selectedMethods();
    if (!methods.isEmpty())
    {
      Q_EMIT runRequested(methods);
    }
  });
  connect(stopButton_, &QPushButton::clicked, this, &BenchmarkPanel::stopRequested);
  connect(exportButton_, &QPushButton::clicked, this, &BenchmarkPanel::exportRequested);
  for (QCheckBox* box : methodBoxes_)
  {
    connect(box, &QCheckBox::toggled, this, &BenchmarkPanel::updateButtons);
  }
  updateButtons();
}

QStringList BenchmarkPanel::methodKeys()
{
  return {QStringLiteral("pr"), QStringLiteral("relu"), QStringLiteral("rednet"), QStringLiteral("rednet-relu")};
}

QString BenchmarkPanel::methodName(const QString& key)
{
  if (key == QLatin1String("pr"))
  {
    return QStringLiteral("MrCAE (PR)");
  }
  if (key == QLatin1String("relu"))
  {
    return QStringLiteral("MrCAE + ReLU");
  }
  if (key == QLatin1String("rednet"))
  {
    return QStringLiteral("RED-Net (linear)");
  }
  if (key == QLatin1String("rednet-relu"))
  {
    return QStringLiteral("RED-Net + ReLU");
  }
  return key;
}

QStringList BenchmarkPanel::selectedMethods() const
{
  QStringList keys;
  for (size_t i = 0; i < methodBoxes_.size(); ++i)
  {
    if (methodBoxes_[i]->isChecked())
    {
      keys << methodKeys().at(static_cast<int>(i));
    }
  }
  return keys;
}

void BenchmarkPanel::setSelectedMethods(const QStringList& keys)
{
  for (size_t i = 0; i < methodBoxes_.size(); ++i)
  {
    methodBoxes_[i]->setChecked(keys.contains(methodKeys().at(static_cast<int>(i))));
  }
}

QCheckBox* BenchmarkPanel::methodBox(const QString& key) const
{
  const int i = methodKeys().indexOf(key);
  return i < 0 ? nullptr : methodBoxes_[static_cast<size_t>(i)];
}

void BenchmarkPanel::setRunning(bool running)
{
  running_ = running;
  updateButtons();
}

void BenchmarkPanel::setCanRun(bool can, const QString& reason)
{
  canRun_ = can;
  cannotRunReason_ = reason;
  updateButtons();
}

void BenchmarkPanel::setStatus(const QString& text)
{
  status_->setText(text);
}

void BenchmarkPanel::updateButtons()
{
  const bool any = !selectedMethods().isEmpty();
  runButton_->setEnabled(!running_ && canRun_ && any);
  if (!canRun_ && !running_)
  {
    status_->setText(cannotRunReason_);
  }
  stopButton_->setEnabled(running_);
  for (QCheckBox* box : methodBoxes_)
  {
    box->setEnabled(!running_);
  }
  exportButton_->setEnabled(!results_.empty());
}

void BenchmarkPanel::clearResults()
{
  results_.clear();
  table_->setRowCount(0);
  paramsView_->setSeries({});
  encodingView_->setSeries({});
  updateButtons();
}

void BenchmarkPanel::addStage(const QString& method, const mrcae::StageRecord& record)
{
  auto it =
      std::find_if(results_.begin(), results_.end(), [&](const BenchmarkSeries& s) { return s.method == method; });
  if (it == results_.end())
  {
    results_.push_back({method, {}});
    it = results_.end() - 1;
  }
  it->stages.push_back(record);

  const int row = table_->rowCount();
  table_->insertRow(row);
  const QStringList cells = {method,
                             QString::number(record.stage),
                             QString::number(record.level),
                             QString::number(record.params),
                             QString::number(std::log(record.bestGlobalVal), 'f', 3),
                             QString::number(record.encodingSize),
                             QString::number(record.steps),
                             QString::number(record.seconds, 'f', 1)};
  for (int c = 0; c < cells.size(); ++c)
  {
    auto* item = new QTableWidgetItem(cells[c]);
    if (c > 0)
    {
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    table_->setItem(row, c, item);
  }
  table_->scrollToBottom();
  paramsView_->setSeries(results_);
  encodingView_->setSeries(results_);
  updateButtons();
}

QSize BenchmarkPanel::exportSize() const
{
  return {exportWidth_->value(), exportHeight_->value()};
}

void BenchmarkPanel::setExportSize(const QSize& size)
{
  exportWidth_->setValue(size.width());
  exportHeight_->setValue(size.height());
}

QString BenchmarkPanel::csv() const
{
  QString text;
  QTextStream out(&text);
  out << "method,stage,level,params,best_global_val,ln_best_global_val,encoding_size,steps,stop_reason,seconds\n";
  for (const auto& series : results_)
  {
    for (const auto& s : series.stages)
    {
      out << '"' << series.method << '"' << ',' << s.stage << ',' << s.level << ',' << s.params << ','
          << QString::number(s.bestGlobalVal, 'g', 8) << ',' << QString::number(std::log(s.bestGlobalVal), 'g', 8)
          << ',' << s.encodingSize << ',' << s.steps << ',' << stopReasonText(s.stopReason) << ','
          << QString::number(s.seconds, 'g', 6) << '\n';
    }
  }
  return text;
}

QString BenchmarkPanel::exportTo(const QString& folder, const QSize& size) const
{
  if (!QDir().mkpath(folder))
  {
    return tr("The folder %1 cannot be created.").arg(folder);
  }
  const QDir dir(folder);
  BenchmarkPlot params(BenchmarkPlot::XAxis::Parameters);
  params.setSeries(results_);
  BenchmarkPlot encoding(BenchmarkPlot::XAxis::EncodingSize);
  encoding.setSeries(results_);
  for (const auto& [plot, name] :
       {std::pair{&params, QStringLiteral("params.png")}, std::pair{&encoding, QStringLiteral("encoding.png")}})
  {
    if (!plot->savePng(dir.filePath(name), size))
    {
      return tr("%1 could not be written.").arg(dir.filePath(name));
    }
  }
  QFile file(dir.filePath(QStringLiteral("benchmark.csv")));
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) || file.write(csv().toUtf8()) < 0)
  {
    return tr("%1 could not be written.").arg(file.fileName());
  }
  return QString();
}

} // namespace mrcae::widgets
