#pragma once
// How every command-line test runs `mrcae` (the MRCAE_BIN its CMake target defines): in a folder, as a user's
// shell would, keeping the exit code and both outputs. A run past its time is killed and reported as such.

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace clitest
{

struct Result
{
  int code = -1; ///< the exit code; -1 when it crashed or was killed
  QString out;
  QString err;
  bool timedOut = false;
};

/// Runs mrcae with `args` in `folder`, with `environment` (default: this process's).
inline Result runMrcae(const QStringList& args, const QString& folder, int timeoutMs = 240000,
                       const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
  QProcess p;
  p.setProcessEnvironment(environment);
  p.setWorkingDirectory(folder);
  p.start(MRCAE_BIN, args);
  Result r;
  if (!p.waitForFinished(timeoutMs))
  {
    p.kill();
    p.waitForFinished();
    r.timedOut = true;
  }
  r.code = !r.timedOut && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

} // namespace clitest
