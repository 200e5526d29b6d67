#include "FilterPlot.h"
#include "ColorRamp.h"
#include "FieldMath.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace mrcae::widgets
{

namespace
{

// Layout in units of the text height f.
constexpr double kCell = 2.6;     // one kernel tap
constexpr double kGap = 1.2;      // between kernels
constexpr double kCodeSide = 7.0; // one code picture
constexpr double kLabelW = 7.0;   // the row labels on the left

double maxAbs(const std::vector<float>& v)
{
  double m = 0.0;
  for (float x : v)
  {
    m = std::max(m, static_cast<double>(std::abs(x)));
  }
  return m;
}

QString tap(double v)
{
  return QString::number(v, 'f', std::abs(v) >= 10 ? 1 : std::abs(v) >= 1 ? 2 : 3);
}

/// A 3×3 kernel as coloured cells with their values; `range` is the symmetric end of the colours.
void paintKernel(QPainter& p, const QPointF& topLeft, const float* k, double range, double f)
{
  const double c = kCell * f;
  QFont small = p.font();
  small.setPixelSize(std::max(7, static_cast<int>(0.72 * f)));
  p.save();
  p.setFont(small);
  for (int i = 0; i < 3; ++i)
  {
    for (int j = 0; j < 3; ++j)
    {
      const double v = k[3 * i + j];
      const QColor colour = ColorRamp::sample(ColormapKind::Diverging, range > 0 ? 0.5 + 0.5 * v / range : 0.5);
      const QRectF cell(topLeft.x() + j * c, topLeft.y() + i * c, c, c);
      p.fillRect(cell, colour);
      p.setPen(qGray(colour.rgb()) < 110 ? Qt::white : QColor(20, 20, 20));
      p.drawText(cell, Qt::AlignCenter, tap(v));
    }
  }
  p.setPen(QPen(QColor(90, 90, 90), std::max(1.0, f / 14.0)));
  p.setBrush(Qt::NoBrush);
  p.drawRect(QRectF(topLeft, QSizeF(3 * c, 3 * c)));
  p.restore();
}

} // namespace

void FilterPlot::setData(std::vector<mrcae::GroupWeights> weights, std::vector<mrcae::GroupCodes> codes, int snapshot)
{
  weights_ = std::move(weights);
  codes_ = std::move(codes);
  snapshot_ = snapshot;
  level_ = std::clamp(level_, 0, std::max(0, levelCount() - 1));
}

int FilterPlot::levelCount() const
{
  int n = 0;
  for (const auto& w : weights_)
  {
    n = std::max(n, w.level + 1);
  }
  return n;
}

std::vector<const mrcae::GroupWeights*> FilterPlot::levelWeights() const
{
  std::vector<const mrcae::GroupWeights*> out;
  for (const auto& w : weights_)
  {
    if (w.level == level_)
    {
      out.push_back(&w);
    }
  }
  return out;
}

int FilterPlot::groupCount() const
{
  return static_cast<int>(levelWeights().size());
}

const mrcae::GroupCodes* FilterPlot::codesOf(int level, int group) const
{
  for (const auto& c : codes_)
  {
    if (c.level == level && c.group == group)
    {
      return &c;
    }
  }
  return nullptr;
}

double FilterPlot::encoderRange() const
{
  double m = 0.0;
  for (const auto* w : levelWeights())
  {
    m = std::max(m, maxAbs(w->encoderWeight));
  }
  return ColorRamp::niceUp(m);
}

double FilterPlot::decoderRange() const
{
  double m = 0.0;
  for (const auto* w : levelWeights())
  {
    m = std::max(m, maxAbs(w->decoderWeight));
  }
  return ColorRamp::niceUp(m);
}

QSize FilterPlot::naturalSize() const
{
  const double f = 14.0;
  int widest = 1;
  for (const auto* w : levelWeights())
  {
    widest = std::max(widest, w->channels);
  }
  const double column = std::max(3 * kCell + kGap, kCodeSide + kGap) * f;
  const double rowH = (1.6 + 3 * kCell + 1.4 + 3 * kCell + 1.4 + kCodeSide + 2.0) * f;
  // Wide enough for the group headers ("g0 · 1 channel · L2_Conv_0 / L2_deConv_0 · decoder bias 0.008").
  return QSize(static_cast<int>(std::max(kLabelW * f + widest * column + 2 * f, 44 * f)),
               static_cast<int>(2.4 * f + std::max(1, groupCount()) * rowH));
}

void FilterPlot::paint(QPainter& p, const QRect& target) const
{
  p.save();
  p.fillRect(target, Qt::white);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  const QSize natural = naturalSize();
  const double f =
      14.0 * std::min(double(target.width()) / natural.width(), double(target.height()) / natural.height());
  QFont font = p.font();
  font.setPixelSize(std::max(7, static_cast<int>(std::lround(f))));
  p.setFont(font);
  const auto groups = levelWeights();
  p.setPen(QColor(20, 20, 20));
  if (groups.empty())
  {
    p.drawText(target, Qt::AlignCenter, QStringLiteral("no trained group at this level yet"));
    p.restore();
    return;
  }
  p.drawText(QRectF(target.left() + f, target.top() + 0.3 * f, target.width() - 2 * f, 1.6 * f),
             Qt::AlignLeft | Qt::AlignVCenter,
             QStringLiteral("Level %1 · encoder taps in ±%2, decoder taps in ±%3 · codes of snapshot %4")
                 .arg(level_)
                 .arg(encoderRange())
                 .arg(decoderRange())
                 .arg(snapshot_));
  const double column = std::max(3 * kCell + kGap, kCodeSide + kGap) * f;
  const double rowH = (1.6 + 3 * kCell + 1.4 + 3 * kCell + 1.4 + kCodeSide + 2.0) * f;
  double y = target.top() + 2.4 * f;
  for (const auto* w : groups)
  {
    const double x0 = target.left() + kLabelW * f;
    QFont bold = font;
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(target.left() + 0.5 * f, y, target.width() - f, 1.5 * f), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("g%1 · %2 channel%3 · L%4_Conv_%1 / L%4_deConv_%1 · decoder bias %5")
                   .arg(w->group)
                   .arg(w->channels)
                   .arg(w->channels == 1 ? "" : "s")
                   .arg(level_)
                   .arg(tap(w->decoderBias)));
    p.setFont(font);
    const double encY = y + 1.6 * f;
    const double decY = encY + (3 * kCell + 1.4) * f;
    const double codeY = decY + (3 * kCell + 1.4) * f;
    p.drawText(QRectF(target.left() + 0.5 * f, encY, kLabelW * f - f, 3 * kCell * f), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("encoder"));
    p.drawText(QRectF(target.left() + 0.5 * f, decY, kLabelW * f - f, 3 * kCell * f), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("decoder"));
    p.drawText(QRectF(target.left() + 0.5 * f, codeY, kLabelW * f - f, kCodeSide * f), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("code"));
    const mrcae::GroupCodes* codes = codesOf(level_, w->group);
    for (int c = 0; c < w->channels; ++c)
    {
      const double x = x0 + c * column;
      paintKernel(p, QPointF(x, encY), w->encoderWeight.data() + 9 * c, encoderRange(), f);
      p.drawText(QRectF(x, encY + 3 * kCell * f, 3 * kCell * f, 1.3 * f), Qt::AlignCenter,
                 QStringLiteral("bias %1").arg(tap(w->encoderBias[c])));
      paintKernel(p, QPointF(x, decY), w->decoderWeight.data() + 9 * c, decoderRange(), f);
      if (codes && c < codes->channels && codes->values.t > c)
      {
        const mrcae::Map2D code = FieldMath::frame(codes->values, c);
        const auto range = ColorRamp::finiteRange(code);
        const QRectF rect(x, codeY, kCodeSide * f, kCodeSide * f);
        p.drawImage(rect, ColorRamp::image(code, ColormapKind::Viridis, range.first, range.second));
        p.setPen(QPen(QColor(90, 90, 90), std::max(1.0, f / 14.0)));
        p.drawRect(rect);
        p.setPen(QColor(20, 20, 20));
      }
    }
    y += rowH;
  }
  p.restore();
}

} // namespace mrcae::widgets
