#include "Checkpoint.h"

namespace mrcae
{

DatasetDescription DatasetDescription::of(const Dataset& data)
{
  return of(data, data.contentHash());
}

DatasetDescription DatasetDescription::of(const Dataset& data, std::string hash)
{
  DatasetDescription d;
  d.path = data.path;
  d.hash = std::move(hash);
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

MrcaeModel Checkpoint::network(const torch::Device& device) const
{
  MrcaeModel model(config.levels, config.activation, config.useMaps());
  model->to(device);
  torch::NoGradGuard noGrad;
  size_t i = 0;
  auto load = [&](torch::Tensor& param) { param.copy_(parameters.at(i++).to(param.device())); };
  for (int k = 0; k < config.levels; ++k)
  {
    for (size_t g = 0; g < architecture.groupChannels[k].size(); ++g)
    {
      const int gi = static_cast<int>(g);
      model->addGroup(k, architecture.groupChannels[k][g]);
      load(model->encoder(k, gi)->weight);
      load(model->encoder(k, gi)->bias);
      load(model->decoder(k, gi)->weight);
      load(model->decoder(k, gi)->bias);
    }
  }
  for (int k = 0; k < config.levels; ++k)
  {
    model->setLevelClear(k, architecture.levelClear[k]);
    const auto& maps = k < static_cast<int>(resolvedMaps.size()) ? resolvedMaps[k] : std::vector<torch::Tensor>();
    for (size_t g = 0; g < maps.size(); ++g)
    {
      if (maps[g].defined())
      {
        model->setResolvedMap(k, static_cast<int>(g), maps[g].to(device));
      }
    }
  }
  return model;
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
