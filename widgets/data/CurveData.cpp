#include "CurveData.h"
#include "PlotAxes.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mrcae::widgets
{

namespace
{

double recordValue(const mrcae::StepRecord& r, int series)
{
  switch (series)
  {
  case CurveData::GlobalTrain: return r.globalTrain;
  case CurveData::GlobalVal: return r.globalVal;
  case CurveData::LocalTrain: return r.localTrain;
  case CurveData::LocalVal: return r.localVal;
  default: return 0.0;
  }
}

} // namespace

const char* CurveData::seriesName(Series s)
{
  switch (s)
  {
  case GlobalTrain: return mrcae::nameEntry(mrcae::CurveField::GlobalTrain).display;
  case GlobalVal: return mrcae::nameEntry(mrcae::CurveField::GlobalVal).display;
  case LocalTrain: return mrcae::nameEntry(mrcae::CurveField::LocalTrain).display;
  case LocalVal: return mrcae::nameEntry(mrcae::CurveField::LocalVal).display;
  default: return "";
  }
}

void CurveData::clear()
{
  current_ = Run{};
  stageStart_.clear();
  stageEnds_.clear();
}

void CurveData::addPoints(Run& run, const std::vector<mrcae::StepRecord>& steps, std::vector<double>& stageStart) const
{
  for (const mrcae::StepRecord& r : steps)
  {
    // A new stage starts where the previous one ended: x counts steps over the whole run.
    while (static_cast<int>(stageStart.size()) <= r.stage)
    {
      stageStart.push_back(run.x.empty() ? 0.0 : run.x.back());
    }
    run.x.push_back(stageStart[r.stage] + r.step);
    run.stageOfPoint.push_back(r.stage);
    for (int s = 0; s < SeriesCount; ++s)
    {
      run.y[s].push_back(recordValue(r, s));
    }
  }
}

void CurveData::appendSteps(const std::vector<mrcae::StepRecord>& steps)
{
  addPoints(current_, steps, stageStart_);
}

void CurveData::addStage(const mrcae::StageRecord& record)
{
  while (static_cast<int>(stageStart_.size()) <= record.stage)
  {
    stageStart_.push_back(current_.x.empty() ? 0.0 : current_.x.back());
  }
  const StageEnd end{record.stage, stageStart_[record.stage] + record.steps,
                     QStringLiteral("L%1g%2 %3")
                         .arg(record.level)
                         .arg(record.group)
                         .arg(QString::fromStdString(mrcae::briefName(record.stopReason)))};
  const auto same =
      std::find_if(stageEnds_.begin(), stageEnds_.end(), [&](const StageEnd& e) { return e.stage == record.stage; });
  if (same != stageEnds_.end())
  {
    *same = end;
  }
  else
  {
    stageEnds_.push_back(end);
  }
}

void CurveData::setRun(const std::vector<mrcae::StepRecord>& steps, const std::vector<mrcae::StageRecord>& stages)
{
  clear();
  appendSteps(steps);
  for (const mrcae::StageRecord& s : stages)
  {
    addStage(s);
  }
}

void CurveData::archiveCurrentRun(const QString& name)
{
  if (!current_.x.empty())
  {
    current_.name = name;
    earlier_.push_back(std::move(current_));
  }
  clear();
}

void CurveData::addEarlierRun(const QString& name, const std::vector<mrcae::StepRecord>& steps)
{
  Run run;
  run.name = name;
  std::vector<double> starts;
  addPoints(run, steps, starts);
  earlier_.push_back(std::move(run));
}

void CurveData::setSmoothing(double factor)
{
  smoothing_ = std::clamp(factor, 0.0, 0.99);
}

std::vector<std::pair<double, double>> CurveData::drawnPoints(const Run& run, Series series, size_t maxPoints) const
{
  const std::vector<double>& ys = run.y[series];
  const size_t n = run.x.size();
  const size_t stride = std::max<size_t>(1, (n + maxPoints - 1) / std::max<size_t>(1, maxPoints));
  std::vector<std::pair<double, double>> out;
  out.reserve(std::min(n, maxPoints + 1));
  // EMA in log space (errors span decades); non-positive or non-finite values are skipped, never drawn as 0.
  double ema = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = 0; i < n; ++i)
  {
    const double v = ys[i];
    if (!(v > 0.0) || !std::isfinite(v))
    {
      continue;
    }
    const double lv = std::log10(v);
    const bool stageChanged = i > 0 && run.stageOfPoint[i] != run.stageOfPoint[i - 1];
    ema = (std::isnan(ema) || smoothing_ <= 0.0 || stageChanged) ? lv : smoothing_ * ema + (1.0 - smoothing_) * lv;
    if (i % stride == 0 || i + 1 == n)
    {
      out.emplace_back(run.x[i], std::pow(10.0, ema));
    }
  }
  return out;
}

double CurveData::xMax() const
{
  double x = std::max(1.0, current_.x.empty() ? 0.0 : current_.x.back());
  for (const Run& r : earlier_)
  {
    x = std::max(x, r.x.empty() ? 0.0 : r.x.back());
  }
  for (const StageEnd& e : stageEnds_)
  {
    x = std::max(x, e.x);
  }
  return x;
}

std::pair<double, double> CurveData::decadeRange() const
{
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  auto include = [&](const Run& run, Series s) {
    for (const auto& p : drawnPoints(run, s))
    {
      lo = std::min(lo, p.second);
      hi = std::max(hi, p.second);
    }
  };
  for (const Run& r : earlier_)
  {
    include(r, GlobalVal);
  }
  for (int s = 0; s < SeriesCount; ++s)
  {
    if (visible_[s])
    {
      include(current_, static_cast<Series>(s));
    }
  }
  // Whole decades, so that the log axis always has labelled ticks; (1e-4, 1) when nothing is drawn.
  const PlotAxis axis = PlotAxis::decades(lo, hi);
  return {axis.lo(), axis.hi()};
}

} // namespace mrcae::widgets
