#include "Checkpoint.h"

#include "MrcaeModel.h"

namespace mrcae
{

DatasetDescription DatasetDescription::of(const Dataset& data)
{
  DatasetDescription d;
  d.path = data.path;
  d.hash = data.contentHash();
  d.name = data.name;
  d.t = data.field.t;
  d.h = data.field.h;
  d.w = data.field.w;
  d.originalMin = data.originalMin;
  d.originalMax = data.originalMax;
  d.cropTop = data.cropTop;
  d.cropLeft = data.cropLeft;
  d.valid = data.valid;
  return d;
}

std::vector<Checkpoint::Parameter> Checkpoint::parameterLayout(const ArchitectureInfo& architecture)
{
  std::vector<Parameter> out;
  for (int k = 0; k < architecture.levels; ++k)
  {
    for (size_t g = 0; g < architecture.groupChannels[k].size(); ++g)
    {
      const int64_t n = architecture.groupChannels[k][g];
      const std::string enc = MrcaeModelImpl::encoderName(k, static_cast<int>(g));
      const std::string dec = MrcaeModelImpl::decoderName(k, static_cast<int>(g));
      // Conv2d (n,1,3,3) + (n); ConvTranspose2d (n,1,3,3) + (1).
      out.push_back({enc + "/weight", {n, 1, 3, 3}});
      out.push_back({enc + "/bias", {n}});
      out.push_back({dec + "/weight", {n, 1, 3, 3}});
      out.push_back({dec + "/bias", {1}});
    }
  }
  return out;
}

} // namespace mrcae
