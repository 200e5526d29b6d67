#include "ArchitecturePanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace mrcae::widgets
{

namespace
{

QTableWidgetItem* item(const QString& text, bool rightAlign = true)
{
  auto* it = new QTableWidgetItem(text);
  it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  if (rightAlign)
  {
    it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  }
  return it;
}

} // namespace

ArchitecturePanel::ArchitecturePanel(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  summary_ = new QLabel(this);
  summary_->setObjectName("architectureSummary");
  summary_->setWordWrap(true);
  // Room for two lines from the start, so that a longer summary does not relayout the window.
  summary_->setMinimumHeight(2 * summary_->fontMetrics().lineSpacing());
  layout->addWidget(summary_);
  groups_ = new QTableWidget(this);
  groups_->setObjectName("groupTable");
  groups_->setToolTip(tr("Channels of each group (group 0: deepen, then one per widening); "
                         "a green level is clear: every code pixel resolved"));
  groups_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  // Wide enough for "L3 ✓" at once: a header that widens when a level clears relayouts the table.
  groups_->verticalHeader()->setMinimumWidth(groups_->fontMetrics().horizontalAdvance("L00 ✓  "));
  groups_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  groups_->setMaximumHeight(150);
  layout->addWidget(groups_);
  stages_ = new QTableWidget(this);
  stages_->setObjectName("stageTable");
  const QStringList headers = {tr("Level"),   tr("Group"),    tr("Op"),     tr("+Ch"),          tr("Params"),
                               tr("Steps"),   tr("Best"),     tr("Stop"),   tr("Best val err"), tr("Unresolved"),
                               tr("Refined"), tr("Encoding"), tr("Seconds")};
  stages_->setColumnCount(headers.size());
  stages_->setHorizontalHeaderLabels(headers);
  stages_->verticalHeader()->setVisible(false);
  stages_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  stages_->setAlternatingRowColors(true);
  layout->addWidget(stages_, 1);
  clear();
}

void ArchitecturePanel::clear()
{
  params_ = 0;
  encodingSize_ = 0;
  records_.clear();
  groups_->clear();
  groups_->setRowCount(0);
  groups_->setColumnCount(0);
  stages_->setRowCount(0);
  updateSummary();
}

void ArchitecturePanel::setArchitecture(const std::vector<std::vector<int>>& groupChannels,
                                        const std::vector<bool>& levelClear, long long params)
{
  params_ = params;
  int columns = 0;
  for (const auto& level : groupChannels)
  {
    columns = std::max(columns, static_cast<int>(level.size()));
  }
  // Items are replaced in place and the shape changes only when it must: rebuilding the table on every stage would
  // relayout the dock, and with it the whole window, each time.
  if (groups_->rowCount() != static_cast<int>(groupChannels.size()) || groups_->columnCount() != columns)
  {
    groups_->clearContents();
    groups_->setRowCount(static_cast<int>(groupChannels.size()));
    groups_->setColumnCount(columns);
  }
  QStringList rowNames;
  QStringList columnNames;
  for (int g = 0; g < columns; ++g)
  {
    columnNames << tr("g%1").arg(g);
  }
  for (int k = 0; k < static_cast<int>(groupChannels.size()); ++k)
  {
    const bool clear = k < static_cast<int>(levelClear.size()) && levelClear[k];
    rowNames << (clear ? tr("L%1 ✓").arg(k) : tr("L%1").arg(k));
    for (int g = 0; g < columns; ++g)
    {
      if (g >= static_cast<int>(groupChannels[k].size()))
      {
        delete groups_->takeItem(k, g);
        continue;
      }
      QTableWidgetItem* it = item(tr("%1 ch").arg(groupChannels[k][g]));
      if (clear)
      {
        it->setBackground(QColor(200, 235, 200));
      }
      groups_->setItem(k, g, it);
    }
  }
  groups_->setVerticalHeaderLabels(rowNames);
  groups_->setHorizontalHeaderLabels(columnNames);
  updateSummary();
}

void ArchitecturePanel::addStage(const mrcae::StageRecord& r)
{
  // A stage that was stopped and then continued comes again with the same index: its row is replaced.
  const auto same = std::find_if(records_.begin(), records_.end(), [&](const auto& x) { return x.stage == r.stage; });
  int row = stages_->rowCount();
  if (same != records_.end())
  {
    row = static_cast<int>(same - records_.begin());
    *same = r;
  }
  else
  {
    records_.push_back(r);
    stages_->insertRow(row);
  }
  encodingSize_ = r.encodingSize;
  if (r.params > 0)
  {
    params_ = r.params;
  }
  stages_->setItem(row, 0, item(QString::number(r.level)));
  stages_->setItem(row, 1, item(QString::number(r.group)));
  stages_->setItem(row, 2, item(QString::fromStdString(mrcae::displayName(r.op)), false));
  stages_->setItem(row, 3, item(QString::number(r.addedChannels)));
  stages_->setItem(row, 4, item(QString::number(r.params)));
  stages_->setItem(row, 5, item(QString::number(r.steps)));
  stages_->setItem(row, 6, item(r.bestStep > 0 ? QString::number(r.bestStep) : tr("last")));
  auto* stop = item(QString::fromStdString(mrcae::displayName(r.stopReason)), false);
  if (r.stopReason == mrcae::StopReason::Diverged)
  {
    stop->setForeground(QColor(176, 0, 32));
  }
  stages_->setItem(row, 7, stop);
  stages_->setItem(row, 8, item(QString::number(r.bestGlobalVal, 'e', 3)));
  stages_->setItem(row, 9, item(r.unresolved >= 0 ? tr("%1 / %2").arg(r.unresolved).arg(r.mapPixels) : tr("—")));
  stages_->setItem(row, 10, item(r.dilated >= 0 ? QString::number(r.dilated) : tr("—")));
  // The paper's cumulative size of the encoding after this stage (SPEC §7.3).
  stages_->setItem(row, 11, item(QString::number(r.encodingSize)));
  stages_->setItem(row, 12, item(QString::number(r.seconds, 'f', 1)));
  stages_->scrollToBottom();
  updateSummary();
}

void ArchitecturePanel::setStages(const std::vector<mrcae::StageRecord>& records)
{
  records_.clear();
  stages_->setRowCount(0);
  for (const auto& r : records)
  {
    addStage(r);
  }
}

int ArchitecturePanel::stageCount() const
{
  return static_cast<int>(records_.size());
}

int ArchitecturePanel::unresolvedAfter(int level) const
{
  for (auto it = records_.rbegin(); it != records_.rend(); ++it)
  {
    if (it->level == level)
    {
      return it->unresolved;
    }
  }
  return -1;
}

QString ArchitecturePanel::summaryText() const
{
  return summary_->text();
}

void ArchitecturePanel::updateSummary()
{
  if (params_ == 0 && records_.empty())
  {
    summary_->setText(tr("No model yet: press Train."));
    return;
  }
  summary_->setText(tr("Parameters: %1   ·   encoding size: %2   ·   stages: %3")
                        .arg(params_)
                        .arg(encodingSize_)
                        .arg(records_.size()));
}

} // namespace mrcae::widgets
