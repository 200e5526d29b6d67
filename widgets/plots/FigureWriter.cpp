#include "FigureWriter.h"

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

namespace mrcae::widgets
{

QString FigureWriter::formatOf(const QString& path)
{
  const QString suffix = QFileInfo(path).suffix().toLower();
  return suffix == "png" || suffix == "svg" || suffix == "pdf" ? suffix : QString();
}

QString FigureWriter::write(const QString& path, const QSize& size, const PaintFunction& paint)
{
  const QString format = formatOf(path);
  if (format.isEmpty())
  {
    return QStringLiteral("%1: choose a .png, .svg or .pdf file name").arg(path);
  }
  if (size.width() < 16 || size.height() < 16 || size.width() > 20000 || size.height() > 20000)
  {
    return QStringLiteral("a figure of %1 × %2 pixels cannot be written: use 16 to 20000 pixels a side")
        .arg(size.width())
        .arg(size.height());
  }
  const QRect target(QPoint(0, 0), size);
  if (format == "png")
  {
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
    {
      return QStringLiteral("not enough memory for a %1 × %2 picture").arg(size.width()).arg(size.height());
    }
    image.fill(Qt::white);
    QPainter painter(&image);
    paint(painter, target);
    painter.end();
    return image.save(path, "PNG") ? QString() : QStringLiteral("could not write %1").arg(path);
  }
  if (format == "svg")
  {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(target);
    svg.setResolution(96);
    svg.setTitle(QFileInfo(path).completeBaseName());
    QPainter painter;
    if (!painter.begin(&svg))
    {
      return QStringLiteral("could not write %1").arg(path);
    }
    paint(painter, target);
    painter.end();
    return QFileInfo(path).size() > 0 ? QString() : QStringLiteral("could not write %1").arg(path);
  }
  // PDF: one page of the figure's size at 96 dpi, no margins, so that one pixel of the PNG is one unit here.
  QPdfWriter pdf(path);
  pdf.setResolution(96);
  pdf.setPageSize(QPageSize(QSizeF(size.width() * 72.0 / 96.0, size.height() * 72.0 / 96.0), QPageSize::Point));
  pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
  pdf.setTitle(QFileInfo(path).completeBaseName());
  QPainter painter;
  if (!painter.begin(&pdf))
  {
    return QStringLiteral("could not write %1").arg(path);
  }
  paint(painter, target);
  painter.end();
  return QFileInfo(path).size() > 0 ? QString() : QStringLiteral("could not write %1").arg(path);
}

} // namespace mrcae::widgets
