#include "ThreadPriority.h"

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
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
  // SCHED_IDLE: the thread runs only on CPU time nothing else wants, so the GUI thread, the GL rasteriser threads
  // and the X server never wait for it (nice 19 alone still gives it a slice on a busy 2-core machine). Nice 19
  // stays as the fallback where the policy is refused.
  sched_param param{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &param) != 0)
  {
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
  }
#endif
}

} // namespace mrcae::app
