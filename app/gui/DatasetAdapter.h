#pragma once
// Turns the engine's Dataset into what the widgets show (DatasetSummary), and the dataset panel's size choice
// into a SizePolicy; also the level arithmetic of SPEC §1.5 for sizes that need crop or pad.

#include "DatasetSummary.h"

#include "mrcae/model/Dataset.h"

#include <QString>

#include <memory>

namespace mrcae::app
{

class DatasetAdapter
{
public:
  /// The summary shares the dataset's arrays (no copy).
  static mrcae::widgets::DatasetSummary summarize(const std::shared_ptr<const mrcae::Dataset>& dataset);
  /// Fills the summary's level counts (as it is, with crop, with pad) from its height and width.
  static void setLevels(mrcae::widgets::DatasetSummary& summary);
  static mrcae::SizePolicy policyFromPanel(const QString& name);
  /// Largest L for which cropping n down to c·2^L − 1 (c >= 2) leaves a grid.
  static int levelsWithCrop(int n);
  /// Largest L for which padding n up to c·2^L − 1 adds at most half of n (and at most 8 levels).
  static int levelsWithPad(int n);
};

} // namespace mrcae::app
