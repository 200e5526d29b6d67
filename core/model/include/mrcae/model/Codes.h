#pragma once
// The codes of a saved model applied to snapshots (`mrcae encode`), as plain values, and their file
// (README "Codes files"). Level k's reconstruction F_k needs (SPEC §2.2): level 0's coarse code, the output of
// L0_Conv_0 inside F_k's recursion, and for every widened group g >= 1 of the levels j = 0..k its code on level
// j's code grid, which the forward pass multiplies by the group's dilated mask: only the cells inside that mask
// are kept. Decoding runs the decoders on exactly these values, so it gives the forward pass's reconstruction
// bit for bit.

#include "mrcae/model/Field.h"

#include <string>
#include <vector>

namespace mrcae
{

/// The codes of one widened group (level j, group g >= 1) inside one level's recursion, kept where its mask is 1.
struct RefinementCodes
{
  int level = 0; ///< j: the level whose encoder made them
  int group = 0; ///< g >= 1
  int channels = 0;
  Map2D mask;                ///< the dilated mask on level j's code grid (1 = kept); all ones without maps
  std::vector<int> cells;    ///< flat row-major indices of the mask's ones, ascending
  std::vector<float> values; ///< [snapshot][channel][cell]

  long long valuesPerSnapshot() const { return static_cast<long long>(channels) * cells.size(); }
};

/// What rebuilds level k's reconstruction for some snapshots.
struct LevelCodes
{
  int level = 0;
  int coarseH = 0, coarseW = 0;             ///< level 0's code grid
  std::vector<float> coarse;                ///< [snapshot][coarseH·coarseW]
  std::vector<RefinementCodes> refinements; ///< levels 0..k, groups 1.., in the forward pass's order

  long long valuesPerSnapshot() const;
};

/// Codes of some snapshots of one dataset, and what decoding needs to check and to give values in units.
struct EncodedSnapshots
{
  std::vector<int> snapshots; ///< indices into the encoded dataset
  std::vector<LevelCodes> levels;
  std::string modelHash;     ///< ModelCodec::modelHash of the model that made them: decoding checks it
  long long modelParams = 0; ///< its parameter count
  int modelLevels = 0;       ///< its L: level k's grid is the native one restricted L−1−k times
  std::string source;        ///< the dataset file the snapshots came from
  std::string fieldName;
  std::string units;
  double originalMin = 0.0; ///< the model's normalisation: a scaled v is originalMin + v·(originalMax − originalMin)
  double originalMax = 1.0;
  int height = 0, width = 0;     ///< native size (the model's)
  int cropTop = 0, cropLeft = 0; ///< what crop or pad did to the dataset to reach it
  Map2D valid;                   ///< native land mask, 1 = valid; empty = none

  int snapshotCount() const { return static_cast<int>(snapshots.size()); }
  const LevelCodes& level(int k) const; ///< throws InputError when level k was not encoded
};

/// Bytes of float32 code values per snapshot for level k.
inline long long codeBytes(const LevelCodes& codes)
{
  return 4 * codes.valuesPerSnapshot();
}

/// Writes a codes file (HDF5, README "Codes files") atomically. Throws InputError.
void writeCodes(const EncodedSnapshots& codes, const std::string& path);
/// Reads one back; checks its layout and sizes. Throws InputError with a one-line reason.
EncodedSnapshots readCodes(const std::string& path);

} // namespace mrcae
