// Train in the window on what does not fit one process (issue 15): a dataset too large to load is read from its
// file in batches, and the Processes setting trains over two processes (the window is rank 0, `mrcae train` the
// other). Each gives the weights of a one-process run on the loaded data within 1e-6; a process that dies ends
// the run with one dialog that names it.

#include "DatasetPanel.h"
#include "ErrorChart.h"
#include "LevelGrid.h"
#include "TimeSlider.h"
#include "TrainingPanel.h"

#include "ErrorReporter.h"
#include "MainWindow.h"
#include "TrainingController.h"

#include "mrcae/engine/RankGroup.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/ToyData.h"

#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

#include <algorithm>
#include <cmath>

using mrcae::app::MainWindow;
using mrcae::app::TrainingController;
using mrcae::widgets::LevelGrid;

namespace
{

mrcae::TrainingConfig smallConfig(MainWindow& w, std::vector<int> steps)
{
  w.trainingPanel()->selectPreset("toy1");
  mrcae::TrainingConfig c = w.trainingPanel()->config();
  c.steps = std::move(steps);
  c.threads = 1;
  c.device = "cpu";
  return c;
}

/// The largest difference between two trainers' kernels and biases (the same architecture asserted).
double maxWeightDifference(const std::vector<mrcae::GroupWeights>& a, const std::vector<mrcae::GroupWeights>& b)
{
  if (a.size() != b.size())
  {
    return INFINITY;
  }
  double worst = 0;
  const auto compare = [&worst](const std::vector<float>& x, const std::vector<float>& y) {
    if (x.size() != y.size())
    {
      worst = INFINITY;
      return;
    }
    for (size_t i = 0; i < x.size(); ++i)
    {
      worst = std::max(worst, std::abs(static_cast<double>(x[i]) - y[i]));
    }
  };
  for (size_t g = 0; g < a.size(); ++g)
  {
    compare(a[g].encoderWeight, b[g].encoderWeight);
    compare(a[g].encoderBias, b[g].encoderBias);
    compare(a[g].decoderWeight, b[g].decoderWeight);
    worst = std::max(worst, std::abs(static_cast<double>(a[g].decoderBias) - b[g].decoderBias));
  }
  return worst;
}

/// The process ids of the command-line ranks this window started (their arguments name its temporary folder).
std::vector<int> rankProcesses()
{
  std::vector<int> pids;
  for (const QString& entry : QDir("/proc").entryList(QDir::Dirs))
  {
    bool number = false;
    const int pid = entry.toInt(&number);
    QFile cmdline("/proc/" + entry + "/cmdline");
    if (number && cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains("mrcae-processes-"))
    {
      pids.push_back(pid);
    }
  }
  return pids;
}

} // namespace

