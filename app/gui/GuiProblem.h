#pragma once
// Everything that can go wrong in the window, by kind. Whoever finds a problem names its kind and says what
// happened (usually the core's one-line message, which names the file or setting); RunPresenter::report shows
// it with the title and the advice that describe() gives the kind, so that every dialog is phrased in one place.
// Advice names the window's controls (menus, panels, buttons), never a command-line option.

#include "TrainingMetaTypes.h"

#include <QString>

namespace mrcae::app
{

enum class GuiProblem
{
  // Opening and reading files
  OpenDataset,    ///< the file is not a dataset of a layout we read
  ReadDataset,    ///< reading a dataset file failed (I/O, damaged file)
  OnDemandRead,   ///< a snapshot of a dataset read on demand could not be read (changed or gone)
  StartupDataset, ///< the dataset opened last could not be read at start
  NoSample,       ///< the bundled sample could neither be found nor generated
  GenerateToy,    ///< generating a toy dataset failed
  ImportFile,     ///< a file offered for import has no variable of (time, y, x)
  ImportFailed,   ///< the import itself failed with the chosen settings
  OpenModelBusy,  ///< a model cannot be opened while training, a benchmark or an export runs
  OpenModel,      ///< the file cannot be read as a model
  ModelFile,      ///< a model could not be opened on its data, saved or autosaved
  // Training
  TrainSettings,  ///< Train was pressed with settings the panel refuses
  TrainRefused,   ///< the engine refused the settings or the data before training
  DatasetFit,     ///< the dataset cannot be cropped or padded to the levels asked for
  CudaMissing,    ///< CUDA asked for where there is none: the run trains on the CPU
  TrainingFailed, ///< training stopped with an error mid-way
  Diverged,       ///< a loss became NaN or infinite; the stage's best state was restored
  Device,         ///< the device failed (out of memory on the CPU, or the GPU could not be used)
  DeviceFallback, ///< the GPU ran out of memory and training went on on the CPU
  Processes,      ///< a process of a run over several (Training → Processes) failed or could not join
  Snapshot,       ///< the reconstructions of a snapshot could not be computed
  NothingToSave,  ///< Save Model without a finished or stopped model
  // Benchmark, apply, export
  BenchmarkSettings, ///< Run was pressed with settings the Training panel refuses
  BenchmarkInput,    ///< the benchmark was refused: a setting or the data
  BenchmarkFailed,   ///< the benchmark failed mid-way
  ApplyModel,        ///< the model cannot be applied to the chosen dataset
  ApplyModelBusy,    ///< the model on screen cannot be applied while something runs
  NothingToExport,   ///< no trained model to export
  ExportBusy,        ///< training or another export runs
  NoViewToExport,    ///< the visible tab has no field view
  ExportFailed       ///< a figure, view, table or data file could not be written
};

/// The dialog's title and what the user can do about a problem.
struct GuiProblemText
{
  QString title;
  QString advice;
};

/// How the window phrases `problem`; `modelKept`: a trained model survives it (so saving it is the advice).
GuiProblemText describe(GuiProblem problem, bool modelKept);
/// The kind of a failure the training thread reports.
GuiProblem problemOf(Failure failure);

} // namespace mrcae::app
