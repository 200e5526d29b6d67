#include "FileKind.h"

#include "mrcae/model/DatasetIO.h"

#include <QFileInfo>

namespace mrcae::app
{

FileKind fileKind(const QString& path)
{
  if (path.endsWith(".mrcae.h5", Qt::CaseInsensitive))
  {
    return FileKind::Model;
  }
  const QFileInfo info(path);
  const QString suffix = info.suffix().toLower();
  if (suffix == "nc" || suffix == "nc4" || suffix == "cdf")
  {
    return FileKind::Import;
  }
  if ((suffix == "h5" || suffix == "hdf5" || suffix == "he5") && info.isFile())
  {
    try
    {
      return mrcae::listFields(path.toStdString()).empty() ? FileKind::Import : FileKind::Dataset;
    }
    catch (const std::exception&)
    {
      return FileKind::Dataset; // not readable as HDF5 at all: the usual read says so
    }
  }
  return FileKind::Dataset;
}

} // namespace mrcae::app
