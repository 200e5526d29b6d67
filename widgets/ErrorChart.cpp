#include <vtkAxis.h>
#include <vtkChartLegend.h>
#include <vtkChartXY.h>
#include <vtkContextInteractorStyle.h>
#include <vtkContextScene.h>
#include <vtkContextView.h>
#include <vtkDoubleArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkPen.h>
#include <vtkPlot.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkStringArray.h>
#include <vtkTable.h>
#include <vtkTextProperty.h>

#include "ErrorChart.h"
#include "StageMarkerItem.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mrcae::widgets
{

namespace
{

constexpr int kMaxDrawnPoints = 4000; // per series: more points than pixels only costs render time

const char* seriesName(int s)
{
  switch (s)
  {
    case ErrorChart::GlobalTrain: return "global train";
    case ErrorChart::GlobalVal: return "global validation";
    case ErrorChart::LocalTrain: return "local train";
    case ErrorChart::LocalVal: return "local validation";
    default: return "";
  }
}

// Colours of the current run (colour-blind safe pairs: blue / orange, lighter for the local losses).
const unsigned char kColors[ErrorChart::SeriesCount][3] = {{0, 114, 178}, {230, 159, 0}, {86, 180, 233},
                                                            {240, 200, 90}};

const char* stopReasonLabel(mrcae::StopReason r)
{
  switch (r)
  {
    case mrcae::StopReason::MaxSteps: return "max steps";
    case mrcae::StopReason::Tolerance: return "tolerance";
    case mrcae::StopReason::SlowProgress: return "slow";
    case mrcae::StopReason::UserStop: return "stopped";
    case mrcae::StopReason::Diverged: return "diverged";
  }
  return "";
}

double recordValue(const mrcae::StepRecord& r, int series)
{
  switch (series)
  {
    case ErrorChart::GlobalTrain: return r.globalTrain;
    case ErrorChart::GlobalVal: return r.globalVal;
    case ErrorChart::LocalTrain: return r.localTrain;
    case ErrorChart::LocalVal: return r.localVal;
    default: return 0.0;
  }
}

} // namespace

ErrorChart::ErrorChart(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);

  controls_ = new QWidget(this);
  auto* row = new QHBoxLayout(controls_);
  row->setContentsMargins(4, 2, 4, 0);
  smoothBox_ = new QCheckBox(tr("Smooth (EMA)"), controls_);
  smoothSpin_ = new QDoubleSpinBox(controls_);
  smoothSpin_->setRange(0.0, 0.99);
  smoothSpin_->setSingleStep(0.05);
  smoothSpin_->setValue(0.8);
  smoothSpin_->setEnabled(false);
  smoothSpin_->setToolTip(tr("Weight of the past in the exponential moving average of log10(error)"));
  localBox_ = new QCheckBox(tr("Local losses"), controls_);
  localBox_->setToolTip(tr("Also draw the level's own (local) train and validation loss"));
  clearEarlierButton_ = new QPushButton(tr("Clear earlier runs"), controls_);
  clearEarlierButton_->setEnabled(false);
  row->addWidget(smoothBox_);
  row->addWidget(smoothSpin_);
  row->addSpacing(12);
  row->addWidget(localBox_);
  row->addStretch(1);
  row->addWidget(clearEarlierButton_);
  layout->addWidget(controls_);

  view_ = new VtkOpenGLWidget(this);
  layout->addWidget(view_, 1);

  connect(smoothBox_, &QCheckBox::toggled, this, [this](bool on) {
    smoothSpin_->setEnabled(on);
    setSmoothing(on ? smoothSpin_->value() : 0.0);
  });
  connect(smoothSpin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (smoothBox_->isChecked())
    {
      setSmoothing(v);
    }
  });
  connect(localBox_, &QCheckBox::toggled, this, [this](bool on) {
    setSeriesVisible(LocalTrain, on);
    setSeriesVisible(LocalVal, on);
  });
  connect(clearEarlierButton_, &QPushButton::clicked, this, &ErrorChart::clearEarlierRuns);
  connect(view_, &VtkOpenGLWidget::aboutToRender, this, &ErrorChart::rebuild);

  contextView_ = vtkSmartPointer<vtkContextView>::New();
  contextView_->SetRenderWindow(view_->renderWindow());
  contextView_->SetInteractor(view_->interactor());
  auto style = vtkSmartPointer<vtkContextInteractorStyle>::New();
  style->SetScene(contextView_->GetScene());
  view_->interactor()->SetInteractorStyle(style);
  contextView_->GetRenderer()->SetBackground(1.0, 1.0, 1.0);

  chart_ = vtkSmartPointer<vtkChartXY>::New();
  contextView_->GetScene()->AddItem(chart_);
  markers_ = vtkSmartPointer<StageMarkerItem>::New();
  markers_->SetAxes(chart_->GetAxis(vtkAxis::BOTTOM), chart_->GetAxis(vtkAxis::LEFT));
  contextView_->GetScene()->AddItem(markers_);

  vtkAxis* y = chart_->GetAxis(vtkAxis::LEFT);
  y->SetLogScale(true);
  y->SetBehavior(vtkAxis::FIXED);
  y->SetTitle("error");
  y->SetNotation(vtkAxis::SCIENTIFIC_NOTATION);
  y->SetPrecision(0);
  vtkAxis* x = chart_->GetAxis(vtkAxis::BOTTOM);
  x->SetBehavior(vtkAxis::FIXED);
  x->SetTitle("step");
  for (vtkAxis* a : {x, y})
  {
    a->GetTitleProperties()->SetFontSize(12);
    a->GetLabelProperties()->SetFontSize(11);
    a->GetTitleProperties()->BoldOff();
  }
  chart_->SetShowLegend(true);
  chart_->GetLegend()->SetHorizontalAlignment(vtkChartLegend::RIGHT);
  chart_->GetLegend()->SetVerticalAlignment(vtkChartLegend::TOP);
  chart_->GetLegend()->GetLabelProperties()->SetFontSize(11);
  setMinimumHeight(160);
}

