#pragma once
// A typed facade over QSettings: every key, with its default, is named once here ("Group/Key", CamelCase).

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace mrcae::app
{

class Settings
{
public:
  Settings();

  QByteArray windowGeometry() const;
  void setWindowGeometry(const QByteArray& geometry);
  QByteArray windowState() const;
  void setWindowState(const QByteArray& state);

  /// The dataset opened last (empty for a generated one).
  QString lastDataset() const;
  void setLastDataset(const QString& path);
  QString lastModel() const;
  void setLastModel(const QString& path);
  /// Most recent first, at most maxRecentFiles().
  QStringList recentFiles() const;
  void addRecentFile(const QString& path);
  static int maxRecentFiles() { return 8; }
  /// The folder of the last file dialog.
  QString lastFolder() const;
  void setLastFolder(const QString& folder);

  QString preset() const;
  void setPreset(const QString& name);
  /// Save the model after every stage (default on), atomically, so that a crash loses one stage at most.
  bool autosave() const;
  void setAutosave(bool on);
  QString sizePolicy() const;
  void setSizePolicy(const QString& policy);

  void sync() { settings_.sync(); }

private:
  QSettings settings_;
};

} // namespace mrcae::app
