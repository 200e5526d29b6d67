// The benchmark's compressors besides MrCAE: POD (PodBasis) and ZFP (ZfpCompressor). POD is checked on a
// snapshot matrix built from known orthonormal vectors, so that its singular values and the error of every
// truncation are known by hand; ZFP against the guarantees of its modes.
#include "mrcae/engine/CompressionBaselines.h"
#include "mrcae/engine/PodBaseline.h"
#include "mrcae/engine/ZfpBaseline.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/SnapshotSource.h"
#include "mrcae/model/ToyData.h"

#include "TestHelpers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace mrcae;

namespace
{

/// Entry (i, j) of Sylvester's Hadamard matrix of any power-of-two order above i and j: ±1, rows orthogonal.
double hadamard(int i, int j)
{
  return __builtin_popcount(static_cast<unsigned>(i & j)) % 2 ? -1.0 : 1.0;
}

constexpr int kSnapshots = 8, kSide = 4, kCells = kSide * kSide;
const double kSigma[] = {5.0, 3.0, 2.0, 1.0, 0.5};

/// X[t][p] = μ[p] + Σ_i σ_i v_i[t] u_i[p], with u_i = Hadamard rows i+1 of order 16 / 4 (orthonormal in space)
/// and v_i = Hadamard rows i+1 of order 8 / √8 (orthonormal in time and orthogonal to the constant row, so
/// centring removes μ exactly). The centred matrix's singular values are σ, then zeros.
Field knownMatrix()
{
  Field x(kSnapshots, kSide, kSide);
  for (int t = 0; t < kSnapshots; ++t)
  {
    for (int p = 0; p < kCells; ++p)
    {
      double v = 0.3 + 0.02 * p;
      for (int i = 0; i < 5; ++i)
      {
        v += kSigma[i] * (hadamard(i + 1, t) / std::sqrt(8.0)) * (hadamard(i + 1, p) / 4.0);
      }
      x.data[t * kCells + p] = static_cast<float>(v);
    }
  }
  return x;
}

std::vector<int> range(int n)
{
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

} // namespace

class TestBaselines : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  /// The error of a rank-r POD on its training snapshots is the energy of the singular values it leaves out:
  /// ‖X − X_r‖² = Σ_{i>r} σ_i², here known by construction.
  void podErrorIsTheDiscardedEnergy()
  {
    const Dataset d = Dataset::fromRaw(knownMatrix(), Map2D(), "known");
    const double span = d.originalMax - d.originalMin; // scaling to [0,1] divides every singular value by it
    DatasetSource source(d);
    const PodBasis pod = PodBasis::compute(source, range(kSnapshots));
    QCOMPARE(pod.blocks(), 1);
    QCOMPARE(pod.modes(), 5);
    QCOMPARE(static_cast<int>(pod.singularValues().size()), kSnapshots);
    for (int i = 0; i < kSnapshots; ++i)
    {
      const double expected = i < 5 ? kSigma[i] / span : 0.0;
      QVERIFY2(std::abs(pod.singularValues()[i] - expected) <= 1e-5 / span,
               qPrintable(QString("sigma %1 = %2, expected %3").arg(i).arg(pod.singularValues()[i]).arg(expected)));
    }
    const std::vector<int> ranks = {0, 1, 2, 3, 4, 5, 7};
    const auto errors = pod.errors(source, range(kSnapshots), ranks, 0.5, LandMaskMode::Consistent);
    for (size_t i = 0; i < ranks.size(); ++i)
    {
      double discarded = 0;
      for (int j = std::min(ranks[i], 5); j < 5; ++j)
      {
        discarded += kSigma[j] * kSigma[j] / (span * span);
      }
      const double sse = errors[i].globalMse * kSnapshots * kCells;
      QVERIFY2(
          std::abs(sse - discarded) <= 1e-5 * discarded + 1e-11,
          qPrintable(QString("rank %1: squared error %2, discarded energy %3").arg(ranks[i]).arg(sse).arg(discarded)));
      // Every u_i² is 1/16 in every cell: the per-cell mean error is the same everywhere, so max = mean.
      QVERIFY(std::abs(errors[i].globalMax - errors[i].globalMse) <= 1e-5 * errors[i].globalMse + 1e-12);
      QVERIFY(std::abs(errors[i].global - errors[i].globalMse) <= 1e-5 * errors[i].globalMse + 1e-12);
    }
    // Once: the mean and r modes over the cells; per snapshot: r coefficients.
    QCOMPARE(pod.onceBytes(3), 4LL * kCells * 4);
    QCOMPARE(PodBasis::bytesPerSnapshot(3), 12LL);
    // A reconstruction of rank 5 is the data.
    const Field back = pod.reconstruct(source, {2}, 5);
    for (int p = 0; p < kCells; ++p)
    {
      QVERIFY(std::abs(back.data[p] - d.field.frame(2)[p]) <= 1e-5f);
    }
  }

