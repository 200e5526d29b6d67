// `mrcae` as a user runs it: every bad input of the issue gives exit code 2 and one line on stderr; the good
// paths print results; Ctrl-C (SIGINT/SIGTERM) stops, keeps the best state and still saves.
#include "../core/TestHelpers.h"
#include "CliRun.h"
#include "mrcae/engine/Device.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/ToyData.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#endif

#ifdef MRCAE_WITH_PLOTS
#include <QImage>
#include <QSet>
#endif
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <signal.h>

using namespace mrcae;
using clitest::Result;

namespace
{

/// Small training settings used by the runs below.
const QStringList kTiny = {"--steps", "2,2,1", "--threads", "1", "--quiet"};

} // namespace

class TestCli : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;
  QString path(const QString& name) const { return dir.path() + "/" + name; }
  std::string spath(const QString& name) const { return path(name).toStdString(); }

  Result run(const QStringList& args, int timeoutMs = 120000) { return clitest::runMrcae(args, dir.path(), timeoutMs); }

  /// Exit code 2 and exactly one line on stderr that contains `fragment`.
  void expectBadInput(const QStringList& args, const QString& fragment)
  {
    Result r = run(args);
    const QString err = r.err.trimmed();
    QVERIFY2(r.code == 2, qPrintable(QString("exit %1 for %2: %3").arg(r.code).arg(args.join(' ')).arg(err)));
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
    QVERIFY2(err.startsWith("mrcae: error: "), qPrintable(err));
    QVERIFY2(err.contains(fragment, Qt::CaseInsensitive), qPrintable("'" + err + "' lacks '" + fragment + "'"));
  }

  void writeField(const QString& name, int t, int h, int w, const std::function<float(int, int, int)>& value)
  {
    std::vector<float> data;
    for (int k = 0; k < t; ++k)
    {
      for (int i = 0; i < h; ++i)
      {
        for (int j = 0; j < w; ++j)
        {
          data.push_back(value(k, i, j));
        }
      }
    }
    writeNpy(spath(name), {t, h, w}, data);
  }

