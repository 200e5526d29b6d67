#include "BenchmarkFigures.h"

#include "BenchmarkPlot.h"
#include "HeadlessGui.h"

#include <QDir>

#include <memory>
#include <stdexcept>

namespace mrcae::cli
{

std::vector<std::string> writeBenchmarkFigures(const std::string& folder, const std::vector<MethodStages>& runs,
                                               int width, int height)
{
  const auto app = guiApplicationIfNone();
  std::vector<widgets::BenchmarkSeries> series;
  for (const auto& r : runs)
  {
    series.push_back({QString::fromStdString(r.method), r.stages});
  }
  std::vector<std::string> written;
  const QDir dir(QString::fromStdString(folder));
  for (const auto& [axis, name] : {std::pair{widgets::BenchmarkPlot::XAxis::Parameters, "params.png"},
                                   std::pair{widgets::BenchmarkPlot::XAxis::EncodingSize, "encoding.png"}})
  {
    widgets::BenchmarkPlot plot(axis);
    plot.setSeries(series);
    const QString path = dir.filePath(QString::fromLatin1(name));
    if (!plot.savePng(path, QSize(width, height)))
    {
      throw std::runtime_error("cannot write " + path.toStdString());
    }
    written.push_back(path.toStdString());
  }
  return written;
}

} // namespace mrcae::cli
