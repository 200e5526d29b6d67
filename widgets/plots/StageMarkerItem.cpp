#include "StageMarkerItem.h"

#include <vtkAxis.h>
#include <vtkContext2D.h>
#include <vtkObjectFactory.h>
#include <vtkPen.h>
#include <vtkTextProperty.h>

namespace mrcae::widgets
{

vtkStandardNewMacro(StageMarkerItem);

void StageMarkerItem::SetAxes(vtkAxis* xAxis, vtkAxis* yAxis)
{
  this->XAxis = xAxis;
  this->YAxis = yAxis;
  this->Modified();
}

void StageMarkerItem::SetMarkers(std::vector<Marker> markers)
{
  this->Markers = std::move(markers);
  this->Modified();
}

void StageMarkerItem::SetLabelsVisible(bool visible)
{
  this->LabelsVisible = visible;
  this->Modified();
}

void StageMarkerItem::SetFontSize(int points)
{
  this->FontSize = points;
  this->Modified();
}

bool StageMarkerItem::Paint(vtkContext2D* painter)
{
  if (!this->XAxis || !this->YAxis || this->Markers.empty())
  {
    return true;
  }
  // The axes were laid out by the chart's own Paint, which runs before ours (the item is added after the chart).
  const float* x1 = this->XAxis->GetPoint1();
  const float* x2 = this->XAxis->GetPoint2();
  const float* y2 = this->YAxis->GetPoint2();
  const double lo = this->XAxis->GetMinimum();
  const double hi = this->XAxis->GetMaximum();
  if (!(hi > lo))
  {
    return true;
  }
  const float bottom = x1[1];
  const float top = y2[1];

  painter->GetPen()->SetColor(90, 90, 90, 200);
  painter->GetPen()->SetWidth(1.0f);
  painter->GetPen()->SetLineType(vtkPen::DASH_LINE);
  vtkTextProperty* text = painter->GetTextProp();
  text->SetColor(0.25, 0.25, 0.25);
  text->SetFontSize(this->FontSize);
  text->SetOrientation(90.0);
  text->SetJustificationToRight();
  text->SetVerticalJustificationToBottom();
  text->BoldOff();
  text->ShadowOff();
  // Labels closer than a line of text to the previous one are left out (lines are always drawn).
  const float minSpacing = 1.3f * this->FontSize;
  float lastLabel = -1e9f;
  for (const Marker& m : this->Markers)
  {
    if (m.x < lo || m.x > hi)
    {
      continue;
    }
    const float sx = static_cast<float>(x1[0] + (m.x - lo) / (hi - lo) * (x2[0] - x1[0]));
    painter->DrawLine(sx, bottom, sx, top);
    if (this->LabelsVisible && !m.label.empty() && sx - lastLabel >= minSpacing)
    {
      painter->DrawString(sx - 2.0f, top - 4.0f, m.label.c_str());
      lastLabel = sx;
    }
  }
  text->SetOrientation(0.0);
  painter->GetPen()->SetLineType(vtkPen::SOLID_LINE);
  return true;
}

} // namespace mrcae::widgets
