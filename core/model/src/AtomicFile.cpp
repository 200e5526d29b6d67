#include "mrcae/model/AtomicFile.h"

#include "mrcae/model/InputError.h"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <signal.h>
#include <system_error>
#include <unistd.h>

namespace mrcae
{

namespace
{

std::function<void(const std::string&)>& writeHook()
{
  static std::function<void(const std::string&)> hook;
  return hook;
}

/// fsync, so that the data (or the folder entry) survives a crash, not only a kill. Folders of file systems
/// that cannot sync them (EINVAL) are left as they are.
void syncToDisk(const std::filesystem::path& p, bool folder)
{
  const int fd = ::open(p.c_str(), folder ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0)
  {
    if (folder)
    {
      return;
    }
    throw std::system_error(errno, std::generic_category(), "open " + p.string());
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && !(folder && (err == EINVAL || err == EROFS)))
  {
    throw std::system_error(err, std::generic_category(), "fsync " + p.string());
  }
}

/// `.NAME.tmp<pid>-<n>`: the process id says whose it is, the counter keeps two writes of one process apart.
std::string temporaryName(const std::string& name)
{
  static std::atomic<unsigned long> counter{0};
  return "." + name + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

/// Removes temporaries of `name` whose process no longer exists: what a kill during a write leaves behind.
void removeStaleTemporaries(const std::filesystem::path& dir, const std::string& name)
{
  const std::string prefix = "." + name + ".tmp";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
  {
    const std::string file = entry.path().filename().string();
    if (file.size() <= prefix.size() || file.compare(0, prefix.size(), prefix) != 0)
    {
      continue;
    }
    const std::string rest = file.substr(prefix.size());
    const std::string digits = rest.substr(0, rest.find('-'));
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH)
    {
      std::error_code ignored;
      std::filesystem::remove(entry.path(), ignored);
    }
  }
}

} // namespace

void setAtomicWriteHook(std::function<void(const std::string&)> hook)
{
  writeHook() = std::move(hook);
}

void writeFileAtomically(const std::string& path, const std::function<void(const std::string&)>& write)
{
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
  {
    throw InputError(path + ": the folder " + dir.string() + " does not exist: create it or choose another");
  }
  if (fs::is_directory(target, ec))
  {
    throw InputError(path + ": is a folder: give a file name");
  }
  removeStaleTemporaries(dir, target.filename().string());
  const fs::path tmp = dir / temporaryName(target.filename().string());
  try
  {
    write(tmp.string());
    if (writeHook())
    {
      writeHook()(tmp.string());
    }
    syncToDisk(tmp, false);
    fs::rename(tmp, target);
    syncToDisk(dir, true);
  }
  catch (const std::system_error& e)
  {
    fs::remove(tmp, ec);
    throw InputError(path + ": cannot write the file (" + std::string(e.what()) + "): check the disk and the folder");
  }
  catch (...)
  {
    fs::remove(tmp, ec);
    throw;
  }
}

} // namespace mrcae
