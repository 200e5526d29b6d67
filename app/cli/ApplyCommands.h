#pragma once
// A saved model applied to a dataset (issue 16): `mrcae encode`, `mrcae decode` and the per-snapshot errors of
// `mrcae eval --per-snapshot`.

#include "Commands.h"

namespace mrcae::cli
{

class CommandLine;

int encodeCommand(const Args& args);
int decodeCommand(const Args& args);
/// `mrcae eval MODEL DATA --per-snapshot`: every selected snapshot's errors at every trained level, as CSV
/// (stdout or -o FILE.csv) or JSON (--json or -o FILE.json).
int perSnapshotEval(const CommandLine& cl);

} // namespace mrcae::cli
