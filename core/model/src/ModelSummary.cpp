#include "mrcae/model/ModelSummary.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/Names.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#include "ModelFileFormat.h"
#endif

#include <ctime>
#include <limits>

namespace mrcae
{

Json toJson(const StageRecord& r)
{
  Json j = Json::object();
  auto key = [](StageField f) { return token(f); };
  j[key(StageField::Stage)] = r.stage;
  j[key(StageField::Level)] = r.level;
  j[key(StageField::Group)] = r.group;
  j[key(StageField::Op)] = token(r.op);
  j[key(StageField::AddedChannels)] = r.addedChannels;
  j[key(StageField::Params)] = r.params;
  j[key(StageField::Steps)] = r.steps;
  j[key(StageField::BestStep)] = r.bestStep;
  j[key(StageField::StopReason)] = token(r.stopReason);
  j[key(StageField::BestGlobalVal)] = r.bestGlobalVal;
  j[key(StageField::Seconds)] = r.seconds;
  j[key(StageField::Unresolved)] = r.unresolved;
  j[key(StageField::Dilated)] = r.dilated;
  j[key(StageField::MapPixels)] = r.mapPixels;
  j[key(StageField::LevelClear)] = r.levelClear;
  j[key(StageField::EncodingSize)] = r.encodingSize;
  j[key(StageField::CodeValues)] = r.codeValues;
  return j;
}

StageRecord stageFromJson(const Json& j)
{
  StageRecord r;
  auto read = [&](StageField f, auto& out) { readJson(j, token(f), out); };
  std::string op, stopReason;
  read(StageField::Stage, r.stage);
  read(StageField::Level, r.level);
  read(StageField::Group, r.group);
  read(StageField::Op, op);
  r.op = stageOpFromString(op);
  read(StageField::AddedChannels, r.addedChannels);
  read(StageField::Params, r.params);
  read(StageField::Steps, r.steps);
  read(StageField::BestStep, r.bestStep);
  read(StageField::StopReason, stopReason);
  r.stopReason = stopReasonFromString(stopReason);
  // A diverged stage's error is NaN, which JSON writes as null: read it back as NaN.
  const auto best = j.find(token(StageField::BestGlobalVal));
  if (best != j.end() && best->is_null())
  {
    r.bestGlobalVal = std::numeric_limits<double>::quiet_NaN();
  }
  else
  {
    read(StageField::BestGlobalVal, r.bestGlobalVal);
  }
  read(StageField::Seconds, r.seconds);
  read(StageField::Unresolved, r.unresolved);
  read(StageField::Dilated, r.dilated);
  read(StageField::MapPixels, r.mapPixels);
  read(StageField::LevelClear, r.levelClear);
  read(StageField::EncodingSize, r.encodingSize);
  // Files written before code values were recorded do not have them.
  r.codeValues = -1;
  if (j.contains(token(StageField::CodeValues)))
  {
    read(StageField::CodeValues, r.codeValues);
  }
  return r;
}

#ifdef MRCAE_WITH_HDF5

namespace modelfile
{

std::string nowIso()
{
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

Json archJson(const ArchitectureInfo& a)
{
  Json j = Json::object();
  j["levels"] = a.levels;
  j["channels"] = a.groupChannels;
  std::vector<int> clear;
  for (bool c : a.levelClear)
  {
    clear.push_back(c ? 1 : 0);
  }
  j["level_clear"] = clear;
  j["params"] = a.params;
  return j;
}

ArchitectureInfo archFromJson(const Json& j)
{
  ArchitectureInfo a;
  std::vector<int> clear;
  readJson(j, "levels", a.levels);
  readJson(j, "channels", a.groupChannels);
  readJson(j, "level_clear", clear);
  for (int c : clear)
  {
    a.levelClear.push_back(c != 0);
  }
  readJson(j, "params", a.params);
  return a;
}

/// Checks the root attributes; returns the format version.
int checkFormat(const std::string& path, H5::H5File& file)
{
  H5::Group root = file.openGroup("/");
  if (h5::readString(root, "format") != "mrcae-model")
  {
    throw InputError(Problem::NotAModelFile,
                     SettingText(path + ": not a MrCAE model file (no format = \"mrcae-model\" attribute); a "
                                        "dataset? open it as data instead"),
                     std::nullopt, path);
  }
  const int version = static_cast<int>(h5::readInt(root, "format_version", 0));
  if (version > ModelFile::kFormatVersion)
  {
    throw InputError(path + ": written by a newer MrCAE Studio (model format " + std::to_string(version) +
                     ", this version reads up to " + std::to_string(ModelFile::kFormatVersion) +
                     "): update the application");
  }
  if (version < 1)
  {
    throw InputError(path + ": the model format version is missing or invalid");
  }
  return version;
}

Json readJsonAttr(const std::string& path, const H5::H5Object& obj, const std::string& where)
{
  std::string text = h5::readString(obj, "json");
  if (text.empty())
  {
    throw InputError(path + ": " + where + " has no json attribute (truncated or foreign file)");
  }
  return parseJson(text, path + ": the json attribute of " + where);
}

std::vector<StepRecord> readCurves(H5::H5File& file)
{
  std::vector<StepRecord> out;
  if (!file.nameExists("history/curves"))
  {
    return out;
  }
  const std::vector<double> v = h5::readDoubles(file.openDataSet("history/curves"));
  for (size_t i = 0; i + kCurveColumns <= v.size(); i += kCurveColumns)
  {
    StepRecord c;
    c.stage = static_cast<int>(v[i]);
    c.level = static_cast<int>(v[i + 1]);
    c.group = static_cast<int>(v[i + 2]);
    c.step = static_cast<int>(v[i + 3]);
    c.localTrain = v[i + 4];
    c.localVal = v[i + 5];
    c.globalTrain = v[i + 6];
    c.globalVal = v[i + 7];
    out.push_back(c);
  }
  return out;
}

ModelSummary readSummary(const std::string& path, H5::H5File& file)
{
  ModelSummary s;
  s.formatVersion = checkFormat(path, file);
  H5::Group root = file.openGroup("/");
  s.appVersion = h5::readString(root, "app_version");
  s.created = h5::readString(root, "created");
  for (const char* g : {"config", "arch", "weights", "history", "data"})
  {
    if (!file.nameExists(g))
    {
      throw InputError(path + ": the group /" + std::string(g) + " is missing (truncated or foreign file)");
    }
  }
  try
  {
    s.config = TrainingConfig::fromJson(readJsonAttr(path, file.openGroup("config"), "/config"));
    s.architecture = archFromJson(readJsonAttr(path, file.openGroup("arch"), "/arch"));
    const Json history = readJsonAttr(path, file.openGroup("history"), "/history");
    if (!history.is_array())
    {
      throw InputError("/history is not a list of stages");
    }
    for (const auto& st : history)
    {
      s.stages.push_back(stageFromJson(st));
    }
  }
  catch (const InputError& e)
  {
    const std::string what = e.what();
    throw InputError(what.rfind(path, 0) == 0 ? what : path + ": damaged model description (" + what + ")");
  }
  s.config.validate();
  if (s.architecture.levels != s.config.levels ||
      static_cast<int>(s.architecture.groupChannels.size()) != s.config.levels)
  {
    throw InputError(path + ": the architecture has " + std::to_string(s.architecture.levels) +
                     " levels but the config " + std::to_string(s.config.levels));
  }
  if (file.nameExists("history/curves"))
  {
    s.curvePoints = h5::shapeOf(file.openDataSet("history/curves"))[0];
  }
  s.hasOptimizer = file.nameExists("optimizer");
  H5::Group data = file.openGroup("data");
  s.dataPath = h5::readString(data, "path");
  s.dataHash = h5::readString(data, "hash");
  s.dataName = h5::readString(data, "name");
  s.dataT = static_cast<int>(h5::readInt(data, "T", 0));
  s.dataH = static_cast<int>(h5::readInt(data, "H", 0));
  s.dataW = static_cast<int>(h5::readInt(data, "W", 0));
  s.dataOriginalMin = h5::readDouble(data, "original_min", 0.0);
  s.dataOriginalMax = h5::readDouble(data, "original_max", 1.0);
  s.dataCropTop = static_cast<int>(h5::readInt(data, "crop_top", 0));
  s.dataCropLeft = static_cast<int>(h5::readInt(data, "crop_left", 0));
  for (auto [name, part] : {std::pair<const char*, std::vector<int>*>{"train", &s.dataSplit.train},
                            {"val", &s.dataSplit.val},
                            {"test", &s.dataSplit.test}})
  {
    if (data.nameExists(name))
    {
      *part = h5::readInts(data.openDataSet(name));
    }
  }
  if (data.nameExists("valid"))
  {
    H5::DataSet valid = data.openDataSet("valid");
    const std::vector<hsize_t> dims = h5::shapeOf(valid);
    const std::vector<unsigned char> bytes = h5::readBytes(valid);
    if (dims.size() != 2 || static_cast<int>(dims[0]) != s.dataH || static_cast<int>(dims[1]) != s.dataW)
    {
      throw InputError(path + ": /data/valid is not a " + std::to_string(s.dataH) + "x" + std::to_string(s.dataW) +
                       " mask (damaged model file)");
    }
    s.dataValid = Map2D(s.dataH, s.dataW);
    for (size_t p = 0; p < bytes.size(); ++p)
    {
      s.dataValid.data[p] = bytes[p] ? 1.0f : 0.0f;
    }
  }
  return s;
}

} // namespace modelfile

namespace ModelFile
{

using namespace modelfile;

bool isModelFile(const std::string& path)
{
  try
  {
    H5::H5File file = h5::openForReading(path);
    return h5::readString(file.openGroup("/"), "format") == "mrcae-model";
  }
  catch (const std::exception&)
  {
    return false;
  }
}

ModelSummary summary(const std::string& path)
{
  H5::H5File file = h5::openForReading(path);
  ModelSummary s;
  h5::guarded(path, "cannot read the model", [&] { s = readSummary(path, file); });
  return s;
}

std::vector<StepRecord> curves(const std::string& path)
{
  H5::H5File file = h5::openForReading(path);
  std::vector<StepRecord> out;
  h5::guarded(path, "cannot read the model", [&] {
    readSummary(path, file);
    out = readCurves(file);
  });
  return out;
}

} // namespace ModelFile

#else // no HDF5

namespace ModelFile
{

std::vector<StepRecord> curves(const std::string& path)
{
  throw InputError(path + ": this build cannot read models (it was built without HDF5)");
}

ModelSummary summary(const std::string& path)
{
  throw InputError(path + ": this build cannot read models (it was built without HDF5)");
}

bool isModelFile(const std::string&)
{
  return false;
}

} // namespace ModelFile

#endif

} // namespace mrcae
