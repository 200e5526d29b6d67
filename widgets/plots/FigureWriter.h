#pragma once
// Writes a figure painted with QPainter to a file: PNG at exactly the given pixel size, or SVG / PDF of the same
// size where lines and text stay vector (pictures of fields stay raster inside them). The format follows the
// file's extension.

#include <QSize>
#include <QString>

#include <functional>

class QPainter;
class QRect;

namespace mrcae::widgets
{

class FigureWriter
{
public:
  using PaintFunction = std::function<void(QPainter&, const QRect&)>;

  /// "png", "svg" or "pdf" from the extension (lower case); empty when it is none of them.
  static QString formatOf(const QString& path);
  /// Paints into `path`; returns an empty string, or one line saying what went wrong.
  static QString write(const QString& path, const QSize& size, const PaintFunction& paint);
};

} // namespace mrcae::widgets
