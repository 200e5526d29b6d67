#include "ThreadPriority.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace mrcae::app
{

void lowerCurrentThreadPriority()
{
  thread_local bool lowered = false;
  if (lowered)
  {
    return;
  }
  lowered = true;
#ifdef __linux__
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
#endif
}

} // namespace mrcae::app
