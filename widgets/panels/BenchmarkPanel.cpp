#include "BenchmarkPanel.h"
#include "BenchmarkFigures.h"
#include "BenchmarkPlotView.h"
#include "ErrorBytesView.h"

#include "mrcae/model/BenchmarkProtocol.h"

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
#include <QVBoxLayout>

#include <algorithm>

namespace mrcae::widgets
{

BenchmarkPanel::BenchmarkPanel(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);

  // Two rows of method boxes: one row of four would set the window's minimum width.
  auto* methodsRow = new QHBoxLayout;
  auto* methodGrid = new QGridLayout;
  const auto ticked = mrcae::BenchmarkProtocol::defaultMethods();
  for (mrcae::Method method : mrcae::allValues<mrcae::Method>())
  {
    auto* box = new QCheckBox(methodName(method), this);
    box->setObjectName(QStringLiteral("method_") + QString::fromStdString(mrcae::token(method)).replace('-', '_'));
    box->setChecked(std::find(ticked.begin(), ticked.end(), method) != ticked.end());
    const int i = static_cast<int>(methodBoxes_.size());
    methodGrid->addWidget(box, i % 2, i / 2);
    methodBoxes_.push_back({method, box});
  }
  methodsRow->addLayout(methodGrid);
  methodsRow->addStretch(1);
  runButton_ = new QPushButton(tr("Run"), this);
  runButton_->setObjectName("benchmarkRun");
  runButton_->setToolTip(tr("Trains each chosen method in turn with the Training panel's settings on the current "
                            "dataset. MrCAE (PR) runs first: the baselines use the architecture it reaches, and "
                            "POD and ZFP are set to take per snapshot what its codes take at each stage."));
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

  // The columns `mrcae benchmark` prints, then the seconds of each stage.
  QStringList titles;
  for (const auto& title : mrcae::BenchmarkTable::columnTitles())
  {
    titles << QString::fromStdString(title);
  }
  titles << tr("seconds");
  table_ = new QTableWidget(0, static_cast<int>(titles.size()), this);
  table_->setObjectName("benchmarkTable");
  table_->setHorizontalHeaderLabels(titles);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);

  paramsView_ = new BenchmarkPlotView(BenchmarkPlot::XAxis::Parameters, this);
  paramsView_->setObjectName("benchmarkParamsPlot");
  encodingView_ = new BenchmarkPlotView(BenchmarkPlot::XAxis::EncodingSize, this);
  encodingView_->setObjectName("benchmarkEncodingPlot");
  errorBytesView_ = new ErrorBytesView(this);
  errorBytesView_->setObjectName("benchmarkErrorBytesPlot");
  auto* plots = new QSplitter(Qt::Horizontal, this);
  plots->addWidget(paramsView_);
  plots->addWidget(encodingView_);
  plots->addWidget(errorBytesView_);
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
  exportButton_->setToolTip(
      tr("Writes params.png, encoding.png, errorbytes.png and the table (benchmark.csv, …) into a folder."));
  exportRow->addWidget(exportButton_);
  layout->addLayout(exportRow);

  connect(runButton_, &QPushButton::clicked, this, [this] {
    const auto methods = selectedMethods();
    if (!methods.empty())
    {
      Q_EMIT runRequested(methods);
    }
  });
  connect(stopButton_, &QPushButton::clicked, this, &BenchmarkPanel::stopRequested);
  connect(exportButton_, &QPushButton::clicked, this, &BenchmarkPanel::exportRequested);
  for (const auto& entry : methodBoxes_)
  {
    connect(entry.second, &QCheckBox::toggled, this, &BenchmarkPanel::updateButtons);
  }
  updateButtons();
}

QString BenchmarkPanel::methodName(mrcae::Method method)
{
  return QString::fromStdString(mrcae::displayName(method));
}

std::vector<mrcae::Method> BenchmarkPanel::selectedMethods() const
{
  std::vector<mrcae::Method> methods;
  for (const auto& [method, box] : methodBoxes_)
  {
    if (box->isChecked())
    {
      methods.push_back(method);
    }
  }
  return methods;
}

void BenchmarkPanel::setSelectedMethods(const std::vector<mrcae::Method>& methods)
{
  for (const auto& [method, box] : methodBoxes_)
  {
    box->setChecked(std::find(methods.begin(), methods.end(), method) != methods.end());
  }
}

