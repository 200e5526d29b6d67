#pragma once
// Where the bundled sample datasets are found (next to the executable, in the source tree, in the user's data
// folder), and toy1/toy2 generated on first start and cached in the user's data folder when none is found.

#include "mrcae/model/Dataset.h"

#include <QString>
#include <QStringList>

namespace mrcae::app
{

class SampleData
{
public:
  /// Candidate paths of `<name>.h5`, most specific first.
  static QStringList candidates(const QString& name);
  /// The first existing candidate, or empty.
  static QString find(const QString& name);
  /// The user's data folder (created on demand).
  static QString userDataFolder();
  /// Reads the sample if it exists, else generates it (500 snapshots) and caches it as HDF5 when possible.
  /// `origin` says where it came from, for the status bar. Throws InputError.
  static mrcae::Dataset loadOrGenerate(const QString& name, QString* origin = nullptr);
};

} // namespace mrcae::app
