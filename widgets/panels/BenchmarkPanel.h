#pragma once
// The Benchmark tab: which methods to compare, Run / Stop, the table of finished stages and compressor settings
// (the rows BenchmarkTable::rowTexts gives `mrcae benchmark` too, plus seconds), the paper's two figures and the
// error-versus-bytes figure with every method, updated as results arrive, and the export of the figures and the
// table.
// It knows nothing of the engine's threads: the window feeds it StageRecords and reacts to its signals.

#include "BenchmarkPlot.h"

#include "mrcae/model/BenchmarkTable.h"
#include "mrcae/model/Names.h"

#include <QString>
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
class ErrorBytesView;

class BenchmarkPanel : public QWidget
{
  Q_OBJECT

public:
  explicit BenchmarkPanel(QWidget* parent = nullptr);

  /// The name a method has in the table, the legends and the files ("MrCAE (PR)", …): Names.h's display name.
  static QString methodName(mrcae::Method method);

  std::vector<mrcae::Method> selectedMethods() const;
  void setSelectedMethods(const std::vector<mrcae::Method>& methods);
  QCheckBox* methodBox(mrcae::Method method) const;

  /// Running: Run and the method boxes are disabled, Stop enabled.
  void setRunning(bool running);
  /// Run is disabled with `reason` as its tooltip (no dataset, training running, …).
  /// The reason shows in the status line too, and goes from there once it can run again.
  void setCanRun(bool can, const QString& reason = QString());
  void setStatus(const QString& text);
  QString status() const;

  /// Forgets the table and the figures (a new benchmark starts).
  void clearResults();
  /// One finished stage of `method`: a table row and a point on both figures.
  void addStage(mrcae::Method method, const mrcae::StageRecord& record);
  /// One setting of a compressor (POD, ZFP): a table row and a point on the error-versus-bytes figure.
  void addSetting(mrcae::Method method, const mrcae::CompressionResult& result);
  /// The data benchmarked: the error-versus-bytes figure shares once-stored bytes among its `snapshots` and
  /// draws its raw float32 snapshot (`rawSnapshotBytes`) as a reference line.
  void setDataSize(int snapshots, double rawSnapshotBytes);
  /// A method's run ended after `seconds` (written to benchmark.json).
  void setMethodSeconds(mrcae::Method method, double seconds);
  const mrcae::BenchmarkTable& results() const { return results_; }
  QTableWidget* table() const { return table_; }
  BenchmarkPlotView* parametersView() const { return paramsView_; }
  BenchmarkPlotView* encodingView() const { return encodingView_; }
  ErrorBytesView* errorBytesView() const { return errorBytesView_; }

  QSize exportSize() const;
  void setExportSize(const QSize& size);
  /// Writes params.png, encoding.png and errorbytes.png of `size` and the table's files (BenchmarkTable: benchmark.csv,
  /// benchmark_timing.csv, benchmark.json, as `mrcae benchmark` writes them) into `folder`. Returns what went
  /// wrong, or an empty string.
  QString exportTo(const QString& folder, const QSize& size) const;

Q_SIGNALS:
  void runRequested(const std::vector<mrcae::Method>& methods);
  void stopRequested();
  /// Export pressed: the window asks for a folder and calls exportTo().
  void exportRequested();

private:
  void updateButtons();
  std::vector<BenchmarkSeries> series() const;
  /// Rebuilds the table widget and the figures from results_.
  void showResults();

  std::vector<std::pair<mrcae::Method, QCheckBox*>> methodBoxes_;
  QPushButton* runButton_ = nullptr;
  QPushButton* stopButton_ = nullptr;
  QPushButton* exportButton_ = nullptr;
  QSpinBox* exportWidth_ = nullptr;
  QSpinBox* exportHeight_ = nullptr;
  QLabel* status_ = nullptr;
  QTableWidget* table_ = nullptr;
  BenchmarkPlotView* paramsView_ = nullptr;
  BenchmarkPlotView* encodingView_ = nullptr;
  ErrorBytesView* errorBytesView_ = nullptr;
  int snapshots_ = 1;
  double rawSnapshotBytes_ = 0;
  mrcae::BenchmarkTable results_;
  bool running_ = false;
  bool canRun_ = true;
  QString cannotRunReason_;
};

} // namespace mrcae::widgets
