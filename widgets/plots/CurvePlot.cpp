#include "CurvePlot.h"
#include "PlotAxes.h"
#include "PlotLegend.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace mrcae::widgets
{

namespace
{

// The on-screen chart's colours: blue / orange for train / validation, lighter and dashed for the local losses.
const QColor kSeriesColors[CurveData::SeriesCount] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(86, 180, 233),
                                                      QColor(240, 200, 90)};

} // namespace

CurvePlot::CurvePlot(CurveData data) : data_(std::move(data)) {}

int CurvePlot::font(const QRect& target) const
{
  return fontPixels_ > 0 ? fontPixels_ : PlotAxes::fontPixels(target);
}

QRectF CurvePlot::plotArea(const QRect& target) const
{
  return PlotAxes::area(target, font(target), 4.8, title_.isEmpty() ? 1.2 : 2.6, 1.2, 3.4);
}

PlotAxis CurvePlot::xAxis() const
{
  return PlotAxis::linear(0.0, data_.xMax());
}

PlotAxis CurvePlot::yAxis() const
{
  const auto [lo, hi] = data_.decadeRange(); // whole decades already
  return PlotAxis::logarithmic(lo, hi);
}

QPointF CurvePlot::toPixel(double step, double error, const QRect& target) const
{
  return PlotAxes::toPixel(plotArea(target), xAxis(), yAxis(), step, error);
}

void CurvePlot::paint(QPainter& p, const QRect& target) const
{
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const int f = font(target);
  const QRectF area = plotArea(target);
  // The axes once per paint: the range needs every drawn point.
  const PlotAxis xAxis = this->xAxis();
  const PlotAxis yAxis = this->yAxis();
  const auto pixel = [&](double x, double y) { return PlotAxes::toPixel(area, xAxis, yAxis, x, y); };
  PlotAxes::paintFrame(p, target, area, xAxis, yAxis, f, {QStringLiteral("step"), QStringLiteral("error"), title_});
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);
  const QFontMetricsF fm(font);
  const QColor axisColor(60, 60, 60);
  const double thin = std::max(1.0, f / 15.0);

  // Stage ends: dashed lines with their labels along them.
  p.setClipRect(area);
  QFont small = font;
  small.setPixelSize(std::max(8, static_cast<int>(0.8 * f)));
  for (const auto& end : data_.stageEnds())
  {
    const double px = pixel(end.x, yAxis.lo()).x();
    p.setPen(QPen(QColor(110, 110, 110), thin, Qt::DashLine));
    p.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
    p.save();
    p.setFont(small);
    p.setPen(QColor(80, 80, 80));
    p.translate(px - 0.25 * f, area.top() + 0.3 * f);
    p.rotate(-90);
    p.drawText(QRectF(-10 * f, -f, 10 * f, f), Qt::AlignRight | Qt::AlignVCenter, end.label);
    p.restore();
  }

  // Earlier runs (global validation, grey), then the current run's series.
  struct Line
  {
    QString label;
    QColor color;
    double width;
    Qt::PenStyle style;
  };
  std::vector<LegendRow> legendRows;
  auto draw = [&](const CurveData::Run& run, CurveData::Series s, const Line& line) {
    QPolygonF poly;
    for (const auto& [x, y] : data_.drawnPoints(run, s, static_cast<size_t>(std::max(200.0, 2 * area.width()))))
    {
      poly << pixel(x, y);
    }
    p.setPen(QPen(line.color, line.width, line.style));
    p.drawPolyline(poly);
    if (poly.size() > 0)
    {
      legendRows.push_back({line.label, QPen(line.color, line.width, line.style)});
    }
  };
  const auto& earlier = data_.earlier();
  for (size_t r = 0; r < earlier.size(); ++r)
  {
    const int g = static_cast<int>(150 + 60 * (earlier.size() - 1 - r) / std::max<size_t>(1, earlier.size()));
    draw(earlier[r], CurveData::GlobalVal, {earlier[r].name, QColor(g, g, g), std::max(1.0, f / 10.0), Qt::SolidLine});
  }
  for (int s = 0; s < CurveData::SeriesCount; ++s)
  {
    const auto series = static_cast<CurveData::Series>(s);
    if (data_.seriesVisible(series))
    {
      const bool local = series == CurveData::LocalTrain || series == CurveData::LocalVal;
      draw(data_.current(), series,
           {CurveData::seriesName(series), kSeriesColors[s], std::max(1.2, f / (local ? 10.0 : 7.0)),
            local ? Qt::DashLine : Qt::SolidLine});
    }
  }
  p.setClipping(false);
  const PlotLegend legend(std::move(legendRows), f, 1.4, 2.2);
  if (legend.empty())
  {
    p.setPen(QColor(120, 120, 120));
    p.drawText(area, Qt::AlignCenter, QStringLiteral("no steps yet"));
  }
  else
  {
    legend.paint(p, legend.topRight(area, fm), axisColor);
  }
  p.restore();
}

QImage CurvePlot::render(const QSize& size) const
{
  return chartImage(size, [this](QPainter& painter, const QRect& target) { paint(painter, target); });
}

} // namespace mrcae::widgets
