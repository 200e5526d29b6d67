// Closing the window in the middle of a run (issue 14): the window asks once, "stop and save" stops the run,
// saves the model and closes the window through signals, and the application's event loop ends by itself.
// A plain program around the real QApplication::exec(): if anything waited in a nested loop or never closed,
// exec() would not return and CTest's timeout would fail the test.

#include "ApplicationSetup.h"
#include "CloseGuard.h"
#include "MainWindow.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include "mrcae/model/ModelSummary.h"

#include <QApplication>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using mrcae::app::CloseGuard;
using mrcae::app::MainWindow;
using mrcae::app::TrainingController;

namespace
{

int fail(const char* what)
{
  std::fprintf(stderr, "FAIL: %s\n", what);
  return 1;
}

} // namespace

int main(int argc, char** argv)
{
  QStandardPaths::setTestModeEnabled(true);
  mrcae::app::ApplicationSetup::beforeQApplication();
  QApplication app(argc, argv);
  QApplication::setOrganizationName("MrCAE-test");
  QApplication::setApplicationName("mrcae-studio-close-test");
  QTemporaryDir temp;
  const QString path = temp.filePath("closed-mid-run.mrcae.h5");

  int questions = 0;
  int savePaths = 0;
  int closeRequests = 0;
  bool runningWhenAsked = false;
  {
    MainWindow window;
    window.resize(1000, 700);
    window.closeGuard()->setQuestion([&](bool running) {
      ++questions;
      runningWhenAsked = running;
      return CloseGuard::Answer::StopAndSave;
    });
    window.closeGuard()->setSavePath([&] {
      ++savePaths;
      return path;
    });
    if (!window.generateToy("toy1", 24))
    {
      return fail("toy1 could not be generated");
    }
    window.trainingPanel()->selectPreset("toy1");
    mrcae::TrainingConfig config = window.trainingPanel()->config();
    config.steps.assign(static_cast<size_t>(config.levels), 5000); // far longer than the test
    config.threads = 1;
    config.device = "cpu";
    window.trainingPanel()->setConfig(config);
    window.show();

    // Mid-stage: once the first steps are on screen, close; a second close while it stops must not ask again.
    TrainingController* controller = window.controller();
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = QObject::connect(controller, &TrainingController::updated, &window,
                             [&, once](const mrcae::widgets::LiveSnapshotPtr& update) {
                               if (update->steps.empty())
                               {
                                 return;
                               }
                               QObject::disconnect(*once);
                               QTimer::singleShot(0, &window, [&] {
                                 ++closeRequests;
                                 window.close();
                                 ++closeRequests;
                                 window.close();
                               });
                             });
    QTimer::singleShot(240000, &app, [] {
      std::fprintf(stderr, "FAIL: the window did not close within 4 minutes\n");
      QApplication::exit(3);
    });
    QTimer::singleShot(0, &window, [&] { window.startTraining(); });
    const int rc = QApplication::exec(); // returns when the last window closed
    if (rc != 0)
    {
      return rc;
    }
    if (window.isVisible())
    {
      return fail("the event loop ended with the window still open");
    }
    if (controller->isBusy())
    {
      return fail("the run was still going when the window closed");
    }
  }
  if (closeRequests != 2 || questions != 1 || savePaths != 1 || !runningWhenAsked)
  {
    std::fprintf(stderr, "close requests %d, questions %d, save paths %d, running when asked %d\n", closeRequests,
                 questions, savePaths, int(runningWhenAsked));
    return fail("closing mid-run must ask exactly once, while the run is going");
  }
  if (!QFileInfo::exists(path))
  {
    return fail("the model was not saved");
  }
  const mrcae::ModelSummary summary = mrcae::ModelFile::summary(path.toStdString());
  if (summary.stages.size() != 1 || summary.stages.front().stopReason != mrcae::StopReason::UserStop ||
      summary.stages.front().steps <= 0 || summary.stages.front().steps >= 5000)
  {
    return fail("the saved model is not the run stopped in its first stage");
  }
  std::printf("closed mid-run: asked once, stopped after %d steps, saved %s, event loop ended\n",
              summary.stages.front().steps, qPrintable(path));
  return 0;
}
