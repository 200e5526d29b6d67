#include "mrcae/model/StageTable.h"

#include "mrcae/model/NumberText.h"

namespace mrcae
{

std::string stageFieldText(const StageRecord& r, StageField field)
{
  switch (field)
  {
  case StageField::Stage: return std::to_string(r.stage);
  case StageField::Level: return std::to_string(r.level);
  case StageField::Group: return std::to_string(r.group);
  case StageField::Op: return token(r.op);
  case StageField::AddedChannels: return std::to_string(r.addedChannels);
  case StageField::Params: return std::to_string(r.params);
  case StageField::Steps: return std::to_string(r.steps);
  case StageField::BestStep: return std::to_string(r.bestStep);
  case StageField::StopReason: return token(r.stopReason);
  case StageField::BestGlobalVal: return number::shortest(r.bestGlobalVal);
  case StageField::Seconds: return number::shortest(r.seconds);
  case StageField::Unresolved: return std::to_string(r.unresolved);
  case StageField::Dilated: return std::to_string(r.dilated);
  case StageField::MapPixels: return std::to_string(r.mapPixels);
  case StageField::LevelClear: return r.levelClear ? "1" : "0";
  case StageField::EncodingSize: return std::to_string(r.encodingSize);
  case StageField::CodeValues: return std::to_string(r.codeValues);
  }
  return std::string();
}

double curveFieldValue(const StepRecord& r, CurveField field)
{
  switch (field)
  {
  case CurveField::Stage: return r.stage;
  case CurveField::Level: return r.level;
  case CurveField::Group: return r.group;
  case CurveField::Step: return r.step;
  case CurveField::LocalTrain: return r.localTrain;
  case CurveField::LocalVal: return r.localVal;
  case CurveField::GlobalTrain: return r.globalTrain;
  case CurveField::GlobalVal: return r.globalVal;
  }
  return 0.0;
}

std::string curveFieldText(const StepRecord& r, CurveField field)
{
  switch (field)
  {
  case CurveField::Stage:
  case CurveField::Level:
  case CurveField::Group:
  case CurveField::Step: return std::to_string(static_cast<long long>(curveFieldValue(r, field)));
  default: return number::shortest(curveFieldValue(r, field));
  }
}

void writeStagesCsv(std::ostream& out, const std::vector<StageRecord>& stages, const std::vector<StageField>& columns)
{
  out << csvHeader(columns) << '\n';
  for (const auto& s : stages)
  {
    for (size_t c = 0; c < columns.size(); ++c)
    {
      out << (c ? "," : "") << stageFieldText(s, columns[c]);
    }
    out << '\n';
  }
}

void writeCurvesCsv(std::ostream& out, const std::vector<StepRecord>& curves)
{
  const auto columns = allValues<CurveField>();
  out << csvHeader(columns) << '\n';
  for (const auto& step : curves)
  {
    for (size_t c = 0; c < columns.size(); ++c)
    {
      out << (c ? "," : "") << curveFieldText(step, columns[c]);
    }
    out << '\n';
  }
}

} // namespace mrcae
