// The window's phrasing of the core's typed errors (app/gui/ErrorText.h): the common errors name the window's
// controls ("Steps" in the Training panel), never a command-line option, and say where to change them. Each
// error is made by the core function that refuses the input; the expected sentences are typed in from the
// inputs. Then one real path: a bad Steps field in the Training panel and Train give a dialog that says so.

#include "ApplicationSetup.h"
#include "ErrorReporter.h"
#include "ErrorText.h"
#include "MainWindow.h"
#include "TrainingPanel.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/MemoryEstimate.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/ToyData.h"
#include "mrcae/model/TrainingConfig.h"

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using mrcae::app::windowError;
using mrcae::app::WindowError;

namespace
{

/// The error `f` throws, as the window phrases it.
WindowError phrased(const std::function<void()>& f)
{
  try
  {
    f();
  }
  catch (const mrcae::InputError& e)
  {
    return windowError(e);
  }
  return {QStringLiteral("(nothing thrown)"), QString()};
}

mrcae::TrainingConfig toy1()
{
  return mrcae::TrainingConfig::preset("toy1");
}

/// Neither the sentence nor the advice names a command-line option.
bool namesNoOption(const WindowError& e)
{
  return !e.what.contains("--") && !e.toDo.contains("--");
}

} // namespace

class TestErrorText : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { QVERIFY(temp_.isValid()); }

  void badSettingsNameTheTrainingPanelsControls()
  {
    mrcae::TrainingConfig c = toy1();
    c.steps = {0, 150, 60};
    WindowError e = phrased([&] { c.validate(); });
    QCOMPARE(e.what, QString("“Steps” must be at least 1 (got 0)"));
    QCOMPARE(e.toDo, QString("Correct “Steps” in the Training panel."));

    c = toy1();
    c.levels = 11;
    e = phrased([&] { c.validate(); });
    QCOMPARE(e.what, QString("“Levels” must be between 1 and 10 (got 11)"));

    c = toy1();
    c.archs = {{1, 2}, {1, 2}};
    e = phrased([&] { c.validate(); });
    QCOMPARE(e.what, QString("“Widths” has 2 levels but “Levels” is 3: give one width list per level"));
    QCOMPARE(e.toDo, QString("Correct “Widths” in the Training panel."));

    c = toy1();
    c.archs[1] = {1, 3, 2};
    e = phrased([&] { c.validate(); });
    QCOMPARE(e.what, QString("“Widths” of level 1 must be increasing cumulative widths (got 3 then 2)"));

    c = toy1();
    c.tols = {1e-3, 5e-4};
    e = phrased([&] { c.validate(); });
    QCOMPARE(e.what, QString("“Tolerances” has 2 values but “Levels” is 3: give one tolerance per level, or none for "
                             "the +ReLU variant"));

    c = toy1();
    c.batch = 0;
    e = phrased([&] { c.validate(); });
    QCOMPARE(e.what, QString("“Batch” must be at least 1 (got 0)"));
    QVERIFY(namesNoOption(e));

    c = toy1();
    c.slowConvergence = -1;
    e = phrased([&] { c.validate(); });
    QCOMPARE(e.what, QString("“Slow progress” must be zero or positive (got -1)"));
    QCOMPARE(e.toDo, QString("Correct “Slow progress” in the Training panel (Advanced)."));
  }

  void aSizeThatDoesNotFitAsksForCropOrPad()
  {
    // 30 x 33 for 3 levels: sides of c*8-1, so 23 or 31 rows and 31 or 39 columns.
    mrcae::Field f(6, 30, 33);
    for (size_t i = 0; i < f.data.size(); ++i)
    {
      f.data[i] = static_cast<float>(i % 7);
    }
    const mrcae::Dataset d = mrcae::Dataset::fromRaw(f, {}, "odd");
    const WindowError e = phrased([&] { d.conformed(3, mrcae::SizePolicy::Strict); });
    QCOMPARE(e.what, QString("Size 30x33 does not fit 3 levels (each side must be c*8-1: 23 or 31 rows, 31 or 39 "
                             "columns): crop or pad it (“Size”)"));
    QCOMPARE(e.toDo,
             QString("Choose crop or pad under “Size” in the Dataset panel, or fewer “Levels” in the Training panel."));
  }

  void filesThatAreMissingOrNotModels()
  {
    const std::string missing = temp_.filePath("nothere.npy").toStdString();
    WindowError e = phrased([&] { mrcae::readDataset(missing); });
    QCOMPARE(e.what, QString::fromStdString(missing + ": file not found"));
    QCOMPARE(e.toDo, QString("Check the file name, or choose another file."));
#ifdef MRCAE_WITH_HDF5
    const std::string data = temp_.filePath("toy.h5").toStdString();
    mrcae::writeDataset(mrcae::generateToy("toy1", 6, 15), data);
    e = phrased([&] { mrcae::ModelFile::summary(data); });
    QVERIFY2(e.what.startsWith(QString::fromStdString(data + ": not a MrCAE model file")), qPrintable(e.what));
    QCOMPARE(e.toDo, QString("Open it as a dataset (File → Open), or choose a model file (.mrcae.h5)."));
#endif
  }

  void aMemoryRefusalNamesBatchAndNoCommandLineLimit()
  {
    mrcae::TrainingConfig c = toy1(); // no memory limit set: the command line would mention its option
    const mrcae::MemoryEstimate estimate = mrcae::estimateTrainingMemory(c, 24, 127, 127);
    mrcae::MemoryBudget budget;
    budget.bytes = estimate.total() * 4 / 5;
    budget.source = "available";
    const std::string device = "the CPU";
    mrcae::InputError error("");
    try
    {
      mrcae::checkMemory(c, estimate, budget, 24, 127, 127, device);
      QFAIL("no refusal");
    }
    catch (const mrcae::InputError& e)
    {
      error = e;
    }
    QVERIFY(error.problem() == mrcae::Problem::MemoryRefused);
    const WindowError e = windowError(error);
    const int batch = static_cast<int>(*error.number("batch_fits"));
    QVERIFY2(e.what.contains(QString("use a smaller batch (“Batch” %1 fits)").arg(batch)), qPrintable(e.what));
    QVERIFY2(e.what.contains(", fewer snapshots"), qPrintable(e.what));
    // The window has no memory limit to set: the command line's advice about it is left out.
    QVERIFY(std::string(error.what()).find("memory limit GB sets the budget") != std::string::npos);
    QVERIFY2(!e.what.contains("sets the budget"), qPrintable(e.what));
    QCOMPARE(e.toDo, QString("Lower “Batch” in the Training panel, or open fewer snapshots or a cropped field."));
    QVERIFY(namesNoOption(e));
  }

  void theTrainDialogNamesTheControl()
  {
    mrcae::app::MainWindow w;
    w.setAskToSaveOnClose(false);
    w.resize(1280, 860);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.generateToy("toy1", 24));
    w.trainingPanel()->selectPreset("toy1");
    auto* steps = w.trainingPanel()->findChild<QLineEdit*>("steps");
    QVERIFY(steps);
    steps->selectAll();
    QTest::keyClicks(steps, "0");
    QCOMPARE(w.trainingPanel()->configError(), QString("“Steps” must be at least 1 (got 0)"));
    w.startTraining();
    QMessageBox* dialog = w.errorReporter()->dialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->windowTitle(), QString("Cannot train with these settings"));
    QCOMPARE(dialog->text(), QString("“Steps” must be at least 1 (got 0)"));
    QCOMPARE(dialog->informativeText(), QString("Correct “Steps” in the Training panel."));
    dialog->grab().save(QStringLiteral(TEST_OUTPUT_DIR "/error_dialog.png"));
    w.grab().save(QStringLiteral(TEST_OUTPUT_DIR "/error_dialog_window.png"));
    dialog->close();
  }

private:
  QTemporaryDir temp_;
};

int main(int argc, char** argv)
{
  QStandardPaths::setTestModeEnabled(true);
  mrcae::app::ApplicationSetup::beforeQApplication();
  QApplication app(argc, argv);
  QApplication::setOrganizationName("MrCAE-test");
  QApplication::setApplicationName("mrcae-error-text-test");
  QSettings().clear();
  TestErrorText test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_error_text.moc"
