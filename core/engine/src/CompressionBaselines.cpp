#include "mrcae/engine/CompressionBaselines.h"

#include "mrcae/engine/PodBaseline.h"
#include "mrcae/engine/ZfpBaseline.h"
#include "mrcae/model/SnapshotSource.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mrcae
{

namespace
{

std::string describe(ZfpMode mode, double parameter)
{
  std::ostringstream o;
  o.imbue(std::locale::classic());
  if (mode == ZfpMode::FixedRate)
  {
    o << "rate " << parameter << " bits/value";
  }
  else
  {
    o << "tolerance 2^" << static_cast<int>(std::lround(std::log2(parameter)));
  }
  return o.str();
}

} // namespace

std::vector<CompressionResult> podAgainstStages(const Dataset& data, const Split& split, const TrainingConfig& config,
                                                const std::vector<long long>& targetValues, StopToken* stop)
{
  std::vector<CompressionResult> out;
  if (targetValues.empty() || (stop && stop->stopRequested()))
  {
    return out;
  }
  DatasetSource source(data);
  const PodBasis pod = PodBasis::compute(source, split.train);
  std::vector<int> ranks;
  for (long long v : targetValues)
  {
    ranks.push_back(static_cast<int>(std::min<long long>(std::max<long long>(v, 0), pod.modes())));
  }
  const auto val = pod.errors(source, split.val, ranks, config.w, config.landMask);
  const auto test = split.test.empty() ? std::vector<LevelErrors>(ranks.size())
                                       : pod.errors(source, split.test, ranks, config.w, config.landMask);
  for (size_t i = 0; i < ranks.size(); ++i)
  {
    CompressionResult r;
    r.setting = "rank " + std::to_string(ranks[i]);
    r.matchedStage = static_cast<int>(i);
    r.parameter = ranks[i];
    r.onceBytes = pod.onceBytes(ranks[i]);
    r.bytesPerSnapshot = static_cast<double>(PodBasis::bytesPerSnapshot(ranks[i]));
    r.val = val[i];
    r.test = test[i];
    out.push_back(r);
  }
  return out;
}

std::vector<CompressionResult> zfpAgainstStages(const Dataset& data, const Split& split, const TrainingConfig& config,
                                                const std::vector<long long>& targetValues, bool fixedRate,
                                                StopToken* stop)
{
  const ZfpMode mode = fixedRate ? ZfpMode::FixedRate : ZfpMode::FixedAccuracy;
  DatasetSource source(data);
  std::vector<CompressionResult> out;
  for (size_t i = 0; i < targetValues.size(); ++i)
  {
    if (stop && stop->stopRequested())
    {
      break;
    }
    CompressionResult r;
    r.matchedStage = static_cast<int>(i);
    const double target = 4.0 * static_cast<double>(targetValues[i]);
    r.parameter = zfpParameterForBytes(source, split.val, mode, target);
    if (r.parameter <= 0)
    {
      r.fits = false;
      r.setting = "none fits " + std::to_string(static_cast<long long>(target)) + " bytes";
      out.push_back(r);
      continue;
    }
    const ZfpResult v = evaluateZfp(source, split.val, mode, r.parameter, config.w, config.landMask);
    r.parameter = v.parameter;
    r.setting = describe(mode, v.parameter);
    r.onceBytes = v.onceBytes;
    r.bytesPerSnapshot = v.bytesPerSnapshot;
    r.val = v.errors;
    if (!split.test.empty())
    {
      r.test = evaluateZfp(source, split.test, mode, v.parameter, config.w, config.landMask).errors;
    }
    out.push_back(r);
  }
  return out;
}

} // namespace mrcae
