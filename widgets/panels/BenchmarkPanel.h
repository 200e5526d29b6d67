#pragma once
// The Benchmark tab: which methods to compare, Run / Stop, the table of finished stages (one row per stage and
// method) and the paper's two figures, updated as stages finish, and the export of both figures and the table.
// It knows nothing of the engine's threads: the window feeds it StageRecords and reacts to its signals.

#include "BenchmarkPlot.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace mrcae::widgets
{

class BenchmarkPlotView;

class BenchmarkPanel : public QWidget
{
  Q_OBJECT

public:
  explicit BenchmarkPanel(QWidget* parent = nullptr);

  /// The methods' keys as the command line spells them: pr, relu, rednet, rednet-relu.
  static QStringList methodKeys();
  /// The name a method has in tables and legends ("MrCAE (PR)", …); the command line uses the same names.
  static QString methodName(const QString& key);

  QStringList selectedMethods() const;
  void setSelectedMethods(const QStringList& keys);
  QCheckBox* methodBox(const QString& key) const;

  /// Running: Run and the method boxes are disabled, Stop enabled.
  void setRunning(bool running);
  /// Run is disabled with `reason` as its tooltip (no dataset, training running, …).
  void setCanRun(bool can, const QString& reason = QString());
  void setStatus(const QString& text);

  /// Forgets the table and the figures (a new benchmark starts).
  void clearResults();
  /// One finished stage of `method`: a table row and a point on both figures.
  void addStage(const QString& method, const mrcae::StageRecord& record);
  const std::vector<BenchmarkSeries>& results() const { return results_; }
  QTableWidget* table() const { return table_; }
  BenchmarkPlotView* parametersView() const { return paramsView_; }
  BenchmarkPlotView* encodingView() const { return encodingView_; }

  QSize exportSize() const;
  void setExportSize(const QSize& size);
  /// The table as CSV, with the columns of `mrcae benchmark`'s benchmark.csv.
  QString csv() const;
  /// Writes params.png and encoding.png of `size` and benchmark.csv into `folder`. Returns what went wrong, or
  /// an empty string.
  QString exportTo(const QString& folder, const QSize& size) const;

Q_SIGNALS:
  void runRequested(const QStringList& methods);
  void stopRequested();
  /// Export pressed: the window asks for a folder and calls exportTo().
  void exportRequested();

private:
  void updateButtons();

  std::vector<QCheckBox*> methodBoxes_;
  QPushButton* runButton_ = nullptr;
  QPushButton* stopButton_ = nullptr;
  QPushButton* exportButton_ = nullptr;
  QSpinBox* exportWidth_ = nullptr;
  QSpinBox* exportHeight_ = nullptr;
  QLabel* status_ = nullptr;
  QTableWidget* table_ = nullptr;
  BenchmarkPlotView* paramsView_ = nullptr;
  BenchmarkPlotView* encodingView_ = nullptr;
  std::vector<BenchmarkSeries> results_;
  bool running_ = false;
  bool canRun_ = true;
  QString cannotRunReason_;
};

} // namespace mrcae::widgets
