#pragma once
// Finding the dataset a saved model was trained on and bringing it to the form it was trained in: the first T
// snapshots, cropped or padded to the model's size. Used when a model is opened without naming its data (the
// application, `mrcae resume`), so that a moved or renamed file can still be matched by its content hash.

#include "mrcae/model/Dataset.h"
#include "mrcae/model/ModelSummary.h"

#include <optional>
#include <string>
#include <vector>

namespace mrcae
{

struct ModelDataset
{
  Dataset data;             ///< as the model was trained on it
  std::string path;         ///< the file it was read from (empty for a dataset in memory)
  bool sameContent = false; ///< its content hash is the one the model stored
};

/// Reads `path` as `model`'s dataset: the first T snapshots, and whichever of as-is, crop, reflect pad or periodic
/// pad gives the model's size (the one whose content hash matches when several do). Throws InputError with both
/// shapes when they cannot meet.
ModelDataset loadModelDataset(const ModelSummary& model, const std::string& path);
/// The same for a dataset already in memory (the snapshot count must be the model's); nullopt when it cannot fit.
std::optional<ModelDataset> fitModelDataset(const ModelSummary& model, const Dataset& data);
/// Where the dataset may be: the stored path, then a file of the same name beside the model. Only existing files.
std::vector<std::string> datasetCandidates(const ModelSummary& model, const std::string& modelPath);

} // namespace mrcae
