#pragma once
// Measures how well the GUI keeps up: a timer on the GUI thread asks to fire every `intervalMs`; the worst and
// mean gaps between firings are the event-loop latency. It also collects the frame times of the views it
// watches (VTK renders, chart paints) and how many frames per second each drew while it ran.
// With MRCAE_LATENCY_TRACE set, long gaps and slow frames are printed as they happen (finding stalls).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <map>
#include <vector>

namespace mrcae::widgets
{
class CurveView;
class VtkOpenGLWidget;
} // namespace mrcae::widgets

namespace mrcae::app
{

class LatencyProbe : public QObject
{
  Q_OBJECT

public:
  explicit LatencyProbe(int intervalMs = 10, QObject* parent = nullptr);

  void start();
  void stop();
  /// Adds a view whose frames are collected while the probe runs (named by its objectName in the report).
  void watch(mrcae::widgets::VtkOpenGLWidget* view);
  void watch(mrcae::widgets::CurveView* view);

  double worstGapMs() const { return worstGap_; }
  double meanGapMs() const;
  int ticks() const { return static_cast<int>(gaps_.size()); }
  /// Percentile (0..100) of the gaps.
  double gapPercentileMs(double p) const;
  /// Frames of every watched view together.
  int frames() const { return static_cast<int>(frames_.size()); }
  double meanFrameMs() const;
  double worstFrameMs() const;
  double framePercentileMs(double p) const;
  /// Frames one view drew per second of the measurement.
  double framesPerSecond(const QObject* view) const;
  /// Seconds from start() to stop() (or to now while running).
  double seconds() const;
  /// One line with every figure, for logs and the README.
  QString report() const;

private:
  void record(const QObject* view, double ms);

  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = -1;
  qint64 stoppedAt_ = -1;
  double worstGap_ = 0.0;
  std::vector<double> gaps_;
  std::vector<double> frames_;
  std::vector<const QObject*> watched_;
  std::map<const QObject*, int> framesOf_;
  bool running_ = false;
  bool trace_ = false; ///< MRCAE_LATENCY_TRACE set: print every long gap and slow frame to stderr
};

} // namespace mrcae::app