private Q_SLOTS:
  void initTestCase()
  {
    QVERIFY(dir.isValid());
    auto wave = [](int k, int i, int j) { return std::sin(0.3f * i + 0.2f * j + 0.5f * k); };
    writeField("good.npy", 12, 31, 31, wave);
    writeField("nan.npy", 12, 31, 31, [&](int k, int i, int j) { return k == 3 && i == 4 ? NAN : wave(k, i, j); });
    writeField("inf.npy", 12, 31, 31, [&](int k, int i, int j) { return k == 1 && j == 2 ? INFINITY : wave(k, i, j); });
    writeField("constant.npy", 12, 31, 31, [](int, int, int) { return 2.5f; });
    writeField("few.npy", 4, 31, 31, wave);
    writeField("odd-size.npy", 12, 30, 33, wave);
    writeNpy(spath("rank2.npy"), {31, 31}, std::vector<float>(961, 1.0f));
    testing::writeRawNpy(spath("complex.npy"), "<c8", "(1,)", "12345678");
    std::ofstream(spath("text.h5")) << "this is not HDF5";
    std::ofstream(spath("text.npy")) << "this is not an npy array";
    writeField("truncated.npy", 12, 31, 31, wave);
    std::filesystem::resize_file(spath("truncated.npy"), 4000);
#ifdef MRCAE_WITH_HDF5
    {
      // A field of strings: our layout, the wrong type.
      H5::H5File f(spath("strings.h5"), H5F_ACC_TRUNC);
      H5::Group fields = f.createGroup("fields");
      const hsize_t dims[3] = {2, 2, 2};
      H5::DataSpace space(3, dims);
      H5::StrType type(H5::PredType::C_S1, 4);
      const char text[8][4] = {"a", "b", "c", "d", "e", "f", "g", "h"};
      fields.createDataSet("label", type, space).write(text, type);
    }
#endif
  }

  void helpAndUnknowns()
  {
    Result help = run({"--help"});
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.contains("mrcae train DATA"));
    QCOMPARE(run({"frobnicate"}).code, 2);
    expectBadInput({"train", "good.npy", "--no-such-option", "1"}, "unknown option");
    expectBadInput({"train", "good.npy", "--preset", "toy9"}, "unknown preset");
    expectBadInput({"train"}, "missing the dataset");
  }

  void badDataFiles()
  {
    expectBadInput({"train", "nothere.h5"}, "file not found");
#ifdef MRCAE_WITH_HDF5
    expectBadInput({"info", "text.h5"}, "not an HDF5 file");
#else
    expectBadInput({"info", "text.h5"}, "built without HDF5");
#endif
    expectBadInput({"train", "rank2.npy"}, "rank 2");
    expectBadInput({"train", "complex.npy"}, "dtype");
    expectBadInput({"train", "nan.npy"}, "NaN");
    expectBadInput({"train", "inf.npy"}, "infinite");
    expectBadInput({"train", "constant.npy"}, "constant");
    expectBadInput({"train", "few.npy"}, "snapshots");
    expectBadInput({"train", "odd-size.npy"}, "crop or pad");
    expectBadInput({"train", "text.npy"}, "not a .npy file");
    expectBadInput({"train", "truncated.npy"}, "truncated");
#ifdef MRCAE_WITH_HDF5
    expectBadInput({"train", "strings.h5"}, "not numeric");
#endif
  }

  void unwritableOutputIsRefusedBeforeTraining()
  {
    // The full toy1 budget would train for a long time: the refusal must come first (the run's timeout is short).
    Result r = run({"train", "good.npy", "--levels", "1", "--archs", "1", "--tols", "1e-3", "--steps", "1000000", "-o",
                    "no-such-folder/run.mrcae.h5"},
                   30000);
    QVERIFY2(r.code == 2, qPrintable(r.err));
    QVERIFY(r.err.contains("does not exist"));
    QVERIFY(!r.err.contains("stage 1/"));
    std::filesystem::create_directories(spath("a-folder.mrcae.h5"));
    expectBadInput({"train", "good.npy", "-o", "a-folder.mrcae.h5"}, "is a folder");
    std::ofstream(spath("plain-file")) << "x";
    expectBadInput({"benchmark", "good.npy", "-o", "plain-file/bm"}, "cannot create the output folder");
  }

  void benchPrintsJsonAlone()
  {
    Result r = run({"bench", "--threads", "1", "--steps", "2,2,1", "--snapshots", "24", "--json", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const Json runs = Json::parse(r.out.toStdString()); // stdout is the JSON and nothing else
    QCOMPARE(runs.size(), size_t(1));
    const Json& run1 = runs.front();
    QCOMPARE(run1.at("threads").get<int>(), 1);
    QCOMPARE(run1.at("params").get<int>(), 297); // every stage runs: no level clears in 2 steps
    QCOMPARE(run1.at("seconds_per_step").size(), size_t(3));
    QVERIFY(run1.at("total_seconds").get<double>() > 0);
    QVERIFY(run1.at("peak_rss_mb").get<double>() > 100); // LibTorch alone takes about 150 MB
    QVERIFY(std::isfinite(run1.at("test_global_error").get<double>()));
    QVERIFY(!run1.contains("speedup_vs_reference_1_thread")); // only for the reference's own settings
    QVERIFY(r.err.contains("total_s"));                       // the table went to stderr
  }

  /// Without CUDA, the GPU section of bench and --device cuda are refused with one line, exit code 2, before
  /// any data is generated or read.
  void cudaIsRefusedWithoutCuda()
  {
    if (cudaStatus().available)
    {
      QSKIP("CUDA is available here");
    }
    expectBadInput({"bench", "--gpu"}, "no CUDA device");
    expectBadInput({"bench", "--gpu", "--quick", "--cases", "toy1"}, "run mrcae bench --gpu on a GPU machine");
    expectBadInput({"train", "no-such-file.npy", "--device", "cuda"}, "CUDA was asked for but cannot be used");
    expectBadInput({"train", "no-such-file.npy", "--device", "cuda"}, "--device cpu");
    expectBadInput({"resume", "no-such-model.mrcae.h5", "--device", "cuda"}, "CUDA was asked for");
    // Options of the GPU section are refused elsewhere, and the CPU benchmark's options there.
    expectBadInput({"bench", "--quick"}, "belongs to bench --gpu");
    expectBadInput({"bench", "--gpu", "--device", "cpu", "--steps", "3"}, "--steps does not apply");
    expectBadInput({"bench", "--gpu", "--device", "cpu", "--steps-scale", "2"}, "--steps-scale must be in (0, 1]");
    expectBadInput({"bench", "--gpu", "--device", "cpu", "--cases", "sst"}, "unknown case 'sst'");
  }

  void badSettings()
  {
    expectBadInput({"train", "good.npy", "--levels", "5", "--archs", "1;1;1;1;1", "--tols", "none", "--steps", "1"},
                   "at most 4 levels");
    expectBadInput({"train", "good.npy", "--archs", "1,2;1,2"}, "archs has 2 levels");
    expectBadInput({"train", "good.npy", "--tols", "1e-3"}, "tols has 1 values");
    expectBadInput({"train", "good.npy", "--archs", "1,2,2;1;1"}, "increasing");
    expectBadInput({"train", "good.npy", "--steps", "0"}, "at least 1");
    expectBadInput({"train", "good.npy", "--lr", "fast"}, "expects a number");
    expectBadInput({"train", "good.npy", "--pad", "zero"}, "size policy");
  }

  /// The core's typed errors as the command line says them: its options for the settings, never the window's
  /// control names. The numbers are typed in from the inputs (good.npy: 12 snapshots of 31 x 31, toy1's 3 levels).
  void typedErrorsNameTheOptions()
  {
    expectBadInput({"train", "good.npy", "--steps", "0"}, "--steps must be at least 1 (got 0)");
    expectBadInput({"train", "good.npy", "--levels", "11"}, "--levels must be between 1 and 10 (got 11)");
    expectBadInput({"train", "good.npy", "--archs", "1,2;1,2"}, "--archs has 2 levels but --levels is 3");
    expectBadInput({"train", "good.npy", "--archs", "1,3,2;1;1"}, "--archs of level 0 must be increasing");
    expectBadInput({"train", "good.npy", "--tols", "1e-3,1e-4"}, "--tols has 2 values but --levels is 3");
    expectBadInput({"train", "good.npy", "--tols", "1e-3,0,1e-4"}, "--tols must be positive (got 0)");
    expectBadInput({"train", "good.npy", "--batch", "0"}, "--batch must be at least 1 (got 0)");
    expectBadInput({"train", "good.npy", "--w", "2"}, "--w must be between 0 and 1 (got 2)");
    // 30 x 33 for 3 levels: sides of c*8-1, so 23 or 31 rows and 31 or 39 columns.
    expectBadInput({"train", "odd-size.npy"}, "(each side must be c*8-1: 23 or 31 rows, 31 or 39 columns): crop or "
                                              "pad it (--crop or --pad reflect|periodic)");
    expectBadInput({"train", "nothere.npy"}, "nothere.npy: file not found");
    // 500 kB for a run that needs about 645 kB: a smaller batch fits; the number is checked in test_memory.
    Result memory = run({"train", "good.npy", "--memory-limit", "0.0005", "--steps", "1"});
    QCOMPARE(memory.code, 2);
    QVERIFY2(QRegularExpression("but only 500 kB is allowed by the memory limit: use a smaller batch \\(--batch "
                                "[0-9]+ fits\\), fewer snapshots \\(--snapshots [0-9]+ fits\\)")
                 .match(memory.err)
                 .hasMatch(),
             qPrintable(memory.err));
    for (const QString& err : {memory.err, run({"train", "good.npy", "--steps", "0"}).err})
    {
      QVERIFY2(!err.contains(QChar(0x201C)), qPrintable(err)); // no quoted control name of the window
    }
#ifdef MRCAE_WITH_HDF5
    Result gen = run({"generate", "toy1", "-o", "typed.h5", "--snapshots", "6", "--size", "15"});
    QCOMPARE(gen.code, 0);
    expectBadInput({"eval", "typed.h5", "typed.h5"}, "typed.h5: not a MrCAE model file");
#endif
  }

  void cropOrPadMakesItTrain()
  {
    // Without HDF5 there is no model file to write: train without -o.
    const QStringList out = hdf5Available() ? QStringList{"-o", "crop.mrcae.h5"} : QStringList{};
    Result crop = run(QStringList{"train", "odd-size.npy", "--crop"} + out + kTiny);
    QVERIFY2(crop.code == 0, qPrintable(crop.err));
    QVERIFY(crop.err.contains("crop 30x33 to 23x31"));
    Result pad = run(QStringList{"train", "odd-size.npy", "--pad", "reflect"} + out + kTiny);
    QVERIFY2(pad.code == 0, qPrintable(pad.err));
    QVERIFY(pad.err.contains("to 31x39"));
  }

  void benchmarkWritesTableAndFigures()
  {
    Result gen = run({"generate", "toy1", "-o", "bench.npy", "--snapshots", "24"});
    QVERIFY2(gen.code == 0, qPrintable(gen.err));
    Result bm = run(QStringList{"benchmark", "bench.npy", "--methods", "pr,rednet", "-o", "bm"} + kTiny);
    QVERIFY2(bm.code == 0, qPrintable(bm.err));
    QVERIFY(QFile::exists(path("bm/benchmark.csv")));
    QVERIFY(QFile::exists(path("bm/benchmark.json")));
#ifdef MRCAE_WITH_PLOTS
    // The default figure size, drawn without a display (the test may run with none).
    for (const QString name : {"bm/params.png", "bm/encoding.png", "bm/errorbytes.png"})
    {
      const QImage image(path(name));
      QVERIFY2(!image.isNull(), qPrintable(name + "\n" + bm.err));
      QCOMPARE(image.size(), QSize(1200, 900));
    }
    QVERIFY(bm.out.contains("params.png"));
    Result sized =
        run(QStringList{"benchmark", "bench.npy", "--methods", "pr", "-o", "bm2", "--plot-size", "640x480"} + kTiny);
    QVERIFY2(sized.code == 0, qPrintable(sized.err));
    QCOMPARE(QImage(path("bm2/params.png")).size(), QSize(640, 480));
    expectBadInput({"benchmark", "bench.npy", "--plot-size", "big"}, "--plot-size");
    expectBadInput({"benchmark", "bench.npy", "--methods", "pr,svd"}, "unknown method 'svd'");
#else
    QVERIFY(bm.err.contains("need the GUI build"));
#endif
  }

#ifdef MRCAE_WITH_HDF5
  void generateTrainEvalInfoResume()
  {
    Result gen = run({"generate", "toy1", "-o", "toy1.h5", "--snapshots", "20"});
    QVERIFY2(gen.code == 0, qPrintable(gen.err));
    Result info = run({"info", "toy1.h5", "--json"});
    QCOMPARE(info.code, 0);
    QCOMPARE(Json::parse(info.out.toStdString()).at("max_levels").get<int>(), 6);
    Result train = run(QStringList{"train", "toy1.h5", "-o", "run.mrcae.h5", "--json"} + kTiny);
    QVERIFY2(train.code == 0, qPrintable(train.err));
    const Json trained = Json::parse(train.out.toStdString());
    QVERIFY(trained.at("finished").get<bool>());
    QCOMPARE(trained.at("stages").size(), size_t(12));
    QCOMPARE(trained.at("stages").back().at("params").get<int>(), 297);
    QCOMPARE(trained.at("evaluation").size(), size_t(3));
    QVERIFY(std::filesystem::exists(spath("run.mrcae.h5")));
    Result eval = run({"eval", "run.mrcae.h5", "toy1.h5"});
    QVERIFY2(eval.code == 0, qPrintable(eval.err));
    QVERIFY(eval.out.contains("297 parameters"));
    QVERIFY(eval.out.contains("test"));
    Result modelInfo = run({"info", "run.mrcae.h5"});
    QCOMPARE(modelInfo.code, 0);
    QVERIFY(modelInfo.out.contains("encoding size"));
    // Per stage too: the stage table has an encoding column with each stage's cumulative count.
    QVERIFY(modelInfo.out.contains("encoding"));
    const long long lastEncoding = trained.at("stages").back().at("encoding_size").get<long long>();
    QVERIFY2(modelInfo.out.contains(QString(" %1 ").arg(lastEncoding)), qPrintable(modelInfo.out));
    QVERIFY2(modelInfo.out.contains("optimizer state saved"), qPrintable(modelInfo.out));
    Result resume = run({"resume", "run.mrcae.h5"});
    QCOMPARE(resume.code, 0);
    QVERIFY(resume.out.contains("nothing to resume"));
    // More steps for the last stage: it goes on from where it ended (at most 7 more), the others stay as they were.
    Result more = run({"resume", "run.mrcae.h5", "--more-steps", "7", "-o", "more.mrcae.h5", "--json", "--quiet"});
    QVERIFY2(more.code == 0, qPrintable(more.err));
    QVERIFY2(more.err.contains("7 more steps granted"), qPrintable(more.err));
    const Json extended = Json::parse(more.out.toStdString());
    QCOMPARE(extended.at("stages").size(), size_t(12));
    const Json& before = trained.at("stages");
    const Json& after = extended.at("stages");
    for (size_t i = 0; i + 1 < before.size(); ++i)
    {
      QCOMPARE(after[i].at("steps").get<int>(), before[i].at("steps").get<int>());
    }
    const long long lastBefore = before.back().at("steps").get<int>(), lastAfter = after.back().at("steps").get<int>();
    QVERIFY2(lastAfter > lastBefore && lastAfter <= lastBefore + 7,
             qPrintable(QString("%1 -> %2").arg(lastBefore).arg(lastAfter)));
    expectBadInput({"resume", "run.mrcae.h5", "--more-steps", "0"}, "--more-steps");
    Result h5 = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "h5", "--snapshots", "all", "-o", "e.h5"});
    QVERIFY2(h5.code == 0, qPrintable(h5.err));
    QVERIFY(h5.out.contains("20 snapshots"));
    Result vti = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "vti", "--level", "1", "-o", "vti"});
    QVERIFY2(vti.code == 0, qPrintable(vti.err));
    QVERIFY(std::filesystem::exists(spath("vti/toy1_L1.pvd")));
    Result csv = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "csv", "-o", "csv"});
    QVERIFY2(csv.code == 0, qPrintable(csv.err));
    QVERIFY(std::filesystem::exists(spath("csv/stages.csv")));
    expectBadInput({"export", "run.mrcae.h5", "toy1.h5", "--format", "gif", "-o", "x"}, "--format");
    expectBadInput({"export", "run.mrcae.h5", "toy1.h5", "--format", "csv", "--what", "codes", "-o", "x"},
                   "not something --format csv holds");
    expectBadInput({"export", "run.mrcae.h5", "toy1.h5", "--format", "h5", "--what", "curves", "-o", "x.h5"},
                   "not something --format h5 holds");
