// Figures painted with QPainter (PaperFigure, CurvePlot, FigureWriter): exact sizes, colours where the data say,
// text that grows with the picture, and PNG / SVG / PDF files that open. Runs on Qt's offscreen platform: the
// command-line export must not need a display.

#include "ColorRamp.h"
#include "CurvePlot.h"
#include "FieldMath.h"
#include "FigureWriter.h"
#include "PaperFigure.h"
#include "TestPatterns.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QPainter>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace mrcae::widgets;

namespace
{

/// Three levels of a 63×63 wave: inputs by restriction, reconstructions = input + 0.125 (a known error, exact in
/// binary), and maps
/// where code pixel (0, 0) stays unresolved at every group of every level.
mrcae::Snapshot threeLevels()
{
  const mrcae::Field native = mrcae::test::wavePattern(1, 63);
  mrcae::Snapshot s;
  s.snapshotIndices = {0};
  for (int k = 0; k < 3; ++k)
  {
    const mrcae::Map2D in = FieldMath::restrict(FieldMath::frame(native, 0), 2 - k);
    mrcae::Field f(1, in.h, in.w);
    f.data = in.data;
    s.inputs.push_back(f);
    for (float& v : f.data)
    {
      v += 0.125f;
    }
    s.reconstructions.push_back(f);
    const int m = (in.h - 1) / 2;
    std::vector<mrcae::Map2D> maps;
    for (int g = 0; g < 2; ++g)
    {
      mrcae::Map2D r(m, m, 1.0f);
      r.at(0, 0) = 0.0f;
      maps.push_back(r);
    }
    s.maps.push_back(maps);
  }
  return s;
}

CurveData someCurves()
{
  CurveData c;
  std::vector<mrcae::StepRecord> steps;
  for (int i = 1; i <= 100; ++i)
  {
    mrcae::StepRecord r;
    r.stage = i <= 50 ? 0 : 1;
    r.step = i <= 50 ? i : i - 50;
    r.globalTrain = 1e-2 * std::pow(0.97, i);
    r.globalVal = 2e-2 * std::pow(0.97, i);
    steps.push_back(r);
  }
  mrcae::StageRecord s0;
  s0.stage = 0;
  s0.steps = 50;
  mrcae::StageRecord s1 = s0;
  s1.stage = 1;
  s1.group = 1;
  s1.stopReason = mrcae::StopReason::Tolerance;
  c.setRun(steps, {s0, s1});
  return c;
}

int distinctColours(const QImage& image)
{
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 3)
  {
    for (int x = 0; x < image.width(); x += 3)
    {
      colours.insert(image.pixel(x, y));
    }
  }
  return colours.size();
}

int countNear(const QImage& image, const QColor& c, int tolerance = 6)
{
  int n = 0;
  for (int y = 0; y < image.height(); ++y)
  {
    for (int x = 0; x < image.width(); ++x)
    {
      const QColor p = image.pixelColor(x, y);
      n += std::abs(p.red() - c.red()) <= tolerance && std::abs(p.green() - c.green()) <= tolerance &&
           std::abs(p.blue() - c.blue()) <= tolerance;
    }
  }
  return n;
}

QImage paintToImage(const FigureWriter::PaintFunction& paint, const QSize& size)
{
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter p(&image);
  paint(p, QRect(QPoint(0, 0), size));
  p.end();
  return image;
}

} // namespace

