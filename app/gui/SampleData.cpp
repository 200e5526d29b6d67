#include "SampleData.h"

#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/ToyData.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace mrcae::app
{

QStringList SampleData::candidates(const QString& name)
{
  const QString file = name + ".h5";
  const QString appDir = QCoreApplication::applicationDirPath();
  QStringList paths = {appDir + "/../share/mrcae-studio/sample_data/" + file, appDir + "/sample_data/" + file,
                       appDir + "/../sample_data/" + file, appDir + "/../../sample_data/" + file};
#ifdef MRCAE_SOURCE_DIR
  paths << QStringLiteral(MRCAE_SOURCE_DIR) + "/sample_data/" + file;
#endif
  paths << userDataFolder() + "/" + file;
  for (QString& p : paths)
  {
    p = QDir::cleanPath(p);
  }
  paths.removeDuplicates();
  return paths;
}

QString SampleData::find(const QString& name)
{
  for (const QString& p : candidates(name))
  {
    if (QFileInfo::exists(p))
    {
      return p;
    }
  }
  return QString();
}

QString SampleData::userDataFolder()
{
  const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  QDir().mkpath(folder);
  return folder;
}

mrcae::Dataset SampleData::loadOrGenerate(const QString& name, QString* origin)
{
  const QString path = find(name);
  if (!path.isEmpty())
  {
    try
    {
      mrcae::Dataset d = mrcae::readDataset(path.toStdString());
      if (origin)
      {
        *origin = path;
      }
      return d;
    }
    catch (const std::exception&)
    {
      // A damaged cache: fall through and generate a fresh copy.
    }
  }
  mrcae::Dataset d = mrcae::generateToy(name.toStdString());
  QString cached;
  if (mrcae::hdf5Available())
  {
    cached = userDataFolder() + "/" + name + ".h5";
    try
    {
      mrcae::writeDataset(d, cached.toStdString());
      d.path = cached.toStdString();
    }
    catch (const std::exception&)
    {
      cached.clear(); // a read-only home: the generated data still work, only the cache is missing
    }
  }
  if (origin)
  {
    *origin = cached.isEmpty() ? QObject::tr("generated") : QObject::tr("generated, saved as %1").arg(cached);
  }
  return d;
}

} // namespace mrcae::app
