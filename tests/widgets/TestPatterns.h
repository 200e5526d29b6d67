#pragma once
// Small deterministic fields, masks and curves for the widget tests (no core, no files).

#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingTypes.h"

#include <cmath>
#include <vector>

namespace mrcae::test
{

/// A broad hump plus a narrow oscillating bump (toy1-like), t snapshots of n×n, values roughly in [0, 1].
inline mrcae::Field wavePattern(int t, int n)
{
  mrcae::Field f(t, n, n);
  for (int k = 0; k < t; ++k)
  {
    const double phase = 2.0 * M_PI * k / std::max(1, t);
    for (int i = 0; i < n; ++i)
    {
      for (int j = 0; j < n; ++j)
      {
        const double x = -5.0 + 10.0 * j / (n - 1);
        const double y = -5.0 + 10.0 * i / (n - 1);
        const double hump = 0.5 + 0.3 * std::cos(phase) * std::exp(-((x + 1) * (x + 1) + (y - 1) * (y - 1)) / 30.0);
        const double bump = 0.25 * std::cos(4.0 * phase) * std::exp(-((x - 1) * (x - 1) + (y + 1) * (y + 1)) / 0.8);
        f.at(k, i, j) = static_cast<float>(hump + bump);
      }
    }
  }
  return f;
}

/// 1 = valid; a disc of invalid (land) cells in the top-left corner.
inline mrcae::Map2D landMask(int n)
{
  mrcae::Map2D m(n, n, 1.0f);
  for (int i = 0; i < n; ++i)
  {
    for (int j = 0; j < n; ++j)
    {
      const double di = i - 0.15 * n;
      const double dj = j - 0.15 * n;
      if (di * di + dj * dj < 0.04 * n * n)
      {
        m.at(i, j) = 0.0f;
      }
    }
  }
  return m;
}

/// A refinement overlay on an m×m code grid: 2 = unresolved around the bump, 1 = its dilated halo.
inline mrcae::Map2D refinementPattern(int m)
{
  mrcae::Map2D r(m, m, 0.0f);
  const int ci = static_cast<int>(0.6 * m);
  const int cj = static_cast<int>(0.6 * m);
  for (int i = 0; i < m; ++i)
  {
    for (int j = 0; j < m; ++j)
    {
      const int d = std::max(std::abs(i - ci), std::abs(j - cj));
      r.at(i, j) = d <= 2 ? 2.0f : (d == 3 ? 1.0f : 0.0f);
    }
  }
  return r;
}

/// Three stages of decaying, slightly noisy errors.
inline std::vector<mrcae::StepRecord> decayingCurves(int stages, int stepsPerStage)
{
  std::vector<mrcae::StepRecord> out;
  double base = 3e-2;
  for (int s = 0; s < stages; ++s)
  {
    for (int k = 1; k <= stepsPerStage; ++k)
    {
      mrcae::StepRecord r;
      r.stage = s;
      r.level = s;
      r.step = k;
      const double decay = base * std::exp(-3.0 * k / stepsPerStage);
      const double wiggle = 1.0 + 0.15 * std::sin(0.7 * k + s);
      r.globalTrain = decay * wiggle;
      r.globalVal = decay * 1.2;
      r.localTrain = decay * 0.5 * wiggle;
      r.localVal = decay * 0.6;
      out.push_back(r);
    }
    base *= 0.12;
  }
  return out;
}

} // namespace mrcae::test
