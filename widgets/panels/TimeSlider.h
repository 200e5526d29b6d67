#pragma once
// The time slider every view follows: play/pause, a slider over the snapshots and the index shown.

#include <QTimer>
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace mrcae::widgets
{

class TimeSlider : public QWidget
{
  Q_OBJECT

public:
  explicit TimeSlider(QWidget* parent = nullptr);

  /// Number of snapshots; the index is clamped into 0..count−1.
  void setCount(int count);
  int count() const { return count_; }
  int index() const;
  void setIndex(int index);
  bool isPlaying() const { return timer_.isActive(); }
  /// Frames per second while playing.
  void setFramesPerSecond(double fps);

public Q_SLOTS:
  void play();
  void pause();
  void togglePlay();

Q_SIGNALS:
  void indexChanged(int index);
  void playingChanged(bool playing);

private:
  void step();
  void updateLabel();

  QToolButton* playButton_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* label_ = nullptr;
  QTimer timer_;
  int count_ = 0;
};

} // namespace mrcae::widgets
