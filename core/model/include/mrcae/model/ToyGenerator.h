#pragma once
// toy1 or toy2 (ToyData.h) one snapshot at a time, for datasets larger than memory (`mrcae generate` writes
// them snapshot by snapshot, issue 15): the constructor goes through every snapshot once for the global minimum
// and maximum; snapshot(k) then gives exactly what generateToy(...).field holds for snapshot k.
//
//   ToyGenerator toy("toy1", 66000, 127);                      // one pass: the range
//   writeDataset(toy.metadata(), [&](int k, float* out) { toy.snapshot(k, out); }, "big.h5");

#include "mrcae/model/Dataset.h"

#include <string>
#include <vector>

namespace mrcae
{

class ToyGenerator
{
public:
  /// Throws InputError for another name, no snapshot, or fewer than 3 cells per side.
  ToyGenerator(const std::string& name, int snapshots = 500, int n = 127);

  /// Everything of generateToy's dataset but the values (field.t, h, w set, field.data empty).
  Dataset metadata() const;
  /// Snapshot k (n·n values, the first axis x), scaled to [0,1] with the global range.
  void snapshot(int k, float* out) const;

private:
  /// Φ of snapshot k before scaling, into n·n doubles.
  void raw(int k, double* out) const;

  std::string name_;
  int snapshots_;
  int n_;
  std::vector<double> coord_;
  double lo_ = 0;
  double hi_ = 0;
};

} // namespace mrcae
