#pragma once
// Starts the ranks of a group on this machine as child processes and watches them (issue 15): what `mrcae train
// --ranks N` does, and what the application does for its "processes" setting (it is rank 0 itself and starts
// ranks 1..N-1 running `mrcae train` with the same data and settings). Each child gets torchrun's environment
// (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR=127.0.0.1, MASTER_PORT) and MRCAE_LAUNCHED=1 (a launched rank leaves
// the report of a lost rank to the launcher). No LibTorch here. POSIX.

#include <optional>
#include <string>
#include <vector>

namespace mrcae
{

class LocalRanks
{
public:
  struct Options
  {
    std::string executable;             ///< the program every rank runs (mrcae)
    std::vector<std::string> arguments; ///< its arguments (without the program name)
    int worldSize = 2;
    int firstRank = 0;        ///< ranks firstRank..worldSize-1 are started (1 when the caller is rank 0 itself)
    int port = 0;             ///< MASTER_PORT; 0 = a free port of 127.0.0.1
    bool quietWorkers = true; ///< ranks other than 0 write nothing to the terminal (rank 0 reports for all)
    /// With quietWorkers: the folder where rank r's output goes (rank-r.log) instead of nowhere, so that a caller
    /// without a terminal can say why a rank failed.
    std::string logFolder;
  };

  /// How a rank ended.
  struct Exit
  {
    int rank = -1;
    int code = 0;                 ///< exit code (when signal is 0)
    int signal = 0;               ///< the signal that ended it, or 0
    bool lostAnother = false;     ///< it ended because another rank was gone (exit code 3, RankError)
    bool endedByLauncher = false; ///< still running after the others had failed: ended by terminate()
    std::string describe() const; ///< "exited with code 2", "was killed by signal 9", "stopped responding"
  };

  /// Starts the ranks. Throws InputError when a process cannot be started.
  explicit LocalRanks(Options options);
  /// Ends the ranks still running (SIGTERM, then SIGKILL after two seconds).
  ~LocalRanks();
  LocalRanks(const LocalRanks&) = delete;
  LocalRanks& operator=(const LocalRanks&) = delete;

  int port() const { return port_; }
  /// Process ids, by rank (0 for ranks this object did not start).
  const std::vector<int>& pids() const { return pids_; }

  /// The ranks that have ended since the last call (without waiting).
  std::vector<Exit> poll();
  /// Waits until every rank has ended, or one failed: then gives the others `graceSeconds` to end on their own
  /// (they notice the loss within their timeout) and ends the rest. Returns every rank's exit, by rank.
  std::vector<Exit> wait(double graceSeconds);
  /// Which rank is to blame in `exits` (wait()'s): a rank that died or failed by itself, else one that had
  /// stopped responding (ended by the launcher), else one that only lost another; nullopt when all succeeded.
  static std::optional<Exit> culprit(const std::vector<Exit>& exits);
  /// Ends every rank still running.
  void terminate();

  /// The last line rank `rank` wrote to its log ("" when none).
  std::string lastLogLine(int rank) const;

  /// A free TCP port on 127.0.0.1 (for MASTER_PORT).
  static int freePort();

private:
  /// Where rank `rank`'s output goes (Options::logFolder), "" without a log folder.
  std::string logPath(int rank) const;

  Options options_;
  int port_ = 0;
  std::vector<int> pids_;
  std::vector<std::optional<Exit>> exits_;
};

} // namespace mrcae
