#pragma once
// Exports of a trained model for other tools (DESIGN.md §4 "Exports"): reconstructions, codes, maps, masks and
// errors as HDF5; a VTK image series (.vti per snapshot + a .pvd collection) that ParaView opens as a time
// series; curves and the stage table as CSV. Values are in the dataset's original units.

#include "mrcae/engine/Trainer.h"
#include "mrcae/model/Codes.h"

#include <string>
#include <vector>

namespace mrcae
{

/// What an HDF5 export holds.
struct ExportContent
{
  bool fields = true; ///< /L{k}/input, reconstruction, error [n,N_k,W_k]
  bool codes = true;  ///< /L{k}/codes/g{g} [n,ch,h,w]
  bool maps = true;   ///< /L{k}/maps/g{g} (R_k[g]) and /L{k}/masks/g{g} (dilated unresolved) [h,w]
};

/// HDF5 with the chosen content and /snapshots [n]. Atomic write. Throws InputError.
void exportHdf5(const Trainer& trainer, const std::vector<int>& snapshots, const std::string& path,
                const ExportContent& content = {});

/// The reconstructions `mrcae decode` rebuilt from `codes` (one Field per codes.levels entry, scaled as the
/// model's data) as HDF5 in the layout of exportHdf5's fields: /snapshots, /L{k}/reconstruction [n,N_k,W_k] in
/// original units with NaN on invalid cells, /L{k}/valid; the same values `export --what fields` writes for the
/// same snapshots. Atomic write. Throws InputError.
void exportDecodedHdf5(const EncodedSnapshots& codes, const std::vector<Field>& reconstructions,
                       const std::string& path);

/// One .vti per snapshot at `level` (input, reconstruction and error as point data, spacing dx, time = index·dt),
/// and `<folder>/<name>.pvd` listing them. Returns the .pvd path.
std::string exportVtkSeries(const Trainer& trainer, const std::vector<int>& snapshots, int level,
                            const std::string& folder, const std::string& name);

/// `<folder>/curves.csv` (one row per step) and `<folder>/stages.csv` (one row per stage).
void exportCsv(const Trainer& trainer, const std::string& folder);

/// "test", "val", "train", "all" or a comma-separated list of indices.
std::vector<int> parseSnapshotSelection(const Trainer& trainer, const std::string& selection);

} // namespace mrcae