class TestFigures : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void colorRampMatchesItsTables()
  {
    // Published end points of viridis and magma, the cool-warm ends and its grey middle.
    QCOMPARE(ColorRamp::sample(ColormapKind::Viridis, 0.0), QColor(68, 1, 84));
    QCOMPARE(ColorRamp::sample(ColormapKind::Viridis, 1.0), QColor(253, 231, 37));
    QCOMPARE(ColorRamp::sample(ColormapKind::Magma, 1.0), QColor(252, 253, 191));
    const QColor mid = ColorRamp::sample(ColormapKind::Diverging, 0.5);
    QVERIFY(std::abs(mid.redF() - 0.865) < 0.005 && std::abs(mid.blueF() - 0.865) < 0.005);
    const QColor cool = ColorRamp::sample(ColormapKind::Diverging, 0.0);
    QVERIFY(std::abs(cool.redF() - 0.230) < 0.005 && std::abs(cool.blueF() - 0.754) < 0.005);
    QCOMPARE(ColorRamp::symmetricRange(mrcae::Map2D(2, 2, -0.13f)), std::make_pair(-0.2, 0.2));
    mrcae::Map2D m(1, 3, 0.0f);
    m.data = {0.0f, 0.5f, NAN};
    const QImage image = ColorRamp::image(m, ColormapKind::Viridis, 0.0, 1.0);
    QCOMPARE(image.pixelColor(0, 0), ColorRamp::sample(ColormapKind::Viridis, 0.0));
    QCOMPARE(image.pixelColor(2, 0), ColorRamp::invalidColor());
  }

  void paperFigureShowsEveryLevelAndColumn()
  {
    PaperFigureData data;
    data.snapshot = threeLevels();
    data.title = QStringLiteral("wave · t = 0");
    PaperFigure figure(data, {false, true});
    QCOMPARE(figure.rows(), 3);
    QCOMPARE(figure.columns(), 4);
    const QSize size = figure.naturalSize();
    const QImage image = paintToImage([&](QPainter& p, const QRect& r) { figure.paint(p, r); }, size);
    QCOMPARE(image.size(), size);
    QDir().mkpath(QStringLiteral(TEST_OUTPUT_DIR));
    image.save(QStringLiteral(TEST_OUTPUT_DIR "/paper_figure.png"));
    QVERIFY(distinctColours(image) > 100);
    // The error is +0.125 everywhere: the symmetric range is ±0.2 (rounded up to 2 × 10^k), so every error cell
    // has the colour at (0.125 + 0.2) / 0.4 of the diverging map (as a 256-entry table).
    QCOMPARE(ColorRamp::symmetricRange(mrcae::Map2D(3, 3, 0.125f)), std::make_pair(-0.2, 0.2));
    const QColor warm = ColorRamp::sample(ColormapKind::Diverging, std::lround(0.8125 * 255) / 255.0);
    const int warmPixels = countNear(image, warm, 2);
    // Three error panels, each a square of at least 150 px a side at the natural size, plus three colour-bar tops.
    QVERIFY2(warmPixels > 3 * 150 * 150, qPrintable(QString::number(warmPixels)));
    // One unresolved code pixel per level, counted by both groups: the top colour of the count bar (magma's end).
    QVERIFY(countNear(image, ColorRamp::sample(ColormapKind::Magma, 1.0), 40) > 0);
  }

  void wideFieldsStackTheirPanels()
  {
    // A wake-like 63×511 field and its levels 31×255 and 15×127: a grid of four columns would leave strips a
    // few pixels tall, so the twelve panels are stacked one per line, each about 1000 px wide at the natural size.
    PaperFigureData data;
    for (int k = 0; k < 3; ++k)
    {
      const int h = (64 >> (2 - k)) - 1, w = (512 >> (2 - k)) - 1;
      mrcae::Field in(1, h, w);
      for (size_t i = 0; i < in.data.size(); ++i)
      {
        in.data[i] = static_cast<float>(i % w) / w;
      }
      mrcae::Field rec = in;
      for (float& v : rec.data)
      {
        v += 0.125f;
      }
      data.snapshot.inputs.push_back(in);
      data.snapshot.reconstructions.push_back(rec);
      data.snapshot.maps.push_back({mrcae::Map2D((h - 1) / 2, (w - 1) / 2, 1.0f)});
    }
    data.snapshot.snapshotIndices = {0};
    PaperFigure figure(data, {false, true});
    QVERIFY(figure.stacked());
    PaperFigureData square;
    square.snapshot = threeLevels();
    QVERIFY(!PaperFigure(square, {false, true}).stacked());
    const QSize size = figure.naturalSize();
    QVERIFY2(size.height() > 2 * size.width(), qPrintable(QString("%1x%2").arg(size.width()).arg(size.height())));
    const QImage image = paintToImage([&](QPainter& p, const QRect& r) { figure.paint(p, r); }, size);
    image.save(QStringLiteral(TEST_OUTPUT_DIR "/paper_figure_wide.png"));
    // Three error panels of at least 900 × 100 px in the error's colour (+0.125 of a ±0.2 range).
    const QColor warm = ColorRamp::sample(ColormapKind::Diverging, std::lround(0.8125 * 255) / 255.0);
    const int warmPixels = countNear(image, warm, 2);
    QVERIFY2(warmPixels > 3 * 900 * 100, qPrintable(QString::number(warmPixels)));
  }

  void reluRunsHaveNoRefinementColumn()
  {
    PaperFigureData data;
    data.snapshot = threeLevels();
    data.snapshot.maps.clear();
    data.curves = someCurves();
    PaperFigure figure(data, {true, true});
    QCOMPARE(figure.columns(), 3);
    QVERIFY(figure.naturalSize().height() > PaperFigure(data, {false, true}).naturalSize().height());
  }

  void curvePlotPutsPointsWhereTheDataSay()
  {
    const CurvePlot plot(someCurves());
    const QSize size(800, 500);
    const QImage image = plot.render(size);
    QCOMPARE(image.size(), size);
    // Decades around 1e-2 · 0.97^100 ≈ 4.8e-4 ... 2e-2: [1e-4, 1e-1].
    QCOMPARE(plot.data().decadeRange(), std::make_pair(1e-4, 1e-1));
    // The validation curve passes through step 30 at 2e-2 · 0.97^30.
    const QPointF at = plot.toPixel(30, 2e-2 * std::pow(0.97, 30), QRect(QPoint(0, 0), size));
    bool found = false;
    for (int dy = -3; dy <= 3 && !found; ++dy)
    {
      const QColor c = image.pixelColor(static_cast<int>(at.x()), static_cast<int>(at.y()) + dy);
      found = std::abs(c.red() - 230) < 40 && std::abs(c.green() - 159) < 40 && c.blue() < 80;
    }
    QVERIFY2(found, "no orange validation line at (30, 2e-2·0.97^30)");
  }

  void textGrowsWithTheFigure()
  {
    PaperFigureData data;
    data.snapshot = threeLevels();
    PaperFigure figure(data, {false, true});
    const QSize small = figure.naturalSize();
    const QSize big = small * 2;
    // Dark text pixels (titles, labels) scale with the area: about 4× at twice the size, not 1× (fixed-size text).
    auto dark = [](const QImage& image) {
      int n = 0;
      for (int y = 0; y < image.height(); ++y)
      {
        for (int x = 0; x < image.width(); ++x)
        {
          n += qGray(image.pixel(x, y)) < 60 && qAbs(qRed(image.pixel(x, y)) - qBlue(image.pixel(x, y))) < 10;
        }
      }
      return n;
    };
    const int a = dark(paintToImage([&](QPainter& p, const QRect& r) { figure.paint(p, r); }, small));
    const int b = dark(paintToImage([&](QPainter& p, const QRect& r) { figure.paint(p, r); }, big));
    QVERIFY2(b > 3 * a, qPrintable(QString("%1 dark pixels at 1x, %2 at 2x").arg(a).arg(b)));
  }

  void writesPngSvgAndPdf()
  {
    QDir().mkpath(QStringLiteral(TEST_OUTPUT_DIR));
    const CurvePlot plot(someCurves());
    auto paint = [&](QPainter& p, const QRect& r) { plot.paint(p, r); };
    const QString base = QStringLiteral(TEST_OUTPUT_DIR "/curves");
    QCOMPARE(FigureWriter::write(base + ".png", QSize(900, 600), paint), QString());
    QCOMPARE(QImage(base + ".png").size(), QSize(900, 600));
    QCOMPARE(FigureWriter::write(base + ".svg", QSize(900, 600), paint), QString());
    QFile svg(base + ".svg");
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray text = svg.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("<path") || text.contains("<polyline")); // the curves are vector
    QVERIFY(text.contains("step"));                                // and so is the text
    QCOMPARE(FigureWriter::write(base + ".pdf", QSize(900, 600), paint), QString());
    QFile pdf(base + ".pdf");
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(FigureWriter::write(base + ".gif", QSize(900, 600), paint).contains(".png, .svg or .pdf"));
    QVERIFY(FigureWriter::write(base + ".png", QSize(5, 5), paint).contains("16 to 20000"));
    QVERIFY(FigureWriter::write(QStringLiteral("/no-such-folder/x.png"), QSize(100, 100), paint)
                .contains("could not write"));
  }
};

int main(int argc, char** argv)
{
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
  {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QGuiApplication app(argc, argv);
  TestFigures test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_figures.moc"
