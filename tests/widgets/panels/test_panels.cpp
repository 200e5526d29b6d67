// The Qt panels of libmrcae_widgets (panels/): the training panel's checks and buttons, the dataset panel's size
// choice, the architecture table and the time slider.

#include "ArchitecturePanel.h"
#include "BenchmarkPanel.h"
#include "DatasetPanel.h"
#include "FieldView.h"
#include "TestPatterns.h"
#include "TimeSlider.h"
#include "TrainingPanel.h"
#include "VtkOpenGLWidget.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSurfaceFormat>
#include <QTableWidget>
#include <QTest>

using namespace mrcae::widgets;

class TestPanels : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void trainingPanelRefusesInvalidSettings();
  void trainingPanelButtonsFollowTheRunState();
  void datasetPanelOffersCropWhenTheSizeDoesNotFit();
  void architecturePanelShowsStages();
  void timeSliderPlays();
  void benchmarkPanelSaysWhyItCannotRun();
};

void TestPanels::trainingPanelRefusesInvalidSettings()
{
  TrainingPanel panel;
  mrcae::TrainingConfig toy;
  toy.presetName = "toy1";
  toy.levels = 3;
  toy.archs = {{1, 2}, {1, 2}, {1, 3}};
  toy.tols = {1e-3, 5e-4, 1e-4};
  toy.steps = {10, 10, 10};
  panel.setPresets({"toy1"}, [toy](const QString&) { return toy; });
  panel.setValidator([](const mrcae::TrainingConfig& c) {
    return int(c.archs.size()) != c.levels
               ? QString("levels is %1 but widths are given for %2 levels").arg(c.levels).arg(c.archs.size())
               : QString();
  });
  panel.selectPreset("toy1");
  QVERIFY(panel.configError().isEmpty());
  QVERIFY(panel.trainButton()->isEnabled());
  QCOMPARE(panel.config().archs.size(), size_t(3));
  QCOMPARE(panel.config().tols[1], 5e-4);

  auto* levels = panel.findChild<QSpinBox*>("levels");
  levels->setValue(4);
  QCOMPARE(panel.configError(), QString("levels is 4 but widths are given for 3 levels"));
  QVERIFY(!panel.trainButton()->isEnabled());
  QCOMPARE(panel.findChild<QLabel*>("configError")->text(), panel.configError());
  levels->setValue(3);
  QVERIFY(panel.trainButton()->isEnabled());

  auto* lr = panel.findChild<QLineEdit*>("lr");
  lr->setText("fast");
  QVERIFY(panel.configError().contains("Learning rate"));
  QVERIFY(!panel.trainButton()->isEnabled());
  lr->setText("0,001"); // a decimal comma, as a German user might type: refused, saying why
  QVERIFY2(panel.configError().contains("use '.' as the decimal point"), qPrintable(panel.configError()));
  lr->setText("1e-3");
  QVERIFY(panel.configError().isEmpty());
  QCOMPARE(panel.config().lr, 1e-3);

  // One number of steps applies to every level.
  panel.findChild<QLineEdit*>("steps")->setText("7");
  QCOMPARE(panel.config().steps, (std::vector<int>{7, 7, 7}));

  QSignalSpy train(&panel, &TrainingPanel::trainRequested);
  QTest::mouseClick(panel.trainButton(), Qt::LeftButton);
  QCOMPARE(train.count(), 1);
}

void TestPanels::trainingPanelButtonsFollowTheRunState()
{
  TrainingPanel panel;
  panel.setRunState(TrainingPanel::RunState::Running);
  QVERIFY(!panel.trainButton()->isEnabled());
  QVERIFY(panel.pauseButton()->isEnabled());
  QVERIFY(panel.stopButton()->isEnabled());
  QVERIFY(!panel.resumeButton()->isEnabled());
  panel.setRunState(TrainingPanel::RunState::Paused);
  QVERIFY(panel.resumeButton()->isEnabled());
  QVERIFY(!panel.pauseButton()->isEnabled());
  panel.setRunState(TrainingPanel::RunState::Stopped);
  QVERIFY(panel.resumeButton()->isEnabled());
  QVERIFY(panel.trainButton()->isEnabled());
  panel.setCanTrain(false, "Open or generate a dataset first.");
  QVERIFY(!panel.trainButton()->isEnabled());
  QCOMPARE(panel.findChild<QLabel*>("configError")->text(), QString("Open or generate a dataset first."));
}

