#pragma once
// Masks from outside (an HDF5 file's /valid, a .npy land mask) must say 0 or 1 in every cell: any other value
// belongs to a mask of another convention, and rounding it would be a guess. Every reader checks it here.

#include "mrcae/model/Names.h"

#include <optional>
#include <string>
#include <vector>

namespace mrcae
{

/// Throws InputError (a bad file, naming `file`) unless each cell of the `width`-wide mask is 0 or 1.
/// `subject` starts the sentence after the file ("/valid", "the land mask for x.npy"); `meaning` says what 1
/// marks ("1 = valid"); `setting` is the option that gave the file, if one did.
void requireZeroOneMask(const std::vector<float>& cells, int width, const std::string& file, const std::string& subject,
                        const std::string& meaning, std::optional<Setting> setting = std::nullopt);

} // namespace mrcae
