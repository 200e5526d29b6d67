#include "TimeSlider.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

namespace mrcae::widgets
{

TimeSlider::TimeSlider(QWidget* parent) : QWidget(parent)
{
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  playButton_ = new QToolButton(this);
  playButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  playButton_->setToolTip(tr("Play / pause through the snapshots"));
  playButton_->setObjectName("playButton");
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setObjectName("timeSlider");
  slider_->setRange(0, 0);
  label_ = new QLabel(this);
  label_->setMinimumWidth(label_->fontMetrics().horizontalAdvance("t = 00000 / 00000"));
  row->addWidget(playButton_);
  row->addWidget(slider_, 1);
  row->addWidget(label_);

  timer_.setInterval(100);
  connect(&timer_, &QTimer::timeout, this, &TimeSlider::step);
  connect(playButton_, &QToolButton::clicked, this, &TimeSlider::togglePlay);
  connect(slider_, &QSlider::valueChanged, this, [this](int v) {
    updateLabel();
    Q_EMIT indexChanged(v);
  });
  setCount(0);
}

void TimeSlider::setCount(int count)
{
  count_ = std::max(0, count);
  const QSignalBlocker block(slider_);
  slider_->setRange(0, std::max(0, count_ - 1));
  setEnabled(count_ > 0);
  if (count_ <= 1)
  {
    pause();
  }
  updateLabel();
}

int TimeSlider::index() const
{
  return slider_->value();
}

void TimeSlider::setIndex(int index)
{
  slider_->setValue(std::clamp(index, 0, std::max(0, count_ - 1)));
}

void TimeSlider::setFramesPerSecond(double fps)
{
  timer_.setInterval(static_cast<int>(1000.0 / std::max(0.5, fps)));
}

void TimeSlider::play()
{
  if (count_ <= 1 || timer_.isActive())
  {
    return;
  }
  timer_.start();
  playButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
  Q_EMIT playingChanged(true);
}

void TimeSlider::pause()
{
  if (!timer_.isActive())
  {
    return;
  }
  timer_.stop();
  playButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  Q_EMIT playingChanged(false);
}

void TimeSlider::togglePlay()
{
  isPlaying() ? pause() : play();
}

void TimeSlider::step()
{
  slider_->setValue(count_ > 0 ? (slider_->value() + 1) % count_ : 0);
}

void TimeSlider::updateLabel()
{
  label_->setText(count_ > 0 ? tr("t = %1 / %2").arg(slider_->value()).arg(count_ - 1) : tr("no data"));
}

} // namespace mrcae::widgets