#ifdef MRCAE_WITH_PLOTS
    // Figures, headless: the paper-style figure at a chosen size, the curves as vector files, an animation.
    Result png = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "png", "--size", "800x700", "-o", "fig.png"});
    QVERIFY2(png.code == 0, qPrintable(png.err));
    const QImage fig(path("fig.png"));
    QCOMPARE(fig.size(), QSize(800, 700));
    QSet<QRgb> colours; // not blank: fields, colour bars and text give many colours
    for (int y = 0; y < fig.height(); y += 4)
    {
      for (int x = 0; x < fig.width(); x += 4)
      {
        colours.insert(fig.pixel(x, y));
      }
    }
    QVERIFY2(colours.size() > 100, qPrintable(QString::number(colours.size())));
    Result scaled = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "png", "--scale", "0.5", "-o", "half.png"});
    QVERIFY2(scaled.code == 0, qPrintable(scaled.err));
    const QImage half(path("half.png"));
    const QImage natural = [&] {
      run({"export", "run.mrcae.h5", "toy1.h5", "--format", "png", "-o", "natural.png"});
      return QImage(path("natural.png"));
    }();
    QVERIFY(std::abs(half.width() - natural.width() / 2) <= 1 && std::abs(half.height() - natural.height() / 2) <= 1);
    Result svg = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "svg", "--what", "curves", "-o", "c.svg"});
    QVERIFY2(svg.code == 0, qPrintable(svg.err));
    QFile svgFile(path("c.svg"));
    QVERIFY(svgFile.open(QIODevice::ReadOnly) && svgFile.readAll().contains("<svg"));
    Result pdf = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "pdf", "-o", "fig.pdf"});
    QVERIFY2(pdf.code == 0, qPrintable(pdf.err));
    QFile pdfFile(path("fig.pdf"));
    QVERIFY(pdfFile.open(QIODevice::ReadOnly) && pdfFile.read(5) == "%PDF-");
    Result anim = run({"export", "run.mrcae.h5", "toy1.h5", "--format", "png", "--snapshots", "0,3,5", "--size",
                       "400x380", "-o", "anim"});
    QVERIFY2(anim.code == 0, qPrintable(anim.err));
    for (const char* frame : {"anim/frame_0000.png", "anim/frame_0001.png", "anim/frame_0002.png"})
    {
      QCOMPARE(QImage(path(frame)).size(), QSize(400, 380));
    }
    QVERIFY(!QFile::exists(path("anim/frame_0003.png")));
    QVERIFY(QImage(path("anim/frame_0000.png")) != QImage(path("anim/frame_0002.png"))); // the snapshots differ
    expectBadInput({"export", "run.mrcae.h5", "toy1.h5", "--format", "svg", "--snapshots", "0,3", "-o", "a"},
                   "PNG series");
    expectBadInput({"export", "run.mrcae.h5", "toy1.h5", "--format", "png", "--size", "big", "-o", "x.png"}, "--size");
    QVERIFY(!png.err.contains("QStandardPaths"));
