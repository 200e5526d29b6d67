#include "mrcae/model/ToyData.h"

#include "mrcae/model/InputError.h"

#include <cmath>

namespace mrcae
{

namespace
{

constexpr double kPi = 3.14159265358979323846;
constexpr double kOmega0 = 0.5;
constexpr double kOmega1 = 4.0;
constexpr double kSigma0 = 10.0;
constexpr double kSigma1 = 0.25;

void checkName(const std::string& name)
{
  if (name != "toy1" && name != "toy2")
  {
    throw InputError("unknown toy dataset '" + name + "': use toy1 or toy2");
  }
}

} // namespace

double toyTime(const std::string& name, int k, int snapshots)
{
  checkName(name);
  const double end = name == "toy1" ? 8 * kPi : 4 * kPi;
  return snapshots > 1 ? end * k / (snapshots - 1) : 0.0;
}

double toyValue(const std::string& name, double x, double y, double t)
{
  checkName(name);
  const double phi1 =
      (1.0 / std::cosh((x + 1) / kSigma0)) * (1.0 / std::cosh((y - 1) / kSigma0)) * std::cos(kOmega0 * t);
  const double amp = 1.0 / (kSigma1 * std::sqrt(2 * kPi));
  double phi2;
  if (name == "toy1")
  {
    const double r2 = (x - 1) * (x - 1) + (y + 1) * (y + 1);
    phi2 = amp * std::exp(-r2 / (2 * kSigma1 * kSigma1)) * std::cos(kOmega1 * t + kPi / 4);
  }
  else
  {
    // The centre drifts along the anti-diagonal; the code has no π/4 phase (SPEC §6).
    const double v = 0.5;
    const double r2 = (x - 3 + v * t) * (x - 3 + v * t) + (y + 3 - v * t) * (y + 3 - v * t);
    phi2 = amp * std::exp(-r2 / (2 * kSigma1 * kSigma1)) * std::cos(kOmega1 * t);
  }
  return phi1 + phi2;
}

Dataset generateToy(const std::string& name, int snapshots, int n)
{
  checkName(name);
  if (snapshots < 1 || n < 3)
  {
    throw InputError("a toy dataset needs at least 1 snapshot and 3 cells per side");
  }
  std::vector<double> coord(n);
  for (int i = 0; i < n; ++i)
  {
    coord[i] = -5.0 + 10.0 * i / (n - 1);
  }
  std::vector<double> values(static_cast<size_t>(snapshots) * n * n);
  for (int k = 0; k < snapshots; ++k)
  {
    const double t = toyTime(name, k, snapshots);
    for (int i = 0; i < n; ++i)
    {
      for (int j = 0; j < n; ++j)
      {
        // The first spatial axis is x (the notebooks save Φ.T of a meshgrid with 'xy' indexing).
        values[(static_cast<size_t>(k) * n + i) * n + j] = toyValue(name, coord[i], coord[j], t);
      }
    }
  }
  // Scale in double with the global min and max, as the notebooks do before saving.
  double lo = values[0], hi = values[0];
  for (double v : values)
  {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  Field f(snapshots, n, n);
  for (size_t p = 0; p < values.size(); ++p)
  {
    f.data[p] = static_cast<float>((values[p] - lo) / (hi - lo));
  }
  Dataset d;
  d.name = name;
  d.field = std::move(f);
  d.source = name + " generator (Liu, Ponce, Brunton, Kutz 2020; SPEC.md section 6)";
  d.originalMin = lo;
  d.originalMax = hi;
  d.originalH = n;
  d.originalW = n;
  d.dx = 10.0 / (n - 1);
  d.dt = toyTime(name, 1, snapshots);
  return d;
}

} // namespace mrcae
