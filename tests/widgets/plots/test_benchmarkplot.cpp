// The benchmark figure painted with QPainter: exact image sizes, not blank, method colours present, points where
// the data say. Runs on Qt's offscreen platform: the chart must not need a display or OpenGL.

#include "BenchmarkPlot.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSet>
#include <QTest>

#include <cmath>

using mrcae::widgets::BenchmarkPlot;
using mrcae::widgets::BenchmarkSeries;

namespace
{

mrcae::StageRecord stage(int index, long long params, long long encoding, double err)
{
  mrcae::StageRecord s;
  s.stage = index;
  s.params = params;
  s.encodingSize = encoding;
  s.bestGlobalVal = err;
  return s;
}

/// A hand-made two-method table like the paper's: MrCAE falls faster than RED-Net.
std::vector<BenchmarkSeries> twoMethods()
{
  BenchmarkSeries pr{QStringLiteral("MrCAE (PR)"),
                     {stage(0, 20, 49, std::exp(-6.0)), stage(1, 40, 80, std::exp(-7.0)),
                      stage(2, 80, 400, std::exp(-8.5)), stage(3, 160, 900, std::exp(-9.5))}};
  BenchmarkSeries red{
      QStringLiteral("RED-Net (linear)"),
      {stage(0, 20, 49, std::exp(-4.4)), stage(1, 110, 300, std::exp(-6.0)), stage(2, 300, 1200, std::exp(-8.0))}};
  return {pr, red};
}

int countColour(const QImage& image, const QColor& colour)
{
  int n = 0;
  for (int y = 0; y < image.height(); ++y)
  {
    for (int x = 0; x < image.width(); ++x)
    {
      n += image.pixelColor(x, y).rgb() == colour.rgb();
    }
  }
  return n;
}

} // namespace

class TestBenchmarkPlot : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void rendersAtTheAskedSizeAndIsNotBlank_data()
  {
    QTest::addColumn<QSize>("size");
    QTest::newRow("800x600") << QSize(800, 600);
    QTest::newRow("1600x1200") << QSize(1600, 1200);
  }
  void rendersAtTheAskedSizeAndIsNotBlank()
  {
    QFETCH(QSize, size);
    BenchmarkPlot plot(BenchmarkPlot::XAxis::Parameters);
    plot.setSeries(twoMethods());
    const QImage image = plot.render(size);
    QCOMPARE(image.size(), size);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
    {
      for (int x = 0; x < image.width(); x += 2)
      {
        colours.insert(image.pixel(x, y));
      }
    }
    // Antialiased text, lines, markers and the grid give many shades; a blank or flat image gives one or two.
    QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
    for (const auto& s : plot.series())
    {
      const QColor c = BenchmarkPlot::styleFor(s.method, 0).color;
      QVERIFY2(countColour(image, c) > 20, qPrintable(s.method));
    }
  }

  void textScalesWithTheImage()
  {
    BenchmarkPlot plot;
    plot.setSeries(twoMethods());
    const QRectF small = plot.plotArea(QRect(0, 0, 800, 600));
    const QRectF large = plot.plotArea(QRect(0, 0, 1600, 1200));
    // Margins hold text: twice the image, twice the margins, so the layout is the same at any size.
    QVERIFY(std::abs(large.left() - 2 * small.left()) <= 2.0);
    QVERIFY(std::abs(large.width() - 2 * small.width()) <= 4.0);
  }

  void pointsSitWhereTheDataSay_data()
  {
    QTest::addColumn<int>("axis");
    QTest::newRow("parameters") << int(BenchmarkPlot::XAxis::Parameters);
    QTest::newRow("encoding") << int(BenchmarkPlot::XAxis::EncodingSize);
  }
  void pointsSitWhereTheDataSay()
  {
    QFETCH(int, axis);
    const auto xAxis = static_cast<BenchmarkPlot::XAxis>(axis);
    BenchmarkPlot plot(xAxis);
    plot.setSeries(twoMethods());
    const QRect target(0, 0, 800, 600);
    const QImage image = plot.render(target.size());
    const QRectF area = plot.plotArea(target);
    for (const auto& series : plot.series())
    {
      const QColor colour = BenchmarkPlot::styleFor(series.method, 0).color;
      for (const auto& s : series.stages)
      {
        const double x = xAxis == BenchmarkPlot::XAxis::Parameters ? s.params : s.encodingSize;
        const QPointF p = plot.toPixel(x, std::log(s.bestGlobalVal), target);
        QVERIFY(area.contains(p));
        QCOMPARE(image.pixelColor(p.toPoint()).rgb(), colour.rgb());
      }
    }
    // Lower error is higher on the image's y axis reversed: ln(err) = -9.5 is below -6.0.
    QVERIFY(plot.toPixel(20, -9.5, target).y() > plot.toPixel(20, -6.0, target).y());
    QVERIFY(plot.toPixel(160, -6.0, target).x() > plot.toPixel(20, -6.0, target).x());
  }

  void emptyTableStillDrawsAxes()
  {
    BenchmarkPlot plot;
    const QImage image = plot.render(QSize(640, 480));
    QCOMPARE(image.size(), QSize(640, 480));
    QVERIFY(countColour(image, Qt::white) < 640 * 480);
  }

  void savesPng()
  {
    BenchmarkPlot plot(BenchmarkPlot::XAxis::EncodingSize);
    plot.setSeries(twoMethods());
    QDir().mkpath(QStringLiteral(TEST_OUTPUT_DIR));
    const QString path = QStringLiteral(TEST_OUTPUT_DIR "/benchmark_encoding.png");
    QFile::remove(path);
    QVERIFY(plot.savePng(path, QSize(1000, 700)));
    QCOMPARE(QImage(path).size(), QSize(1000, 700));
  }
};

int main(int argc, char** argv)
{
  // QPainter on a QImage needs fonts, not a display: the offscreen platform proves the CLI's headless use.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
  {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QGuiApplication app(argc, argv);
  TestBenchmarkPlot test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_benchmarkplot.moc"