#endif
    expectBadInput({"export", "run.mrcae.h5", "toy1.h5", "--format", "vti", "--level", "7", "-o", "x"}, "not trained");
    expectBadInput({"export", "run.mrcae.h5", "toy1.h5", "--snapshots", "99", "-o", "x.h5"}, "not an index");
  }

  void badModelFiles()
  {
    QVERIFY(std::filesystem::exists(spath("run.mrcae.h5")));
    expectBadInput({"eval", "toy1.h5", "toy1.h5"}, "not a MrCAE model");
    std::filesystem::copy_file(spath("run.mrcae.h5"), spath("trunc.mrcae.h5"),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(spath("trunc.mrcae.h5"), 4000);
    expectBadInput({"eval", "trunc.mrcae.h5", "toy1.h5"}, "trunc.mrcae.h5");
    std::filesystem::copy_file(spath("run.mrcae.h5"), spath("other.mrcae.h5"),
                               std::filesystem::copy_options::overwrite_existing);
    {
      H5::H5File f(spath("other.mrcae.h5"), H5F_ACC_RDWR);
      H5::Group w = f.openGroup("weights");
      float v[18] = {0};
      h5::writeFloats(w, "L2_Conv_4/weight", {2, 1, 3, 3}, v);
    }
    expectBadInput({"eval", "other.mrcae.h5", "toy1.h5"}, "disagree");
    Result gen = run({"generate", "toy1", "-o", "toy1-30.h5", "--snapshots", "30"});
    QCOMPARE(gen.code, 0);
    expectBadInput({"eval", "run.mrcae.h5", "toy1-30.h5"}, "trained on");
  }

  void autosaveSurvivesAKill()
  {
    // Four quick level-0 stages, then a level-1 stage that would run for hours: kill -9 during it.
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start(MRCAE_BIN, {"train", "toy1.h5", "--steps", "3,1000000,1", "--threads", "1", "-o", "killed.mrcae.h5"});
    QVERIFY(p.waitForStarted());
    QString err;
    for (int i = 0; i < 600 && !err.contains("stage 5/12 L1"); ++i)
    {
      p.waitForReadyRead(100);
      err += QString::fromUtf8(p.readAllStandardError());
    }
    QVERIFY2(err.contains("stage 5/12 L1"), qPrintable(err));
    p.kill();
    p.waitForFinished();
    Result info = run({"info", "killed.mrcae.h5", "--json"});
    QVERIFY2(info.code == 0, qPrintable(info.err));
    QVERIFY(info.out.contains("\"params\": 80")); // the four finished level-0 stages
    Result eval = run({"eval", "killed.mrcae.h5", "toy1.h5"});
    QVERIFY2(eval.code == 0, qPrintable(eval.err));
  }

  void interruptStopsAndSaves()
  {
    QProcess p;
    p.setWorkingDirectory(dir.path());
    // A high learning rate makes the validation error jump, so that the best step is often not the last.
    p.start(MRCAE_BIN,
            {"train", "toy1.h5", "--steps", "100000", "--lr", "0.01", "--threads", "1", "-o", "stopped.mrcae.h5"});
    QVERIFY(p.waitForStarted());
    // Wait until training reports progress, then interrupt as Ctrl-C would.
    QString err;
    for (int i = 0; i < 600 && !err.contains("step "); ++i)
    {
      p.waitForReadyRead(100);
      err += QString::fromUtf8(p.readAllStandardError());
    }
    QVERIFY2(err.contains("step "), qPrintable(err));
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(60000));
    err += QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(err.contains("stopping after this step"));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(out.contains("stopped by the user"), qPrintable(out));
    Result info = run({"info", "stopped.mrcae.h5"});
    QCOMPARE(info.code, 0);
    QVERIFY(info.out.contains("stopped"));
#ifdef MRCAE_WITH_HDF5
    // The saved weights are the stage's best state, not its last step: the stage record names the best step, its
    // score is the lowest global validation error of the stage's curve, and evaluating the saved file gives it.
    const Result json = run({"info", "stopped.mrcae.h5", "--json"});
    QCOMPARE(json.code, 0);
    const Json stage = parseJson(json.out.toStdString(), "info --json")["stages"].back();
    QCOMPARE(QString::fromStdString(stage["stop_reason"].get<std::string>()), QString("stopped"));
    const int steps = stage["steps"].get<int>(), bestStep = stage["best_step"].get<int>();
    QVERIFY2(bestStep >= 1 && bestStep <= steps, qPrintable(QString("best step %1 of %2").arg(bestStep).arg(steps)));
    double lowest = std::numeric_limits<double>::infinity(), atBest = -1;
    int points = 0;
    for (const StepRecord& r : ModelFile::curves(dir.filePath("stopped.mrcae.h5").toStdString()))
    {
      if (r.stage == stage["stage"].get<int>())
      {
        lowest = std::min(lowest, r.globalVal);
        atBest = r.step == bestStep ? r.globalVal : atBest;
        ++points;
      }
    }
    QCOMPARE(points, steps);
    QCOMPARE(atBest, lowest);
    const double recorded = stage["best_global_val"].get<double>();
    QVERIFY2(std::abs(recorded - lowest) <= 1e-6 * lowest, qPrintable(QString("%1 vs %2").arg(recorded).arg(lowest)));
    const Result eval = run({"eval", "stopped.mrcae.h5", "toy1.h5", "--json"});
    QCOMPARE(eval.code, 0);
    const double evaluated = parseJson(eval.out.toStdString(), "eval --json")["evaluation"][0]["val"]["global"];
    QVERIFY2(std::abs(evaluated - lowest) <= 1e-6 * lowest, qPrintable(QString("%1 vs %2").arg(evaluated).arg(lowest)));
#endif
  }
#endif
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