  /// Out of core: the Gram matrix in blocks of three snapshots, read one at a time from the HDF5 file, gives
  /// the in-core basis.
  void podOutOfCoreEqualsInCore()
  {
    QTemporaryDir dir;
    const Dataset d = Dataset::fromRaw(knownMatrix(), Map2D(), "known");
    const std::string path = dir.filePath("known.h5").toStdString();
    writeDataset(d, path);
    DatasetSource memory(d);
    FileSource file(path, "", d.originalMin, d.originalMax);
    PodOptions small;
    small.memoryBytes = 3 * kCells * 8;
    const PodBasis inCore = PodBasis::compute(memory, range(kSnapshots));
    const PodBasis streamed = PodBasis::compute(file, range(kSnapshots), small);
    QCOMPARE(streamed.blocks(), 3);
    QCOMPARE(streamed.modes(), inCore.modes());
    for (int i = 0; i < kSnapshots; ++i)
    {
      QVERIFY(std::abs(streamed.singularValues()[i] - inCore.singularValues()[i]) <= 1e-9);
    }
    const auto a = inCore.errors(memory, {1, 6}, {2}, 0.5, LandMaskMode::Consistent);
    const auto b = streamed.errors(file, {1, 6}, {2}, 0.5, LandMaskMode::Consistent);
    QVERIFY(std::abs(a[0].global - b[0].global) <= 1e-9 * a[0].global);
  }

  /// Land cells take no part: the basis spans the valid cells, and reconstructions are 0 on land.
  void podLeavesLandOut()
  {
    Dataset d = generateToy("toy2", 20, 15);
    d.valid = Map2D(15, 15, 1.0f);
    for (int j = 0; j < 15; ++j)
    {
      d.valid.at(0, j) = 0.0f;
    }
    DatasetSource source(d);
    const PodBasis pod = PodBasis::compute(source, range(14));
    QCOMPARE(pod.validCells(), 15 * 14);
    QCOMPARE(pod.onceBytes(2), 4LL * 15 * 14 * 3);
    const Field back = pod.reconstruct(source, {16}, 2);
    for (int j = 0; j < 15; ++j)
    {
      QCOMPARE(back.at(0, 0, j), 0.0f);
    }
  }

  /// Fixed accuracy: every decompressed value is within the tolerance of the original.
  void zfpKeepsItsAccuracy()
  {
    if (!ZfpCompressor::available())
    {
      QSKIP("built without libzfp");
    }
    const Dataset d = generateToy("toy2", 10, 31);
    DatasetSource source(d);
    for (double tol : {1e-2, 1e-3, 1e-4})
    {
      const ZfpCompressor zfp(ZfpMode::FixedAccuracy, tol);
      QVERIFY(zfp.actualParameter() <= tol);
      double worst = 0;
      std::vector<float> back(d.field.frameSize());
      for (int t = 0; t < d.field.t; ++t)
      {
        zfp.decompress(zfp.compress(d.field.frame(t), 31, 31), 31, 31, back.data());
        for (size_t p = 0; p < back.size(); ++p)
        {
          worst = std::max(worst, std::abs(static_cast<double>(back[p]) - d.field.frame(t)[p]));
        }
      }
      QVERIFY2(worst <= tol, qPrintable(QString("tolerance %1: error %2").arg(tol).arg(worst)));
      QVERIFY(worst > 0); // lossy: something was dropped
      // The measures: no cell's mean squared error exceeds the squared tolerance.
      const ZfpResult r = evaluateZfp(source, range(10), ZfpMode::FixedAccuracy, tol, 0.5, LandMaskMode::Consistent);
      QVERIFY(r.errors.globalMax <= tol * tol && r.errors.globalMse <= r.errors.globalMax);
      QVERIFY(r.onceBytes > 0 && r.onceBytes < 32);
    }
  }

