// The Benchmark tab on a tiny configuration (toy1 with 24 snapshots, steps 2,2,1): Run MrCAE (PR) and RED-Net,
// rows for both appear as the engine reports them, training is disabled meanwhile, Stop ends the running
// method and keeps what finished, and Export writes the figures at the asked size with the table. The same
// benchmark of every method (MrCAE, RED-Net, POD, ZFP) from the tab and from `mrcae benchmark` gives the same
// benchmark.csv, byte for byte, and the same table rows.

#include "BenchmarkPanel.h"
#include "BenchmarkPlotView.h"
#include "ErrorBytesView.h"
#include "TrainingPanel.h"

#include "ApplicationSetup.h"
#include "BenchmarkController.h"
#include "ErrorReporter.h"
#include "MainWindow.h"
#include "Settings.h"

#include "mrcae/engine/Trainer.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/ToyData.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using mrcae::app::BenchmarkController;
using mrcae::app::MainWindow;
using mrcae::widgets::BenchmarkPanel;

namespace
{

constexpr int kSnapshots = 24;

mrcae::TrainingConfig tinyConfig(MainWindow& w, const std::vector<int>& steps)
{
  w.trainingPanel()->selectPreset("toy1");
  mrcae::TrainingConfig c = w.trainingPanel()->config();
  c.steps = steps;
  c.threads = 1; // one core for the engine, one for the window
  c.device = "cpu";
  return c;
}

/// Column `column` of the table rows whose method is `method`.
QStringList column(const QTableWidget* table, const QString& method, int column)
{
  QStringList values;
  for (int r = 0; r < table->rowCount(); ++r)
  {
    if (table->item(r, 0)->text() == method)
    {
      values << table->item(r, column)->text();
    }
  }
  return values;
}

} // namespace

