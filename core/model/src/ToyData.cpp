#include "mrcae/model/ToyData.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/ToyGenerator.h"

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
  const ToyGenerator toy(name, snapshots, n);
  Dataset d = toy.metadata();
  d.field = Field(snapshots, n, n);
  for (int k = 0; k < snapshots; ++k)
  {
    toy.snapshot(k, d.field.data.data() + d.field.frameSize() * static_cast<size_t>(k));
  }
  return d;
}

} // namespace mrcae
