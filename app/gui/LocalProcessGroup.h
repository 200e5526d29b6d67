#pragma once
// The Train tab's "Processes" setting (issue 15): a run over N processes on this machine, of which the window's
// training thread is rank 0 (it shows the run, autosaves and saves) and N − 1 are the command-line tool's
// `mrcae train`, started here with the same data and settings (LocalRanks). They meet over c10d (RankGroup); the
// trainer then agrees with them on every step. Used on the training thread only.

#include "TrainingRequest.h"

#include "mrcae/engine/LocalRanks.h"
#include "mrcae/engine/RankGroup.h"

#include <QTemporaryDir>

#include <memory>
#include <string>
#include <vector>

namespace mrcae::app
{

class LocalProcessGroup
{
public:
  /// Writes what the other processes read into a temporary folder (the settings, and for loaded data the dataset
  /// before fitting), starts them, joins the group as rank 0 and checks that the written dataset fits back to
  /// exactly `request.data`. Throws InputError when that cannot work (a build without c10d, no `mrcae` beside the
  /// application, the folder cannot be written, the data would differ) and RankError when a process does not
  /// arrive (saying which and, when it ended, what it printed last).
  explicit LocalProcessGroup(const TrainingRequest& request);
  /// Ends the processes still running and removes the folder.
  ~LocalProcessGroup();
  LocalProcessGroup(const LocalProcessGroup&) = delete;
  LocalProcessGroup& operator=(const LocalProcessGroup&) = delete;

  const std::shared_ptr<mrcae::RankGroup>& group() const { return group_; }
  int size() const { return size_; }
  /// The temporary folder (removed with this object).
  std::string folder() const { return folder_.path().toStdString(); }

  /// After the run: waits (up to the rank timeout) for the others to end. "" when they all ended well, else one
  /// line naming the process and what it said.
  std::string finish();
  /// After a RankError: which process is to blame and why, in one line (waits a little for the exits).
  std::string failure();
  /// Ends the other processes now (after a failure in this one: they wait for it inside a collective).
  void stop();

private:
  /// Waits until every started process has ended or `seconds` have passed, then ends the rest.
  std::vector<mrcae::LocalRanks::Exit> waitForExits(double seconds);
  std::string describe(const std::vector<mrcae::LocalRanks::Exit>& exits) const;

  QTemporaryDir folder_;
  int size_ = 1;
  double timeoutSeconds_ = 60;
  std::vector<std::string> arguments_; ///< every other process's command line (they differ in their environment)
  std::unique_ptr<mrcae::LocalRanks> ranks_;
  std::shared_ptr<mrcae::RankGroup> group_;
};

} // namespace mrcae::app
