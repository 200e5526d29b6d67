#include "PaperFigure.h"
#include "ColorRamp.h"
#include "CurvePlot.h"
#include "FieldMath.h"
#include "PlotAxes.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace mrcae::widgets
{

namespace
{

enum Column
{
  Input = 0,
  Reconstruction,
  Error,
  Refinement
};

const char* columnTitle(int c)
{
  switch (c)
  {
  case Input: return "input";
  case Reconstruction: return "reconstruction";
  case Error: return "error (reconstruction − input)";
  case Refinement: return "unresolved code pixels";
  default: return "";
  }
}

mrcae::Map2D scaled(mrcae::Map2D m, double scale, double offset)
{
  for (float& v : m.data)
  {
    v = static_cast<float>(v * scale + offset);
  }
  return m;
}

QString number(double v)
{
  return QString::number(v, 'g', 3);
}

/// A vertical colour bar in `bar` with its top, middle and bottom values to the right.
void paintColorBar(QPainter& p, const QRectF& bar, ColormapKind kind, double lo, double hi, int font)
{
  QLinearGradient g(bar.bottomLeft(), bar.topLeft());
  for (int i = 0; i <= 16; ++i)
  {
    g.setColorAt(i / 16.0, ColorRamp::sample(kind, i / 16.0));
  }
  p.setPen(QPen(QColor(90, 90, 90), std::max(1.0, font / 16.0)));
  p.setBrush(g);
  p.drawRect(bar);
  p.setPen(QColor(40, 40, 40));
  const double x = bar.right() + 0.3 * font;
  for (auto [v, y] : {std::pair{hi, bar.top()}, {0.5 * (lo + hi), bar.center().y()}, {lo, bar.bottom()}})
  {
    p.drawText(QRectF(x, y - 0.7 * font, 5 * font, 1.4 * font), Qt::AlignLeft | Qt::AlignVCenter, number(v));
  }
}

/// Where an image of h×w cells fits centred in `area`, square cells.
QRectF fitImage(const QRectF& area, int h, int w)
{
  const double s = std::min(area.width() / std::max(1, w), area.height() / std::max(1, h));
  const QSizeF size(s * w, s * h);
  return QRectF(area.center() - QPointF(size.width() / 2, size.height() / 2), size);
}

} // namespace

PaperFigure::PaperFigure(PaperFigureData data, Options options) : data_(std::move(data)), options_(options)
{
  const auto& maps = data_.snapshot.maps;
  const bool anyMap = std::any_of(maps.begin(), maps.end(), [](const auto& level) { return !level.empty(); });
  options_.withRefinement = options_.withRefinement && anyMap;
  options_.withCurves = options_.withCurves && !data_.curves.current().x.empty();
}

int PaperFigure::rows() const
{
  return static_cast<int>(data_.snapshot.inputs.size());
}

int PaperFigure::columns() const
{
  return options_.withRefinement ? 4 : 3;
}

bool PaperFigure::stacked() const
{
  if (data_.snapshot.inputs.empty())
  {
    return false;
  }
  const mrcae::Field& finest = data_.snapshot.inputs.back();
  return FieldMath::stacksPanels(finest.h, finest.w);
}

namespace
{
constexpr int kStackedImageWidth = 1000; // at the natural size
constexpr int kStackedCaption = 24;      // the caption line above a stacked panel
constexpr int kStackedFooter = 24;       // room under it (the refinement count)
} // namespace

QSize PaperFigure::naturalSize() const
{
  if (stacked())
  {
    const mrcae::Field& finest = data_.snapshot.inputs.back();
    const int imageH = std::max(40, kStackedImageWidth * finest.h / std::max(1, finest.w));
    const int panelH = imageH + kStackedCaption + kStackedFooter + 14;
    const int panels = 50 + rows() * columns() * panelH;
    const int w = kStackedImageWidth + 110;
    return QSize(w, options_.withCurves ? panels + 330 : panels);
  }
  const int w = 60 + columns() * 300;
  const int panels = 70 + std::max(1, rows()) * 250;
  return QSize(w, options_.withCurves ? panels + 330 : panels);
}

void PaperFigure::paint(QPainter& p, const QRect& target) const
{
  p.save();
  p.fillRect(target, Qt::white);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setRenderHint(QPainter::SmoothPixmapTransform, false); // one field cell stays one crisp square
  const QSize natural = naturalSize();
  // Text grows with the figure: 14 px at the natural size.
  const int f = std::max(8, static_cast<int>(std::lround(14.0 * std::min(double(target.width()) / natural.width(),
                                                                         double(target.height()) / natural.height()))));
  QFont font = p.font();
  font.setPixelSize(f);
  p.setFont(font);

  QRectF area(target);
  if (!data_.title.isEmpty())
  {
    QFont bold = font;
    bold.setBold(true);
    bold.setPixelSize(static_cast<int>(1.2 * f));
    p.setFont(bold);
    p.setPen(QColor(20, 20, 20));
    p.drawText(QRectF(area.left(), area.top() + 0.4 * f, area.width(), 1.8 * f), Qt::AlignCenter, data_.title);
    p.setFont(font);
    area.setTop(area.top() + 2.4 * f);
  }
  if (options_.withCurves)
  {
    const double h = target.height() * 330.0 / natural.height();
    const QRect curvesRect = QRectF(area.left(), area.bottom() - h, area.width(), h).toAlignedRect();
    CurvePlot curves(data_.curves);
    curves.setFontPixels(f);
    curves.paint(p, curvesRect);
    area.setBottom(area.bottom() - h);
  }
  const int nRows = rows();
  if (nRows == 0)
  {
    p.setPen(QColor(120, 120, 120));
    p.drawText(area, Qt::AlignCenter, QStringLiteral("no trained level yet"));
    p.restore();
    return;
  }
  if (stacked())
  {
    paintStacked(p, area, font);
  }
  else
  {
    paintGrid(p, area, font);
  }
  p.restore();
}

void PaperFigure::paintGrid(QPainter& p, const QRectF& area, const QFont& font) const
{
  const int f = font.pixelSize();
  const int nRows = rows();
  const double labelW = 2.2 * f, headerH = 2.0 * f;
  const double cellW = (area.width() - labelW) / columns();
  const double cellH = (area.height() - headerH) / nRows;
  p.setPen(QColor(30, 30, 30));
  for (int c = 0; c < columns(); ++c)
  {
    p.drawText(QRectF(area.left() + labelW + c * cellW, area.top(), cellW, headerH), Qt::AlignCenter,
               QFontMetricsF(font).elidedText(columnTitle(c), Qt::ElideRight, cellW));
  }
  for (int k = 0; k < nRows; ++k)
  {
    const double top = area.top() + headerH + k * cellH;
    const mrcae::Field& in = data_.snapshot.inputs[k];
    p.save();
    p.setPen(QColor(30, 30, 30));
    p.translate(area.left() + 0.2 * f, top + cellH / 2);
    p.rotate(-90);
    p.drawText(QRectF(-cellH / 2, 0, cellH, 1.6 * f), Qt::AlignCenter,
               QStringLiteral("L%1 · %2×%3").arg(k).arg(in.h).arg(in.w));
    p.restore();
    for (int c = 0; c < columns(); ++c)
    {
      paintPanel(p, QRectF(area.left() + labelW + c * cellW, top, cellW, cellH), k, c, f);
    }
  }
}

void PaperFigure::paintStacked(QPainter& p, const QRectF& area, const QFont& font) const
{
  // Level by level, each column's panel on its own line under a caption "L1 · 31×255 · input".
  const int f = font.pixelSize();
  const int panels = rows() * columns();
  const double panelH = area.height() / panels;
  const double captionH = 1.7 * f, footerH = 1.7 * f;
  for (int k = 0; k < rows(); ++k)
  {
    const mrcae::Field& in = data_.snapshot.inputs[k];
    for (int c = 0; c < columns(); ++c)
    {
      const double top = area.top() + (k * columns() + c) * panelH;
      p.setPen(QColor(30, 30, 30));
      p.drawText(QRectF(area.left() + 0.5 * f, top, area.width() - f, captionH), Qt::AlignLeft | Qt::AlignBottom,
                 QStringLiteral("L%1 · %2×%3 · %4").arg(k).arg(in.h).arg(in.w).arg(columnTitle(c)));
      // The panel keeps room under the image for the refinement count.
      const QRectF cell(area.left(), top + captionH, area.width(), panelH - captionH);
      paintPanel(p, cell.adjusted(0, 0, 0, c == Refinement ? 0 : -footerH), k, c, f);
    }
  }
}

void PaperFigure::paintPanel(QPainter& p, const QRectF& cell, int level, int column, int f) const
{
  const mrcae::Snapshot& s = data_.snapshot;
  const mrcae::Map2D input = FieldMath::frame(s.inputs[level], 0);
  const mrcae::Map2D valid = FieldMath::restrictTo(data_.nativeValid, input.h, input.w);
  const mrcae::Map2D* mask = valid.h > 0 ? &valid : nullptr;
  const bool hasReconstruction = level < static_cast<int>(s.reconstructions.size()) &&
                                 s.reconstructions[level].h == input.h && s.reconstructions[level].w == input.w;
  // Image on the left, its colour bar and labels on the right.
  const double barW = 0.8 * f, labelsW = 4.2 * f, pad = 0.5 * f;
  const QRectF imageArea(cell.left() + pad, cell.top() + pad, cell.width() - barW - labelsW - 2.5 * pad,
                         cell.height() - 2 * pad);
  const QRectF imageRect = fitImage(imageArea, input.h, input.w);
  const QRectF bar(imageRect.right() + pad, imageRect.top(), barW, imageRect.height());
  auto missing = [&](const QString& text) {
    p.setPen(QColor(130, 130, 130));
    p.drawText(imageArea, Qt::AlignCenter | Qt::TextWordWrap, text);
  };

  const mrcae::Map2D shownInput = scaled(input, data_.scale, data_.offset);
  const auto inputRange = ColorRamp::finiteRange(shownInput, mask);
  switch (column)
  {
  case Input:
  case Reconstruction:
  {
    if (column == Reconstruction && !hasReconstruction)
    {
      missing(QStringLiteral("not trained yet"));
      return;
    }
    const mrcae::Map2D shown =
        column == Input ? shownInput : scaled(FieldMath::frame(s.reconstructions[level], 0), data_.scale, data_.offset);
    // The reconstruction uses the input's colours, so that the two compare directly.
    p.drawImage(imageRect, ColorRamp::image(shown, ColormapKind::Viridis, inputRange.first, inputRange.second, mask));
    paintColorBar(p, bar, ColormapKind::Viridis, inputRange.first, inputRange.second, f);
    break;
  }
  case Error:
  {
    if (!hasReconstruction)
    {
      missing(QStringLiteral("not trained yet"));
      return;
    }
    const mrcae::Map2D error =
        scaled(FieldMath::difference(FieldMath::frame(s.reconstructions[level], 0), input), data_.scale, 0.0);
    const auto range = ColorRamp::symmetricRange(error, mask);
    p.drawImage(imageRect, ColorRamp::image(error, ColormapKind::Diverging, range.first, range.second, mask));
    paintColorBar(p, bar, ColormapKind::Diverging, range.first, range.second, f);
    break;
  }
  case Refinement:
  {
    const bool hasMaps = level < static_cast<int>(s.maps.size()) && !s.maps[level].empty();
    if (!hasMaps)
    {
      missing(QStringLiteral("no map yet"));
      return;
    }
    // The count of groups that left each code pixel unresolved, over the input in grey.
    const auto& maps = s.maps[level];
    mrcae::Map2D count(maps.front().h, maps.front().w, 0.0f);
    for (const auto& r : maps)
    {
      for (size_t i = 0; i < count.data.size() && i < r.data.size(); ++i)
      {
        count.data[i] += r.data[i] < 0.5f ? 1.0f : 0.0f;
      }
    }
    p.drawImage(imageRect,
                ColorRamp::image(shownInput, ColormapKind::Greys, inputRange.first, inputRange.second, mask));
    QImage overlay = ColorRamp::image(count, ColormapKind::Magma, 0.0, static_cast<double>(maps.size()));
    overlay = overlay.convertToFormat(QImage::Format_ARGB32);
    for (int i = 0; i < count.h; ++i)
    {
      auto* row = reinterpret_cast<QRgb*>(overlay.scanLine(i));
      for (int j = 0; j < count.w; ++j)
      {
        row[j] = count.data[static_cast<size_t>(i) * count.w + j] > 0 ? (row[j] & 0x00ffffff) | 0xd9000000 : 0;
      }
    }
    // Code pixel a is centred on field cell 2a+1 and spans two of them: the grid covers [0.5, N − 0.5].
    const double cx = imageRect.width() / input.w, cy = imageRect.height() / input.h;
    p.drawImage(QRectF(imageRect.left() + 0.5 * cx, imageRect.top() + 0.5 * cy, imageRect.width() - cx,
                       imageRect.height() - cy),
                overlay);
    paintColorBar(p, bar, ColormapKind::Magma, 0.0, static_cast<double>(maps.size()), f);
    int unresolved = 0;
    for (float v : maps.back().data)
    {
      unresolved += v < 0.5f ? 1 : 0;
    }
    p.setPen(QColor(60, 60, 60));
    p.drawText(QRectF(imageRect.left(), imageRect.bottom(), imageRect.width(), cell.bottom() - imageRect.bottom()),
               Qt::AlignCenter,
               QStringLiteral("%1 / %2 after g%3").arg(unresolved).arg(count.data.size()).arg(maps.size() - 1));
    break;
  }
  default: break;
  }
  p.setPen(QPen(QColor(90, 90, 90), std::max(1.0, f / 16.0)));
  p.setBrush(Qt::NoBrush);
  p.drawRect(imageRect);
}

} // namespace mrcae::widgets
