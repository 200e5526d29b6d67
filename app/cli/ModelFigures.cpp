#include "ModelFigures.h"

#include "FigureExport.h"
#include "HeadlessGui.h"

#include "mrcae/model/InputError.h"

#include <QString>

namespace mrcae::cli
{

std::string writeFigures(const Trainer& trainer, const std::vector<int>& snapshots, const std::string& output,
                         const FigureOptions& options)
{
  const auto app = guiApplicationIfNone();
  app::FigureRequest request;
  request.what = options.curves ? app::FigureRequest::What::Curves : app::FigureRequest::What::Figure;
  request.withCurves = options.withCurves;
  request.size = options.width > 0 ? QSize(options.width, options.height) : QSize();
  request.scale = options.scale;
  const QString out = QString::fromStdString(output);
  if (snapshots.size() == 1)
  {
    const QString error = app::FigureExport::write(trainer, snapshots.front(), out, request);
    if (!error.isEmpty())
    {
      throw InputError(error.toStdString());
    }
    const QSize size = app::FigureExport::pixelSize(trainer, request);
    return "wrote " + output + " (" + std::to_string(size.width()) + " x " + std::to_string(size.height()) + " px" +
           (options.curves ? std::string(", the curves") : ", snapshot " + std::to_string(snapshots.front())) + ")";
  }
  const QString error = app::FigureExport::writeSeries(trainer, snapshots, out, QStringLiteral("frame"), request);
  if (!error.isEmpty())
  {
    throw InputError(error.toStdString());
  }
  return "wrote " + std::to_string(snapshots.size()) + " frames " + output + "/frame_0000.png ... (an animation over " +
         "the snapshots, in their order)";
}

} // namespace mrcae::cli