QCheckBox* BenchmarkPanel::methodBox(mrcae::Method method) const
{
  for (const auto& [m, box] : methodBoxes_)
  {
    if (m == method)
    {
      return box;
    }
  }
  return nullptr;
}

void BenchmarkPanel::setRunning(bool running)
{
  running_ = running;
  updateButtons();
}

void BenchmarkPanel::setCanRun(bool can, const QString& reason)
{
  // "Training is running…" must not stay once training ended; a status the benchmark wrote itself stays.
  if (can && !canRun_ && status_->text() == cannotRunReason_)
  {
    status_->clear();
  }
  canRun_ = can;
  cannotRunReason_ = reason;
  updateButtons();
}

void BenchmarkPanel::setStatus(const QString& text)
{
  status_->setText(text);
}

QString BenchmarkPanel::status() const
{
  return status_->text();
}

void BenchmarkPanel::updateButtons()
{
  const bool any = !selectedMethods().empty();
  runButton_->setEnabled(!running_ && canRun_ && any);
  if (!canRun_ && !running_)
  {
    status_->setText(cannotRunReason_);
  }
  stopButton_->setEnabled(running_);
  for (const auto& entry : methodBoxes_)
  {
    entry.second->setEnabled(!running_);
  }
  exportButton_->setEnabled(!results_.empty());
}

void BenchmarkPanel::clearResults()
{
  results_.clear();
  table_->setRowCount(0);
  paramsView_->setSeries({});
  encodingView_->setSeries({});
  errorBytesView_->setSeries({});
  updateButtons();
}

std::vector<BenchmarkSeries> BenchmarkPanel::series() const
{
  std::vector<BenchmarkSeries> out;
  for (const auto& run : results_.runs())
  {
    if (!run.stages.empty()) // compressors have settings, not stages: they are on the error-versus-bytes figure
    {
      out.push_back({methodName(run.method), run.stages});
    }
  }
  return out;
}

void BenchmarkPanel::addStage(mrcae::Method method, const mrcae::StageRecord& record)
{
  results_.addStage(method, record);
  showResults();
}

void BenchmarkPanel::addSetting(mrcae::Method method, const mrcae::CompressionResult& result)
{
  results_.addSetting(method, result);
  showResults();
}

void BenchmarkPanel::setDataSize(int snapshots, double rawSnapshotBytes)
{
  snapshots_ = snapshots;
  rawSnapshotBytes_ = rawSnapshotBytes;
  errorBytesView_->setRawBytes(rawSnapshotBytes);
  showResults();
}

void BenchmarkPanel::showResults()
{
  // The seconds column: each trained stage's, nothing for a compressor setting (rowTexts' order).
  QStringList seconds;
  for (const auto& run : results_.runs())
  {
    for (const auto& s : run.stages)
    {
      seconds << QString::number(s.seconds, 'f', 1);
    }
    for (size_t i = 0; i < run.settings.size(); ++i)
    {
      seconds << QString();
    }
  }
  const auto rows = results_.rowTexts();
  table_->setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r)
  {
    QStringList cells;
    for (const auto& cell : rows[r].cells)
    {
      cells << QString::fromStdString(cell);
    }
    cells << seconds.value(r);
    for (int c = 0; c < cells.size(); ++c)
    {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c > 0)
      {
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      }
      table_->setItem(r, c, item);
    }
  }
  table_->scrollToBottom();
  paramsView_->setSeries(series());
  encodingView_->setSeries(series());
  errorBytesView_->setSeries(ErrorBytesPlot::seriesOf(results_, snapshots_));
  updateButtons();
}

void BenchmarkPanel::setMethodSeconds(mrcae::Method method, double seconds)
{
  results_.setSeconds(method, seconds);
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

QString BenchmarkPanel::exportTo(const QString& folder, const QSize& size) const
{
  if (!QDir().mkpath(folder))
  {
    return tr("The folder %1 cannot be created.").arg(folder);
  }
  try
  {
    writeBenchmarkFigures(folder, results_, snapshots_, rawSnapshotBytes_, size);
    results_.writeFiles(QFile::encodeName(folder).toStdString());
  }
  catch (const std::exception& e)
  {
    return QString::fromStdString(e.what());
  }
  return QString();
}

} // namespace mrcae::widgets
