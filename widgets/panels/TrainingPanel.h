#pragma once
// The training panel: a preset and every setting of a run, checked on each edit (invalid combinations are
// refused inline with the reason and Train stays disabled), and the Train / Pause / Stop / Resume buttons.
// It knows TrainingConfig as a value type only; the application supplies presets and the validator.

#include "mrcae/model/TrainingConfig.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace mrcae::widgets
{

class TrainingPanel : public QWidget
{
  Q_OBJECT

public:
  enum class RunState
  {
    Idle, ///< nothing running (no model, or a finished one)
    Running,
    Paused,
    Stopping, ///< Stop pressed, waiting for the step to finish
    Stopped   ///< stopped before the end of the schedule: Resume continues it
  };

  explicit TrainingPanel(QWidget* parent = nullptr);

  using PresetLoader = std::function<mrcae::TrainingConfig(const QString&)>;
  /// Returns an empty string when the configuration can train, else one line saying why not.
  using Validator = std::function<QString(const mrcae::TrainingConfig&)>;

  void setPresets(const QStringList& names, PresetLoader loader);
  void setValidator(Validator validator);
  void selectPreset(const QString& name);
  QString presetName() const;

  /// The configuration in the fields (parse errors are reported by configError()).
  mrcae::TrainingConfig config() const;
  void setConfig(const mrcae::TrainingConfig& config);
  /// Processes that train together (1: this one alone). Not a setting of the run: not in config().
  int processes() const;
  void setProcesses(int processes);
  /// Empty when Train may be pressed; else the reason shown under the settings.
  QString configError() const { return error_; }
  /// Re-runs the checks (e.g. after the dataset changed).
  void revalidate();

  void setRunState(RunState state);
  RunState runState() const { return state_; }
  /// False disables Train with a reason (e.g. no dataset loaded).
  void setCanTrain(bool can, const QString& reason = QString());

  QPushButton* trainButton() const { return trainButton_; }
  QPushButton* pauseButton() const { return pauseButton_; }
  QPushButton* stopButton() const { return stopButton_; }
  QPushButton* resumeButton() const { return resumeButton_; }

Q_SIGNALS:
  void trainRequested();
  void pauseRequested();
  void stopRequested();
  void resumeRequested();
  /// Any setting changed (already validated).
  void configChanged();
  void levelsChanged(int levels);

private:
  void onEdited();
  void updateButtons();
  mrcae::TrainingConfig parse(QString* error) const;

  PresetLoader loader_;
  Validator validator_;
  RunState state_ = RunState::Idle;
  bool canTrain_ = true;
  QString cannotTrainReason_;
  QString error_;
  bool loading_ = false;

  QComboBox* presetBox_ = nullptr;
  QSpinBox* levelsSpin_ = nullptr;
  QLineEdit* archsEdit_ = nullptr;
  QLineEdit* tolsEdit_ = nullptr;
  QLineEdit* stepsEdit_ = nullptr;
  QSpinBox* batchSpin_ = nullptr;
  QLineEdit* lrEdit_ = nullptr;
  QDoubleSpinBox* wSpin_ = nullptr;
  QLineEdit* initStdEdit_ = nullptr;
  QComboBox* activationBox_ = nullptr;
  QSpinBox* seedSpin_ = nullptr;
  QComboBox* deviceBox_ = nullptr;
  QSpinBox* threadsSpin_ = nullptr;
  QSpinBox* processesSpin_ = nullptr;
  QGroupBox* advancedBox_ = nullptr;
  QComboBox* selectBox_ = nullptr;
  QComboBox* landBox_ = nullptr;
  QDoubleSpinBox* trainFractionSpin_ = nullptr;
  QDoubleSpinBox* valFractionSpin_ = nullptr;
  QLineEdit* slowEdit_ = nullptr;
  QLineEdit* epsEdit_ = nullptr;
  QLineEdit* decayEdit_ = nullptr;
  QCheckBox* constantInitBox_ = nullptr;
  QLabel* errorLabel_ = nullptr;
  QPushButton* trainButton_ = nullptr;
  QPushButton* pauseButton_ = nullptr;
  QPushButton* stopButton_ = nullptr;
  QPushButton* resumeButton_ = nullptr;
  QWidget* settings_ = nullptr;
};

} // namespace mrcae::widgets
