#pragma once
// Reads the next batch of snapshots in the background while the current step computes (issue 15, streamed
// training): one thread, one slot. Plain C++; the reader is a function.

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mrcae
{

class Prefetcher
{
public:
  /// Reads snapshots `indices` into `out` (indices.size() frames); may throw (the error reaches take()).
  using Read = std::function<void(const std::vector<int>& indices, std::vector<float>& out)>;

  explicit Prefetcher(Read read);
  ~Prefetcher();
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  /// Starts reading `indices` in the background (after the read in flight, if any; a batch read ahead and not
  /// taken is dropped).
  void request(std::vector<int> indices);
  /// Snapshots `indices`: the batch read ahead when it is this one (waiting for it if need be), else read now on
  /// the calling thread. Rethrows the background read's error.
  std::vector<float> take(const std::vector<int>& indices);

  /// How many takes found their batch read ahead, and how many read it themselves (for tests and benchmarks).
  long long hits() const { return hits_; }
  long long misses() const { return misses_; }

private:
  void loop();

  Read read_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<int> requested_; ///< the batch asked for (read or being read)
  bool pending_ = false;       ///< requested_ waits for the thread
  bool busy_ = false;          ///< the thread is reading requested_
  bool ready_ = false;         ///< result_ holds requested_
  bool quit_ = false;
  std::vector<float> result_;
  std::exception_ptr error_;
  long long hits_ = 0, misses_ = 0;
  std::thread thread_;
};

} // namespace mrcae
