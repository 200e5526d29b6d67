#pragma once
// What Train hands to the training thread (issue 15): the settings, the data (loaded, or a file read in batches
// as training goes when it is too large to load) and how many processes train it together.

#include "mrcae/model/Dataset.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/TrainingConfig.h"

#include <memory>
#include <string>

namespace mrcae::app
{

struct TrainingRequest
{
  mrcae::TrainingConfig config;
  /// Loaded data, fitted to the levels (what this process trains on); null when streamed.
  std::shared_ptr<const mrcae::Dataset> data;
  /// The dataset before fitting, and how it was fitted: what the other processes are given to fit themselves.
  std::shared_ptr<const mrcae::Dataset> source;
  mrcae::SizePolicy policy = mrcae::SizePolicy::Strict;
  /// A file of our HDF5 layout read in batches (StreamedDataset) instead of `data`; "" for loaded data.
  std::string streamPath;
  mrcae::ReadOptions readOptions;
  /// Processes that train together on this machine: this one is rank 0 and shows the run, the others run the
  /// command-line tool (`rankProgram`) with the same data and settings.
  int processes = 1;
  std::string rankProgram;
  double rankTimeoutSeconds = 60;
  /// Over several processes, going on with a saved run instead of training anew: the model file every process
  /// opens, and the steps granted to its last stage (More Steps; 0 for Resume).
  std::string resumeModel;
  int moreSteps = 0;

  bool streamed() const { return !streamPath.empty(); }
};

} // namespace mrcae::app
