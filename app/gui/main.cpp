// mrcae-studio: the desktop application. Sets up malloc, OpenGL and Qt in the order they need, opens the main
// window with the bundled toy1 (or the dataset named on the command line), or runs a scripted measurement.

#include "ApplicationSetup.h"
#include "MainWindow.h"
#include "ScriptedRun.h"
#include "TrainingPanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

namespace
{

/// The command line, shared by the display-less --help path and the application.
struct CommandLine
{
  QCommandLineParser parser;
  QCommandLineOption measure{"measure",
                             "Train toy1 for at most <seconds>, print event-loop latency and frame times, "
                             "then quit.",
                             "seconds"};
  QCommandLineOption screenshots{"screenshots", "With --measure: save pictures of every view into <folder>.", "folder"};
  QCommandLineOption snapshots{"snapshots", "With --measure: generate toy1 with <n> snapshots.", "n"};
  QCommandLineOption steps{"steps", "With --measure: steps per level, e.g. 200,150,100.", "list"};
  QCommandLineOption threads{"threads", "With --measure: trainer threads.", "n"};
  QCommandLineOption processes{"processes",
                               "Processes that train together on this machine (the Training panel's Processes; "
                               "the others run mrcae train).",
                               "n"};
  QCommandLineOption screenshot{"screenshot",
                                "Save a picture of the window into <file.png> once the dataset is "
                                "shown, then quit.",
                                "file.png"};
  QCommandLineOption loadLimit{"load-limit",
                               "Datasets whose full load takes more than <GB> are read one snapshot at a time, "
                               "and training on them reads the file in batches within <GB> for the whole "
                               "process (default: half the memory available, and what the machine has).",
                               "GB"};

  CommandLine()
  {
    parser.setApplicationDescription("Trains multiresolution convolutional autoencoders and shows them grow.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("dataset", "An HDF5 (.h5) or .npy dataset to open instead of the sample.");
    parser.addOptions({measure, screenshots, snapshots, steps, threads, processes, loadLimit, screenshot});
  }
};

bool asksForHelpOrVersion(int argc, char** argv)
{
  for (int i = 1; i < argc; ++i)
  {
    const QByteArray a(argv[i]);
    if (a == "--help" || a == "-h" || a == "--help-all" || a == "--version" || a == "-v")
    {
      return true;
    }
  }
  return false;
}

} // namespace

int main(int argc, char** argv)
{
  const bool hasDisplay = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
                          qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
  if (!hasDisplay)
  {
    // Help needs no display; anything else would abort inside Qt's platform plugin.
    if (asksForHelpOrVersion(argc, argv))
    {
      QCoreApplication core(argc, argv);
      mrcae::app::ApplicationSetup::afterQApplication();
      QCoreApplication::setApplicationVersion(MRCAE_STUDIO_VERSION);
      CommandLine cl;
      cl.parser.process(core);
      return 0;
    }
    std::fprintf(stderr, "mrcae-studio: no display (DISPLAY is not set): run it on a desktop, or headless as "
                         "xvfb-run -a -s '-screen 0 1280x800x24' mrcae-studio\n");
    return 2;
  }

  // mallopt(M_MMAP_THRESHOLD / M_TRIM_THRESHOLD, 1 << 30), the GL format, AA_ShareOpenGLContexts: all before
  // the QApplication and the first GL context exist.
  mrcae::app::ApplicationSetup::beforeQApplication();
  QApplication app(argc, argv);
  mrcae::app::ApplicationSetup::afterQApplication();
  QApplication::setOrganizationName("MrCAE");
  QApplication::setApplicationName("MrCAE Studio");
  QApplication::setApplicationVersion(MRCAE_STUDIO_VERSION);

  CommandLine cl;
  QCommandLineParser& parser = cl.parser;
  const QCommandLineOption& measure = cl.measure;
  const QCommandLineOption& screenshots = cl.screenshots;
  const QCommandLineOption& snapshots = cl.snapshots;
  const QCommandLineOption& steps = cl.steps;
  const QCommandLineOption& threads = cl.threads;
  const QCommandLineOption& processes = cl.processes;
  const QCommandLineOption& loadLimit = cl.loadLimit;
  const QCommandLineOption& screenshot = cl.screenshot;
  parser.process(app);

  if (QGuiApplication::platformName() == "offscreen" || QGuiApplication::platformName() == "minimal")
  {
    // Qt 6.4 has no OpenGL widgets there and crashes inside Qt (notes/qt6-vtk.md §8).
    std::fprintf(stderr, "mrcae-studio needs a display with OpenGL (xcb); run it under xvfb-run when headless.\n");
    return 2;
  }

  mrcae::app::MainWindow window;
  window.show();
  if (parser.isSet(processes))
  {
    bool ok = false;
    const int n = parser.value(processes).toInt(&ok);
    if (!ok || n < 1 || n > 64)
    {
      std::fprintf(stderr, "mrcae-studio: --processes wants a whole number from 1 to 64, not '%s'\n",
                   qPrintable(parser.value(processes)));
      return 2;
    }
    window.trainingPanel()->setProcesses(n);
  }

  if (parser.isSet(loadLimit))
  {
    bool ok = false;
    const double gb = parser.value(loadLimit).toDouble(&ok);
    if (!ok || !(gb >= 0.0) || gb > 1e6)
    {
      std::fprintf(stderr, "mrcae-studio: --load-limit wants a size in GB (e.g. 4 or 0.5), not '%s'\n",
                   qPrintable(parser.value(loadLimit)));
      return 2;
    }
    window.setOnDemandLimit(static_cast<qint64>(gb * 1e9));
  }
  if (parser.isSet(measure))
  {
    mrcae::app::ScriptedRun::Options o;
    o.seconds = parser.value(measure).toDouble();
    o.snapshots = parser.value(snapshots).toInt();
    o.threads = parser.value(threads).toInt();
    o.screenshotFolder = parser.value(screenshots);
    o.dataset = parser.positionalArguments().value(0);
    for (const QString& s : parser.value(steps).split(',', Qt::SkipEmptyParts))
    {
      o.steps.push_back(s.toInt());
    }
    auto* run = new mrcae::app::ScriptedRun(&window, o, &window);
    run->start();
    return QApplication::exec();
  }

  const QStringList files = parser.positionalArguments();
  QTimer::singleShot(0, &window, [&window, files] {
    if (files.isEmpty() || !window.openDataset(files.first()))
    {
      if (!window.dataset() && !window.onDemandDataset())
      {
        window.loadStartupDataset();
      }
    }
  });
  if (parser.isSet(screenshot))
  {
    // Two seconds: the views render their first frames after the dataset is shown.
    const QString file = parser.value(screenshot);
    QTimer::singleShot(2000, &window, [&window, file] {
      const bool saved = window.grab().save(file);
      std::fprintf(saved ? stdout : stderr, saved ? "window saved to %s\n" : "mrcae-studio: cannot write %s\n",
                   qPrintable(file));
      QApplication::exit(saved ? 0 : 1);
    });
  }
  return QApplication::exec();
}
