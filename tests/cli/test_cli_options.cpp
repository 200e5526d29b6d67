// `mrcae`'s options as declared (CLI11): `mrcae CMD --help` lists every option a command had before the
// declarations replaced the hand parser, with the defaults; a bad value, an unknown option or a missing value is
// one line on stderr that names the option, and exit code 2. Nothing here reads data or trains: every refusal
// comes before the files are opened.
#include "CliRun.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using clitest::Result;

namespace
{

/// The option names each command took before the rewrite (the old parser's lists): none may go missing.
const QMap<QString, QStringList> kOptions = {
    {"generate", {"-o", "--output", "--snapshots", "--size"}},
    {"info", {"--json", "--on-demand", "--full", "--scan", "--field", "--mask"}},
    {"train",
     {"--json",
      "--quiet",
      "--crop",
      "--random-deepen-init",
      "--no-autosave",
      "--preset",
      "--levels",
      "--archs",
      "--tols",
      "--steps",
      "--batch",
      "--lr",
      "--eps",
      "--weight-decay",
      "--w",
      "--std",
      "--activation",
      "--variant",
      "--seed",
      "--threads",
      "--device",
      "--select-on",
      "--land-mask",
      "--pad",
      "--field",
      "--mask",
      "--snapshots",
      "-o",
      "--output",
      "--train-fraction",
      "--val-fraction",
      "--slow-convergence",
      "--memory-limit"}},
    {"eval",
     {"--json", "--crop", "--per-snapshot", "--field", "--mask", "--pad", "--device", "--threads", "-o", "--output",
      "--snapshots", "--range-tolerance"}},
    {"resume",
     {"--json", "--quiet", "--crop", "--no-autosave", "--data", "-o", "--output", "--device", "--field", "--mask",
      "--pad", "--threads", "--more-steps"}},
    {"export",
     {"--crop", "--no-curves", "--format", "--what", "--snapshots", "--level", "-o", "--output", "--field", "--mask",
      "--pad", "--device", "--threads", "--size", "--scale"}},
    {"encode",
     {"--json", "--crop", "-o", "--output", "--snapshots", "--levels", "--field", "--mask", "--pad",
      "--range-tolerance", "--device", "--threads"}},
    {"decode", {"-o", "--output", "--device", "--threads"}},
    {"import",
     {"--list", "--json", "--crop", "--drop-empty-snapshots", "--nan-as-fill", "--var", "-o", "--output", "--time-axis",
      "--index", "--pad", "--mask-mode", "--levels", "--times", "--format"}},
    {"benchmark", {"--methods", "--plot-size", "--json", "--quiet", "--preset", "--steps", "--seed", "-o", "--output"}},
    {"bench",
     {"--json", "--quiet", "--gpu", "--quick", "--no-probe", "--threads", "--steps", "--snapshots", "--seed",
      "--device", "--cases", "--steps-scale"}},
};

} // namespace

class TestCliOptions : public QObject
{
  Q_OBJECT

  QTemporaryDir dir;

  Result run(const QStringList& args) { return clitest::runMrcae(args, dir.path(), 60000); }

