// The Qt 6 ↔ VTK adapter renders a field image (with land cells, an overlay and a colour bar) into a
// QOpenGLWidget and offscreen; the grabbed framebuffers match PNG baselines. Runs under Xvfb (label rendering).

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkLookupTable.h>
#include <vtkRenderer.h>

#include "Colormaps.h"
#include "FieldView.h"
#include "ImageCompare.h"
#include "OffscreenRenderer.h"
#include "TestPatterns.h"

#include <QDir>
#include <QMainWindow>
#include <QSet>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTest>
#include <QVBoxLayout>

using namespace mrcae::widgets;

namespace
{

constexpr double kThreshold = 0.02;

int distinctColours(const QImage& image)
{
  QSet<QRgb> colours;
  const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
  for (int y = 0; y < rgb.height(); y += 2)
  {
    for (int x = 0; x < rgb.width(); x += 2)
    {
      colours.insert(rgb.pixel(x, y));
    }
  }
  return colours.size();
}

void showField(FieldView& view)
{
  const int n = 63;
  static const mrcae::Field field = mrcae::test::wavePattern(4, n);
  static const mrcae::Map2D land = mrcae::test::landMask(n);
  static const mrcae::Map2D overlay = mrcae::test::refinementPattern((n - 1) / 2);
  view.showFrame(field, 1, &land);
  view.scene().setOverlay(overlay.data.data(), overlay.h, overlay.w, Colormaps::refinementOverlay(), 2.0, 1.0);
  view.scene().setRangeMode(RangeMode::Auto);
}

} // namespace

class TestRendering : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void fieldViewMatchesBaseline();
  void fieldViewShowsInvalidCellsGrey();
  void wheelZoomsTheImage();
  void reparentingRecreatesTheContext();
  void offscreenRendererMatchesWidget();
};

void TestRendering::fieldViewMatchesBaseline()
{
  FieldView view;
  view.setFixedSize(200, 160);
  view.scene().setTextVisible(false);
  showField(view);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QTRY_VERIFY(view.renderCount() > 0);
  const QImage image = view.grabFramebuffer();
  QCOMPARE(image.size(), QSize(200, 160));
  QVERIFY2(distinctColours(image) > 50, "the field view rendered (almost) a single colour");
  const auto r = mrcae::test::compareWithBaseline(image, "fieldview", kThreshold, TEST_BASELINE_DIR, TEST_OUTPUT_DIR);
  QVERIFY2(r.ok, qPrintable(r.message));
}

void TestRendering::fieldViewShowsInvalidCellsGrey()
{
  FieldView view;
  view.setFixedSize(200, 160);
  view.scene().setTextVisible(false);
  showField(view);
  view.scene().clearOverlay();
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QTRY_VERIFY(view.renderCount() > 0);
  QVERIFY(std::isnan(view.scene().valueAt(9, 9))); // inside the land disc
  QVERIFY(!std::isnan(view.scene().valueAt(40, 40)));
  const QImage image = view.grabFramebuffer().convertToFormat(QImage::Format_RGB32);
  // The image fills the viewport's height: field row/col 9 of 63 is near the image's top-left corner.
  const auto [x0, y0, x1, y1] = [&] {
    double* v = view.scene().imageRenderer()->GetViewport();
    return std::array<double, 4>{v[0], v[1], v[2], v[3]};
  }();
  const double imgH = (y1 - y0) * 160;
  const double imgLeft = x0 * 200 + ((x1 - x0) * 200 - imgH) / 2;
  const int px = static_cast<int>(imgLeft + imgH * 9.5 / 63);
  const int py = static_cast<int>((1 - y1) * 160 + imgH * 9.5 / 63);
  const QColor seen(image.pixel(px, py));
  const QColor grey = Colormaps::invalidColor();
  QVERIFY2(std::abs(seen.red() - grey.red()) < 8 && std::abs(seen.green() - grey.green()) < 8 &&
               std::abs(seen.blue() - grey.blue()) < 8,
           qPrintable(QString("pixel (%1,%2) is %3, not the invalid grey").arg(px).arg(py).arg(seen.name())));
}

void TestRendering::wheelZoomsTheImage()
{
  FieldView view;
  view.setFixedSize(200, 160);
  showField(view);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QTRY_VERIFY(view.renderCount() > 0);
  const double before = view.scene().imageRenderer()->GetActiveCamera()->GetParallelScale();
  const QPoint centre(80, 90);
  QWheelEvent wheel(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(&view, &wheel);
  const double after = view.scene().imageRenderer()->GetActiveCamera()->GetParallelScale();
  QVERIFY2(after < before * 0.95, qPrintable(QString("parallel scale %1 -> %2").arg(before).arg(after)));
  const int renders = view.renderCount();
  QTRY_VERIFY(view.renderCount() > renders);
}

void TestRendering::reparentingRecreatesTheContext()
{
  QMainWindow first;
  QMainWindow second;
  auto* view = new FieldView;
  showField(*view);
  first.setCentralWidget(view);
  first.resize(300, 240);
  first.show();
  QVERIFY(QTest::qWaitForWindowExposed(&first));
  QTRY_VERIFY(view->renderCount() > 0);
  first.takeCentralWidget();
  second.setCentralWidget(view);
  second.resize(300, 240);
  second.show();
  QVERIFY(QTest::qWaitForWindowExposed(&second));
  view->scheduleRender();
  const int renders = view->renderCount();
  QTRY_VERIFY(view->renderCount() > renders);
  QVERIFY(distinctColours(view->grabFramebuffer()) > 50);
}

void TestRendering::offscreenRendererMatchesWidget()
{
  FieldView view;
  view.setFixedSize(200, 160);
  view.scene().setTextVisible(false);
  showField(view);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QTRY_VERIFY(view.renderCount() > 0);
  const QImage onScreen = view.grabFramebuffer();

  FieldScene scene;
  scene.setTextVisible(false);
  const mrcae::Field field = mrcae::test::wavePattern(4, 63);
  const mrcae::Map2D land = mrcae::test::landMask(63);
  const mrcae::Map2D overlay = mrcae::test::refinementPattern(31);
  scene.setField(field.frame(1), 63, 63, land.data.data());
  scene.setOverlay(overlay.data.data(), 31, 31, Colormaps::refinementOverlay(), 2.0, 1.0);
  OffscreenRenderer renderer(QSize(200, 160));
  scene.addTo(renderer.renderWindow());
  scene.fitCamera(true);
  const QImage offScreen = renderer.render([&] { scene.fitCamera(true); });
  scene.removeFrom(renderer.renderWindow());
  QCOMPARE(offScreen.size(), QSize(200, 160));
  const double d = mrcae::test::meanAbsDifference(onScreen, offScreen);
  QVERIFY2(d < kThreshold, qPrintable(QString("offscreen differs from the widget by %1").arg(d)));
}

int main(int argc, char** argv)
{
  QSurfaceFormat::setDefaultFormat(VtkOpenGLWidget::defaultFormat());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestRendering test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_rendering.moc"
