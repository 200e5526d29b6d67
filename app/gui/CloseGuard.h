#pragma once
// Closing the window with a run going or a model not saved: one question (stop and save / discard / cancel),
// then, for "stop and save", the steps follow one another through signals: Stop, the run's end, the save, and
// the window closes itself. Nothing waits in a nested event loop; the window stays responsive meanwhile.

#include <QObject>
#include <QString>

#include <functional>

class QWidget;

namespace mrcae::app
{

class TrainingController;

class CloseGuard : public QObject
{
  Q_OBJECT

public:
  enum class Answer
  {
    StopAndSave,
    Discard,
    Cancel
  };
  /// The question; `running`: a run (or an export) is going.
  using Question = std::function<Answer(bool running)>;
  /// Where to save ("" = cancelled).
  using SavePath = std::function<QString()>;

  CloseGuard(QWidget* window, TrainingController* controller, Question question, SavePath savePath);

  /// Off: closing asks nothing (tests, --measure).
  void setAsk(bool ask) { ask_ = ask; }
  /// Replaces the question and the file dialog (tests).
  void setQuestion(Question question) { question_ = std::move(question); }
  void setSavePath(SavePath savePath) { savePath_ = std::move(savePath); }
  /// Called from closeEvent: true when the window may close now. False when the user cancelled, or while the
  /// run stops and the model is saved (the window closes by itself afterwards).
  bool mayClose();
  /// Stopping and saving before the window closes.
  bool closing() const { return step_ != Step::None; }

private:
  enum class Step
  {
    None,
    Stopping, ///< waiting for the run (or the export) to end
    Saving,   ///< waiting for the save
    Done      ///< saved: the window may close
  };
  void save();
  void abandon();

  QWidget* window_;
  TrainingController* controller_;
  Question question_;
  SavePath savePath_;
  QString path_;
  Step step_ = Step::None;
  bool ask_ = true;
};

} // namespace mrcae::app
