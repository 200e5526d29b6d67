#pragma once
// The benchmark's two figures (ln(val err) against parameters and against encoding size) as PNG files, for
// `mrcae benchmark`. Only built with the GUI (it needs Qt Gui for QPainter); it needs no display.

#include "mrcae/model/TrainingTypes.h"

#include <string>
#include <vector>

namespace mrcae::cli
{

struct MethodStages
{
  std::string method;
  std::vector<StageRecord> stages;
};

/// Writes `folder`/params.png and `folder`/encoding.png of width × height pixels and returns their paths.
/// Throws std::runtime_error when a file cannot be written.
std::vector<std::string> writeBenchmarkFigures(const std::string& folder, const std::vector<MethodStages>& runs,
                                               int width, int height);

} // namespace mrcae::cli
