#include "HeadlessGui.h"

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace mrcae::cli
{

std::unique_ptr<QGuiApplication> guiApplicationIfNone()
{
  if (QGuiApplication::instance())
  {
    return nullptr;
  }
  if (std::getenv("QT_QPA_PLATFORM") == nullptr)
  {
    setenv("QT_QPA_PLATFORM", "offscreen", 0);
  }
  // Qt warns on stderr without a private runtime folder; commands keep stderr for progress and errors.
  if (std::getenv("XDG_RUNTIME_DIR") == nullptr)
  {
    const std::string dir = "/tmp/mrcae-runtime-" + std::to_string(::getuid());
    if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST)
    {
      setenv("XDG_RUNTIME_DIR", dir.c_str(), 0);
    }
  }
  static int argc = 1;
  static char name[] = "mrcae";
  static char* argv[] = {name, nullptr};
  auto app = std::make_unique<QGuiApplication>(argc, argv);
  // QGuiApplication has just called setlocale(LC_ALL, ""): printf and strtod would write and read "0,5" under
  // a German locale from here on, in the tables and files the command writes after its figures. Back to "C".
  std::setlocale(LC_NUMERIC, "C");
  return app;
}

} // namespace mrcae::cli
