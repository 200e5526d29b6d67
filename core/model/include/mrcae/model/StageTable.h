#pragma once
// Stage records and step curves as table rows: the one place that turns them into the text of CSV files
// (stages.csv, curves.csv, benchmark.csv). The columns and their names are Names.h's StageField and CurveField.
// Text is locale-independent: integers as they are, flags as 0/1, enums as their tokens, reals in the shortest
// form that reads back to the same double (NumberText.h).

#include "mrcae/model/Names.h"
#include "mrcae/model/TrainingTypes.h"

#include <ostream>
#include <string>
#include <vector>

namespace mrcae
{

/// The value of column `field` of `record` as files write it.
std::string stageFieldText(const StageRecord& record, StageField field);
std::string curveFieldText(const StepRecord& record, CurveField field);
/// The value of column `field` as a number (the model file stores the curves as a matrix of doubles).
double curveFieldValue(const StepRecord& record, CurveField field);

/// Writes a header line and one line per stage with `columns` (default: every StageField).
void writeStagesCsv(std::ostream& out, const std::vector<StageRecord>& stages,
                    const std::vector<StageField>& columns = allValues<StageField>());
/// Writes a header line and one line per step with every CurveField.
void writeCurvesCsv(std::ostream& out, const std::vector<StepRecord>& curves);

} // namespace mrcae
