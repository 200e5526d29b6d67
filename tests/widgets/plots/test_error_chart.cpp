// The error chart on screen (plots/ErrorChart, CurveView): the same QPainter CurvePlot as the figure export, on a
// log axis in whole decades, a dashed marker per stage end, earlier runs kept, and repaints that follow the data.
// Runs on Qt's offscreen platform: no OpenGL is involved any more.

#include "CurveView.h"
#include "ErrorChart.h"
#include "TestPatterns.h"

#include <QApplication>
#include <QTest>

#include <cmath>

using namespace mrcae::widgets;

namespace
{

/// True when a pixel within `reach` rows of `at` has the colour `want` (within 40 per channel).
bool colourNear(const QImage& image, const QPointF& at, const QColor& want, int reach = 3)
{
  for (int dy = -reach; dy <= reach; ++dy)
  {
    const QColor c = image.pixelColor(static_cast<int>(at.x()), static_cast<int>(at.y()) + dy);
    if (std::abs(c.red() - want.red()) < 40 && std::abs(c.green() - want.green()) < 40 &&
        std::abs(c.blue() - want.blue()) < 40)
    {
      return true;
    }
  }
  return false;
}

} // namespace

class TestErrorChart : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void drawsTheCurvesOnALogAxisWithStageMarkers();
  void keepsEarlierRunsAndRepaintsOnNewSteps();
};

void TestErrorChart::drawsTheCurvesOnALogAxisWithStageMarkers()
{
  ErrorChart chart;
  chart.setControlsVisible(false);
  chart.resize(600, 360);
  const auto steps = mrcae::test::decayingCurves(3, 40);
  chart.appendSteps(steps);
  mrcae::StageRecord rec;
  rec.stage = 0;
  rec.steps = 40;
  rec.op = mrcae::StageOp::Deepen;
  rec.stopReason = mrcae::StopReason::Tolerance;
  chart.addStage(rec);
  chart.show();
  QVERIFY(QTest::qWaitForWindowExposed(&chart));
  QTRY_VERIFY(chart.view()->paintCount() > 0);
  QCOMPARE(chart.pointCount(), 120);
  QCOMPARE(chart.stageMarkerCount(), 1);
  QCOMPARE(chart.lastValue(ErrorChart::GlobalVal), steps.back().globalVal);
  // Errors from 3.6e-2 (1.2 · 3e-2) down to 0.12² · 3e-2 · e^-3 · 1.2 ≈ 2.6e-5: whole decades 1e-5 .. 1e-1.
  QCOMPARE(chart.yRange().first, 1e-5);
  QCOMPARE(chart.yRange().second, 1e-1);

  const QImage image = chart.view()->grab().toImage();
  QCOMPARE(image.size(), chart.view()->size());
  const QRect target(QPoint(0, 0), image.size());
  const CurvePlot& plot = chart.view()->plot();
  // The validation curve (orange) at step 20 of the second stage, x = 40 + 20.
  const double val = steps[59].globalVal;
  QVERIFY2(colourNear(image, plot.toPixel(60, val, target), QColor(230, 159, 0)), "no validation curve there");
  // The log axis: 1e-3 lies 2/4 of the way up from 1e-5 to 1e-1, on the plot area's middle line.
  const QRectF area = plot.plotArea(target);
  QCOMPARE(plot.toPixel(0, 1e-3, target).y(), area.center().y());
  // The stage end is a dashed grey line at step 40, across the plot area.
  const double x40 = plot.toPixel(40, 1e-3, target).x();
  int grey = 0;
  for (int y = static_cast<int>(area.top()) + 2; y < static_cast<int>(area.bottom()) - 2; ++y)
  {
    bool found = false;
    for (int x = static_cast<int>(x40) - 1; x <= static_cast<int>(x40) + 2 && !found; ++x)
    {
      const QColor c = image.pixelColor(x, y);
      found = std::abs(c.red() - c.green()) <= 3 && std::abs(c.green() - c.blue()) <= 3 && c.red() < 200;
    }
    grey += found;
  }
  image.save(QString(TEST_OUTPUT_DIR) + "/errorchart.png"); // for a person to look at
  QVERIFY2(grey > area.height() / 4, qPrintable(QString("%1 grey pixels at x=%2").arg(grey).arg(x40)));
}

void TestErrorChart::keepsEarlierRunsAndRepaintsOnNewSteps()
{
  ErrorChart chart;
  chart.resize(500, 300);
  chart.show();
  QVERIFY(QTest::qWaitForWindowExposed(&chart));
  chart.appendSteps(mrcae::test::decayingCurves(3, 40));
  QTRY_VERIFY(chart.view()->paintCount() > 0);
  chart.archiveCurrentRun("run 1");
  QCOMPARE(chart.earlierRunCount(), 1);
  QCOMPARE(chart.pointCount(), 0);
  // New steps are drawn with the next frame: the chart repaints by itself.
  const int paints = chart.view()->paintCount();
  chart.appendSteps(mrcae::test::decayingCurves(1, 10));
  QTRY_VERIFY(chart.view()->paintCount() > paints);
  QCOMPARE(chart.pointCount(), 10);
  // The earlier run's curve is drawn in grey under the new one: the x axis spans its 120 steps.
  QCOMPARE(chart.view()->plot().data().xMax(), 120.0);
  chart.clearEarlierRuns();
  QCOMPARE(chart.earlierRunCount(), 0);
  QCOMPARE(chart.view()->plot().data().xMax(), 10.0);
}

int main(int argc, char** argv)
{
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
  {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
  TestErrorChart test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_error_chart.moc"
