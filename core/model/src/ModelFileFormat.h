#pragma once
// The parts of the model file's layout that both the summary reader (here) and the engine's weight reader and
// writer use. Internal to core; HDF5 builds only.

#include "Hdf5Util.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/ModelSummary.h"

#include <string>
#include <vector>

namespace mrcae::modelfile
{

/// Columns of /history/curves: stage, level, group, step, local train, local val, global train, global val.
constexpr int kCurveColumns = 8;

std::string nowIso();
Json archJson(const ArchitectureInfo& a);
ArchitectureInfo archFromJson(const Json& j);
/// Checks the root attributes; returns the format version.
int checkFormat(const std::string& path, H5::H5File& file);
Json readJsonAttr(const std::string& path, const H5::H5Object& obj, const std::string& where);
std::vector<StepRecord> readCurves(H5::H5File& file);
/// Format, config, architecture, stages and data description; checks that they agree.
ModelSummary readSummary(const std::string& path, H5::H5File& file);

} // namespace mrcae::modelfile
