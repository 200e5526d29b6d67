#pragma once
// A dataset brought to the form a saved model was trained on, so that the model can be applied to it (encode,
// decode, per-snapshot errors): any number of snapshots, the model's grid (crop or pad as in `train`), the
// model's land mask and the model's normalisation (values scaled with the model's min and max, not the new
// data's). What does not fit is refused with one line.

#include "mrcae/model/Dataset.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/ModelSummary.h"

#include <string>
#include <vector>

namespace mrcae
{

struct ModelInputOptions
{
  SizePolicy sizePolicy = SizePolicy::Strict; ///< as `train`: --crop, --pad reflect|periodic
  /// How far the scaled values may leave [0,1] before the data are refused, as a fraction of the model's
  /// range: 0.5 accepts values from min − 0.5·range to max + 0.5·range (a later period that is a bit warmer),
  /// and refuses another variable or other units.
  double rangeTolerance = 0.5;
};

/// What fitting found about the values.
struct ModelInputReport
{
  double dataMin = 0, dataMax = 0;     ///< the new data's range over valid cells (original units)
  double scaledMin = 0, scaledMax = 0; ///< the same in the model's scaling ([0,1] = the model's range)
  long long cellsOutside = 0;          ///< valid cell values (over all snapshots) outside the model's range
  long long cellsMaskedByModel = 0;    ///< cells valid in the data but invalid in the model (left out)
  bool resized = false;                ///< cropped or padded to the model's size
  /// One line for the user when something is worth knowing (values outside the model's range, cells the
  /// model's land mask leaves out, a crop or pad); empty otherwise.
  std::string note;
};

/// `data` as read (Dataset::fromRaw scaled it by its own range) brought to `model`'s grid, mask and scaling.
/// Throws InputError naming `what` (usually the file) when the sizes cannot meet the model's, when a cell the
/// model was trained on is invalid in the data, or when the values lie outside the tolerance.
Dataset fitToModel(const ModelSummary& model, const Dataset& data, const ModelInputOptions& options,
                   const std::string& what, ModelInputReport* report = nullptr);

/// Which part of the model's split each of the `count` snapshots of the file at `path` is: "train", "val" or
/// "test" when the file begins with exactly the snapshots the model was trained on (its first T snapshots, read
/// with `read` and brought to size with `policy`, have the model's content hash), "new" for every other one.
std::vector<std::string> snapshotParts(const ModelSummary& model, const std::string& path, ReadOptions read,
                                       SizePolicy policy, int count);

} // namespace mrcae