  /// Fixed rate: 64 blocks of 4x4 for 31 x 31 at rate R take 64·16·R bits, whatever the values.
  void zfpFixedRateSizesAndSweep()
  {
    if (!ZfpCompressor::available())
    {
      QSKIP("built without libzfp");
    }
    const Dataset d = generateToy("toy2", 6, 31);
    DatasetSource source(d);
    const ZfpCompressor two(ZfpMode::FixedRate, 2.0);
    QCOMPARE(two.compress(d.field.frame(0), 31, 31).size(), size_t(64 * 32 / 8));
    // 300 bytes: 37 bits per block (296 bytes) is the most that fits.
    QCOMPARE(zfpParameterForBytes(source, range(6), ZfpMode::FixedRate, 300.0), 37.0 / 16.0);
    // Fixed accuracy: the tolerance found fits the budget and half of it does not.
    const double tol = zfpParameterForBytes(source, range(6), ZfpMode::FixedAccuracy, 400.0);
    QVERIFY(tol > 0);
    const ZfpResult fits = evaluateZfp(source, range(6), ZfpMode::FixedAccuracy, tol, 0.5, LandMaskMode::Consistent);
    const ZfpResult finer =
        evaluateZfp(source, range(6), ZfpMode::FixedAccuracy, tol / 2, 0.5, LandMaskMode::Consistent);
    QVERIFY(fits.bytesPerSnapshot <= 400.0);
    QVERIFY(finer.bytesPerSnapshot > 400.0);
    QVERIFY(finer.errors.global <= fits.errors.global);
    // Below ZFP's least (9 bits per block for floats: 72 bytes) nothing fits.
    QCOMPARE(zfpParameterForBytes(source, range(6), ZfpMode::FixedRate, 50.0), 0.0);
  }

  /// Matched to MrCAE's stages: POD takes as many coefficients as the stage's code values (at most its modes),
  /// ZFP at most their bytes; both are scored on the validation and test snapshots.
  void matchedToStages()
  {
    // toy2's drifting mode needs many modes (toy1 is two standing modes: rank 2 once centred).
    const Dataset d = generateToy("toy2", 30, 31);
    const Split split = Dataset::makeSplit(30, 0);
    TrainingConfig c;
    const std::vector<long long> targets = {2, 5, 4000, 60};
    const auto pod = podAgainstStages(d, split, c, targets);
    QCOMPARE(pod.size(), targets.size());
    QCOMPARE(pod[0].parameter, 2.0);
    QCOMPARE(pod[2].parameter, 20.0); // 21 training snapshots, centred: at most 20 modes
    QCOMPARE(pod[1].bytesPerSnapshot, 20.0);
    QCOMPARE(pod[1].onceBytes, 4LL * 31 * 31 * 6);
    QVERIFY(pod[1].val.global < pod[0].val.global && pod[3].val.global <= pod[1].val.global);
    QVERIFY(pod[1].test.global > 0);
    if (!ZfpCompressor::available())
    {
      return;
    }
    for (bool rate : {false, true})
    {
      const auto zfp = zfpAgainstStages(d, split, c, targets, rate);
      QCOMPARE(zfp.size(), targets.size());
      QVERIFY(!zfp[0].fits); // 8 bytes: below any setting
      QVERIFY(zfp[3].fits && zfp[3].bytesPerSnapshot <= 4.0 * targets[3]);
      QVERIFY(zfp[3].val.global > 0 && zfp[3].test.global > 0);
      // More bytes, less error (16000 bytes are more than the raw 3844: nearly lossless).
      QVERIFY(zfp[2].fits && zfp[2].val.global < zfp[3].val.global);
    }
  }
};

QTEST_APPLESS_MAIN(TestBaselines)
#include "test_baselines.moc"
