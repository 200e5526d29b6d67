#pragma once
// Hostile and broken inputs (issue 12 §3), each made by the test itself from a good toy2 dataset and a good
// tiny model: truncated and byte-flipped files, lying headers, huge shapes, wrong dtypes, NaN/Inf/constant
// fields, models with wrong, missing or oversized weights, attributes of the wrong type, folders where files
// belong. The same table drives the command line (tests/cli/test_hostile_cli.cpp: exit code 2 and one line)
// and the application's open paths (tests/app/test_hostile_gui.cpp: one dialog, the session goes on).

#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace hostile
{

/// Which reader a case attacks, and so how a front end is pointed at it.
enum class Target
{
  Dataset, ///< opened as training data (mrcae train FILE; File > Open Dataset)
  Model,   ///< opened as a model with the good dataset (mrcae eval FILE good.h5; File > Open Model)
  Import   ///< imported as NetCDF (mrcae import FILE --var u -o OUT.h5; File > Open, whose import dialog lists it)
};

/// The good inputs every case starts from, in one folder.
struct Fixtures
{
  QString dir;
  QString goodH5;    ///< toy2, 12 x 31 x 31, our HDF5 layout
  QString goodNpy;   ///< the same field as .npy
  QString goodModel; ///< a model trained a few steps on goodH5 (L = 2)
  QString goodNc;    ///< the same field as classic NetCDF, variable u(time, y, x) (empty without NetCDF support)
};

struct Case
{
  const char* name;
  Target target;
  /// Writes the hostile input into `f.dir` and returns its path (a file or a folder).
  std::function<QString(const Fixtures& f)> make;
  /// What the one-line message must say besides the file's name (each, case-insensitive).
  QStringList fragments;
  /// Extra arguments a front end needs for this case (e.g. --mask FILE), with {dir} replaced by f.dir.
  QStringList extraCliArgs = {};
};

/// Writes the good inputs into `dir` (the model with the engine, so no `mrcae` process is needed).
Fixtures makeFixtures(const QString& dir);

/// Every case; names are unique.
const std::vector<Case>& cases();
/// The case called `name`, or null.
const Case* findCase(const QString& name);

/// One line saying why `message` is not an acceptable refusal of `c` at `path`, or empty when it is: it
/// names the file, says each fragment, is one line, and is no internal error.
QString judge(const Case& c, const QString& path, const QString& message);

} // namespace hostile
