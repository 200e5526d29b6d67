#pragma once
// The error of a run spread over several processes (issue 15) that lost one of them: a rank died, was killed,
// or never arrived. No LibTorch here.

#include <stdexcept>
#include <string>
#include <utility>

namespace mrcae
{

/// A rank of the group is gone. The message is one line naming the rank and what to do. Nothing was written
/// after the loss: rank 0's last autosave (written after the last complete stage) is the run to resume.
class RankError : public std::runtime_error
{
public:
  /// `lostRank` < 0: not known which.
  RankError(const std::string& message, int lostRank) : std::runtime_error(message), lostRank_(lostRank) {}
  int lostRank() const { return lostRank_; }

private:
  int lostRank_;
};

} // namespace mrcae
