// File → Apply Model to Dataset…: a model trained on the first 40 snapshots of a file, applied to all 60 of it
// in a window of its own. The error curve has every snapshot with its part of the split, the level views show
// the snapshot under the slider (the values the engine computes), clicking the curve moves the slider, the curve
// exports, the model on screen can be applied without saving it first, and data of another grid give one dialog.

#include "AppliedModelPanel.h"
#include "LevelGrid.h"
#include "TimeSlider.h"

#include "ApplicationSetup.h"
#include "ApplyModelController.h"
#include "ErrorReporter.h"
#include "MainWindow.h"

#include "mrcae/engine/ModelCodec.h"
#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/ModelInput.h"
#include "mrcae/model/ToyData.h"

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using mrcae::app::ApplyModelController;
using mrcae::app::MainWindow;
using mrcae::widgets::LevelGrid;

class TestApplyModel : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(temp_.isValid());
    dataPath_ = temp_.filePath("toy-60.h5");
    modelPath_ = temp_.filePath("first-40.mrcae.h5");
    mrcae::writeDataset(mrcae::generateToy("toy1", 60, 63), dataPath_.toStdString());
    // Trained on the file's first 40 snapshots, as `mrcae train toy-60.h5 --snapshots 40` does.
    mrcae::ReadOptions first;
    first.maxSnapshots = 40;
    mrcae::Dataset data = mrcae::readDataset(dataPath_.toStdString(), first);
    data.path = dataPath_.toStdString();
    mrcae::TrainingConfig c = mrcae::TrainingConfig::preset("toy1");
    c.steps = {20, 15, 5};
    c.tols = {2e-3, 1e-3, 1e-3};
    c.threads = 1;
    mrcae::Trainer trainer(data, c);
    trainer.run();
    trainer.save(modelPath_.toStdString());

    window_ = std::make_unique<MainWindow>();
    window_->setAskToSaveOnClose(false);
    window_->resize(1000, 700);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  }

  void appliesAModelFileToANewerDataset()
  {
    MainWindow& w = *window_;
    ApplyModelController* apply = w.applyModelController();
    QSignalSpy opened(apply, &ApplyModelController::opened);
    QSignalSpy shown(apply, &ApplyModelController::snapshotShown);
    w.applyModelToDataset(modelPath_, dataPath_);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 120000);
    mrcae::widgets::AppliedModelPanel* panel = apply->panel();
    QVERIFY(panel && panel->isVisible());
    QVERIFY(panel->description().contains("first-40.mrcae.h5"));

    // The curve: every snapshot at the finest level, with its part of the model's split.
    const auto& points = panel->errorView()->plot().points();
    QCOMPARE(int(points.size()), 60);
    QMap<QString, int> parts;
    for (const auto& p : points)
    {
      ++parts[p.part];
      QCOMPARE(p.part == "new", p.snapshot >= 40);
      QVERIFY(std::isfinite(p.error) && p.error > 0);
    }
    QCOMPARE(parts["train"], 28);
    QCOMPARE(parts["val"], 8);
    QCOMPARE(parts["test"], 4);
    QCOMPARE(parts["new"], 20);
    QCOMPARE(panel->curveLevel(), 2);
    QCOMPARE(panel->timeSlider()->count(), 60);

    // The level views of a new snapshot: the engine's reconstruction, in the data's units.
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 60000);
    panel->setCurrentSnapshot(50);
    QTRY_COMPARE_WITH_TIMEOUT(apply->shownSnapshot(), 50, 60000);
    LevelGrid* grid = panel->levelGrid();
    QTRY_COMPARE(grid->reconstructedLevels(), 3);
    QCOMPARE(grid->reconstructionIndex(), 50);
    const mrcae::ModelCodec codec = mrcae::ModelCodec::open(modelPath_.toStdString());
    const mrcae::Dataset data =
        mrcae::fitToModel(codec.summary(), mrcae::readDataset(dataPath_.toStdString()), {}, "toy");
    const mrcae::Field expected = codec.reconstruct(data, {50})[2];
    QTRY_VERIFY(grid->panel(2, LevelGrid::Reconstruction).hasField());
    const double scale = data.originalMax - data.originalMin;
    for (auto [i, j] : {std::pair{5, 7}, {31, 31}, {60, 2}})
    {
      const double want = data.originalMin + expected.at(0, i, j) * scale;
      const double got = grid->panel(2, LevelGrid::Reconstruction).valueAt(i, j);
      QVERIFY2(std::abs(got - want) <= 1e-5 * std::max(1.0, std::abs(want)),
               qPrintable(QString("(%1,%2): %3 shown, %4 computed").arg(i).arg(j).arg(got).arg(want)));
    }

    // A click on the curve picks the snapshot under it.
    mrcae::widgets::SnapshotErrorView* view = panel->errorView();
    const QPointF at = view->plot().toPixel(12, points[12].error, view->rect());
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, at.toPoint());
    QCOMPARE(panel->currentSnapshot(), 12);
    QTRY_COMPARE_WITH_TIMEOUT(apply->shownSnapshot(), 12, 60000);

    // The curve exports like the other figures.
    const QString png = temp_.filePath("curve.png");
    QVERIFY(panel->exportCurve(png, QSize(900, 400)).isEmpty());
    QCOMPARE(QImage(png).size(), QSize(900, 400));
  }

  /// The model on screen (here opened with its data) is applied as it is, without saving it by hand.
  void appliesTheModelOnScreen()
  {
    MainWindow& w = *window_;
    QSignalSpy modelOpened(w.controller(), &mrcae::app::TrainingController::modelOpened);
    QVERIFY(w.openModel(modelPath_));
    QTRY_VERIFY_WITH_TIMEOUT(modelOpened.count() == 1 && w.controller()->hasModel(), 60000);
    ApplyModelController* apply = w.applyModelController();
    QSignalSpy opened(apply, &ApplyModelController::opened);
    w.applyModelToDataset({}, dataPath_);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 120000);
    QCOMPARE(apply->model().modelPath, apply->scratchModelPath());
    QCOMPARE(int(apply->panel()->errorView()->plot().points().size()), 60);
  }

  void dataOfAnotherGridGiveOneDialog()
  {
    MainWindow& w = *window_;
    const QString small = temp_.filePath("small.h5");
    mrcae::writeDataset(mrcae::generateToy("toy1", 10, 31), small.toStdString());
    const int before = w.errorReporter()->count();
    QSignalSpy failed(w.applyModelController(), &ApplyModelController::failed);
    w.applyModelToDataset(modelPath_, small);
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 60000);
    QCOMPARE(w.errorReporter()->count(), before + 1);
    QVERIFY2(w.errorReporter()->lastText().contains("63x63"), qPrintable(w.errorReporter()->lastText()));
  }

  void cleanupTestCase() { window_.reset(); }

private:
  std::unique_ptr<MainWindow> window_;
  QTemporaryDir temp_;
  QString dataPath_, modelPath_;
};

int main(int argc, char** argv)
{
  QStandardPaths::setTestModeEnabled(true);
  mrcae::app::ApplicationSetup::beforeQApplication();
  QApplication app(argc, argv);
  QApplication::setOrganizationName("MrCAE-test");
  QApplication::setApplicationName("mrcae-apply-model-test");
  QSettings().clear();
  TestApplyModel test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_apply_model.moc"
