#include "mrcae/model/ModelDataset.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"

#include <filesystem>

namespace mrcae
{

namespace
{

std::string shape(int t, int h, int w)
{
  return std::to_string(t) + " x " + std::to_string(h) + " x " + std::to_string(w);
}

/// As it is first (no copy needed), then the policies that change the size.
std::optional<ModelDataset> bestFit(const ModelSummary& model, const Dataset& data, const std::string& path)
{
  std::optional<ModelDataset> sizeOnly;
  auto consider = [&](const Dataset& d) {
    if (d.field.t != model.dataT || d.field.h != model.dataH || d.field.w != model.dataW)
    {
      return false;
    }
    const bool same = model.dataHash.empty() || d.contentHash() == model.dataHash;
    if (same || !sizeOnly)
    {
      sizeOnly = ModelDataset{d, path, same};
    }
    return same;
  };
  if (consider(data))
  {
    return sizeOnly;
  }
  for (SizePolicy p : {SizePolicy::Crop, SizePolicy::PadReflect, SizePolicy::PadPeriodic})
  {
    try
    {
      if (consider(data.conformed(model.config.levels, p)))
      {
        return sizeOnly;
      }
    }
    catch (const InputError&)
    {
      // This policy cannot reach the model's size: try the next.
    }
  }
  return sizeOnly;
}

} // namespace

ModelDataset loadModelDataset(const ModelSummary& model, const std::string& path)
{
  ReadOptions options;
  options.maxSnapshots = model.dataT;
  const Dataset d = readDataset(path, options);
  if (d.field.t < model.dataT)
  {
    throw InputError(path + " has " + std::to_string(d.field.t) + " snapshots; the model was trained on " +
                     std::to_string(model.dataT) + ": choose the dataset it was trained on");
  }
  auto fit = bestFit(model, d, path);
  if (!fit)
  {
    throw InputError(path + " is " + shape(d.field.t, d.field.h, d.field.w) + " and cannot be cropped or padded to " +
                     shape(model.dataT, model.dataH, model.dataW) + ", the data the model was trained on");
  }
  return *fit;
}

std::optional<ModelDataset> fitModelDataset(const ModelSummary& model, const Dataset& data)
{
  if (data.field.t != model.dataT)
  {
    return std::nullopt;
  }
  return bestFit(model, data, data.path);
}

std::vector<std::string> datasetCandidates(const ModelSummary& model, const std::string& modelPath)
{
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  if (!model.dataPath.empty() && fs::is_regular_file(model.dataPath, ec))
  {
    out.push_back(model.dataPath);
  }
  if (!model.dataPath.empty())
  {
    const fs::path beside = fs::absolute(modelPath, ec).parent_path() / fs::path(model.dataPath).filename();
    if (fs::is_regular_file(beside, ec) && (out.empty() || !fs::equivalent(beside, out.front(), ec)))
    {
      out.push_back(beside.string());
    }
  }
  return out;
}

} // namespace mrcae
