#pragma once
// The preset files of resources/presets, compiled in (cmake/EmbedPresets.cmake writes the definition).

#include <string>
#include <utility>
#include <vector>

namespace mrcae
{

/// (name, JSON text) of every preset file, sorted by name.
const std::vector<std::pair<std::string, std::string>>& presetSources();

} // namespace mrcae
