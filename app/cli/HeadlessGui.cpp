#include "HeadlessGui.h"

#include <cerrno>
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
  return std::make_unique<QGuiApplication>(argc, argv);
}

} // namespace mrcae::cli
