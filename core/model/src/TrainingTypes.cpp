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

} // namespace mrcae
