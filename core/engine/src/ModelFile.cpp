#include "ModelFile.h"

#include "TrainerImpl.h"
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

torch::Tensor readTensor(const H5::Group& g, const std::string& name, const torch::Device& device)
{
  H5::DataSet ds = g.openDataSet(name);
  std::vector<int64_t> sizes;
  for (hsize_t d : h5::shapeOf(ds))
  {
    sizes.push_back(static_cast<int64_t>(d));
  }
  std::vector<float> v = h5::readFloats(ds);
  return torch::from_blob(v.data(), sizes, torch::kFloat32).clone().to(device);
}

/// Number of bytes of a LibTorch CPU generator's state (the size set_state accepts).
int64_t generatorStateSize()
{
  return at::make_generator<at::CPUGeneratorImpl>(0).get_state().numel();
}

/// The last stage's state, for exact resume (see ModelFile.h). Written whenever there is one: a stage that
/// ended on its own can still be given more steps.
void writeStageState(H5::H5File& file, const Trainer::Impl& r)
{
  const StageProgress& p = r.lastStage;
  const auto named = r.namedParameters();
  if (p.empty() || r.stages.empty() || p.current.size() != named.size())
  {
    return;
  }
  const StageRecord& rec = r.stages.back();
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
  for (size_t i = 0; i < named.size(); ++i)
  {
    const std::string& name = named[i].first;
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

/// Reads /optimizer into run.lastStage after the model was built; anything that does not fit the model and
/// its history is refused with the reason.
void readStageState(const std::string& path, H5::H5File& file, Trainer::Impl& run)
{
  if (!file.nameExists("optimizer"))
  {
    return;
  }
  auto refuse = [&](const std::string& why) {
    throw InputError(path + ": the optimizer state (/optimizer) does not fit this model: " + why);
  };
  H5::Group g = file.openGroup("optimizer");
  if (run.stages.empty())
  {
    refuse("the file has no stage history");
  }
  const StageRecord& rec = run.stages.back();
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

  const auto named = run.namedParameters();
  std::set<std::string> expected;
  for (const auto& [name, param] : named)
  {
    expected.insert(name);
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
  torch::NoGradGuard noGrad;
  for (const auto& [name, param] : named)
  {
    const std::vector<hsize_t> dims = dimsOf(param);
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
      return readTensor(from, key, run.device);
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
  run.lastStage = std::move(p);
}

/// Every stored weight must be exactly what the architecture says: checked before any weight is read.
void checkWeights(const std::string& path, H5::H5File& file, const ArchitectureInfo& arch)
{
  H5::Group weights = file.openGroup("weights");
  std::map<std::string, std::vector<hsize_t>> expected;
  for (int k = 0; k < arch.levels; ++k)
  {
    for (size_t g = 0; g < arch.groupChannels[k].size(); ++g)
    {
      const hsize_t n = static_cast<hsize_t>(arch.groupChannels[k][g]);
      const std::string enc = MrcaeModelImpl::encoderName(k, static_cast<int>(g));
      const std::string dec = MrcaeModelImpl::decoderName(k, static_cast<int>(g));
      expected[enc + "/weight"] = {n, 1, 3, 3};
      expected[enc + "/bias"] = {n};
      expected[dec + "/weight"] = {n, 1, 3, 3};
      expected[dec + "/bias"] = {1};
    }
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

/// A fresh model on `device` with the architecture, weights, resolved maps and level_clear flags of the file.
MrcaeModel loadNetwork(const std::string& path, H5::H5File& file, const ModelSummary& s, const torch::Device& device)
{
  MrcaeModel model(s.config.levels, s.config.activation, s.config.useMaps());
  model->to(device);
  torch::NoGradGuard noGrad;
  H5::Group weights = file.openGroup("weights");
  auto load = [&](torch::Tensor& param, const std::string& key) {
    std::vector<float> v = h5::readFloats(weights.openDataSet(key));
    param.copy_(torch::from_blob(v.data(), param.sizes(), torch::kFloat32).to(param.device()));
  };
  for (int k = 0; k < s.config.levels; ++k)
  {
    for (size_t g = 0; g < s.architecture.groupChannels[k].size(); ++g)
    {
      const int gi = static_cast<int>(g);
      model->addGroup(k, s.architecture.groupChannels[k][g]);
      load(model->encoder(k, gi)->weight, MrcaeModelImpl::encoderName(k, gi) + "/weight");
      load(model->encoder(k, gi)->bias, MrcaeModelImpl::encoderName(k, gi) + "/bias");
      load(model->decoder(k, gi)->weight, MrcaeModelImpl::decoderName(k, gi) + "/weight");
      load(model->decoder(k, gi)->bias, MrcaeModelImpl::decoderName(k, gi) + "/bias");
    }
  }
  H5::Group maps = file.openGroup("maps");
  for (int k = 0; k < s.config.levels; ++k)
  {
    model->setLevelClear(k, h5::readInt(maps, "level_clear_L" + std::to_string(k), 0) != 0);
    for (int g = 0; g < model->groups(k); ++g)
    {
      const std::string name = "L" + std::to_string(k) + "_" + std::to_string(g);
      if (maps.nameExists(name))
      {
        H5::DataSet ds = maps.openDataSet(name);
        std::vector<hsize_t> d = h5::shapeOf(ds);
        std::vector<float> v = h5::readFloats(ds);
        model->setResolvedMap(k, g,
                              torch::from_blob(v.data(), {(long)d[0], (long)d[1]}, torch::kFloat32).clone().to(device));
      }
      else if (s.config.useMaps() && g + 1 < model->groups(k))
      {
        throw InputError(path + ": the resolved map " + name + " is missing but group " + std::to_string(g + 1) +
                         " needs it");
      }
    }
  }
  return model;
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
    model = loadNetwork(path, file, s, device);
    if (summary)
    {
      *summary = s;
    }
  });
  return model;
}

void write(const std::string& path, const Trainer::Impl& run)
{
  Trainer::Impl& r = const_cast<Trainer::Impl&>(run);
  ArchitectureInfo arch;
  arch.levels = r.config.levels;
  for (int k = 0; k < arch.levels; ++k)
  {
    std::vector<int> ch;
    for (int g = 0; g < r.model->groups(k); ++g)
    {
      ch.push_back(r.model->channels(k, g));
    }
    arch.groupChannels.push_back(ch);
    arch.levelClear.push_back(r.model->levelClear(k));
  }
  arch.params = r.model->parameterCount();

  h5::atomicWrite(path, [&](H5::H5File& file) {
    H5::Group root = file.openGroup("/");
    h5::writeString(root, "format", "mrcae-model");
    h5::writeInt(root, "format_version", kFormatVersion);
    h5::writeString(root, "app_version", MRCAE_VERSION);
    h5::writeString(root, "created", nowIso());

    H5::Group config = file.createGroup("config");
    h5::writeString(config, "json", r.config.toJson().dump());
    H5::Group archGroup = file.createGroup("arch");
    h5::writeString(archGroup, "json", archJson(arch).dump());
    h5::writeInt(archGroup, "params", arch.params);

    H5::Group weights = file.createGroup("weights");
    for (int k = 0; k < arch.levels; ++k)
    {
      for (int g = 0; g < r.model->groups(k); ++g)
      {
        H5::Group enc = weights.createGroup(MrcaeModelImpl::encoderName(k, g));
        writeTensor(enc, "weight", r.model->encoder(k, g)->weight);
        writeTensor(enc, "bias", r.model->encoder(k, g)->bias);
        H5::Group dec = weights.createGroup(MrcaeModelImpl::decoderName(k, g));
        writeTensor(dec, "weight", r.model->decoder(k, g)->weight);
        writeTensor(dec, "bias", r.model->decoder(k, g)->bias);
      }
    }

    H5::Group maps = file.createGroup("maps");
    for (int k = 0; k < arch.levels; ++k)
    {
      h5::writeInt(maps, "level_clear_L" + std::to_string(k), r.model->levelClear(k) ? 1 : 0);
      for (int g = 0; g < r.model->resolvedMapCount(k); ++g)
      {
        if (r.model->hasResolvedMap(k, g))
        {
          writeTensor(maps, "L" + std::to_string(k) + "_" + std::to_string(g), r.model->resolvedMap(k, g));
        }
      }
    }

    H5::Group history = file.createGroup("history");
    Json stages = Json::array();
    for (const auto& s : r.stages)
    {
      stages.push_back(toJson(s));
    }
    h5::writeString(history, "json", stages.dump());
    std::vector<double> curves;
    curves.reserve(r.curves.size() * kCurveColumns);
    for (const auto& c : r.curves)
    {
      for (CurveField f : allValues<CurveField>())
      {
        curves.push_back(curveFieldValue(c, f));
      }
    }
    h5::writeDoubles(history, "curves", {r.curves.size(), kCurveColumns}, curves.data());
    H5::DataSet curveSet = file.openDataSet("history/curves");
    h5::writeString(curveSet, "columns", csvHeader(allValues<CurveField>()));

    H5::Group data = file.createGroup("data");
    // Absolute, so that the model finds its data from any working folder (resume, the application).
    std::error_code ec;
    h5::writeString(data, "path",
                    r.data.path.empty() ? std::string() : std::filesystem::absolute(r.data.path, ec).string());
    h5::writeString(data, "hash", r.data.contentHash());
    h5::writeString(data, "name", r.data.name);
    h5::writeInt(data, "T", r.data.field.t);
    h5::writeInt(data, "H", r.data.field.h);
    h5::writeInt(data, "W", r.data.field.w);
    h5::writeDouble(data, "original_min", r.data.originalMin);
    h5::writeDouble(data, "original_max", r.data.originalMax);
    h5::writeInt(data, "crop_top", r.data.cropTop);
    h5::writeInt(data, "crop_left", r.data.cropLeft);
    for (auto [name, idx] : {std::pair<const char*, const std::vector<int>*>{"train", &r.split.train},
                             {"val", &r.split.val},
                             {"test", &r.split.test}})
    {
      h5::writeInts(data, name, {idx->size()}, idx->data());
    }
    h5::writeInts(data, "snapshot_indices", {r.snapshotIndices.size()}, r.snapshotIndices.data());
    if (r.data.hasMask())
    {
      std::vector<unsigned char> bytes(r.data.valid.data.size());
      for (size_t p = 0; p < bytes.size(); ++p)
      {
        bytes[p] = r.data.valid.data[p] > 0.5f ? 1 : 0;
      }
      h5::writeBytes(data, "valid", {static_cast<hsize_t>(r.data.valid.h), static_cast<hsize_t>(r.data.valid.w)},
                     bytes.data());
    }
    writeStageState(file, r);
  });
}

void read(const std::string& path, Trainer::Impl& run, const std::string& device, int threads)
{
  H5::H5File file = h5::openForReading(path);
  h5::guarded(path, "cannot read the model", [&] {
    ModelSummary s = readSummary(path, file);
    checkWeights(path, file, s.architecture);
    if (run.data.field.t != s.dataT || run.data.field.h != s.dataH || run.data.field.w != s.dataW)
    {
      throw InputError(path + ": the model was trained on " + std::to_string(s.dataT) + "x" + std::to_string(s.dataH) +
                       "x" + std::to_string(s.dataW) + " data, but this dataset is " +
                       std::to_string(run.data.field.t) + "x" + std::to_string(run.data.field.h) + "x" +
                       std::to_string(run.data.field.w) + ": open the model with its own dataset");
    }
    run.config = s.config;
    if (!device.empty())
    {
      run.config.device = device;
    }
    if (threads > 0)
    {
      run.config.threads = threads;
    }
    run.stages = s.stages;
    H5::Group data = file.openGroup("data");
    run.split.train = h5::readInts(data.openDataSet("train"));
    run.split.val = h5::readInts(data.openDataSet("val"));
    run.split.test = h5::readInts(data.openDataSet("test"));
    for (const auto* part : {&run.split.train, &run.split.val, &run.split.test})
    {
      for (int i : *part)
      {
        if (i < 0 || i >= run.data.field.t)
        {
          throw InputError(path + ": the stored split names snapshot " + std::to_string(i) + ", outside this dataset");
        }
      }
    }
    if (data.nameExists("snapshot_indices"))
    {
      run.snapshotIndices = h5::readInts(data.openDataSet("snapshot_indices"));
    }
    run.prepare();
    run.model = loadNetwork(path, file, s, run.device);
    run.curves = readCurves(file);
    readStageState(path, file, run);
  });
}

} // namespace ModelFile

#else // no HDF5

namespace ModelFile
{

void write(const std::string& path, const Trainer::Impl&)
{
  throw InputError(path + ": this build cannot save models (it was built without HDF5)");
}

void read(const std::string& path, Trainer::Impl&, const std::string&, int)
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
