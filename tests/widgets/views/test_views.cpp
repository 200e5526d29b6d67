// The field views of libmrcae_widgets (views/) with fake data: the level grid and the refinement maps, and the
// field helpers they use. A level-grid baseline keeps the tiling honest.

#include <vtkRenderer.h>

#include "FieldMath.h"
#include "FieldView.h"
#include "ImageCompare.h"
#include "LevelGrid.h"
#include "LiveSnapshot.h"
#include "MaskInspector.h"
#include "RefinementView.h"
#include "TestPatterns.h"

#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTest>

using namespace mrcae::widgets;

namespace
{

/// A snapshot like the engine's: 3 levels (15, 31, 63), reconstructions = inputs with a small error, maps for
/// 2 groups on levels 0 and 1.
mrcae::Snapshot fakeSnapshot(int index)
{
  const mrcae::Field native = mrcae::test::wavePattern(8, 63);
  const mrcae::Map2D frame = FieldMath::frame(native, index);
  mrcae::Snapshot s;
  s.stage = 4;
  s.level = 2;
  s.snapshotIndices = {index};
  for (int k = 0; k < 3; ++k)
  {
    const mrcae::Map2D in = FieldMath::restrict(frame, 2 - k);
    mrcae::Field fi(1, in.h, in.w);
    fi.data = in.data;
    mrcae::Field fr = fi;
    for (size_t i = 0; i < fr.data.size(); ++i)
    {
      fr.data[i] += 0.02f * std::sin(0.3f * i);
    }
    s.inputs.push_back(fi);
    s.reconstructions.push_back(fr);
    const int m = (in.h - 1) / 2;
    std::vector<mrcae::Map2D> maps;
    std::vector<mrcae::Map2D> masks;
    if (k < 2)
    {
      mrcae::Map2D r0(m, m, 1.0f);
      r0.at(m / 2, m / 2) = 0.0f;
      r0.at(m / 2 + 1, m / 2) = 0.0f;
      mrcae::Map2D r1(m, m, 1.0f);
      r1.at(m / 2, m / 2) = 0.0f;
      maps = {r0, r1};
      masks = {mrcae::Map2D(), FieldMath::dilate(FieldMath::difference(mrcae::Map2D(m, m, 1.0f), r0))};
    }
    s.maps.push_back(maps);
    s.masks.push_back(masks);
  }
  return s;
}

/// The fake snapshot as the training thread publishes it to the views.
std::shared_ptr<const LiveFields> fakeFields(int index)
{
  return LiveFields::fromEngine(fakeSnapshot(index));
}

} // namespace

class TestViews : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void fieldMathRestrictsLikeTheEngine();
  void levelGridShowsEveryLevel();
  void refinementViewCountsUnresolvedPixels();
  void viewsReadTheLiveSnapshotInPlace();
};

void TestViews::fieldMathRestrictsLikeTheEngine()
{
  mrcae::Map2D fine(7, 7);
  for (int i = 0; i < 7; ++i)
  {
    for (int j = 0; j < 7; ++j)
    {
      fine.at(i, j) = static_cast<float>(10 * i + j);
    }
  }
  const mrcae::Map2D once = FieldMath::restrict(fine, 1);
  QCOMPARE(once.h, 3);
  QCOMPARE(once.at(0, 0), 11.0f); // fine[1,1]
  QCOMPARE(once.at(2, 1), 53.0f); // fine[5,3]
  const mrcae::Map2D twice = FieldMath::restrict(fine, 2);
  QCOMPARE(twice.h, 1);
  QCOMPARE(twice.at(0, 0), 33.0f); // fine[3,3] = fine[4·0+3, 4·0+3]

  mrcae::Map2D resolved(5, 5, 1.0f);
  resolved.at(0, 0) = 0.0f;
  const mrcae::Map2D overlay = FieldMath::refinementOverlay(resolved);
  QCOMPARE(overlay.at(0, 0), 2.0f);
  QCOMPARE(overlay.at(1, 1), 1.0f); // the 3×3 halo, clipped at the border
  QCOMPARE(overlay.at(2, 2), 0.0f);
  QCOMPARE(FieldMath::countSet(overlay), 4);
  QCOMPARE(FieldMath::countUnresolved(resolved), 1);
}

