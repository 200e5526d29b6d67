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

// Colours of the current run (colour-blind safe pairs: blue / orange, lighter for the local losses).
const unsigned char kColors[CurveData::SeriesCount][3] = {{0, 114, 178}, {230, 159, 0}, {86, 180, 233}, {240, 200, 90}};

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
  data_.clear();
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::appendSteps(const std::vector<mrcae::StepRecord>& steps)
{
  if (steps.empty())
  {
    return;
  }
  data_.appendSteps(steps);
  markDirty();
}

void ErrorChart::addStage(const mrcae::StageRecord& record)
{
  data_.addStage(record);
  markDirty();
}

void ErrorChart::setRun(const std::vector<mrcae::StepRecord>& steps, const std::vector<mrcae::StageRecord>& stages)
{
  data_.setRun(steps, stages);
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::archiveCurrentRun(const QString& name)
{
  data_.archiveCurrentRun(name);
  clearEarlierButton_->setEnabled(!data_.earlier().empty());
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::addEarlierRun(const QString& name, const std::vector<mrcae::StepRecord>& steps)
{
  data_.addEarlierRun(name, steps);
  clearEarlierButton_->setEnabled(true);
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::clearEarlierRuns()
{
  data_.clearEarlierRuns();
  clearEarlierButton_->setEnabled(false);
  plotsStale_ = true;
  markDirty();
}

void ErrorChart::setSmoothing(double factor)
{
  data_.setSmoothing(factor);
  markDirty();
}

void ErrorChart::setSeriesVisible(Series series, bool visible)
{
  data_.setSeriesVisible(series, visible);
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
  return static_cast<int>(data_.stageEnds().size());
}

double ErrorChart::lastValue(Series series) const
{
  const auto& y = data_.current().y[series];
  return y.empty() ? std::numeric_limits<double>::quiet_NaN() : y.back();
}

void ErrorChart::fillTable(vtkTable* table, const CurveData::Run& run, Series series) const
{
  auto* xa = vtkDoubleArray::SafeDownCast(table->GetColumn(0));
  auto* ya = vtkDoubleArray::SafeDownCast(table->GetColumn(1));
  xa->SetNumberOfTuples(0);
  ya->SetNumberOfTuples(0);
  for (const auto& [x, y] : data_.drawnPoints(run, series))
  {
    xa->InsertNextValue(x);
    ya->InsertNextValue(y);
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
    const CurveData::Run* run;
    Series series;
    std::array<unsigned char, 4> color;
    float width;
    std::string label;
  };
  std::vector<Curve> curves;
  const auto& earlier = data_.earlier();
  for (size_t r = 0; r < earlier.size(); ++r)
  {
    const unsigned char g =
        static_cast<unsigned char>(150 + 60 * (earlier.size() - 1 - r) / std::max<size_t>(1, earlier.size()));
    curves.push_back({&earlier[r], GlobalVal, {g, g, g, 255}, 1.5f, earlier[r].name.toStdString()});
  }
  for (int s = 0; s < SeriesCount; ++s)
  {
    if (data_.seriesVisible(static_cast<Series>(s)))
    {
      curves.push_back({&data_.current(),
                        static_cast<Series>(s),
                        {kColors[s][0], kColors[s][1], kColors[s][2], 255},
                        s < LocalTrain ? 2.0f : 1.5f,
                        CurveData::seriesName(static_cast<Series>(s))});
    }
  }

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
    fillTable(table, *curves[i].run, curves[i].series);
    plot->SetVisible(table->GetNumberOfRows() >= 2); // VTK refuses (noisily) to draw a line through one point
  }

  // Axes: x over every drawn run; y over whole decades, so that the log axis always has labelled ticks.
  chart_->GetAxis(vtkAxis::BOTTOM)->SetUnscaledRange(0.0, data_.xMax());
  const auto [lo, hi] = data_.decadeRange();
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
  for (const auto& end : data_.stageEnds())
  {
    markers.push_back({end.x, end.label.toStdString()});
  }
  markers_->SetMarkers(std::move(markers));
  chart_->Update();
}

} // namespace mrcae::widgets
