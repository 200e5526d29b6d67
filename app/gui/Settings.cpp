#include "Settings.h"

#include <QDir>

namespace mrcae::app
{

namespace
{
const QString kGeometry = QStringLiteral("Window/Geometry");
const QString kState = QStringLiteral("Window/State");
const QString kLastDataset = QStringLiteral("Files/LastDataset");
const QString kLastModel = QStringLiteral("Files/LastModel");
const QString kRecent = QStringLiteral("Files/Recent");
const QString kLastFolder = QStringLiteral("Files/LastFolder");
const QString kPreset = QStringLiteral("Training/Preset");
const QString kSizePolicy = QStringLiteral("Dataset/SizePolicy");
const QString kAutosave = QStringLiteral("Training/Autosave");
} // namespace

Settings::Settings() = default;

QByteArray Settings::windowGeometry() const
{
  return settings_.value(kGeometry).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray& geometry)
{
  settings_.setValue(kGeometry, geometry);
}

QByteArray Settings::windowState() const
{
  return settings_.value(kState).toByteArray();
}

void Settings::setWindowState(const QByteArray& state)
{
  settings_.setValue(kState, state);
}

QString Settings::lastDataset() const
{
  return settings_.value(kLastDataset).toString();
}

void Settings::setLastDataset(const QString& path)
{
  settings_.setValue(kLastDataset, path);
}

QString Settings::lastModel() const
{
  return settings_.value(kLastModel).toString();
}

void Settings::setLastModel(const QString& path)
{
  settings_.setValue(kLastModel, path);
}

QStringList Settings::recentFiles() const
{
  return settings_.value(kRecent).toStringList();
}

void Settings::addRecentFile(const QString& path)
{
  QStringList files = recentFiles();
  files.removeAll(path);
  files.prepend(path);
  while (files.size() > maxRecentFiles())
  {
    files.removeLast();
  }
  settings_.setValue(kRecent, files);
}

QString Settings::lastFolder() const
{
  return settings_.value(kLastFolder, QDir::homePath()).toString();
}

void Settings::setLastFolder(const QString& folder)
{
  settings_.setValue(kLastFolder, folder);
}

QString Settings::preset() const
{
  return settings_.value(kPreset, QStringLiteral("toy1")).toString();
}

void Settings::setPreset(const QString& name)
{
  settings_.setValue(kPreset, name);
}

bool Settings::autosave() const
{
  return settings_.value(kAutosave, true).toBool();
}

void Settings::setAutosave(bool on)
{
  settings_.setValue(kAutosave, on);
}

QString Settings::sizePolicy() const
{
  return settings_.value(kSizePolicy, QStringLiteral("strict")).toString();
}

void Settings::setSizePolicy(const QString& policy)
{
  settings_.setValue(kSizePolicy, policy);
}

} // namespace mrcae::app