ErrorChart::~ErrorChart() = default;

void ErrorChart::markDirty()
{
  dirty_ = true;
  view_->scheduleRender();
}

void ErrorChart::clear()
{
  current_ = Run{};
  stageStart_.clear();
  stageEnds_.clear();
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::addPoints(Run& run, const std::vector<mrcae::StepRecord>& steps, std::vector<double>* stageStart)
{
  for (const mrcae::StepRecord& r : steps)
  {
    double x = 0.0;
    if (stageStart)
    {
      // A new stage starts where the previous one ended: x counts steps over the whole run.
      while (static_cast<int>(stageStart->size()) <= r.stage)
      {
        stageStart->push_back(run.x.empty() ? 0.0 : run.x.back());
      }
      x = (*stageStart)[r.stage] + r.step;
    }
    else
    {
      x = run.x.empty() ? 1.0 : run.x.back() + 1.0;
    }
    run.x.push_back(x);
    run.stageOfPoint.push_back(r.stage);
    for (int s = 0; s < SeriesCount; ++s)
    {
      run.y[s].push_back(recordValue(r, s));
    }
  }
}

void ErrorChart::appendSteps(const std::vector<mrcae::StepRecord>& steps)
{
  if (steps.empty())
  {
    return;
  }
  addPoints(current_, steps, &stageStart_);
  markDirty();
}

void ErrorChart::addStage(const mrcae::StageRecord& record)
{
  while (static_cast<int>(stageStart_.size()) <= record.stage)
  {
    stageStart_.push_back(current_.x.empty() ? 0.0 : current_.x.back());
  }
  const double end = stageStart_[record.stage] + record.steps;
  // Short: the label runs along a line of a small chart. "L1g2 tolerance" = level 1, group 2 stopped on tolerance.
  std::string label = "L" + std::to_string(record.level) + "g" + std::to_string(record.group) + " " +
                      stopReasonLabel(record.stopReason);
  stageEnds_.emplace_back(end, label);
  markDirty();
}

void ErrorChart::setRun(const std::vector<mrcae::StepRecord>& steps, const std::vector<mrcae::StageRecord>& stages)
{
  clear();
  appendSteps(steps);
  for (const mrcae::StageRecord& s : stages)
  {
    addStage(s);
  }
}

void ErrorChart::archiveCurrentRun(const QString& name)
{
  if (!current_.x.empty())
  {
    current_.name = name;
    earlier_.push_back(std::move(current_));
  }
  clearEarlierButton_->setEnabled(!earlier_.empty());
  clear();
}

void ErrorChart::addEarlierRun(const QString& name, const std::vector<mrcae::StepRecord>& steps)
{
  Run run;
  run.name = name;
  std::vector<double> starts;
  addPoints(run, steps, &starts);
  earlier_.push_back(std::move(run));
  clearEarlierButton_->setEnabled(true);
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::clearEarlierRuns()
{
  earlier_.clear();
  clearEarlierButton_->setEnabled(false);
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::setSmoothing(double factor)
{
  smoothing_ = std::clamp(factor, 0.0, 0.99);
  markDirty();
}

void ErrorChart::setSeriesVisible(Series series, bool visible)
{
  visible_[series] = visible;
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::setTextVisible(bool visible)
{
  textVisible_ = visible;
  for (int a : {vtkAxis::LEFT, vtkAxis::BOTTOM})
  {
    chart_->GetAxis(a)->SetLabelsVisible(visible);
    chart_->GetAxis(a)->SetTitleVisible(visible);
  }
  chart_->SetShowLegend(visible);
  markers_->SetLabelsVisible(visible);
  markDirty();
}

void ErrorChart::setControlsVisible(bool visible)
{
  controls_->setVisible(visible);
}

int ErrorChart::stageMarkerCount() const
{
  return static_cast<int>(stageEnds_.size());
}

double ErrorChart::lastValue(Series series) const
{
  const auto& y = current_.y[series];
  return y.empty() ? std::numeric_limits<double>::quiet_NaN() : y.back();
}

void ErrorChart::fillTable(vtkTable* table, const Run& run, Series series, std::pair<double, double>& yBounds) const
{
  const std::vector<double>& xs = run.x;
  const std::vector<double>& ys = run.y[series];
  const size_t n = xs.size();
  const size_t stride = std::max<size_t>(1, (n + kMaxDrawnPoints - 1) / kMaxDrawnPoints);
  auto* xa = vtkDoubleArray::SafeDownCast(table->GetColumn(0));
  auto* ya = vtkDoubleArray::SafeDownCast(table->GetColumn(1));
  xa->SetNumberOfTuples(0);
  ya->SetNumberOfTuples(0);
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
    if (i % stride != 0 && i + 1 != n)
    {
      continue;
    }
    const double shown = std::pow(10.0, ema);
    xa->InsertNextValue(xs[i]);
    ya->InsertNextValue(shown);
    yBounds.first = std::min(yBounds.first, shown);
    yBounds.second = std::max(yBounds.second, shown);
  }
  table->SetNumberOfRows(xa->GetNumberOfTuples());
  table->Modified();
}

void ErrorChart::rebuild()
{
  if (!dirty_)
  {
    return;
  }
  dirty_ = false;

  if (plotsStale_)
  {
    chart_->ClearPlots();
  }
  // One table per drawn curve: earlier runs (global validation only, grey), then the current run's series.
  struct Curve
  {
    const Run* run;
    Series series;
    std::array<unsigned char, 4> color;
    float width;
    std::string label;
  };
  std::vector<Curve> curves;
  for (size_t r = 0; r < earlier_.size(); ++r)
  {
    const unsigned char g = static_cast<unsigned char>(150 + 60 * (earlier_.size() - 1 - r) / std::max<size_t>(1, earlier_.size()));
    curves.push_back({&earlier_[r], GlobalVal, {g, g, g, 255}, 1.5f, earlier_[r].name.toStdString()});
  }
  for (int s = 0; s < SeriesCount; ++s)
  {
    if (visible_[s])
    {
      curves.push_back({&current_, static_cast<Series>(s), {kColors[s][0], kColors[s][1], kColors[s][2], 255},
                        s < LocalTrain ? 2.0f : 1.5f, seriesName(s)});
    }
  }

  std::pair<double, double> yb{std::numeric_limits<double>::infinity(), 0.0};
  if (plotsStale_)
  {
    for (const Curve& c : curves)
    {
      auto table = vtkSmartPointer<vtkTable>::New();
      auto xa = vtkSmartPointer<vtkDoubleArray>::New();
      xa->SetName("step");
      auto ya = vtkSmartPointer<vtkDoubleArray>::New();
      ya->SetName(c.label.c_str());
      table->AddColumn(xa);
      table->AddColumn(ya);
      vtkPlot* plot = chart_->AddPlot(vtkChart::LINE);
      plot->SetInputData(table, 0, 1);
      plot->SetColor(c.color[0], c.color[1], c.color[2], c.color[3]);
      plot->SetWidth(c.width);
      plot->SetLabel(c.label);
      if (c.series == LocalTrain || c.series == LocalVal)
      {
        plot->GetPen()->SetLineType(vtkPen::DASH_LINE);
      }
    }
    plotsStale_ = false;
  }
  for (size_t i = 0; i < curves.size() && static_cast<vtkIdType>(i) < chart_->GetNumberOfPlots(); ++i)
  {
    vtkPlot* plot = chart_->GetPlot(static_cast<vtkIdType>(i));
    vtkTable* table = plot->GetInput();
    fillTable(table, *curves[i].run, curves[i].series, yb);
    plot->SetVisible(table->GetNumberOfRows() >= 2); // VTK refuses (noisily) to draw a line through one point
  }

  // Axes: x over every drawn run; y over whole decades, so that the log axis always has labelled ticks.
  double xMax = 1.0;
  for (const Curve& c : curves)
  {
    if (!c.run->x.empty())
    {
      xMax = std::max(xMax, c.run->x.back());
    }
  }
  for (const auto& end : stageEnds_)
  {
    xMax = std::max(xMax, end.first);
  }
  chart_->GetAxis(vtkAxis::BOTTOM)->SetUnscaledRange(0.0, xMax);
  double lo = 1e-4;
  double hi = 1.0;
  if (yb.second > 0.0)
  {
    lo = std::pow(10.0, std::floor(std::log10(yb.first)));
    hi = std::pow(10.0, std::ceil(std::log10(yb.second)));
    if (hi <= lo * 10.0)
    {
      hi = lo * 10.0;
    }
  }
  yRange_ = {lo, hi};
  vtkAxis* yAxis = chart_->GetAxis(vtkAxis::LEFT);
  yAxis->SetUnscaledRange(lo, hi);
  // One labelled tick per decade: VTK 9.1 labels 1-2-5 steps on short log ranges, which crowd a small chart.
  auto ticks = vtkSmartPointer<vtkDoubleArray>::New();
  auto labels = vtkSmartPointer<vtkStringArray>::New();
  const int d0 = static_cast<int>(std::lround(std::log10(lo)));
  const int d1 = static_cast<int>(std::lround(std::log10(hi)));
  const int every = std::max(1, (d1 - d0 + 5) / 6);
  for (int d = d0; d <= d1; d += every)
  {
    ticks->InsertNextValue(yAxis->GetLogScaleActive() ? d : std::pow(10.0, d));
    labels->InsertNextValue("1e" + std::to_string(d));
  }
  yAxis->SetCustomTickPositions(ticks, labels);

  std::vector<StageMarkerItem::Marker> markers;
  for (const auto& end : stageEnds_)
  {
    markers.push_back({end.first, end.second});
  }
  markers_->SetMarkers(std::move(markers));
  chart_->Update();
}

} // namespace mrcae::widgets