void TestViews::levelGridShowsEveryLevel()
{
  LevelGrid grid;
  grid.setFixedSize(360, 300);
  grid.setTextVisible(false);
  grid.setLevelCount(3);
  const mrcae::Field native = mrcae::test::wavePattern(8, 63);
  grid.setValidMask(mrcae::test::landMask(63));
  grid.showInputs(FieldMath::frame(native, 2), 2);
  QVERIFY(grid.updatesPending()); // drawn one row per frame
  grid.applyPendingUpdates();
  QVERIFY(!grid.updatesPending());
  QCOMPARE(grid.panel(0, LevelGrid::Input).fieldHeight(), 15);
  QCOMPARE(grid.panel(1, LevelGrid::Input).fieldHeight(), 31);
  QCOMPARE(grid.panel(2, LevelGrid::Input).fieldHeight(), 63);
  QVERIFY(!grid.panel(0, LevelGrid::Reconstruction).hasField());
  QCOMPARE(grid.reconstructedLevels(), 0);

  grid.showSnapshot(fakeFields(2));
  QCOMPARE(grid.reconstructedLevels(), 3);
  QCOMPARE(grid.reconstructionIndex(), 2);
  grid.applyPendingUpdates();
  QVERIFY(grid.panel(1, LevelGrid::Error).hasField());
  // The error column is centred on zero.
  const auto r = grid.panel(2, LevelGrid::Error).range();
  QCOMPARE(r.first, -r.second);
  // Moving the slider elsewhere keeps the inputs in step and drops reconstructions of another snapshot.
  grid.showInputs(FieldMath::frame(native, 5), 5);
  QCOMPARE(grid.reconstructedLevels(), 0);
  grid.showSnapshot(fakeFields(2));

  // Shown, the grid draws its rows in successive frames until nothing waits.
  grid.show();
  QVERIFY(QTest::qWaitForWindowExposed(&grid));
  QTRY_VERIFY(grid.renderCount() > 0 && !grid.updatesPending());
  QTRY_VERIFY(grid.panel(2, LevelGrid::Error).hasField());
  QTest::qWait(100);
  const QImage image = grid.grabFramebuffer();
  const auto cmp = mrcae::test::compareWithBaseline(image, "levelgrid", 0.02, TEST_BASELINE_DIR, TEST_OUTPUT_DIR);
  QVERIFY2(cmp.ok, qPrintable(cmp.message));

  // With text, for a person to look at (not compared).
  grid.setTextVisible(true);
  grid.setFixedSize(900, 640);
  QTRY_VERIFY(grid.grabFramebuffer().size() == QSize(900, 640));
  grid.grabFramebuffer().save(QString(TEST_OUTPUT_DIR) + "/levelgrid-text.png");

  // A wide field stacks the panels in one column, level by level: input, reconstruction, error.
  grid.setStacked(true);
  QCOMPARE(grid.levelCount(), 3);
  QCOMPARE(grid.rows(), 9);
  QCOMPARE(grid.columns(), 1);
  mrcae::Map2D wide(63, 255, 0.0f);
  for (size_t i = 0; i < wide.data.size(); ++i)
  {
    wide.data[i] = static_cast<float>(i % 255) / 255.0f;
  }
  grid.setValidMask(mrcae::Map2D());
  grid.showInputs(wide, 0);
  grid.applyPendingUpdates();
  QCOMPARE(grid.panel(2, LevelGrid::Input).fieldWidth(), 255);
  QCOMPARE(grid.panel(1, LevelGrid::Input).fieldWidth(), 127);
  QCOMPARE(&grid.panel(1, LevelGrid::Error), &grid.cell(5, 0));
  QVERIFY(grid.panel(2, LevelGrid::Error).rangeMode() == RangeMode::Symmetric);
  QVERIFY(grid.panel(2, LevelGrid::Input).rangeMode() == RangeMode::Auto);
  QVERIFY(!grid.panel(0, LevelGrid::Reconstruction).hasField());
  grid.setStacked(false);
  QCOMPARE(grid.rows(), 3);
  QCOMPARE(grid.columns(), 3);
  QVERIFY(grid.panel(1, LevelGrid::Error).rangeMode() == RangeMode::Symmetric);
}

