#include "Prefetcher.h"

#include <utility>

namespace mrcae
{

Prefetcher::Prefetcher(Read read) : read_(std::move(read)), thread_([this] { loop(); }) {}

Prefetcher::~Prefetcher()
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void Prefetcher::request(std::vector<int> indices)
{
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    requested_ = std::move(indices);
    pending_ = true;
    ready_ = false;
    error_ = nullptr;
    result_.clear();
  }
  changed_.notify_all();
}

std::vector<float> Prefetcher::take(const std::vector<int>& indices)
{
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if ((pending_ || busy_ || ready_) && requested_ == indices)
    {
      changed_.wait(lock, [this] { return ready_; });
      ready_ = false;
      requested_.clear();
      ++hits_;
      if (error_)
      {
        std::rethrow_exception(std::exchange(error_, nullptr));
      }
      return std::move(result_);
    }
    // Another batch: let the read in flight finish (the reader is not shared between threads), drop it, read.
    changed_.wait(lock, [this] { return !busy_; });
    pending_ = ready_ = false;
    requested_.clear();
    ++misses_;
  }
  std::vector<float> out;
  read_(indices, out);
  return out;
}

void Prefetcher::loop()
{
  std::unique_lock<std::mutex> lock(mutex_);
  while (true)
  {
    changed_.wait(lock, [this] { return quit_ || pending_; });
    if (quit_)
    {
      return;
    }
    pending_ = false;
    busy_ = true;
    const std::vector<int> indices = requested_;
    lock.unlock();
    std::vector<float> out;
    std::exception_ptr error;
    try
    {
      read_(indices, out);
    }
    catch (...)
    {
      error = std::current_exception();
    }
    lock.lock();
    busy_ = false;
    // A newer request while this one was read replaces it (request() waited for !busy_, so this cannot happen
    // before the result is stored).
    result_ = std::move(out);
    error_ = error;
    ready_ = true;
    changed_.notify_all();
  }
}

} // namespace mrcae
