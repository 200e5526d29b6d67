#include "mrcae/model/TrainingTypes.h"

#include "mrcae/model/InputError.h"

namespace mrcae
{

std::string toString(StopReason r)
{
  switch (r)
  {
  case StopReason::MaxSteps: return "max_steps";
  case StopReason::Tolerance: return "tolerance";
  case StopReason::SlowProgress: return "slow_convergence";
  case StopReason::UserStop: return "stopped";
  case StopReason::Diverged: return "diverged";
  }
  return "max_steps";
}

StopReason stopReasonFromString(const std::string& s)
{
  for (StopReason r : {StopReason::MaxSteps, StopReason::Tolerance, StopReason::SlowProgress, StopReason::UserStop,
                       StopReason::Diverged})
  {
    if (toString(r) == s)
    {
      return r;
    }
  }
  throw InputError("unknown stop reason '" + s + "'");
}

void StopToken::requestStop()
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop.store(true);
  }
  changed_.notify_all();
}

void StopToken::setPaused(bool paused)
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = paused;
  }
  changed_.notify_all();
}

bool StopToken::paused() const
{
  std::lock_guard<std::mutex> lock(mutex_);
  return paused_;
}

void StopToken::reset()
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop.store(false);
    paused_ = false;
  }
  changed_.notify_all();
}

void StopToken::waitWhilePaused()
{
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !paused_ || stop.load(); });
}

} // namespace mrcae
