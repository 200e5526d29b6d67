#pragma once
// File → Apply Model to Dataset…: a saved model applied to a second dataset in a window of its own (the level
// views of the snapshot under its time slider, the error of every snapshot over time), computed on a thread of
// its own (ApplyModelWorker) so that the main window stays responsive. Kept apart from MainWindow: the window
// hands it a model file and a dataset file, nothing else.

#include "AppliedModelPanel.h"
#include "ApplyModelWorker.h"

#include <QObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QThread>

namespace mrcae::app
{

class ApplyModelController : public QObject
{
  Q_OBJECT

public:
  /// The window opens over `parentWindow` (it closes with it).
  explicit ApplyModelController(QWidget* parentWindow);
  ~ApplyModelController() override;

  /// Opens `dataPath` against the model saved in `modelPath` (crop or pad as `policy` says) and shows the
  /// window; `opened` or `failed` follows.
  void open(const QString& modelPath, const QString& dataPath, mrcae::SizePolicy policy = mrcae::SizePolicy::Strict);
  bool isBusy() const { return busy_; }
  /// Where the window saves the model on screen before applying it (a temporary folder of its own).
  QString scratchModelPath() const;
  /// The window (null until the first open).
  mrcae::widgets::AppliedModelPanel* panel() const { return panel_; }
  const AppliedModel& model() const { return model_; }
  /// The snapshot the level views show (-1 before the first).
  int shownSnapshot() const { return shown_; }

Q_SIGNALS:
  void opened();
  void snapshotShown(int index);
  /// One line: what went wrong (the caller shows the dialog).
  void failed(const QString& message);

private:
  void onOpened(const AppliedModel& model);
  void requestSnapshot(int index);
  void onSnapshot(const std::shared_ptr<const mrcae::widgets::LiveFields>& fields);
  void exportCurve();

  QThread thread_;
  ApplyModelWorker* worker_ = nullptr;
  QTemporaryDir scratch_;
  QPointer<QWidget> parentWindow_;
  QPointer<mrcae::widgets::AppliedModelPanel> panel_; ///< a window owned by the parent window
  AppliedModel model_;
  bool busy_ = false;
  bool snapshotInFlight_ = false;
  int pendingSnapshot_ = -1; ///< the latest index asked for while one was computed
  int shown_ = -1;
};

} // namespace mrcae::app
