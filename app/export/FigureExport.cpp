#include "FigureExport.h"

#include "CurvePlot.h"
#include "FigureWriter.h"

#include "mrcae/engine/Trainer.h"

#include <QDir>
#include <QPainter>

namespace mrcae::app
{

using widgets::FigureWriter;

widgets::CurveData FigureExport::curveData(const mrcae::Trainer& trainer)
{
  widgets::CurveData curves;
  curves.setRun(trainer.curves(), trainer.stages());
  return curves;
}

widgets::PaperFigureData FigureExport::figureData(const mrcae::Trainer& trainer, int index)
{
  const mrcae::Dataset& d = trainer.dataset();
  widgets::PaperFigureData data;
  data.snapshot = trainer.snapshot({index});
  data.nativeValid = d.valid;
  data.scale = d.originalMax - d.originalMin;
  data.offset = d.originalMin;
  data.units = QString::fromStdString(d.units);
  data.title = QStringLiteral("%1 · t = %2 · %3 stages, %4 parameters")
                   .arg(QString::fromStdString(d.name))
                   .arg(index)
                   .arg(trainer.stages().size())
                   .arg(trainer.architecture().params);
  data.curves = curveData(trainer);
  return data;
}

namespace
{

widgets::PaperFigure paperFigure(const mrcae::Trainer& trainer, int index, const FigureRequest& request)
{
  return widgets::PaperFigure(FigureExport::figureData(trainer, index), {request.withCurves, true});
}

QSize scaledSize(const QSize& natural, const FigureRequest& request)
{
  if (request.size.isValid() && !request.size.isEmpty())
  {
    return request.size;
  }
  return QSize(static_cast<int>(natural.width() * request.scale + 0.5),
               static_cast<int>(natural.height() * request.scale + 0.5));
}

} // namespace

QSize FigureExport::pixelSize(const mrcae::Trainer& trainer, const FigureRequest& request)
{
  const QSize natural =
      request.what == FigureRequest::What::Curves
          ? QSize(1000, 560)
          : paperFigure(trainer, trainer.split().test.empty() ? 0 : trainer.split().test.front(), request)
                .naturalSize();
  return scaledSize(natural, request);
}

QString FigureExport::write(const mrcae::Trainer& trainer, int index, const QString& path, const FigureRequest& request)
{
  if (trainer.trainedLevel() < 0)
  {
    return QStringLiteral("the model has no trained stage to draw");
  }
  if (index < 0 || index >= trainer.dataset().field.t)
  {
    return QStringLiteral("snapshot %1 is not in the dataset (0 to %2)").arg(index).arg(trainer.dataset().field.t - 1);
  }
  if (request.what == FigureRequest::What::Curves)
  {
    const widgets::CurvePlot plot(curveData(trainer));
    return FigureWriter::write(path, scaledSize(QSize(1000, 560), request),
                               [&](QPainter& p, const QRect& r) { plot.paint(p, r); });
  }
  const widgets::PaperFigure figure = paperFigure(trainer, index, request);
  return FigureWriter::write(path, scaledSize(figure.naturalSize(), request),
                             [&](QPainter& p, const QRect& r) { figure.paint(p, r); });
}

QString FigureExport::writeSeries(const mrcae::Trainer& trainer, const std::vector<int>& indices, const QString& folder,
                                  const QString& stem, const FigureRequest& request,
                                  const std::function<bool(int, int)>& progress)
{
  if (!QDir().mkpath(folder))
  {
    return QStringLiteral("cannot create the folder %1").arg(folder);
  }
  const int total = static_cast<int>(indices.size());
  for (int i = 0; i < total; ++i)
  {
    // Numbered by frame, so that tools that read "name_%04d.png" play them in order.
    const QString path = QStringLiteral("%1/%2_%3.png").arg(folder, stem).arg(i, 4, 10, QLatin1Char('0'));
    const QString error = write(trainer, indices[i], path, request);
    if (!error.isEmpty())
    {
      return error;
    }
    if (progress && !progress(i + 1, total))
    {
      break;
    }
  }
  return QString();
}

} // namespace mrcae::app