void TestPanels::datasetPanelOffersCropWhenTheSizeDoesNotFit()
{
  DatasetPanel panel;
  DatasetSummary s;
  s.name = "odd";
  s.snapshots = 4;
  s.height = 64;
  s.width = 64;
  s.levelsAsIs = 0;
  s.levelsWithCrop = 5;
  s.levelsWithPad = 6;
  s.originalMin = 270;
  s.originalMax = 300;
  s.units = "K";
  s.field = std::make_shared<mrcae::Field>(mrcae::test::wavePattern(4, 64));
  panel.setSummary(s);
  QVERIFY(panel.findChild<QLabel*>("datasetRange")->text().contains("K"));
  panel.setRequiredLevels(3);
  QCOMPARE(panel.sizePolicy(), QString("crop"));
  QVERIFY(panel.sizeAccepted());
  QVERIFY(panel.levelsText().contains("c·2^3 − 1"));
  QSignalSpy policy(&panel, &DatasetPanel::sizePolicyChanged);
  panel.setSizePolicy("pad-reflect");
  QCOMPARE(policy.count(), 1);
  panel.setRequiredLevels(7);
  QVERIFY(!panel.sizeAccepted());
  // The preview follows the slider in the dataset's units.
  panel.timeSlider()->setIndex(2);
  const auto range = panel.preview()->scene().dataRange();
  QVERIFY(range.first >= 270 && range.second <= 300);
}

void TestPanels::architecturePanelShowsStages()
{
  ArchitecturePanel panel;
  panel.setArchitecture({{1, 1}, {1}}, {true, false}, 42);
  QCOMPARE(panel.params(), 42LL);
  mrcae::StageRecord r;
  r.level = 1;
  r.op = mrcae::StageOp::Deepen;
  r.params = 57;
  r.unresolved = 12;
  r.mapPixels = 225;
  r.encodingSize = 300;
  panel.addStage(r);
  QCOMPARE(panel.stageCount(), 1);
  QCOMPARE(panel.params(), 57LL);
  QCOMPARE(panel.unresolvedAfter(1), 12);
  QVERIFY(panel.summaryText().contains("57"));
  // The stage table shows the cumulative encoding size of each stage in its own column.
  auto* table = panel.findChild<QTableWidget*>("stageTable");
  QVERIFY(table);
  int column = -1;
  for (int c = 0; c < table->columnCount(); ++c)
  {
    column = table->horizontalHeaderItem(c)->text() == "Encoding" ? c : column;
  }
  QVERIFY(column >= 0);
  QCOMPARE(table->item(0, column)->text(), QString("300"));
  // A stage that was stopped and continued comes again: its row is replaced, not doubled.
  r.steps = 40;
  r.encodingSize = 310;
  panel.addStage(r);
  QCOMPARE(panel.stageCount(), 1);
  QCOMPARE(table->rowCount(), 1);
  QCOMPARE(table->item(0, column)->text(), QString("310"));
}

void TestPanels::timeSliderPlays()
{
  TimeSlider slider;
  slider.setCount(5);
  slider.setFramesPerSecond(50);
  QSignalSpy changed(&slider, &TimeSlider::indexChanged);
  slider.play();
  QVERIFY(slider.isPlaying());
  QTRY_VERIFY(changed.count() >= 3);
  slider.pause();
  QVERIFY(!slider.isPlaying());
  slider.setIndex(99);
  QCOMPARE(slider.index(), 4);
}

void TestPanels::benchmarkPanelSaysWhyItCannotRun()
{
  mrcae::widgets::BenchmarkPanel panel;
  const QString busy = "Training is running: stop it or wait for it, then run the benchmark.";
  panel.setCanRun(false, busy);
  QCOMPARE(panel.status(), busy);
  panel.setCanRun(true);
  QVERIFY(panel.status().isEmpty()); // the reason went with the run
  panel.setStatus("Benchmark done: 12 rows.");
  panel.setCanRun(false, busy);
  panel.setCanRun(true);
  QVERIFY(panel.status().isEmpty());
  panel.setStatus("Benchmark done: 12 rows.");
  panel.setCanRun(true);
  QCOMPARE(panel.status(), QString("Benchmark done: 12 rows.")); // its own status stays
}

int main(int argc, char** argv)
{
  QSurfaceFormat::setDefaultFormat(VtkOpenGLWidget::defaultFormat());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestPanels test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_panels.moc"