class TestBenchmarkTab : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(temp_.isValid());
    window_ = std::make_unique<MainWindow>();
    window_->setAskToSaveOnClose(false);
    window_->resize(1280, 860);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QVERIFY(window_->generateToy("toy1", kSnapshots));
    window_->errorReporter()->setInterceptor(
        [](const QString& title, const QString& text) { QFAIL(qPrintable(title + ": " + text)); });
  }

  void runsTwoMethodsAndShowsTheirStages()
  {
    MainWindow& w = *window_;
    const mrcae::TrainingConfig config = tinyConfig(w, {2, 2, 1});
    w.trainingPanel()->setConfig(config);
    QVERIFY2(w.trainingPanel()->configError().isEmpty(), qPrintable(w.trainingPanel()->configError()));
    BenchmarkPanel* panel = w.benchmarkPanel();
    w.viewTabs()->setCurrentWidget(panel);
    panel->setSelectedMethods({mrcae::Method::MrcaePr, mrcae::Method::RedNet});

    QSignalSpy finished(w.benchmarkController(), &BenchmarkController::finished);
    QSignalSpy stages(w.benchmarkController(), &BenchmarkController::stageFinished);
    auto* run = panel->findChild<QPushButton*>("benchmarkRun");
    auto* train = w.trainingPanel()->findChild<QPushButton*>("trainButton");
    QVERIFY(run && run->isEnabled());
    QVERIFY(train && train->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
    QVERIFY(w.benchmarkController()->isBusy());
    QVERIFY(!run->isEnabled());
    QVERIFY2(!train->isEnabled(), "training must wait for the benchmark");
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 240000);
    QVERIFY(run->isEnabled());
    QVERIFY(train->isEnabled());

    // The engine's own MrCAE (PR) run on the same data and settings: the tab shows the same stages.
    mrcae::Trainer reference(*w.dataset(), config);
    reference.run();
    QStringList expectedParams;
    for (const auto& s : reference.stages())
    {
      expectedParams << QString::number(s.params);
    }
    const QStringList prParams = column(panel->table(), "MrCAE (PR)", 3);
    QCOMPARE(prParams, expectedParams);
    QVERIFY(prParams.size() >= 2);
    QCOMPARE(prParams.at(0), QString("20"));
    QCOMPARE(prParams.at(1), QString("40"));
    const QStringList redParams = column(panel->table(), "RED-Net (linear)", 3);
    QVERIFY(!redParams.isEmpty());
    QVERIFY(column(panel->table(), "MrCAE + ReLU", 3).isEmpty()); // not asked for
    QCOMPARE(panel->table()->rowCount(), stages.count());
    QCOMPARE(panel->results().runs().size(), size_t(2));
    QCOMPARE(panel->parametersView()->plot().series().size(), size_t(2));

    const QImage screenshot = w.grab().toImage();
    screenshot.save(QStringLiteral(TEST_OUTPUT_DIR "/benchmark_tab.png"));
  }

  void exportWritesFiguresOfTheAskedSize()
  {
    MainWindow& w = *window_;
    const QString folder = temp_.filePath("export");
    QVERIFY(w.exportBenchmark(folder, QSize(900, 650)));
    for (const char* name : {"params.png", "encoding.png", "errorbytes.png"})
    {
      const QImage image(QDir(folder).filePath(name));
      QVERIFY2(!image.isNull(), name);
      QCOMPARE(image.size(), QSize(900, 650));
    }
    QFile csv(QDir(folder).filePath("benchmark.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + w.benchmarkPanel()->table()->rowCount());
    QVERIFY(lines.at(1).startsWith("\"MrCAE (PR)\",0,0,20,"));
  }

  void tabAndCommandLineWriteTheSameTable()
  {
    // One file for both: the tab opens it as a user would, `mrcae benchmark` reads it.
    MainWindow& w = *window_;
    const mrcae::Dataset toy = mrcae::generateToy("toy1", kSnapshots, 127);
    const QString data = temp_.filePath("toy1.npy");
    mrcae::writeNpy(data.toStdString(), {toy.field.t, toy.field.h, toy.field.w}, toy.field.data);
    QVERIFY(w.openDataset(data));
    w.trainingPanel()->setConfig(tinyConfig(w, {2, 2, 1}));
    BenchmarkPanel* panel = w.benchmarkPanel();
    panel->setSelectedMethods({mrcae::Method::MrcaePr, mrcae::Method::MrcaeRelu, mrcae::Method::RedNet,
                               mrcae::Method::Pod, mrcae::Method::ZfpAccuracy, mrcae::Method::ZfpRate});
    QSignalSpy finished(w.benchmarkController(), &BenchmarkController::finished);
    QTest::mouseClick(panel->findChild<QPushButton*>("benchmarkRun"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 240000);
    const QString fromTab = temp_.filePath("from-tab");
    QVERIFY(w.exportBenchmark(fromTab, QSize(400, 300)));

    const QString fromCli = temp_.filePath("from-cli");
    QProcess cli;
    cli.start(MRCAE_BIN, {"benchmark", data, "--preset", "toy1", "--steps", "2,2,1", "--threads", "1", "--methods",
                          "pr,relu,rednet,pod,zfp", "--quiet", "-o", fromCli});
    QVERIFY(cli.waitForFinished(240000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    const QStringList cliOut = QString::fromUtf8(cli.readAllStandardOutput()).split('\n');

    auto read = [](const QString& path) {
      QFile f(path);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray tabCsv = read(QDir(fromTab).filePath("benchmark.csv"));
    const QByteArray cliCsv = read(QDir(fromCli).filePath("benchmark.csv"));
    // Six methods; every error written exactly (no rounding hides a difference), the clock kept out of this file.
    QVERIFY(tabCsv.contains("\"MrCAE + ReLU\",0,0,20,"));
    QVERIFY(!tabCsv.contains("seconds"));
    QCOMPARE(tabCsv, cliCsv);

    // Each compressor has one row per stage of MrCAE (PR), matched to it: its stage and level, and at most the
    // bytes PR's codes take per snapshot then (4 per code value); POD takes exactly that unless it ran out of
    // modes (fewer than its training snapshots): its rank is min(PR's code values, the modes there are).
    const QStringList lines = QString::fromUtf8(tabCsv).trimmed().split('\n');
    QCOMPARE(lines.at(0), QString("method,stage,level,params,best_global_val,ln_best_global_val,encoding_size,steps,"
                                  "stop_reason,once_bytes,bytes_per_snapshot,setting"));
    auto rowsOf = [&](const QString& method) {
      QList<QStringList> rows;
      for (const QString& line : lines)
      {
        if (line.startsWith('"' + method + "\","))
        {
          rows << line.mid(method.size() + 3).split(',');
        }
      }
      return rows;
    };
    const auto pr = rowsOf("MrCAE (PR)");
    QVERIFY(pr.size() >= 2);
    long long modes = 0; // the largest rank POD used: the modes there are, when some stage asked for more
    for (const auto& row : rowsOf("POD"))
    {
      modes = std::max(modes, row.at(9).toLongLong() / 4);
    }
    QVERIFY(modes >= 1 && modes < kSnapshots);
    for (const QString& method : {"POD", "ZFP (fixed accuracy)", "ZFP (fixed rate)"})
    {
      const auto rows = rowsOf(method);
      QCOMPARE(rows.size(), pr.size());
      for (int i = 0; i < rows.size(); ++i)
      {
        // columns after the method: 0 stage, 1 level, 3 best_global_val, 9 bytes_per_snapshot
        QCOMPARE(rows[i].at(0), pr[i].at(0));
        QCOMPARE(rows[i].at(1), pr[i].at(1));
        if (rows[i].at(9).isEmpty())
        {
          QVERIFY2(method != QString("POD"), "POD always has a rank of at least 1");
          continue;
        }
        QVERIFY(rows[i].at(9).toDouble() <= pr[i].at(9).toDouble());
        bool isNumber = false;
        QVERIFY(rows[i].at(3).toDouble(&isNumber) >= 0 && isNumber); // 0: ZFP's finest tolerance is lossless
        if (method == QString("POD"))
        {
          const int rank = rows[i].at(10).mid(6).chopped(1).toInt(); // "rank N"
          QCOMPARE(rows[i].at(10), QString("\"rank %1\"").arg(rank));
          QCOMPARE(rows[i].at(9).toLongLong(), 4LL * rank);
          QCOMPARE(static_cast<long long>(rank), std::min(pr[i].at(9).toLongLong() / 4, modes));
        }
      }
    }

    // The rows people read: the tab's table and `mrcae benchmark`'s output, cell for cell (the tab adds seconds).
    const QTableWidget* table = panel->table();
    const int header = static_cast<int>(cliOut.indexOf(QRegularExpression("^method\\s+stage\\s+level.*")));
    QVERIFY2(header >= 0, qPrintable(cliOut.join('\n')));
    QCOMPARE(table->rowCount(), lines.size() - 1);
    for (int r = 0; r < table->rowCount(); ++r)
    {
      QStringList cells;
      for (int c = 0; c + 1 < table->columnCount(); ++c)
      {
        cells << table->item(r, c)->text();
      }
      QCOMPARE(cliOut.value(header + 1 + r).simplified(), cells.join(' ').simplified());
    }
    QCOMPARE(cliOut.value(header + 1 + table->rowCount()), QString());

    // The seconds went to the timing file, one row per trained stage in both.
    const int trainedRows = static_cast<int>(lines.size() - 1 - 3 * pr.size());
    QCOMPARE(read(QDir(fromTab).filePath("benchmark_timing.csv")).count('\n'), 1 + trainedRows);
    QCOMPARE(read(QDir(fromCli).filePath("benchmark_timing.csv")).count('\n'), 1 + trainedRows);
    QVERIFY(QFile::exists(QDir(fromTab).filePath("benchmark.json")));
    // Every method on the error-versus-bytes figure, in both exports.
    QCOMPARE(panel->errorBytesView()->plot().series().size(), size_t(6));
    for (const QString& folder : {fromTab, fromCli})
    {
      QVERIFY2(!QImage(QDir(folder).filePath("errorbytes.png")).isNull(), qPrintable(folder));
    }
  }

  void stopEndsTheRunningMethodAndKeepsFinishedStages()
  {
    MainWindow& w = *window_;
    // Long stages: the stop lands inside MrCAE (PR), after its first stage.
    w.trainingPanel()->setConfig(tinyConfig(w, {3000, 3000, 3000}));
    BenchmarkPanel* panel = w.benchmarkPanel();
    panel->setSelectedMethods({mrcae::Method::MrcaePr, mrcae::Method::MrcaeRelu, mrcae::Method::RedNet});
    QSignalSpy finished(w.benchmarkController(), &BenchmarkController::finished);
    QSignalSpy stages(w.benchmarkController(), &BenchmarkController::stageFinished);
    QSignalSpy methods(w.benchmarkController(), &BenchmarkController::methodFinished);
    QTest::mouseClick(panel->findChild<QPushButton*>("benchmarkRun"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(stages.count() >= 1, 120000);
    QTest::mouseClick(panel->findChild<QPushButton*>("benchmarkStop"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    QCOMPARE(methods.count(), 1); // the later methods never started
    QCOMPARE(methods.at(0).at(2).toBool(), true);
    QVERIFY(panel->table()->rowCount() >= 1);
    QCOMPARE(column(panel->table(), "MrCAE (PR)", 3).size(), panel->table()->rowCount());
    QVERIFY(panel->findChild<QPushButton*>("benchmarkRun")->isEnabled());
  }

  void cannotRunWhileTraining()
  {
    MainWindow& w = *window_;
    w.trainingPanel()->setConfig(tinyConfig(w, {3000, 3000, 3000}));
    QSignalSpy trainingDone(w.controller(), &mrcae::app::TrainingController::runFinished);
    QSignalSpy trainingStage(w.controller(), &mrcae::app::TrainingController::stageStarted);
    w.startTraining();
    QVERIFY(w.controller()->isBusy());
    QVERIFY(!w.benchmarkPanel()->findChild<QPushButton*>("benchmarkRun")->isEnabled());
    w.startBenchmark({mrcae::Method::MrcaePr}); // refused, not queued
    QVERIFY(!w.benchmarkController()->isBusy());
    // The training worker clears Stop when its run begins: stop once it is inside the first stage.
    QTRY_VERIFY_WITH_TIMEOUT(trainingStage.count() >= 1, 60000);
    w.controller()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(trainingDone.count() == 1, 60000);
    QTRY_VERIFY(w.benchmarkPanel()->findChild<QPushButton*>("benchmarkRun")->isEnabled());
  }

  void cleanupTestCase() { window_.reset(); }

private:
  std::unique_ptr<MainWindow> window_;
  QTemporaryDir temp_;
};

int main(int argc, char** argv)
{
  QStandardPaths::setTestModeEnabled(true); // settings and the sample cache go to a test location
  mrcae::app::ApplicationSetup::beforeQApplication();
  QApplication app(argc, argv);
  QApplication::setOrganizationName("MrCAE-test");
  QApplication::setApplicationName("mrcae-benchmark-tab-test");
  QSettings().clear();
  TestBenchmarkTab test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_benchmark_tab.moc"
