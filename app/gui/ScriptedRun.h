#pragma once
// Drives the window without a person, for figures and measurements: `mrcae-studio --measure 30
// --screenshots DIR` generates toy1 (optionally fewer snapshots or steps; or opens a given file), trains while a
// LatencyProbe watches
// the event loop and the VTK frame times, stops, saves screenshots of each view and prints the figures.

#include <QObject>
#include <QString>

#include <vector>

namespace mrcae::app
{

class LatencyProbe;
class MainWindow;

class ScriptedRun : public QObject
{
  Q_OBJECT

public:
  struct Options
  {
    double seconds = 30.0;    ///< train at most this long, then Stop
    int snapshots = 0;        ///< toy1 snapshots (0 = the startup dataset)
    QString dataset;          ///< a dataset file to train on instead of toy1 (read on demand when too large)
    std::vector<int> steps;   ///< steps per level (empty = the preset's)
    int threads = 0;          ///< 0 = the panel's value
    QString screenshotFolder; ///< empty = no screenshots
  };

  ScriptedRun(MainWindow* window, Options options, QObject* parent = nullptr);
  /// Starts once the event loop runs; quits the application with 0 (or 1 on an error) when done.
  void start();

private:
  void begin();
  void finish();
  void saveScreenshots();

  MainWindow* window_;
  Options options_;
  LatencyProbe* probe_ = nullptr;
  bool finishing_ = false;
  int errors_ = 0;
};

} // namespace mrcae::app