class TestProcesses : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(temp_.isValid());
    path_ = temp_.filePath("toy.h5");
    mrcae::writeDataset(mrcae::generateToy("toy1", 40, 63), path_.toStdString());
    window_ = std::make_unique<MainWindow>();
    window_->setAskToSaveOnClose(false);
    window_->resize(1280, 800);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  }

  void trainsOnADatasetReadOnDemand()
  {
    MainWindow& w = *window_;
    w.setOnDemandLimit(1000); // 1 kB: the 635 kB file is read one snapshot at a time
    QVERIFY(w.openDataset(path_));
    QVERIFY(w.onDemandDataset() != nullptr);
    mrcae::TrainingConfig config = smallConfig(w, {6, 4, 3});
    config.batch = 8; // minibatches: read from the file as training goes, the next one in the background
    w.trainingPanel()->setConfig(config);
    w.trainingPanel()->setProcesses(1);
    QVERIFY2(w.trainingPanel()->trainButton()->isEnabled(), qPrintable(w.trainingPanel()->trainButton()->toolTip()));

    // The limit is the run's memory budget too: 1 kB cannot hold even the window, so Train says what is needed.
    QString text;
    w.errorReporter()->setInterceptor([&](const QString&, const QString& message) { text = message; });
    int dialogs = w.errorReporter()->count();
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    QTest::mouseClick(w.trainingPanel()->trainButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    QCOMPARE(w.errorReporter()->count(), dialogs + 1);
    qInfo("dialog: %s", qPrintable(text));
    QVERIFY2(text.contains("memory") || text.contains("budget"), qPrintable(text));
    QVERIFY(!w.controller()->hasModel());
    w.errorReporter()->setInterceptor({});

    // Within what the machine has, it trains.
    w.setOnDemandLimit(-1);
    dialogs = w.errorReporter()->count();
    finished.clear();
    QTest::mouseClick(w.trainingPanel()->trainButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 240000);
    QCOMPARE(w.errorReporter()->count(), dialogs);
    QVERIFY(w.dataset() == nullptr); // never loaded
    QTRY_COMPARE(w.levelGrid()->reconstructedLevels(), 3);

    // The loaded run on the same file, here: the same weights (the losses are made from per-pixel sums).
    mrcae::Trainer loaded(mrcae::readDataset(path_.toStdString()), config);
    loaded.run();
    std::vector<mrcae::GroupWeights> shown;
    bool streamed = false;
    mrcae::StreamStatistics reads;
    QVERIFY(w.controller()->inspect([&](const mrcae::Trainer* t) {
      streamed = t->streamed();
      reads = t->streamStatistics();
      shown = t->weights();
    }));
    QVERIFY(streamed);
    QVERIFY(reads.readAhead + reads.readInStep >= 13); // a batch per step at least
    const double difference = maxWeightDifference(shown, loaded.weights());
    qInfo("largest weight difference %g over %zu groups", difference, shown.size());
    QVERIFY2(difference <= 1e-6, qPrintable(QString("largest weight difference %1").arg(difference)));

    // The finest level's input is the file's snapshot as training scaled it.
    const mrcae::Dataset file = mrcae::readDataset(path_.toStdString());
    w.datasetPanel()->timeSlider()->setIndex(5);
    QTRY_VERIFY(w.levelGrid()->panel(2, LevelGrid::Input).title().endsWith("t=5"));
    const double scale = file.originalMax - file.originalMin;
    QCOMPARE(w.levelGrid()->panel(2, LevelGrid::Input).valueAt(17, 11),
             static_cast<float>(file.field.data[(5 * 63 + 17) * 63 + 11] * scale + file.originalMin));
  }

  void trainsOverTwoProcesses()
  {
    if (!mrcae::distributedAvailable())
    {
      QFAIL("this build has no c10d: configure with libgloo-dev installed");
    }
    MainWindow& w = *window_;
    w.setOnDemandLimit(-1);
    QVERIFY(w.openDataset(path_));
    QVERIFY(w.dataset() != nullptr);
    const mrcae::TrainingConfig config = smallConfig(w, {6, 4, 3});
    w.trainingPanel()->setConfig(config);
    w.trainingPanel()->setProcesses(2);

    const int dialogs = w.errorReporter()->count();
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    QSignalSpy stages(w.controller(), &TrainingController::stageFinished);
    QTest::mouseClick(w.trainingPanel()->trainButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 240000);
    QCOMPARE(w.errorReporter()->count(), dialogs);
    QVERIFY(finished.at(0).at(0).toBool()); // the whole schedule
    QVERIFY(stages.count() >= 3);           // rank 0's live views
    QVERIFY(w.errorChart()->pointCount() > 0);
    QTRY_COMPARE(w.levelGrid()->reconstructedLevels(), 3);
    QTRY_VERIFY(rankProcesses().empty()); // the other process ended with the run

    mrcae::Trainer alone(*w.dataset(), config);
    alone.run();
    std::vector<mrcae::GroupWeights> shown;
    int ranks = 0;
    QVERIFY(w.controller()->inspect([&](const mrcae::Trainer* t) {
      ranks = t->ranks();
      shown = t->weights();
    }));
    QCOMPARE(ranks, 1); // after the run the window holds the model as one process (Resume needs no group)
    const double difference = maxWeightDifference(shown, alone.weights());
    qInfo("largest weight difference %g over %zu groups", difference, shown.size());
    QVERIFY2(difference <= 1e-6, qPrintable(QString("largest weight difference %1").arg(difference)));
    QVERIFY(w.controller()->hasModel());
  }

  void stopResumeAndMoreStepsOverTwoProcessesOnAFileReadOnDemand()
  {
    MainWindow& w = *window_;
    w.setOnDemandLimit(1000);
    QVERIFY(w.openDataset(path_));
    QVERIFY(w.onDemandDataset() != nullptr);
    w.setOnDemandLimit(-1); // the run's budget: what the machine has
    mrcae::TrainingConfig config = smallConfig(w, {20, 20, 200});
    config.batch = 8;
    w.trainingPanel()->setConfig(config);
    w.trainingPanel()->setProcesses(2);
    const int dialogs = w.errorReporter()->count();
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    QSignalSpy stages(w.controller(), &TrainingController::stageFinished);
    QTest::mouseClick(w.trainingPanel()->trainButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(stages.count() >= 2, 120000);
    QCOMPARE(rankProcesses().size(), size_t(1)); // the other one streams the file too
    w.controller()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QCOMPARE(w.errorReporter()->count(), dialogs);
    QVERIFY(!finished.at(0).at(0).toBool()); // stopped before the end of the schedule
    QVERIFY(w.controller()->canResume());
    QTRY_VERIFY(rankProcesses().empty());
    const auto held = [&w] {
      struct
      {
        int ranks = 0;
        bool streamed = false;
        std::vector<mrcae::StageRecord> stages;
        std::vector<mrcae::GroupWeights> weights;
      } h;
      w.controller()->inspect([&h](const mrcae::Trainer* t) {
        h.ranks = t->ranks();
        h.streamed = t->streamed();
        h.stages = t->stages();
        h.weights = t->weights();
      });
      return h;
    };
    const auto stopped = held();
    QCOMPARE(stopped.ranks, 1); // reopened as one process, on the same file
    QVERIFY(stopped.streamed);
    QVERIFY(stopped.stages.size() >= 2 && stopped.stages.size() < 12);

    // Resume over two processes again: each opens the run as it stands, and the schedule ends as the
    // uninterrupted one-process run on the loaded data does.
    finished.clear();
    QTest::mouseClick(w.trainingPanel()->findChild<QPushButton*>("resumeButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 240000);
    QCOMPARE(w.errorReporter()->count(), dialogs);
    QVERIFY(finished.at(0).at(0).toBool());
    QTRY_VERIFY(rankProcesses().empty());
    mrcae::Trainer uninterrupted(mrcae::readDataset(path_.toStdString()), config);
    uninterrupted.run();
    const auto resumed = held();
    QCOMPARE(resumed.stages.size(), uninterrupted.stages().size());
    const double difference = maxWeightDifference(resumed.weights, uninterrupted.weights());
    qInfo("stopped after %zu stages, resumed over 2 processes: largest weight difference %g", stopped.stages.size(),
          difference);
    QVERIFY2(difference <= 1e-6, qPrintable(QString("largest weight difference %1").arg(difference)));

    // More Steps over two processes: the last stage goes on.
    finished.clear();
    const int lastSteps = resumed.stages.back().steps;
    w.controller()->moreSteps(10, 2);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QCOMPARE(w.errorReporter()->count(), dialogs);
    QTRY_VERIFY(rankProcesses().empty());
    const auto more = held();
    QCOMPARE(more.ranks, 1);
    QVERIFY2(more.stages.back().steps > lastSteps || more.stages.back().stopReason != resumed.stages.back().stopReason,
             qPrintable(QString("steps %1 -> %2").arg(lastSteps).arg(more.stages.back().steps)));
  }

  void aLostProcessEndsTheRunWithOneDialog()
  {
    MainWindow& w = *window_;
    w.setOnDemandLimit(-1);
    QVERIFY(w.openDataset(path_));
    QVERIFY(w.dataset() != nullptr);
    w.trainingPanel()->setConfig(smallConfig(w, {20, 20, 5000}));
    w.trainingPanel()->setProcesses(2);
    QString text;
    w.errorReporter()->setInterceptor([&](const QString&, const QString& message) { text = message; });
    const int dialogs = w.errorReporter()->count();
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    QSignalSpy stages(w.controller(), &TrainingController::stageFinished);
    QTest::mouseClick(w.trainingPanel()->trainButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(stages.count() >= 1, 120000);
    const std::vector<int> others = rankProcesses();
    QCOMPARE(others.size(), size_t(1));
    QCOMPARE(::kill(others.front(), SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QCOMPARE(w.errorReporter()->count(), dialogs + 1);
    qInfo("dialog: %s", qPrintable(text));
    QVERIFY2(text.contains("process 1 of 2") && text.contains("signal 9"), qPrintable(text));
    QCOMPARE(w.controller()->state(), TrainingController::State::Idle);
    QVERIFY(!w.controller()->hasModel()); // no state that the processes did not agree on is kept
    QVERIFY(w.trainingPanel()->trainButton()->isEnabled());
    w.errorReporter()->setInterceptor({});
  }

  void cleanupTestCase() { window_.reset(); }

private:
  std::unique_ptr<MainWindow> window_;
  QTemporaryDir temp_;
  QString path_;
};

QTEST_MAIN(TestProcesses)
#include "test_processes.moc"
