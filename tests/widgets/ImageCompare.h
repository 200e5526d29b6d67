#pragma once
// Baseline comparison for rendering tests: mean absolute difference of RGB over the image, in [0, 1].
// On a missing baseline or a mismatch the actual image (and a difference image) is written to the output
// folder, and the message names both paths, so that a new baseline is one `cp` away after looking at it.

#include <QDir>
#include <QImage>
#include <QString>

#include <cmath>
#include <cstdlib>

namespace mrcae::test
{

struct CompareResult
{
  bool ok = false;
  double meanAbsDiff = 1.0;
  QString message;
};

inline double meanAbsDifference(const QImage& a, const QImage& b, QImage* diff = nullptr)
{
  const QImage x = a.convertToFormat(QImage::Format_RGB888);
  const QImage y = b.convertToFormat(QImage::Format_RGB888);
  if (x.size() != y.size())
  {
    return 1.0;
  }
  if (diff)
  {
    *diff = QImage(x.size(), QImage::Format_RGB888);
  }
  double sum = 0.0;
  for (int r = 0; r < x.height(); ++r)
  {
    const uchar* p = x.constScanLine(r);
    const uchar* q = y.constScanLine(r);
    uchar* d = diff ? diff->scanLine(r) : nullptr;
    for (int c = 0; c < x.width() * 3; ++c)
    {
      const int delta = std::abs(int(p[c]) - int(q[c]));
      sum += delta;
      if (d)
      {
        d[c] = static_cast<uchar>(std::min(255, delta * 4));
      }
    }
  }
  return sum / (255.0 * x.width() * x.height() * 3);
}

/// Compares `actual` with `<baselineDir>/<name>.png` under `threshold` (0.02 = small anti-aliasing changes).
inline CompareResult compareWithBaseline(const QImage& actual, const QString& name, double threshold,
                                         const QString& baselineDir, const QString& outputDir)
{
  CompareResult result;
  QDir().mkpath(outputDir);
  const QString baselinePath = baselineDir + "/" + name + ".png";
  const QString actualPath = outputDir + "/" + name + ".png";
  QImage baseline(baselinePath);
  if (baseline.isNull())
  {
    actual.save(actualPath);
    result.message = QString("no baseline %1; the actual image is %2 (look at it, then copy it there)")
                         .arg(baselinePath, actualPath);
    return result;
  }
  QImage diff;
  result.meanAbsDiff = meanAbsDifference(actual, baseline, &diff);
  result.ok = result.meanAbsDiff <= threshold;
  if (!result.ok)
  {
    actual.save(actualPath);
    const QString diffPath = outputDir + "/" + name + "-diff.png";
    if (!diff.isNull())
    {
      diff.save(diffPath);
    }
    result.message = QString("%1 differs from baseline %2: mean abs difference %3 > %4 (size %5x%6 vs %7x%8); "
                             "difference image %9")
                         .arg(actualPath, baselinePath)
                         .arg(result.meanAbsDiff, 0, 'g', 4)
                         .arg(threshold)
                         .arg(actual.width())
                         .arg(actual.height())
                         .arg(baseline.width())
                         .arg(baseline.height())
                         .arg(diffPath);
  }
  return result;
}

} // namespace mrcae::test
