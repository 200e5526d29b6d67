#include "BenchmarkFigures.h"

#include "BenchmarkPlot.h"

#include <QDir>
#include <QGuiApplication>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace mrcae::cli
{

namespace
{

/// QPainter needs a QGuiApplication for fonts, not a display: pick the offscreen platform unless the user
/// chose one, so that the command works over ssh and in batch jobs.
std::unique_ptr<QGuiApplication> guiApplicationIfNone()
{
  if (QGuiApplication::instance())
  {
    return nullptr;
  }
  if (std::getenv("QT_QPA_PLATFORM") == nullptr)
  {
    setenv("QT_QPA_PLATFORM", "offscreen", 0);
  }
  static int argc = 1;
  static char name[] = "mrcae";
  static char* argv[] = {name, nullptr};
  return std::make_unique<QGuiApplication>(argc, argv);
}

} // namespace

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
