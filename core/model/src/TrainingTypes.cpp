#include "mrcae/model/TrainingTypes.h"

namespace mrcae
{

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
