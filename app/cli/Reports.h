#pragma once
// What several commands print or check the same way: the stage table, the per-level evaluation (text and
// JSON), the writability of an output, and the clock and memory of the process.

#include "mrcae/model/Json.h"
#include "mrcae/model/TrainingTypes.h"

#include <chrono>
#include <string>
#include <vector>

namespace mrcae::cli
{

double secondsSince(std::chrono::steady_clock::time_point t0);
/// The peak resident memory of this process so far, in MB.
double peakRssMb();
/// Refuses an output that cannot be written before any work is done (a full-budget run would otherwise train for
/// hours and then fail). `folder`: the output is a folder, created if needed.
void checkWritable(const std::string& path, bool folder);

void printStages(const std::vector<StageRecord>& stages);
Json stagesJson(const std::vector<StageRecord>& stages);
void printEvaluation(const std::vector<LevelEvaluation>& evaluation);
Json evaluationJson(const std::vector<LevelEvaluation>& evaluation);

} // namespace mrcae::cli
