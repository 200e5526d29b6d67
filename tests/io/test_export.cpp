// Exports (HDF5, VTK image series, CSV) read back with independent readers: shapes and values.
#include "Hdf5Util.h"
#include "mrcae/engine/Exporter.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/ToyData.h"

#include <QTemporaryDir>
#include <QtTest>

#ifdef MRCAE_TEST_WITH_VTK
#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkXMLImageDataReader.h>
#endif

#include <charconv>
#include <cmath>
#include <fstream>

using namespace mrcae;

namespace
{

/// A number written the C way, read with std::from_chars (which ignores the locale); NaN for anything else.
double readNumber(const std::string& text)
{
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() ? v : std::nan("");
}

std::vector<std::string> splitCsv(const std::string& line)
{
  std::vector<std::string> cells(1);
  for (char ch : line)
  {
    if (ch == ',')
    {
      cells.emplace_back();
    }
    else
    {
      cells.back() += ch;
    }
  }
  return cells;
}

} // namespace

class TestExport : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  std::unique_ptr<Trainer> trainer;
  std::string path(const char* name) const { return (dir.path() + "/" + name).toStdString(); }

private Q_SLOTS:
  void initTestCase()
  {
    TrainingConfig c = TrainingConfig::preset("toy1");
    c.steps = {3, 2, 2};
    c.threads = 1;
    trainer = std::make_unique<Trainer>(generateToy("toy1", 20, 127), c);
    trainer->run();
  }

  void hdf5HoldsFieldsCodesAndMaps()
  {
    const std::vector<int> snaps = {2, 11};
    exportHdf5(*trainer, snaps, path("e.h5"));
    H5::H5File f(path("e.h5"), H5F_ACC_RDONLY);
    QCOMPARE(h5::readInts(f.openDataSet("snapshots")), snaps);
    const Dataset& d = trainer->dataset();
    const Snapshot s = trainer->snapshot(snaps);
    for (int k = 0; k < 3; ++k)
    {
      const std::string L = "L" + std::to_string(k);
      const int n = (32 << k) - 1; // 31, 63, 127
      QCOMPARE(h5::shapeOf(f.openDataSet(L + "/input")), (std::vector<hsize_t>{2, hsize_t(n), hsize_t(n)}));
      std::vector<float> in = h5::readFloats(f.openDataSet(L + "/input"));
      std::vector<float> rec = h5::readFloats(f.openDataSet(L + "/reconstruction"));
      std::vector<float> err = h5::readFloats(f.openDataSet(L + "/error"));
      const double span = d.originalMax - d.originalMin;
      for (size_t p : {size_t(0), size_t(n * n + 5), in.size() - 1})
      {
        // Original units: value = min + scaled·(max − min); error = reconstruction − input.
        QVERIFY(std::abs(in[p] - (d.originalMin + s.inputs[k].data[p] * span)) < 1e-5);
        QVERIFY(std::abs(rec[p] - (d.originalMin + s.reconstructions[k].data[p] * span)) < 1e-5);
        QVERIFY(std::abs(err[p] - (rec[p] - in[p])) < 1e-5);
      }
      QCOMPARE(h5::shapeOf(f.openDataSet(L + "/maps/g0")),
               (std::vector<hsize_t>{hsize_t((n - 1) / 2), hsize_t((n - 1) / 2)}));
      QVERIFY(f.nameExists(L + "/masks"));
    }
    // Level 2's widened groups have 2 channels each (toy1 archs 1,3,5,7).
    QCOMPARE(h5::shapeOf(f.openDataSet("L2/codes/g1")), (std::vector<hsize_t>{2, 2, 63, 63}));
    // Content can be chosen.
    exportHdf5(*trainer, snaps, path("codes-only.h5"), {false, true, false});
    H5::H5File c(path("codes-only.h5"), H5F_ACC_RDONLY);
    QVERIFY(c.nameExists("L0/codes") && !c.nameExists("L0/input") && !c.nameExists("L0/maps"));
  }

  void vtkSeriesOpensAsATimeSeries()
  {
    const std::vector<int> snaps = {3, 7, 15};
    const std::string pvd = exportVtkSeries(*trainer, snaps, 2, path("vti"), "toy1_L2");
    std::ifstream in(pvd);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QVERIFY(text.find("type=\"Collection\"") != std::string::npos);
    QVERIFY(text.find("file=\"toy1_L2_00007.vti\"") != std::string::npos);
    // The time of snapshot 15 reads back as exactly 15·dt, with a '.' in every locale (the second test pass runs
    // under de_DE, where printf would write a ',').
    const size_t entry = text.find("file=\"toy1_L2_00015.vti\"");
    const size_t at = text.rfind("timestep=\"", entry);
    QVERIFY(entry != std::string::npos && at != std::string::npos);
    const std::string timestep = text.substr(at + 10, text.find('"', at + 10) - (at + 10));
    QCOMPARE(readNumber(timestep), 15 * trainer->dataset().dt);
#ifdef MRCAE_TEST_WITH_VTK
    vtkNew<vtkXMLImageDataReader> reader;
    reader->SetFileName(path("vti/toy1_L2_00007.vti").c_str());
    reader->Update();
    vtkImageData* image = reader->GetOutput();
    int dims[3];
    image->GetDimensions(dims);
    QCOMPARE(dims[0], 127);
    QCOMPARE(dims[1], 127);
    QCOMPARE(dims[2], 1);
    vtkDataArray* input = image->GetPointData()->GetArray("input");
    vtkDataArray* recon = image->GetPointData()->GetArray("reconstruction");
    vtkDataArray* error = image->GetPointData()->GetArray("error");
    QVERIFY(input && recon && error);
    const Dataset& d = trainer->dataset();
    const Snapshot s = trainer->snapshot({7});
    const double span = d.originalMax - d.originalMin;
    // VTK's x is our column, its y our row: point (j, i) has id i·W + j.
    for (auto [i, j] : {std::pair{0, 0}, {40, 90}, {126, 126}})
    {
      const vtkIdType id = static_cast<vtkIdType>(i) * 127 + j;
      QVERIFY(std::abs(input->GetTuple1(id) - (d.originalMin + d.field.at(7, i, j) * span)) < 1e-5);
      QVERIFY(std::abs(recon->GetTuple1(id) - (d.originalMin + s.reconstructions[2].at(0, i, j) * span)) < 1e-5);
      QVERIFY(std::abs(error->GetTuple1(id) - (recon->GetTuple1(id) - input->GetTuple1(id))) < 1e-5);
    }
#endif
  }

  void csvCurvesAndStages()
  {
    exportCsv(*trainer, path("csv"));
    auto lines = [](const std::string& p) {
      std::ifstream in(p);
      std::vector<std::string> out;
      for (std::string l; std::getline(in, l);)
      {
        out.push_back(l);
      }
      return out;
    };
    const auto curves = lines(path("csv/curves.csv"));
    QCOMPARE(curves.size(), trainer->curves().size() + 1);
    QVERIFY(curves.front().rfind("stage,level,group,step", 0) == 0);
    // Every value reads back as the same double with a locale-free reader: '.' decimals, nothing lost.
    for (size_t i = 0; i < trainer->curves().size(); ++i)
    {
      const StepRecord& c = trainer->curves()[i];
      const std::vector<std::string> cells = splitCsv(curves[i + 1]);
      QCOMPARE(cells.size(), size_t(8));
      QCOMPARE(readNumber(cells[3]), double(c.step));
      QCOMPARE(readNumber(cells[4]), c.localTrain);
      QCOMPARE(readNumber(cells[5]), c.localVal);
      QCOMPARE(readNumber(cells[6]), c.globalTrain);
      QCOMPARE(readNumber(cells[7]), c.globalVal);
    }
    const auto stages = lines(path("csv/stages.csv"));
    QCOMPARE(stages.size(), trainer->stages().size() + 1);
    QVERIFY(stages.back().rfind("11,2,3,widen,2,297,", 0) == 0);
    const std::vector<std::string> last = splitCsv(stages.back());
    // Every field of a stage record (the stage table's columns), code_values last.
    QCOMPARE(last.size(), size_t(17));
    QCOMPARE(readNumber(last[9]), trainer->stages().back().bestGlobalVal);
    QCOMPARE(readNumber(last[10]), trainer->stages().back().seconds);
    QCOMPARE(readNumber(last[16]), double(trainer->stages().back().codeValues));
  }

  void badSelections()
  {
    QCOMPARE(parseSnapshotSelection(*trainer, "test"), trainer->split().test);
    QCOMPARE(parseSnapshotSelection(*trainer, "all").size(), size_t(20));
    QCOMPARE(parseSnapshotSelection(*trainer, "4,0"), (std::vector<int>{4, 0}));
    QVERIFY_THROWS_EXCEPTION(mrcae::InputError, parseSnapshotSelection(*trainer, "25"));
    QVERIFY_THROWS_EXCEPTION(mrcae::InputError, parseSnapshotSelection(*trainer, "a"));
    QVERIFY_THROWS_EXCEPTION(mrcae::InputError, exportVtkSeries(*trainer, {1}, 5, path("x"), "x"));
  }
};

QTEST_GUILESS_MAIN(TestExport)
#include "test_export.moc"
