#pragma once
// A dataset ready for training: snapshots scaled to [0,1], an optional valid-cell mask, and what is known of
// the original units. Loading, scaling and size checks live here; files are read by DatasetIO.

#include "mrcae/model/Field.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mrcae
{

/// What to do when a size is not c·2^L − 1 (SPEC §1.5).
enum class SizePolicy
{
  Strict,     ///< refuse with a message that names the nearest sizes
  Crop,       ///< keep the centred c·2^L − 1 block (largest that fits)
  PadReflect, ///< mirror the edges out to the next c·2^L − 1
  PadPeriodic ///< wrap around (longitude); also mirrors the other axis
};
std::string toString(SizePolicy p);
SizePolicy sizePolicyFromString(const std::string& s);

/// Snapshot indices of the three parts of the data (SPEC §1.2, seeded).
struct Split
{
  std::vector<int> train;
  std::vector<int> val;
  std::vector<int> test;
};

class Dataset
{
public:
  std::string name = "field"; ///< the field's name (HDF5 dataset name or file stem)
  std::string path;           ///< where it was read from (empty when generated)
  Field field;                ///< [T,H,W], values in [0,1] after scaling
  Map2D valid;                ///< [H,W], 1 = valid cell; empty (0×0) = every cell valid
  std::string units;
  std::string source;
  double dt = 1.0;
  double dx = 1.0;
  double originalMin = 0.0; ///< value that maps to 0
  double originalMax = 1.0; ///< value that maps to 1
  int cropTop = 0;          ///< rows removed (crop, > 0) or added (pad, < 0) above, to reach c·2^L − 1
  int cropLeft = 0;
  int originalH = 0;
  int originalW = 0;

  /// Takes raw values, checks them (finite on valid cells, not constant) and scales them to [0,1] with the
  /// global min and max over valid cells. Throws InputError.
  static Dataset fromRaw(Field raw, Map2D valid, const std::string& name);

  int snapshots() const { return field.t; }
  bool hasMask() const { return valid.h > 0; }
  /// Largest L for which one axis of size n works: n = c·2^L − 1 with c >= 2 (coarsest grid has a code).
  static int maxLevelsFor(int n);
  /// Levels this dataset can train with as it is (0 if no L fits both axes).
  int maxLevels() const;
  /// A copy cropped or padded to c·2^L − 1 per axis; Strict throws InputError if the size does not fit.
  Dataset conformed(int levels, SizePolicy policy) const;
  /// Checks that a run with `levels` levels and this split can use the data; throws InputError.
  void checkTrainable(int levels, double trainFraction, double valFraction) const;
  /// FNV-1a hash of shape and values: finds a moved dataset again.
  std::string contentHash() const;
  /// Seeded shuffle; n_train = int(0.7 T), n_val = int(0.2 T), the rest is test.
  static Split makeSplit(int t, std::uint64_t seed, double trainFraction = 0.7, double valFraction = 0.2);
};

} // namespace mrcae
