#include "CurveView.h"
#include "ErrorChart.h"
#include "LevelGrid.h"
#include "RefinementView.h"
#include "TrainingPanel.h"

#include "ErrorReporter.h"
#include "LatencyProbe.h"
#include "MainWindow.h"
#include "MaskInspector.h"
#include "SampleData.h"
#include "ScriptedRun.h"

#include <QApplication>
#include <QDir>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace mrcae::app
{

ScriptedRun::ScriptedRun(MainWindow* window, Options options, QObject* parent)
  : QObject(parent), window_(window), options_(std::move(options))
{
}

void ScriptedRun::start()
{
  QTimer::singleShot(0, this, &ScriptedRun::begin);
}

void ScriptedRun::begin()
{
  window_->setAskToSaveOnClose(false);
  window_->errorReporter()->setInterceptor([this](const QString& title, const QString& text) {
    ++errors_;
    std::fprintf(stderr, "error dialog: %s: %s\n", qPrintable(title), qPrintable(text));
  });
  if (!options_.dataset.isEmpty())
  {
    if (!window_->openDataset(options_.dataset))
    {
      QApplication::exit(1); // the dialog (intercepted above) said why
      return;
    }
  }
  else if (options_.snapshots > 0)
  {
    window_->generateToy("toy1", options_.snapshots);
  }
  else
  {
    // Always toy1, whatever was open last: the measurement must be comparable from run to run.
    QString origin;
    window_->setDataset(SampleData::loadOrGenerate("toy1", &origin), origin);
  }
  window_->trainingPanel()->selectPreset("toy1");
  mrcae::TrainingConfig config = window_->trainingPanel()->config();
  if (!options_.steps.empty())
  {
    config.steps = options_.steps;
    config.steps.resize(static_cast<size_t>(config.levels), options_.steps.back());
  }
  if (options_.threads > 0)
  {
    config.threads = options_.threads;
  }
  window_->trainingPanel()->setConfig(config);

  probe_ = new LatencyProbe(10, this);
  probe_->watch(window_->levelGrid());
  probe_->watch(window_->refinementView());
  probe_->watch(window_->errorChart()->view());
  connect(window_->controller(), &TrainingController::runFinished, this, &ScriptedRun::finish);
  QTimer::singleShot(static_cast<int>(options_.seconds * 1000), this, [this] {
    if (window_->controller()->isBusy())
    {
      std::fprintf(stderr, "time is up: stopping\n");
      window_->controller()->stop();
    }
  });
  // Measure while training runs: from the first steps on (the click itself, which copies the dataset for the
  // trainer, is a user action, not part of the steady state).
  auto started = std::make_shared<QMetaObject::Connection>();
  *started = connect(window_->controller(), &TrainingController::updated, this,
                     [this, started](const mrcae::widgets::LiveSnapshotPtr& update) {
                       if (update->steps.empty())
                       {
                         return;
                       }
                       QObject::disconnect(*started);
                       probe_->start();
                     });
  window_->trainingPanel()->trainButton()->click();
}

void ScriptedRun::finish()
{
  if (finishing_)
  {
    return;
  }
  finishing_ = true;
  probe_->stop();
  std::printf("%s\n", qPrintable(probe_->report()));
  std::printf("status: %s\n", qPrintable(window_->statusText()));
  std::fflush(stdout);
  // Let the last snapshot arrive and the views repaint before the pictures are taken.
  QTimer::singleShot(1500, this, [this] {
    saveScreenshots();
    QApplication::exit(errors_ > 0 ? 1 : 0);
  });
}

void ScriptedRun::saveScreenshots()
{
  if (options_.screenshotFolder.isEmpty())
  {
    return;
  }
  QDir().mkpath(options_.screenshotFolder);
  const QString folder = options_.screenshotFolder;
  QTabWidget* tabs = window_->viewTabs();
  const QStringList names = {"levels", "refinement", "inspector", "filters", "benchmark"};
  for (int i = 0; i < tabs->count() && i < names.size(); ++i)
  {
    tabs->setCurrentIndex(i);
    // Wait for the tab's GL view to have painted at its size.
    for (int k = 0; k < 20; ++k)
    {
      QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    window_->grab().save(folder + "/window-" + names[i] + ".png");
    QWidget* view = i == 0   ? static_cast<QWidget*>(window_->levelGrid())
                    : i == 1 ? static_cast<QWidget*>(window_->refinementView())
                    : i == 2 ? static_cast<QWidget*>(window_->maskInspector()->grid())
                             : nullptr;
    if (auto* gl = qobject_cast<QOpenGLWidget*>(view))
    {
      gl->grabFramebuffer().save(folder + "/view-" + names[i] + ".png");
    }
  }
  tabs->setCurrentIndex(0);
  window_->errorChart()->view()->grab().save(folder + "/view-curves.png");
  std::printf("screenshots in %s\n", qPrintable(folder));
}

} // namespace mrcae::app
