#include "ModelFile.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/StageTable.h"
#ifdef MRCAE_WITH_HDF5
#include "ModelFileFormat.h"
#endif

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#ifndef MRCAE_VERSION
#define MRCAE_VERSION "0.0.0"
#endif

namespace mrcae
{

#ifdef MRCAE_WITH_HDF5

namespace
{

using namespace modelfile;

std::vector<hsize_t> dimsOf(const torch::Tensor& t)
{
  std::vector<hsize_t> d;
  for (auto s : t.sizes())
  {
    d.push_back(static_cast<hsize_t>(s));
  }
  return d;
}

void writeTensor(H5::Group& g, const std::string& name, const torch::Tensor& t)
{
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  h5::writeFloats(g, name, dimsOf(c), c.data_ptr<float>());
}

torch::Tensor readTensor(const H5::Group& g, const std::string& name)
{
  H5::DataSet ds = g.openDataSet(name);
  std::vector<int64_t> sizes;
  for (hsize_t d : h5::shapeOf(ds))
  {
    sizes.push_back(static_cast<int64_t>(d));
  }
  std::vector<float> v = h5::readFloats(ds);
  return torch::from_blob(v.data(), sizes, torch::kFloat32).clone();
}

/// Number of bytes of a LibTorch CPU generator's state (the size set_state accepts).
int64_t generatorStateSize()
{
  return at::make_generator<at::CPUGeneratorImpl>(0).get_state().numel();
}

/// The last stage's state, for exact resume (see ModelFile.h). Written whenever there is one: a stage that
/// ended on its own can still be given more steps.
void writeStageState(H5::H5File& file, const Checkpoint& c)
{
  const StageProgress& p = c.lastStage;
  const auto layout = Checkpoint::parameterLayout(c.architecture);
  if (p.empty() || c.stages.empty() || p.current.size() != layout.size())
  {
    return;
  }
  const StageRecord& rec = c.stages.back();
  H5::Group g = file.createGroup("optimizer");
  h5::writeInt(g, "stage", rec.stage);
  h5::writeInt(g, "level", rec.level);
  h5::writeInt(g, "group", rec.group);
  h5::writeInt(g, "steps", p.steps);
  h5::writeInt(g, "max_steps", p.maxSteps);
  h5::writeInt(g, "budget", p.budget);
  h5::writeInt(g, "open", p.open ? 1 : 0);
  h5::writeString(g, token(StageField::StopReason), toString(p.reason));
  h5::writeInt(g, "best_step", p.bestStep);
  h5::writeDouble(g, "best_score", p.bestScore);
  h5::writeDouble(g, "rule_previous_average", p.rule.previousAverage);
  h5::writeDoubles(g, "rule_window", {p.rule.window.size()}, p.rule.window.data());
  torch::Tensor gen = p.generator.to(torch::kCPU, torch::kUInt8).contiguous();
  h5::writeBytes(g, "generator", {static_cast<hsize_t>(gen.numel())}, gen.data_ptr<uint8_t>());
  H5::Group current = g.createGroup("current"), best = g.createGroup("best"), adam = g.createGroup("adam");
  for (size_t i = 0; i < layout.size(); ++i)
  {
    const std::string& name = layout[i].name;
    writeTensor(current, name, p.current[i]);
    writeTensor(best, name, p.best[i]);
    if (p.adam[i].expAvg.defined())
    {
      writeTensor(adam, name + "/exp_avg", p.adam[i].expAvg);
      writeTensor(adam, name + "/exp_avg_sq", p.adam[i].expAvgSq);
      H5::Group pg = adam.openGroup(name);
      h5::writeInt(pg, "step", p.adam[i].step);
    }
  }
}

/// Names two levels down (module/parameter) under `g`.
std::set<std::string> parameterEntries(const H5::Group& g)
{
  std::set<std::string> out;
  for (hsize_t i = 0; i < g.getNumObjs(); ++i)
  {
    const std::string module = g.getObjnameByIdx(i);
    if (g.childObjType(module) != H5O_TYPE_GROUP)
    {
      out.insert(module);
      continue;
    }
    H5::Group m = g.openGroup(module);
    for (hsize_t j = 0; j < m.getNumObjs(); ++j)
    {
      out.insert(module + "/" + m.getObjnameByIdx(j));
    }
  }
  return out;
}

/// Reads /optimizer into c.lastStage after the architecture and the history; anything that does not fit the
/// model and its history is refused with the reason.
void readStageState(const std::string& path, H5::H5File& file, Checkpoint& c)
{
  if (!file.nameExists("optimizer"))
  {
    return;
  }
  auto refuse = [&](const std::string& why) {
    throw InputError(path + ": the optimizer state (/optimizer) does not fit this model: " + why);
  };
  H5::Group g = file.openGroup("optimizer");
  if (c.stages.empty())
  {
    refuse("the file has no stage history");
  }
  const StageRecord& rec = c.stages.back();
  const long long stage = h5::readInt(g, "stage", -1);
  if (stage != rec.stage || h5::readInt(g, "level", -1) != rec.level || h5::readInt(g, "group", -1) != rec.group)
  {
    refuse("it belongs to stage " + std::to_string(stage) + ", but the last stage is " + std::to_string(rec.stage) +
           " (L" + std::to_string(rec.level) + " group " + std::to_string(rec.group) + ")");
  }
  StageProgress p;
  p.steps = static_cast<int>(h5::readInt(g, "steps", -1));
  p.maxSteps = static_cast<int>(h5::readInt(g, "max_steps", -1));
  p.budget = static_cast<int>(h5::readInt(g, "budget", -1));
  p.open = h5::readInt(g, "open", 0) != 0;
  if (p.steps != rec.steps)
  {
    refuse("it is at step " + std::to_string(p.steps) + ", but the stage record says " + std::to_string(rec.steps));
  }
  if (p.steps < 1 || p.maxSteps < p.steps || p.budget < 1)
  {
    refuse("its step counts are inconsistent (steps " + std::to_string(p.steps) + ", max " +
           std::to_string(p.maxSteps) + ", budget " + std::to_string(p.budget) + ")");
  }
  p.reason = stopReasonFromString(h5::readString(g, token(StageField::StopReason), "?"));
  if (p.reason != rec.stopReason)
  {
    refuse("it ended by '" + toString(p.reason) + "', the stage record by '" + toString(rec.stopReason) + "'");
  }
  p.bestStep = static_cast<int>(h5::readInt(g, "best_step", 0));
  p.bestScore = h5::readDouble(g, "best_score", std::numeric_limits<double>::quiet_NaN());
  p.rule.previousAverage = h5::readDouble(g, "rule_previous_average", std::numeric_limits<double>::quiet_NaN());
  if (std::isnan(p.bestScore) || std::isnan(p.rule.previousAverage))
  {
    refuse("best_score or rule_previous_average is missing");
  }
  for (const char* name : {"rule_window", "generator", "current", "best", "adam"})
  {
    if (!g.nameExists(name))
    {
      refuse(std::string(name) + " is missing");
    }
  }
  p.rule.window = h5::readDoubles(g.openDataSet("rule_window"));
  if (p.rule.window.size() > static_cast<size_t>(std::max(1, p.budget / 10)) || p.rule.window.size() > size_t(p.steps))
  {
    refuse("rule_window holds " + std::to_string(p.rule.window.size()) + " losses, more than the rule keeps");
  }
  {
    H5::DataSet ds = g.openDataSet("generator");
    std::vector<unsigned char> bytes = h5::readBytes(ds);
    if (static_cast<int64_t>(bytes.size()) != generatorStateSize())
    {
      refuse("the generator state has " + std::to_string(bytes.size()) + " bytes, this LibTorch uses " +
             std::to_string(generatorStateSize()));
    }
    p.generator = torch::from_blob(bytes.data(), {static_cast<int64_t>(bytes.size())}, torch::kUInt8).clone();
  }

  const auto layout = Checkpoint::parameterLayout(c.architecture);
  std::set<std::string> expected;
  for (const auto& param : layout)
  {
    expected.insert(param.name);
  }
  H5::Group current = g.openGroup("current"), best = g.openGroup("best"), adam = g.openGroup("adam");
  for (const auto& [part, group] :
       {std::pair<const char*, H5::Group*>{"current", &current}, {"best", &best}, {"adam", &adam}})
  {
    for (const std::string& name : parameterEntries(*group))
    {
      if (!expected.count(name))
      {
        refuse(std::string(part) + "/" + name + " is not a parameter of the model");
      }
    }
  }
  for (const auto& param : layout)
  {
    const std::string& name = param.name;
    const std::vector<hsize_t> dims(param.shape.begin(), param.shape.end());
    auto load = [&](H5::Group& from, const std::string& key, const char* part) {
      if (!from.nameExists(key.substr(0, key.find('/'))) || !from.nameExists(key) ||
          from.childObjType(key) != H5O_TYPE_DATASET)
      {
        refuse(std::string(part) + "/" + key + " is missing");
      }
      if (h5::shapeOf(from.openDataSet(key)) != dims)
      {
        refuse(std::string(part) + "/" + key + " has another shape than the parameter");
      }
      return readTensor(from, key);
    };
    p.current.push_back(load(current, name, "current"));
    p.best.push_back(load(best, name, "best"));
    AdamMoments m;
    if (adam.nameExists(name.substr(0, name.find('/'))) && adam.nameExists(name))
    {
      m.expAvg = load(adam, name + "/exp_avg", "adam");
      m.expAvgSq = load(adam, name + "/exp_avg_sq", "adam");
      m.step = h5::readInt(adam.openGroup(name), "step", 0);
      if (m.step < 1 || m.step > p.steps)
      {
        refuse("adam/" + name + " has step " + std::to_string(m.step) + " (the stage took " + std::to_string(p.steps) +
               ")");
      }
    }
    p.adam.push_back(m);
  }
  c.lastStage = std::move(p);
}

/// Every stored weight must be exactly what the architecture says: checked before any weight is read.
void checkWeights(const std::string& path, H5::H5File& file, const ArchitectureInfo& arch)
{
  H5::Group weights = file.openGroup("weights");
  std::map<std::string, std::vector<hsize_t>> expected;
  for (const auto& param : Checkpoint::parameterLayout(arch))
  {
    expected[param.name] = std::vector<hsize_t>(param.shape.begin(), param.shape.end());
  }
  size_t stored = 0;
  for (hsize_t i = 0; i < weights.getNumObjs(); ++i)
  {
    const std::string module = weights.getObjnameByIdx(i);
    H5::Group m = weights.openGroup(module);
    for (hsize_t j = 0; j < m.getNumObjs(); ++j)
    {
      const std::string key = module + "/" + m.getObjnameByIdx(j);
      if (!expected.count(key))
      {
        throw InputError(path + ": weight " + key +
                         " is not part of the stored architecture "
                         "(the model's weights and architecture disagree)");
      }
      ++stored;
    }
  }
  for (const auto& [key, dims] : expected)
  {
    if (!file.nameExists("weights/" + key.substr(0, key.find('/'))) || !weights.nameExists(key))
    {
      throw InputError(path + ": weight " + key + " is missing (the model's weights and architecture disagree)");
    }
    if (h5::shapeOf(weights.openDataSet(key)) != dims)
    {
      throw InputError(path + ": weight " + key + " has the wrong shape for the stored architecture");
    }
  }
  (void)stored;
}

/// The network of the file into `c`: config, architecture (its level_clear flags from /maps), weights and
/// resolved maps, checked against each other.
void readNetworkInto(const std::string& path, H5::H5File& file, const ModelSummary& s, Checkpoint& c)
{
  c.config = s.config;
  c.architecture = s.architecture;
  H5::Group weights = file.openGroup("weights");
  for (const auto& param : Checkpoint::parameterLayout(c.architecture))
  {
    c.parameters.push_back(readTensor(weights, param.name));
  }
  H5::Group maps = file.openGroup("maps");
  const int levels = s.config.levels;
  c.architecture.levelClear.resize(levels);
  c.resolvedMaps.assign(levels, {});
  for (int k = 0; k < levels; ++k)
  {
    c.architecture.levelClear[k] = h5::readInt(maps, "level_clear_L" + std::to_string(k), 0) != 0;
    const int groups = static_cast<int>(c.architecture.groupChannels[k].size());
    for (int g = 0; g < groups; ++g)
    {
      const std::string name = "L" + std::to_string(k) + "_" + std::to_string(g);
      if (maps.nameExists(name))
      {
        c.resolvedMaps[k].push_back(readTensor(maps, name));
      }
      else if (s.config.useMaps() && g + 1 < groups)
      {
        throw InputError(path + ": the resolved map " + name + " is missing but group " + std::to_string(g + 1) +
                         " needs it");
      }
      else
      {
        c.resolvedMaps[k].push_back(torch::Tensor());
      }
    }
  }
}

} // namespace

namespace ModelFile
{

using namespace modelfile;

MrcaeModel readNetwork(const std::string& path, const torch::Device& device, ModelSummary* summary)
{
  H5::H5File file = h5::openForReading(path);
  MrcaeModel model{nullptr};
  h5::guarded(path, "cannot read the model", [&] {
    ModelSummary s = readSummary(path, file);
    checkWeights(path, file, s.architecture);
    Checkpoint c;
    readNetworkInto(path, file, s, c);
    model = c.network(device);
    if (summary)
    {
      *summary = s;
    }
  });
  return model;
}

void write(const std::string& path, const Checkpoint& c)
{
  const ArchitectureInfo& arch = c.architecture;
  const auto layout = Checkpoint::parameterLayout(arch);
  if (c.parameters.size() != layout.size())
  {
    throw InputError(path + ": cannot save a run whose parameters do not match its architecture");
  }
  h5::atomicWrite(path, [&](H5::H5File& file) {
    H5::Group root = file.openGroup("/");
    h5::writeString(root, "format", "mrcae-model");
    h5::writeInt(root, "format_version", kFormatVersion);
    h5::writeString(root, "app_version", MRCAE_VERSION);
    h5::writeString(root, "created", nowIso());

    H5::Group config = file.createGroup("config");
    h5::writeString(config, "json", c.config.toJson().dump());
    H5::Group archGroup = file.createGroup("arch");
    h5::writeString(archGroup, "json", archJson(arch).dump());
    h5::writeInt(archGroup, "params", arch.params);

    H5::Group weights = file.createGroup("weights");
    for (size_t i = 0; i < layout.size(); ++i)
    {
      const std::string& name = layout[i].name;
      const std::string module = name.substr(0, name.find('/'));
      H5::Group m = weights.nameExists(module) ? weights.openGroup(module) : weights.createGroup(module);
      writeTensor(m, name.substr(module.size() + 1), c.parameters[i]);
    }

    H5::Group maps = file.createGroup("maps");
    for (int k = 0; k < arch.levels; ++k)
    {
      h5::writeInt(maps, "level_clear_L" + std::to_string(k), arch.levelClear[k] ? 1 : 0);
      const auto& levelMaps =
          k < static_cast<int>(c.resolvedMaps.size()) ? c.resolvedMaps[k] : std::vector<torch::Tensor>();
      for (size_t g = 0; g < levelMaps.size(); ++g)
      {
        if (levelMaps[g].defined())
        {
          writeTensor(maps, "L" + std::to_string(k) + "_" + std::to_string(g), levelMaps[g]);
        }
      }
    }

    H5::Group history = file.createGroup("history");
    Json stages = Json::array();
    for (const auto& s : c.stages)
    {
      stages.push_back(toJson(s));
    }
    h5::writeString(history, "json", stages.dump());
    std::vector<double> curves;
    curves.reserve(c.curves.size() * kCurveColumns);
    for (const auto& r : c.curves)
    {
      for (CurveField f : allValues<CurveField>())
      {
        curves.push_back(curveFieldValue(r, f));
      }
    }
    h5::writeDoubles(history, "curves", {c.curves.size(), kCurveColumns}, curves.data());
    H5::DataSet curveSet = file.openDataSet("history/curves");
    h5::writeString(curveSet, "columns", csvHeader(allValues<CurveField>()));

    H5::Group data = file.createGroup("data");
    const DatasetDescription& d = c.data;
    // Absolute, so that the model finds its data from any working folder (resume, the application).
    std::error_code ec;
    h5::writeString(data, "path", d.path.empty() ? std::string() : std::filesystem::absolute(d.path, ec).string());
    h5::writeString(data, "hash", d.hash);
    h5::writeString(data, "name", d.name);
    h5::writeInt(data, "T", d.t);
    h5::writeInt(data, "H", d.h);
    h5::writeInt(data, "W", d.w);
    h5::writeDouble(data, "original_min", d.originalMin);
    h5::writeDouble(data, "original_max", d.originalMax);
    h5::writeInt(data, "crop_top", d.cropTop);
    h5::writeInt(data, "crop_left", d.cropLeft);
    for (auto [name, idx] : {std::pair<const char*, const std::vector<int>*>{"train", &c.split.train},
                             {"val", &c.split.val},
                             {"test", &c.split.test}})
    {
      h5::writeInts(data, name, {idx->size()}, idx->data());
    }
    h5::writeInts(data, "snapshot_indices", {c.snapshotIndices.size()}, c.snapshotIndices.data());
    if (d.valid.h > 0)
    {
      std::vector<unsigned char> bytes(d.valid.data.size());
      for (size_t p = 0; p < bytes.size(); ++p)
      {
        bytes[p] = d.valid.data[p] > 0.5f ? 1 : 0;
      }
      h5::writeBytes(data, "valid", {static_cast<hsize_t>(d.valid.h), static_cast<hsize_t>(d.valid.w)}, bytes.data());
    }
    writeStageState(file, c);
  });
}

Checkpoint read(const std::string& path)
{
  H5::H5File file = h5::openForReading(path);
  Checkpoint c;
  h5::guarded(path, "cannot read the model", [&] {
    ModelSummary s = readSummary(path, file);
    checkWeights(path, file, s.architecture);
    c.stages = s.stages;
    H5::Group data = file.openGroup("data");
    c.data.path = s.dataPath;
    c.data.hash = s.dataHash;
    c.data.name = s.dataName;
    c.data.t = s.dataT;
    c.data.h = s.dataH;
    c.data.w = s.dataW;
    c.split.train = h5::readInts(data.openDataSet("train"));
    c.split.val = h5::readInts(data.openDataSet("val"));
    c.split.test = h5::readInts(data.openDataSet("test"));
    if (data.nameExists("snapshot_indices"))
    {
      c.snapshotIndices = h5::readInts(data.openDataSet("snapshot_indices"));
    }
    readNetworkInto(path, file, s, c);
    c.curves = readCurves(file);
    readStageState(path, file, c);
  });
  return c;
}

} // namespace ModelFile

#else // no HDF5

namespace ModelFile
{

void write(const std::string& path, const Checkpoint&)
{
  throw InputError(path + ": this build cannot save models (it was built without HDF5)");
}

Checkpoint read(const std::string& path)
{
  throw InputError(path + ": this build cannot read models (it was built without HDF5)");
}

MrcaeModel readNetwork(const std::string& path, const torch::Device&, ModelSummary*)
{
  throw InputError(path + ": this build cannot read models (it was built without HDF5)");
}

} // namespace ModelFile

#endif

} // namespace mrcae
