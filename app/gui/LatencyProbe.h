#pragma once
// Measures how well the GUI keeps up: a timer on the GUI thread asks to fire every `intervalMs`; the worst and
// mean gaps between firings are the event-loop latency. It also collects the render times of VTK views.
// With MRCAE_LATENCY_TRACE set, long gaps and slow frames are printed as they happen (finding stalls).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

namespace mrcae::widgets
{
class VtkOpenGLWidget;
}

namespace mrcae::app
{

class LatencyProbe : public QObject
{
  Q_OBJECT

public:
  explicit LatencyProbe(int intervalMs = 10, QObject* parent = nullptr);

  void start();
  void stop();
  /// Adds a view whose frame times are collected while the probe runs.
  void watch(mrcae::widgets::VtkOpenGLWidget* view);

  double worstGapMs() const { return worstGap_; }
  double meanGapMs() const;
  int ticks() const { return static_cast<int>(gaps_.size()); }
  /// Percentile (0..100) of the gaps.
  double gapPercentileMs(double p) const;
  int frames() const { return static_cast<int>(frames_.size()); }
  double meanFrameMs() const;
  double worstFrameMs() const;
  double framePercentileMs(double p) const;
  /// One line with every figure, for logs and the README.
  QString report() const;

private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = -1;
  double worstGap_ = 0.0;
  std::vector<double> gaps_;
  std::vector<double> frames_;
  bool running_ = false;
  bool trace_ = false; ///< MRCAE_LATENCY_TRACE set: print every long gap and slow frame to stderr
};

} // namespace mrcae::app
