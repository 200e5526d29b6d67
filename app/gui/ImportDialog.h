#pragma once
// File → Import: a NetCDF variable or an HDF5 dataset of any layout becomes a dataset. The user picks the
// variable, which axis is time and the index of any other axis, crop or pad to c·2^L − 1, and what to do when the
// fill cells change over time; a preview shows one snapshot as it will be (scaled, cropped or padded) with its land
// mask in grey and what the import found (fill cells, CF attributes), before anything is converted.

#include "mrcae/model/Importer.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QFormLayout;

namespace mrcae::app
{

class ImportDialog : public QDialog
{
  Q_OBJECT

public:
  /// Lists the file's variables; throws InputError when it cannot be read.
  explicit ImportDialog(const QString& path, QWidget* parent = nullptr);

  mrcae::ImportOptions options() const;
  /// The snapshot the preview shows (of the file's time axis).
  void setPreviewSnapshot(int index);
  /// What the last preview found ("" when it worked), and its dataset.
  QString previewError() const { return previewError_; }
  const std::optional<mrcae::ImportReport>& preview() const { return preview_; }
  QComboBox* variableBox() const { return variable_; }
  QComboBox* policyBox() const { return policy_; }
  QSpinBox* levelsBox() const { return levels_; }

private:
  void fillAxes();
  void updatePreview();
  const mrcae::ImportVariable* current() const;

  QString path_;
  mrcae::ImportListing listing_;
  QComboBox* variable_ = nullptr;
  QComboBox* timeAxis_ = nullptr;
  QFormLayout* axesForm_ = nullptr;
  std::vector<std::pair<int, QSpinBox*>> fixed_; ///< axis number and its index
  QComboBox* policy_ = nullptr;
  QSpinBox* levels_ = nullptr;
  QComboBox* maskMode_ = nullptr;
  QCheckBox* dropEmpty_ = nullptr;
  QCheckBox* nanAsFill_ = nullptr;
  QSpinBox* previewIndex_ = nullptr;
  QLabel* picture_ = nullptr;
  QLabel* facts_ = nullptr;
  QString previewError_;
  std::optional<mrcae::ImportReport> preview_;
};

} // namespace mrcae::app
