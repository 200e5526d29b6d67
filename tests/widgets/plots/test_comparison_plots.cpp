// The charts of issue 16, painted with QPainter on Qt's offscreen platform: the benchmark's error-versus-bytes
// figure (log-log, every method's markers where its numbers say, the raw-size line) and the per-snapshot error
// curve of a model applied to a dataset (points at their snapshot and error, coloured by part, clicks mapped to
// the nearest snapshot).

#include "BenchmarkPlot.h"
#include "ErrorBytesPlot.h"
#include "SnapshotErrorPlot.h"

#include <QGuiApplication>
#include <QTest>

#include <cmath>

using namespace mrcae::widgets;

namespace
{

/// True when a pixel within `radius` of `at` has exactly `colour`.
bool colourNear(const QImage& image, const QPointF& at, const QColor& colour, int radius = 3)
{
  for (int dy = -radius; dy <= radius; ++dy)
  {
    for (int dx = -radius; dx <= radius; ++dx)
    {
      const int x = static_cast<int>(std::lround(at.x())) + dx, y = static_cast<int>(std::lround(at.y())) + dy;
      if (image.rect().contains(x, y) && image.pixelColor(x, y).rgb() == colour.rgb())
      {
        return true;
      }
    }
  }
  return false;
}

} // namespace

class TestComparisonPlots : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  /// A benchmark table's methods as series: a trained stage at 4 bytes per code value plus its weights (4 bytes
  /// per parameter) shared among the snapshots, a compressor setting at its bytes plus its once-stored bytes
  /// shared; a setting that did not fit is left out, and so is a method without a point.
  void errorBytesSeriesShareTheOnceStoredBytes()
  {
    mrcae::BenchmarkTable table;
    mrcae::StageRecord stage;
    stage.params = 100;
    stage.codeValues = 10;
    stage.bestGlobalVal = 0.02;
    table.addStage(mrcae::Method::MrcaePr, stage);
    mrcae::CompressionResult pod;
    pod.onceBytes = 4000;
    pod.bytesPerSnapshot = 8;
    pod.val.global = 0.5;
    table.addSetting(mrcae::Method::Pod, pod);
    mrcae::CompressionResult none;
    none.fits = false;
    table.addSetting(mrcae::Method::ZfpRate, none);
    const auto series = ErrorBytesPlot::seriesOf(table, 100);
    QCOMPARE(series.size(), size_t(2));
    QCOMPARE(series[0].method, QString("MrCAE (PR)"));
    QCOMPARE(series[0].points.at(0), QPointF(40 + 400 / 100.0, 0.02));
    QCOMPARE(series[1].method, QString("POD"));
    QCOMPARE(series[1].points.at(0), QPointF(8 + 4000 / 100.0, 0.5));
  }

  void errorBytesAxesAreLogarithmic()
  {
    ErrorBytesPlot plot;
    plot.setSeries({{"MrCAE (PR)", {{1000, 1e-3}, {3000, 2e-4}}}, {"POD", {{20000, 5e-5}}}});
    plot.setRawBytes(64516);
    const QRect target(0, 0, 1000, 700);
    const QRectF area = plot.plotArea(target);
    // x decades 10^3 .. 10^5, y decades 10^-5 .. 10^-3: the corners of the area, and 10^4 in the middle.
    QCOMPARE(plot.toPixel(1e3, 1e-5, target), area.bottomLeft());
    QCOMPARE(plot.toPixel(1e5, 1e-3, target), area.topRight());
    QVERIFY(std::abs(plot.toPixel(1e4, 1e-4, target).x() - area.center().x()) < 1e-9);
    QVERIFY(std::abs(plot.toPixel(1e4, 1e-4, target).y() - area.center().y()) < 1e-9);
  }

  void errorBytesDrawsEveryMethodWhereItsNumbersSay()
  {
    ErrorBytesPlot plot;
    const std::vector<BytesSeries> series = {{"MrCAE (PR)", {{900, 2e-3}, {1800, 4e-4}}},
                                             {"RED-Net (linear)", {{1500, 8e-3}}},
                                             {"POD", {{25000, 1e-6}}},
                                             {"ZFP (fixed accuracy)", {{1700, 3e-3}}},
                                             {"ZFP (fixed rate)", {{1200, 2e-2}}}};
    plot.setSeries(series);
    const QSize size(1200, 800);
    const QImage image = plot.render(size);
    QCOMPARE(image.size(), size);
    for (size_t i = 0; i < series.size(); ++i)
    {
      const QColor colour = BenchmarkPlot::styleFor(series[i].method, static_cast<int>(i)).color;
      for (const QPointF& pt : series[i].points)
      {
        QVERIFY2(colourNear(image, plot.toPixel(pt.x(), pt.y(), QRect(QPoint(0, 0), size)), colour),
                 qPrintable(series[i].method + " has no marker at its point"));
      }
    }
    // The five methods are told apart by colour.
    QSet<QRgb> colours;
    for (size_t i = 0; i < series.size(); ++i)
    {
      colours.insert(BenchmarkPlot::styleFor(series[i].method, static_cast<int>(i)).color.rgb());
    }
    QCOMPARE(colours.size(), 5);
  }

  void snapshotCurvePointsAndClicks()
  {
    SnapshotErrorPlot plot;
    std::vector<SnapshotError> points;
    for (int t = 0; t < 20; ++t)
    {
      points.push_back({t, t < 15 ? (t % 5 == 0 ? "val" : "train") : "new", t < 15 ? 1e-3 : 1e-2});
    }
    plot.setPoints(points);
    const QRect target(0, 0, 900, 400);
    const QImage image = plot.render(target.size());
    QVERIFY(colourNear(image, plot.toPixel(3, 1e-3, target), SnapshotErrorPlot::partColor("train")));
    QVERIFY(colourNear(image, plot.toPixel(5, 1e-3, target), SnapshotErrorPlot::partColor("val")));
    QVERIFY(colourNear(image, plot.toPixel(17, 1e-2, target), SnapshotErrorPlot::partColor("new")));
    // Errors from 1e-3 to 1e-2 span exactly one decade: the area's bottom and top.
    QCOMPARE(plot.toPixel(0, 1e-3, target).y(), plot.plotArea(target).bottom());
    QCOMPARE(plot.toPixel(0, 1e-2, target).y(), plot.plotArea(target).top());
    QCOMPARE(plot.snapshotAt(plot.toPixel(11, 1e-3, target).x() + 2, target), 11);
    QCOMPARE(plot.snapshotAt(-50, target), 0);
  }
};

int main(int argc, char** argv)
{
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
  {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QGuiApplication app(argc, argv);
  TestComparisonPlots test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_comparison_plots.moc"
