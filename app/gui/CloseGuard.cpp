#include "CloseGuard.h"

#include "TrainingController.h"

#include <QTimer>
#include <QWidget>

namespace mrcae::app
{

CloseGuard::CloseGuard(QWidget* window, TrainingController* controller, Question question, SavePath savePath)
  : QObject(window), window_(window), controller_(controller), question_(std::move(question)),
    savePath_(std::move(savePath))
{
  connect(controller_, &TrainingController::runFinished, this, [this] {
    if (step_ == Step::Stopping)
    {
      save();
    }
  });
  connect(controller_, &TrainingController::jobFinished, this, [this] {
    if (step_ == Step::Stopping && !controller_->isBusy())
    {
      save();
    }
  });
  connect(controller_, &TrainingController::modelSavedTo, this, [this](const QString& path) {
    if (step_ == Step::Saving && path == path_)
    {
      step_ = Step::Done;
      // Closed from the event loop, not from inside the controller's signal.
      QTimer::singleShot(0, window_, &QWidget::close);
    }
  });
  connect(controller_, &TrainingController::failed, this, [this] {
    if (step_ == Step::Saving)
    {
      abandon(); // the save failed: its dialog says why, and the window stays open with the model
    }
  });
}

bool CloseGuard::mayClose()
{
  if (step_ == Step::Done)
  {
    return true;
  }
  if (step_ != Step::None)
  {
    return false; // already stopping and saving
  }
  const bool running = controller_->isBusy();
  const bool unsaved = controller_->hasModel() && !controller_->modelSaved();
  if (!ask_ || (!running && !unsaved))
  {
    return true;
  }
  switch (question_(running))
  {
  case Answer::Cancel: return false;
  case Answer::Discard: return true; // the controller stops the run when the window goes
  case Answer::StopAndSave: break;
  }
  path_ = savePath_();
  if (path_.isEmpty())
  {
    return false; // the file dialog was cancelled: stay open rather than lose the model
  }
  if (running)
  {
    step_ = Step::Stopping;
    controller_->stop();
  }
  else
  {
    save();
  }
  return false;
}

void CloseGuard::save()
{
  if (!controller_->hasModel())
  {
    // Stopped before its first step: nothing was trained, so there is nothing to save.
    step_ = Step::Done;
    QTimer::singleShot(0, window_, &QWidget::close);
    return;
  }
  step_ = Step::Saving;
  controller_->saveModel(path_);
}

void CloseGuard::abandon()
{
  step_ = Step::None;
  path_.clear();
}

} // namespace mrcae::app
