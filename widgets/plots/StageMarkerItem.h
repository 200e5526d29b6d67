#pragma once
// A VTK context item drawn over a vtkChartXY: one vertical line per stage boundary, with a rotated label (level,
// group, stop reason). vtkChartXY has no annotation API for this, so the item maps data x to scene x through
// the chart's bottom axis itself.

#include <vtkContextItem.h>
#include <vtkSmartPointer.h>

#include <string>
#include <vector>

class vtkAxis;

namespace mrcae::widgets
{

class StageMarkerItem : public vtkContextItem
{
public:
  static StageMarkerItem* New();
  vtkTypeMacro(StageMarkerItem, vtkContextItem);

  struct Marker
  {
    double x = 0.0;
    std::string label;
  };

  void SetAxes(vtkAxis* xAxis, vtkAxis* yAxis);
  void SetMarkers(std::vector<Marker> markers);
  const std::vector<Marker>& GetMarkers() const { return this->Markers; }
  void SetLabelsVisible(bool visible);
  void SetFontSize(int points);

  bool Paint(vtkContext2D* painter) override;

protected:
  StageMarkerItem() = default;
  ~StageMarkerItem() override = default;

private:
  StageMarkerItem(const StageMarkerItem&) = delete;
  void operator=(const StageMarkerItem&) = delete;

  vtkSmartPointer<vtkAxis> XAxis;
  vtkSmartPointer<vtkAxis> YAxis;
  std::vector<Marker> Markers;
  bool LabelsVisible = true;
  int FontSize = 10;
};

} // namespace mrcae::widgets
