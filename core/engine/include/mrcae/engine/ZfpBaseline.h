#pragma once
// The ZFP baseline (issue 16): the lossy floating-point compressor of many HPC codes (libzfp), applied to each
// snapshot on its own as a 2-D float32 field, in fixed-accuracy mode (an absolute error tolerance, in the
// scaled units of the data) or fixed-rate mode (bits per value). Scored in the measures of Trainer::evaluate
// and swept to a number of bytes per snapshot. Builds without libzfp leave it out: available() is false and
// everything else throws InputError.

#include "mrcae/model/SnapshotSource.h"
#include "mrcae/model/TrainingConfig.h"
#include "mrcae/model/TrainingTypes.h"

#include <string>
#include <vector>

namespace mrcae
{

enum class ZfpMode
{
  FixedAccuracy, ///< parameter: the absolute error tolerance
  FixedRate      ///< parameter: bits per value
};
std::string toString(ZfpMode mode);

/// One ZFP setting applied to some snapshots.
struct ZfpResult
{
  ZfpMode mode = ZfpMode::FixedAccuracy;
  double parameter = 0;        ///< the tolerance or the rate ZFP actually used
  double bytesPerSnapshot = 0; ///< mean compressed size of a snapshot (the whole stream, flushed to 64-bit words)
  long long onceBytes = 0;     ///< ZFP's full header (mode and field size), stored once for every snapshot
  LevelErrors errors;          ///< of the decompressed snapshots, at the native level
};

class ZfpCompressor
{
public:
  /// True when this build links libzfp.
  static bool available();
  ZfpCompressor(ZfpMode mode, double parameter);
  /// Compresses one [h,w] row-major field.
  std::vector<unsigned char> compress(const float* field, int h, int w) const;
  /// Decompresses what compress() made of an [h,w] field with the same settings into `out`.
  void decompress(const std::vector<unsigned char>& bytes, int h, int w, float* out) const;
  /// The setting ZFP really uses for a 2-D float field (a rate is rounded to whole bits per 4x4 block).
  double actualParameter() const;
  /// Bytes of ZFP's full header for an [h,w] float field.
  static long long headerBytes(int h, int w, ZfpMode mode, double parameter);

private:
  ZfpMode mode_;
  double parameter_;
};

/// Compresses and decompresses `snapshots` of `source` with one setting; errors as Trainer::evaluate measures
/// them at the native level (w, land mask as `maskMode`).
ZfpResult evaluateZfp(SnapshotSource& source, const std::vector<int>& snapshots, ZfpMode mode, double parameter,
                      double w, LandMaskMode maskMode);

/// The setting whose mean compressed size over `snapshots` is the largest that does not exceed `targetBytes`
/// per snapshot: the highest rate in steps of 1/16 bit (one bit per 4x4 block; ZFP takes at least 9 bits per
/// block of floats), or the smallest tolerance among the powers of two (ZFP rounds a tolerance down to one).
/// Returns 0 when even the coarsest setting is larger than the target.
double zfpParameterForBytes(SnapshotSource& source, const std::vector<int>& snapshots, ZfpMode mode,
                            double targetBytes);

} // namespace mrcae
