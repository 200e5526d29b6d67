// Large inputs (issue 7): the on-demand snapshot reader gives what a full load gives, one snapshot at a time,
// with bounded memory; a file that is removed, replaced or rewritten while it is open is reported, never read;
// `mrcae info` browses a file on demand and `mrcae train` refuses a run that does not fit its memory budget.
#include "Hdf5Util.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/InputError.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/SnapshotReader.h"
#include "mrcae/model/ToyData.h"
#include "mrcae/model/ToyGenerator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <H5Cpp.h>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace mrcae;

namespace
{

/// toy1 with a land mask (invalid cells 0), written in our layout.
Dataset maskedToy(int t, int n)
{
  Dataset d = generateToy("toy1", t, n);
  Map2D valid(n, n, 1.0f);
  Field raw = d.field;
  for (int i = 0; i < n / 3; ++i)
  {
    for (int j = 0; j < n / 2; ++j)
    {
      valid.at(i, j) = 0.0f;
    }
  }
  // Through fromRaw, as an import does: scaled to [0,1] over valid cells, 0 under the mask.
  for (float& v : raw.data)
  {
    v = 250.0f + 30.0f * v;
  }
  Dataset out = Dataset::fromRaw(std::move(raw), std::move(valid), "sst");
  out.units = "K";
  return out;
}

/// Current resident memory in bytes (not the peak).
long long residentBytes()
{
  std::ifstream statm("/proc/self/statm");
  long long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

template <typename F>
QString inputError(F&& f)
{
  try
  {
    f();
  }
  catch (const InputError& e)
  {
    return QString::fromStdString(e.what());
  }
  return {};
}

struct Result
{
  int code;
  QString out, err;
};

Result run(const QStringList& args, const QString& cwd)
{
  QProcess p;
  p.setWorkingDirectory(cwd);
  p.start(MRCAE_BIN, args);
  p.waitForFinished(120000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestSnapshotReader : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  std::string path(const char* name) const { return (dir.path() + "/" + name).toStdString(); }

private Q_SLOTS:
  void aFileWrittenSnapshotBySnapshotIsTheDataset()
  {
    // `mrcae generate` of a dataset larger than memory: one pass for the range, then snapshot by snapshot,
    // deflated or not. Either file holds exactly generateToy's values.
    const Dataset whole = generateToy("toy2", 30, 31);
    const ToyGenerator toy("toy2", 30, 31);
    const auto bySnapshot = [&toy](int k, float* out) { toy.snapshot(k, out); };
    WriteOptions raw;
    raw.compress = false;
    writeDataset(toy.metadata(), bySnapshot, path("deflated.h5"));
    writeDataset(toy.metadata(), bySnapshot, path("raw.h5"), raw);
    for (const char* name : {"deflated.h5", "raw.h5"})
    {
      const Dataset back = readDataset(path(name));
      QVERIFY2(back.field.data == whole.field.data, name);
      QCOMPARE(back.originalMin, whole.originalMin);
      QCOMPARE(back.originalMax, whole.originalMax);
      QCOMPARE(back.dt, whole.dt);
    }
    // The reader says which is which (a streamed run notes that a deflated file costs it speed).
    QVERIFY(SnapshotReader(path("deflated.h5")).compressed());
    QVERIFY(!SnapshotReader(path("raw.h5")).compressed());
    // Uncompressed: the values' 4 bytes each plus the layout's few kB; deflated: smaller.
    const auto rawSize = std::filesystem::file_size(path("raw.h5"));
    QVERIFY(rawSize >= 30u * 31 * 31 * 4);
    QVERIFY(std::filesystem::file_size(path("deflated.h5")) < rawSize);
  }

  void snapshotsAreWhatAFullLoadGives()
  {
    writeDataset(maskedToy(12, 31), path("sst.h5"));
    const Dataset full = readDataset(path("sst.h5"));
    SnapshotReader r(path("sst.h5"));
    QCOMPARE(r.path(), path("sst.h5"));
    QCOMPARE(r.name(), std::string("sst"));
    QCOMPARE(r.snapshots(), 12);
    QCOMPARE(r.height(), 31);
    QCOMPARE(r.width(), 31);
    QCOMPARE(r.bytesInMemory(), 12LL * 31 * 31 * 4);
    QVERIFY(r.hasMask());
    QVERIFY(r.valid().data == full.valid.data);
    QCOMPARE(r.validCells(), size_t(31 * 31 - 10 * 15));
    QVERIFY(r.hasScaling());
    QCOMPARE(r.originalMin(), full.originalMin);
    QCOMPARE(r.originalMax(), full.originalMax);
    QCOMPARE(r.units(), std::string("K"));
    for (int k : {0, 5, 11, 3})
    {
      const Field s = r.snapshot(k);
      QCOMPARE(s.t, 1);
      QCOMPARE(s.h, 31);
      QVERIFY(std::equal(s.data.begin(), s.data.end(), full.field.frame(k)));
    }
    QVERIFY(std::abs(r.toOriginal(1.0f) - full.originalMax) < 1e-9);
    // The scan streams every snapshot: the range over valid cells and the full load's content hash.
    int calls = 0;
    const SnapshotReader::Scan scan = r.scan([&](int done, int total) {
      ++calls;
      return done <= total;
    });
    QCOMPARE(calls, 12);
    QVERIFY(scan.finite);
    QCOMPARE(scan.min, 0.0);
    QCOMPARE(scan.max, 1.0);
    QCOMPARE(scan.contentHash, full.contentHash());
    QCOMPARE(r.scan([](int done, int) { return done < 4; }).snapshotsRead, 4);
  }

  void aForeignScalingIsScannedAsAFullLoadScalesIt()
  {
    // Values outside [0,1] in our layout: a full load rescales them, the reader returns them as stored and its
    // scan hashes what the full load holds.
    Dataset d = generateToy("toy2", 8, 15);
    for (float& v : d.field.data)
    {
      v = 3.0f + 10.0f * v;
    }
    writeDataset(d, path("foreign.h5"));
    const Dataset full = readDataset(path("foreign.h5"));
    SnapshotReader r(path("foreign.h5"));
    QCOMPARE(r.snapshot(2).data[7], d.field.at(2, 0, 7));
    const SnapshotReader::Scan scan = r.scan();
    QCOMPARE(scan.min, 3.0);
    QCOMPARE(scan.max, 13.0);
    QCOMPARE(scan.contentHash, full.contentHash());
  }

  void badFilesAndIndicesAreRefused()
  {
    QVERIFY(inputError([&] { SnapshotReader r(path("missing.h5")); }).contains("not found"));
    std::ofstream(path("text.h5")) << "not hdf5";
    QVERIFY(inputError([&] { SnapshotReader r(path("text.h5")); }).contains("not an HDF5 file"));
    {
      H5::H5File f(path("other.h5"), H5F_ACC_TRUNC);
      H5::Group root = f.openGroup("/");
      const float v[4] = {1, 2, 3, 4};
      h5::writeFloats(root, "data", {2, 2}, v);
      h5::writeFloats(root, "fields/flat", {2, 2}, v);
    }
    QVERIFY(inputError([&] { SnapshotReader r(path("other.h5")); }).contains("rank 2"));
    writeDataset(maskedToy(6, 15), path("small.h5"));
    QVERIFY(inputError([&] { SnapshotReader r(path("small.h5"), "u"); }).contains("no field 'u'"));
    SnapshotReader r(path("small.h5"));
    QVERIFY(inputError([&] { r.snapshot(6); }).contains("out of range (0..5)"));
    QVERIFY(inputError([&] { r.snapshot(-1); }).contains("out of range"));
  }

  void aRemovedFileIsReportedNotRead()
  {
    writeDataset(maskedToy(6, 15), path("gone.h5"));
    SnapshotReader r(path("gone.h5"));
    QVERIFY(r.unchanged());
    r.snapshot(1);
    std::filesystem::remove(path("gone.h5"));
    QVERIFY(!r.unchanged());
    const QString msg = inputError([&] { r.snapshot(2); });
    QVERIFY2(msg.contains("was removed or renamed") && msg.contains("open the file again"), qPrintable(msg));
    QVERIFY(!msg.contains('\n'));
    // Its metadata still answer; a moved file is the same report.
    QCOMPARE(r.snapshots(), 6);
    writeDataset(maskedToy(6, 15), path("moved.h5"));
    SnapshotReader m(path("moved.h5"));
    std::filesystem::rename(path("moved.h5"), path("moved-away.h5"));
    QVERIFY(inputError([&] { m.snapshot(0); }).contains("removed or renamed"));
  }

  void aMaskOfAnotherConventionIsRefusedNotRounded()
  {
    // A /valid of 0.5 in one cell: the full load refuses it, and so must the on-demand reader (it used to round).
    writeDataset(maskedToy(4, 15), path("halfmask.h5"));
    {
      H5::H5File file(path("halfmask.h5"), H5F_ACC_RDWR);
      file.unlink("valid");
      std::vector<float> cells(15 * 15, 1.0f);
      cells[2 * 15 + 3] = 0.5f;
      const hsize_t dims[2] = {15, 15};
      file.createDataSet("valid", H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, dims))
          .write(cells.data(), H5::PredType::NATIVE_FLOAT);
    }
    const QString message = inputError([&] { SnapshotReader r(path("halfmask.h5")); });
    QVERIFY2(message.startsWith(QString::fromStdString(path("halfmask.h5")) + ": /valid must hold 0 or 1"),
             qPrintable(message));
    QVERIFY2(message.contains("row 2, column 3 holds 0.5"), qPrintable(message));
  }

  void aChangedFileIsReportedNotRead()
  {
    // Saved again (our saves write a temporary file and rename it over the old one): another file.
    writeDataset(maskedToy(6, 15), path("changed.h5"));
    SnapshotReader replaced(path("changed.h5"));
    writeDataset(maskedToy(7, 15), path("changed.h5"));
    QVERIFY(!replaced.unchanged());
    QVERIFY(inputError([&] { replaced.snapshot(0); }).contains("was replaced by another file"));
    QVERIFY_THROWS_EXCEPTION(InputError, replaced.checkUnchanged());

    // Rewritten in place: the same inode, another size.
    SnapshotReader appended(path("changed.h5"));
    QVERIFY(appended.unchanged());
    std::ofstream(path("changed.h5"), std::ios::app | std::ios::binary) << "trailing bytes";
    QVERIFY(inputError([&] { appended.snapshot(0); }).contains("was changed after it was opened"));

    // Touched: the same size, another modification time.
    writeDataset(maskedToy(6, 15), path("touched.h5"));
    SnapshotReader touched(path("touched.h5"));
    touched.snapshot(0);
    struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
    QCOMPARE(utimensat(AT_FDCWD, path("touched.h5").c_str(), times, 0), 0);
    QVERIFY(inputError([&] { touched.snapshot(0); }).contains("was changed"));
    // A reader opened now reads the file as it is.
    SnapshotReader reopened(path("touched.h5"));
    QCOMPARE(reopened.snapshot(5).h, 15);
  }

  void memoryStaysAtOneSnapshot()
  {
    // 120 snapshots of 255² (31 MB as float32): opening and reading every snapshot keeps the resident memory
    // within a few snapshots.
    {
      writeDataset(generateToy("toy1", 120, 255), path("big.h5"));
    }
    const long long before = residentBytes();
    SnapshotReader r(path("big.h5"));
    double sum = 0;
    for (int k = 0; k < r.snapshots(); ++k)
    {
      sum += r.snapshot(k).data[100];
    }
    QVERIFY(sum > 0);
    const long long grown = residentBytes() - before;
    QVERIFY2(grown < 8LL * 1000 * 1000, qPrintable(QString("resident memory grew by %1 bytes").arg(grown)));
  }

  void infoBrowsesOnDemand()
  {
    writeDataset(maskedToy(12, 31), path("cli.h5"));
    const QString cwd = dir.path();
    const Result full = run({"info", "cli.h5", "--json"}, cwd);
    QCOMPARE(full.code, 0);
    const QJsonObject f = QJsonDocument::fromJson(full.out.toUtf8()).object();
    QVERIFY(!f.contains("on_demand"));

    const Result lazy = run({"info", "cli.h5", "--on-demand", "--scan", "--json"}, cwd);
    QCOMPARE(lazy.code, 0);
    const QJsonObject j = QJsonDocument::fromJson(lazy.out.toUtf8()).object();
    QVERIFY(j.value("on_demand").toBool());
    QCOMPARE(j.value("hash").toString(), f.value("hash").toString());
    QCOMPARE(j.value("shape").toVariant(), f.value("shape").toVariant());
    QCOMPARE(j.value("valid_cells").toDouble(), f.value("valid_cells").toDouble());
    QCOMPARE(j.value("max_levels").toInt(), f.value("max_levels").toInt());
    QVERIFY(std::abs(j.value("original_min").toDouble() - f.value("original_min").toDouble()) < 1e-9);
    QVERIFY(std::abs(j.value("original_max").toDouble() - f.value("original_max").toDouble()) < 1e-9);
    QCOMPARE(j.value("bytes_in_memory").toDouble(), 12.0 * 31 * 31 * 4);

    const Result text = run({"info", "cli.h5", "--on-demand"}, cwd);
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.contains("read on demand") && text.out.contains("snapshot 0: values in"), qPrintable(text.out));
    QVERIFY(text.out.contains("12 snapshots of 31 x 31"));

    const Result both = run({"info", "cli.h5", "--on-demand", "--full"}, cwd);
    QCOMPARE(both.code, 2);
    QVERIFY(both.err.contains("choose either"));
    writeNpy(path("x.npy"), {6, 15, 15}, generateToy("toy1", 6, 15).field.data);
    QCOMPARE(run({"info", "x.npy", "--on-demand"}, cwd).code, 2);
  }

  void trainRefusesARunThatDoesNotFit()
  {
    writeDataset(generateToy("toy1", 20, 63), path("fit.h5"));
    const Result r =
        run({"train", "fit.h5", "--steps", "2", "--memory-limit", "0.001", "-o", "fit.mrcae.h5"}, dir.path());
    QCOMPARE(r.code, 2);
    // Too large for memory, the run reads the file in batches (a note, then a pass for the range and the hash);
    // not even that fits 1 MB beside what the program already holds: one error line.
    const QString error = r.err.trimmed().split('\n').last();
    QVERIFY2(error.startsWith("mrcae: error: training from the file needs about") &&
                 error.contains("1.0 MB is allowed by the memory limit, of which the program already holds"),
             qPrintable(r.err));
    QCOMPARE(r.err.count("mrcae: error:"), 1);
    QVERIFY(!QFile::exists(dir.path() + "/fit.mrcae.h5"));
    QCOMPARE(run({"train", "fit.h5", "--memory-limit", "-3"}, dir.path()).code, 2);
  }
};

QTEST_GUILESS_MAIN(TestSnapshotReader)
#include "test_snapshot_reader.moc"
