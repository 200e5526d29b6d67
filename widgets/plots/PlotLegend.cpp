#include "PlotLegend.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

namespace mrcae::widgets
{

PlotLegend::PlotLegend(std::vector<LegendRow> rows, double font, double rowHeight, double sampleWidth)
  : rows_(std::move(rows)), font_(font), rowHeight_(rowHeight * font), sampleWidth_(sampleWidth * font)
{
}

QSizeF PlotLegend::size(const QFontMetricsF& metrics) const
{
  double textWidth = 0;
  for (const LegendRow& row : rows_)
  {
    textWidth = std::max(textWidth, metrics.horizontalAdvance(row.label));
  }
  const double pad = 0.5 * font_;
  return {sampleWidth_ + 0.5 * font_ + textWidth + 2 * pad, rowHeight_ * rows_.size() + 2 * pad - 0.3 * font_};
}

QRectF PlotLegend::topRight(const QRectF& area, const QFontMetricsF& metrics) const
{
  const QSizeF boxSize = size(metrics);
  const double pad = 0.5 * font_;
  return {QPointF(area.right() - pad - boxSize.width(), area.top() + pad), boxSize};
}

void PlotLegend::paint(QPainter& p, const QRectF& box, const QColor& textColor) const
{
  const double pad = 0.5 * font_;
  p.save();
  p.setPen(QPen(QColor(180, 180, 180), 1));
  p.setBrush(QColor(255, 255, 255, 230));
  p.drawRect(box);
  for (size_t i = 0; i < rows_.size(); ++i)
  {
    const double cy = box.top() + pad + rowHeight_ * (i + 0.45);
    const QPointF a(box.left() + pad, cy), b(box.left() + pad + sampleWidth_, cy);
    p.setPen(rows_[i].line);
    p.drawLine(a, b);
    if (rows_[i].marker)
    {
      rows_[i].marker(p, (a + b) / 2);
    }
    p.setPen(textColor);
    p.drawText(QRectF(b.x() + 0.5 * font_, cy - 0.7 * font_, box.right() - b.x(), 1.4 * font_),
               Qt::AlignLeft | Qt::AlignVCenter, rows_[i].label);
  }
  p.restore();
}

QImage chartImage(const QSize& size, const std::function<void(QPainter&, const QRect&)>& paint)
{
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter painter(&image);
  paint(painter, QRect(QPoint(0, 0), size));
  painter.end();
  return image;
}

} // namespace mrcae::widgets