void TestViews::refinementViewCountsUnresolvedPixels()
{
  RefinementView view;
  view.resize(900, 640);
  view.setLevelCount(3);
  QCOMPARE(view.mapCount(), 0);
  view.showSnapshot(fakeFields(1));
  QCOMPARE(view.groupColumns(), 2);
  QCOMPARE(view.columns(), 3); // two groups + the sum
  QCOMPARE(view.unresolvedCount(0, 0), 2);
  QCOMPARE(view.unresolvedCount(1, 1), 1);
  QCOMPARE(view.unresolvedCount(2, 0), -1); // level 2 has no map in this snapshot
  QCOMPARE(view.mapCount(), 4);
  view.applyPendingUpdates();
  QVERIFY(view.cell(1, 0).hasOverlay());
  QVERIFY(view.cell(1, 2).hasOverlay()); // the sum
  QVERIFY(view.cell(0, 0).title().contains("2/49"));
  // With a land mask, the masked cells of every level's backdrop are invalid (neutral grey), the others are not.
  const mrcae::Map2D land = mrcae::test::landMask(63);
  view.setValidMask(land);
  view.showSnapshot(fakeFields(1));
  view.applyPendingUpdates();
  const mrcae::Map2D level0 = FieldMath::restrict(land, 2); // 15×15: the engine's restriction
  for (int i = 0; i < level0.h; ++i)
  {
    for (int j = 0; j < level0.w; ++j)
    {
      QCOMPARE(std::isnan(view.cell(0, 0).valueAt(i, j)), level0.at(i, j) < 0.5f);
    }
  }
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QTRY_VERIFY(view.renderCount() > 0);
  view.grabFramebuffer().save(QString(TEST_OUTPUT_DIR) + "/refinement-text.png");
}

/// One copy from the engine's snapshot into the live snapshot, none after: the level grid, the refinement maps
/// and the mask inspector all read the same arrays (issue 14's "one live path").
void TestViews::viewsReadTheLiveSnapshotInPlace()
{
  const long long before = LiveFields::copiedArrays();
  const std::shared_ptr<const LiveFields> fields = fakeFields(2);
  // 3 inputs + 3 reconstructions + 2 maps and 2 masks on each of levels 0 and 1 (fakeSnapshot).
  QCOMPARE(LiveFields::copiedArrays() - before, 14LL);
  QCOMPARE(fields->snapshotIndex, 2);
  QCOMPARE(fields->inputs[1].h, 31);

  LevelGrid grid;
  grid.setFixedSize(360, 300);
  grid.setTextVisible(false);
  grid.setLevelCount(3);
  RefinementView refinement;
  refinement.setFixedSize(360, 300);
  refinement.setLevelCount(3);
  MaskInspector inspector;
  grid.showSnapshot(fields);
  refinement.showSnapshot(fields);
  inspector.showSnapshot(fields);
  grid.applyPendingUpdates();
  refinement.applyPendingUpdates();
  QCOMPARE(LiveFields::copiedArrays() - before, 14LL);
  for (int k = 0; k < 3; ++k)
  {
    QCOMPARE(grid.shownInput(k), &fields->inputs[k]); // the snapshot's own array, not a copy
    QCOMPARE(grid.shownReconstruction(k), &fields->reconstructions[k]);
  }
  QCOMPARE(refinement.unresolvedCount(1, 1), 1);
  QCOMPARE(inspector.unresolvedCount(), 1); // the newest level and group by default: L1 g1
}

int main(int argc, char** argv)
{
  QSurfaceFormat::setDefaultFormat(VtkOpenGLWidget::defaultFormat());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestViews test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_views.moc"
