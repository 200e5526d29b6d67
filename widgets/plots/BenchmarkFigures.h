#pragma once
// The benchmark's three figures as PNG files, written the same by the Benchmark tab's Export and by
// `mrcae benchmark`: params.png and encoding.png (ln(val err) against parameters and against encoding size, the
// trained methods) and errorbytes.png (error against bytes per snapshot, every method). QPainter only: no
// display needed.

#include "mrcae/model/BenchmarkTable.h"

#include <QSize>
#include <QString>
#include <QStringList>

namespace mrcae::widgets
{

/// Writes the three figures of `table` at `size` into `folder` (which must exist). errorbytes.png shares the
/// once-stored bytes among the data's `snapshots` (0: not shared) and draws the raw float32 snapshot (`rawSnapshotBytes`; 0:
/// no line). Returns the paths written; throws std::runtime_error naming the file that cannot be written.
QStringList writeBenchmarkFigures(const QString& folder, const mrcae::BenchmarkTable& table, int snapshots,
                                  double rawSnapshotBytes, const QSize& size);

} // namespace mrcae::widgets