  /// Exit code 2, nothing on stdout, and one line on stderr that contains every fragment.
  void expectRefused(const QStringList& args, const QStringList& fragments)
  {
    const Result r = run(args);
    const QString err = r.err.trimmed();
    const QString what = args.join(' ') + ": " + err;
    QVERIFY2(r.code == 2, qPrintable(QString("exit %1 for %2").arg(r.code).arg(what)));
    QVERIFY2(r.out.isEmpty(), qPrintable("stdout for " + what + ": " + r.out));
    QVERIFY2(err.startsWith("mrcae: error: "), qPrintable(what));
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + what));
    for (const QString& fragment : fragments)
    {
      QVERIFY2(err.contains(fragment), qPrintable("'" + err + "' lacks '" + fragment + "'"));
    }
  }

  /// The line of `help` that declares `option` ("  --lr X=0.001   Adam's learning rate (> 0)").
  static QString declaration(const QString& help, const QString& option)
  {
    for (const QString& line : help.split('\n'))
    {
      const QString trimmed = line.trimmed();
      if (trimmed.startsWith(option + " ") || trimmed.startsWith(option + "=") || trimmed == option ||
          trimmed.startsWith("-o," + option) || trimmed.startsWith(option + ",--"))
      {
        return trimmed;
      }
    }
    return QString();
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir.isValid()); }

  void everyCommandListsItsOptions()
  {
    for (auto it = kOptions.begin(); it != kOptions.end(); ++it)
    {
      const Result r = run({it.key(), "--help"});
      QVERIFY2(r.code == 0, qPrintable(it.key() + " --help: exit " + QString::number(r.code) + " " + r.err));
      QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
      QVERIFY2(r.out.contains("usage: mrcae " + it.key() + " "), qPrintable(r.out));
      for (const QString& option : it.value())
      {
        QVERIFY2(!declaration(r.out, option).isEmpty(),
                 qPrintable("mrcae " + it.key() + " --help does not list " + option + ":\n" + r.out));
      }
    }
  }

  void trainHelpShowsTheToy1Defaults()
  {
    // The defaults shown are the toy1 preset's: read them from the preset file itself.
    QFile file(TEST_DATA_DIR "/../../resources/presets/toy1.json");
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject preset = QJsonDocument::fromJson(file.readAll()).object();
    QStringList steps;
    for (const QJsonValue& v : preset["steps"].toArray())
    {
      steps << QString::number(v.toInt());
    }

    const Result r = run({"train", "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("usage: mrcae train DATA [options]"));
    QVERIFY2(declaration(r.out, "--preset").startsWith("--preset NAME=toy1"), qPrintable(r.out));
    QVERIFY2(declaration(r.out, "--levels").startsWith("--levels N=" + QString::number(preset["levels"].toInt())),
             qPrintable(declaration(r.out, "--levels")));
    QVERIFY2(declaration(r.out, "--batch").startsWith("--batch N=" + QString::number(preset["batch"].toInt())),
             qPrintable(declaration(r.out, "--batch")));
    QVERIFY2(declaration(r.out, "--steps").startsWith("--steps N,..=" + steps.join(',')),
             qPrintable(declaration(r.out, "--steps")));
    // The ranges come from the model's rule: 1 to 10 levels, a positive learning rate.
    QVERIFY2(declaration(r.out, "--levels").endsWith("(1 to 10)"), qPrintable(declaration(r.out, "--levels")));
    QVERIFY2(declaration(r.out, "--lr").endsWith("(> 0)"), qPrintable(declaration(r.out, "--lr")));
    QVERIFY2(declaration(r.out, "--snapshots").startsWith("--snapshots N=0"), qPrintable(r.out));

    // `mrcae --help` lists the commands; `mrcae help` is the same text.
    const Result top = run({"--help"});
    QCOMPARE(top.code, 0);
    for (const QString& command : kOptions.keys())
    {
      QVERIFY2(top.out.contains("mrcae " + command + " "), qPrintable(command));
    }
    const Result word = run({"help"});
    QCOMPARE(word.code, 0);
    QCOMPARE(word.out, top.out);
    // No command at all: the same text, as a usage error.
    QCOMPARE(run({}).code, 2);
  }

  void exportHelpShowsItsDefaults()
  {
    const Result r = run({"export", "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("usage: mrcae export MODEL DATA [options]"));
    QVERIFY2(declaration(r.out, "--format").startsWith("--format h5|vti|csv|png|svg|pdf=h5"), qPrintable(r.out));
    QVERIFY2(declaration(r.out, "--scale").startsWith("--scale S=1"), qPrintable(r.out));
  }

  void badValuesNameTheirOption()
  {
    // The files need not exist: values are checked as the line is parsed, before anything is read.
    expectRefused({"train", "none.npy", "--lr", "fast"}, {"--lr", "expects a number", "'fast'"});
    expectRefused({"train", "none.npy", "--lr=-0.1"}, {"--lr", "must be positive"});
    expectRefused({"train", "none.npy", "--lr", "0,001"}, {"--lr", "0.001"});
    expectRefused({"train", "none.npy", "--levels", "0"}, {"--levels", "between 1 and 10", "got 0"});
    expectRefused({"train", "none.npy", "--batch", "2.5"}, {"--batch", "whole number"});
    expectRefused({"train", "none.npy", "--steps", "200,x"}, {"--steps", "'x'"});
    expectRefused({"train", "none.npy", "--steps", "200,0"}, {"--steps", "at least 1"});
    expectRefused({"train", "none.npy", "--threads", "999"}, {"--threads", "between 0 and 256"});
    expectRefused({"train", "none.npy", "--w", "2"}, {"--w", "between 0 and 1"});
    expectRefused({"train", "none.npy", "--select-on", "best"}, {"--select-on", "'best'", "global, local or last"});
    expectRefused({"train", "none.npy", "--activation", "tanh"}, {"--activation", "identity or relu"});
    expectRefused({"train", "none.npy", "--preset", "toy9"}, {"--preset", "unknown preset 'toy9'"});
    expectRefused({"train", "none.npy", "--pad", "zero"}, {"--pad", "reflect or periodic"});
    expectRefused({"train", "none.npy", "--snapshots", "-1"}, {"--snapshots", "at least 0", "got -1"});
    expectRefused({"generate", "toy1", "--size", "5"}, {"--size", "at least 7"});
    expectRefused({"resume", "none.mrcae.h5", "--more-steps", "0"}, {"--more-steps", "at least 1"});
    expectRefused({"benchmark", "none.npy", "--plot-size", "5"}, {"--plot-size", "WIDTHxHEIGHT"});
    expectRefused({"eval", "none.mrcae.h5", "none.npy", "--per-snapshot", "--range-tolerance", "-1"},
                  {"--range-tolerance", "zero or positive", "got -1"});
    // Options of eval --per-snapshot only: the one given is named.
    expectRefused({"eval", "none.mrcae.h5", "none.npy", "--snapshots", "all"},
                  {"--snapshots belongs to eval --per-snapshot"});
  }

  void unknownAndMissing()
  {
    expectRefused({"train", "none.npy", "--nope"}, {"unknown option --nope", "mrcae train --help"});
    expectRefused({"train", "none.npy", "--nope=3"}, {"unknown option --nope"});
    expectRefused({"--nope"}, {"unknown option --nope", "mrcae --help"});
    expectRefused({"frobnicate"}, {"unknown command 'frobnicate'"});
    expectRefused({"decode", "none.mrcae.h5", "codes.h5", "--json"}, {"unknown option --json"});
    expectRefused({"train", "none.npy", "--lr"}, {"--lr needs a value"});
    expectRefused({"train"}, {"missing the dataset file"});
    expectRefused({"eval", "none.mrcae.h5"}, {"missing the dataset file"});
    expectRefused({"train", "a.npy", "b.npy"}, {"unexpected argument 'b.npy'"});
  }

  void aRepeatedOptionTakesItsLastValue()
  {
    // As before the rewrite: the bad first value is overridden, so the line gets as far as the missing file.
    expectRefused({"train", "none.npy", "--levels", "0", "--levels", "3"}, {"none.npy", "not found"});
  }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "test_cli_options.moc"
