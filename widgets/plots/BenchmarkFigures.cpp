#include "BenchmarkFigures.h"

#include "BenchmarkPlot.h"
#include "ErrorBytesPlot.h"

#include <QDir>

#include <stdexcept>

namespace mrcae::widgets
{

namespace
{

void check(bool written, const QString& path)
{
  if (!written)
  {
    throw std::runtime_error(path.toStdString() + ": cannot write the figure (check that the folder is writable)");
  }
}

} // namespace

QStringList writeBenchmarkFigures(const QString& folder, const mrcae::BenchmarkTable& table, int snapshots,
                                  double rawSnapshotBytes, const QSize& size)
{
  std::vector<BenchmarkSeries> trained;
  for (const auto& run : table.runs())
  {
    if (!run.stages.empty()) // compressors have settings, not stages: they are on errorbytes.png
    {
      trained.push_back({QString::fromStdString(mrcae::displayName(run.method)), run.stages});
    }
  }
  const QDir dir(folder);
  QStringList written;
  for (const auto& [axis, name] : {std::pair{BenchmarkPlot::XAxis::Parameters, "params.png"},
                                   std::pair{BenchmarkPlot::XAxis::EncodingSize, "encoding.png"}})
  {
    BenchmarkPlot plot(axis);
    plot.setSeries(trained);
    written << dir.filePath(QString::fromLatin1(name));
    check(plot.savePng(written.back(), size), written.back());
  }
  ErrorBytesPlot errorBytes;
  errorBytes.setSeries(ErrorBytesPlot::seriesOf(table, snapshots));
  errorBytes.setRawBytes(rawSnapshotBytes);
  written << dir.filePath(QStringLiteral("errorbytes.png"));
  check(errorBytes.savePng(written.back(), size), written.back());
  return written;
}

} // namespace mrcae::widgets
