#include "GuiProblem.h"

#include <QCoreApplication>

namespace mrcae::app
{

namespace
{
QString tr(const char* text)
{
  return QCoreApplication::translate("GuiProblem", text);
}
} // namespace

GuiProblemText describe(GuiProblem problem, bool modelKept)
{
  switch (problem)
  {
  case GuiProblem::OpenDataset:
    return {tr("Cannot open the dataset"), tr("Open an HDF5 file of our layout (/fields/<name> as T×H×W) or a .npy "
                                              "array of shape T×H×W, or generate toy data from the File menu.")};
  case GuiProblem::ReadDataset:
    return {tr("Cannot open the dataset"), tr("Check that the file is complete and readable, then try again.")};
  case GuiProblem::OnDemandRead:
    return {tr("Cannot read the dataset"), tr("Open the file again (File → Open Recent) to see its new contents.")};
  case GuiProblem::StartupDataset:
    return {tr("Cannot open the dataset used last time"),
            tr("The sample toy1 is shown instead. Open the file again (File → Open Dataset) once it is repaired.")};
  case GuiProblem::NoSample: return {tr("No sample dataset"), tr("Open a dataset or generate one from the File menu.")};
  case GuiProblem::GenerateToy:
    return {tr("Cannot generate the toy dataset"), tr("Try fewer snapshots, or open a dataset from the File menu.")};
  case GuiProblem::ImportFile:
    return {tr("Cannot import the file"), tr("Choose a NetCDF or HDF5 file with a variable of (time, y, x).")};
  case GuiProblem::ImportFailed:
    return {tr("Cannot import the file"),
            tr("Change the variable, time axis, indices or size in the import dialog and try again.")};
  case GuiProblem::OpenModelBusy:
    return {tr("Cannot open the model now"), tr("Stop it or wait for it to finish, then open the model.")};
  case GuiProblem::OpenModel:
    return {tr("Cannot open the model"), tr("Choose a .mrcae.h5 file written by MrCAE Studio or mrcae.")};
  case GuiProblem::ModelFile:
    return {tr("The model file could not be used"),
            tr("Open another model file, or save into a folder you can write to; a model opens with the dataset it "
               "was trained on.")};
  case GuiProblem::TrainSettings:
    return {tr("Cannot train with these settings"), tr("Correct the setting named above in the Training panel.")};
  case GuiProblem::TrainRefused:
    return {tr("Cannot train"), tr("Change the setting or the data named above, then press Train again.")};
  case GuiProblem::DatasetFit:
    return {tr("The dataset does not fit the levels"), tr("Choose crop or pad under Dataset, or fewer levels.")};
  case GuiProblem::CudaMissing:
    return {tr("CUDA is not available"), tr("Choose the cpu or auto device to skip this message, or run MrCAE "
                                            "Studio on a GPU machine with a CUDA build of LibTorch.")};
  case GuiProblem::TrainingFailed:
    return {tr("Training failed"),
            modelKept ? tr("The stages finished so far are kept: save the model (File → Save Model), then try fewer "
                           "threads or the CPU device.")
                      : tr("Try again with the CPU device or fewer threads; if it happens again, report it with the "
                           "settings you used.")};
  case GuiProblem::Diverged:
    return {tr("Training diverged"), tr("Lower the learning rate or the init std, then press Train; or save the "
                                        "model as it is (File → Save Model).")};
  case GuiProblem::Device:
    return {tr("The training device failed"),
            tr("Everything trained so far is kept: save it (File → Save Model). Resume retries that stage as it "
               "was; Train starts again with the panel's settings (a smaller batch, fewer snapshots or the CPU "
               "device).")};
  case GuiProblem::DeviceFallback:
    return {tr("The GPU ran out of memory"), tr("Nothing to do: training continues on the CPU (slower). For the next "
                                                "run choose a smaller batch or fewer snapshots to stay on the GPU.")};
  case GuiProblem::Processes:
    return {tr("A training process failed"),
            tr("Correct what the process said, if it says what, and press Train again; with Processes at 1 the "
               "window trains alone.")};
  case GuiProblem::Snapshot:
    return {tr("Cannot show the reconstructions"),
            tr("The model and the dataset may not belong together: open the dataset the model was trained on.")};
  case GuiProblem::NothingToSave: return {tr("Nothing to save"), tr("Train a model (or stop the running one) first.")};
  case GuiProblem::BenchmarkSettings:
    return {tr("Cannot run the benchmark with these settings"),
            tr("Correct the setting named above in the Training panel.")};
  case GuiProblem::BenchmarkInput:
    return {tr("The benchmark cannot go on"), tr("Change the setting or the data named above, then press Run again.")};
  case GuiProblem::BenchmarkFailed:
    return {tr("The benchmark cannot go on"),
            tr("The methods finished so far are kept: export them, then try fewer threads or the CPU device.")};
  case GuiProblem::ApplyModel:
    return {tr("Cannot apply the model to the dataset"),
            tr("Choose a dataset on the model's grid (crop or pad under Dataset as when it was trained), with its "
               "land mask and values of the same kind.")};
  case GuiProblem::ApplyModelBusy:
    return {tr("Cannot apply the model now"), tr("Wait for it to finish, or stop it, then apply the model.")};
  case GuiProblem::NothingToExport:
    return {tr("Nothing to export"), tr("Train a model or open one (File → Open Model), then export.")};
  case GuiProblem::ExportBusy: return {tr("Not now"), tr("Stop the run or wait for it to finish, then export.")};
  case GuiProblem::NoViewToExport:
    return {tr("No view to export"),
            tr("Show the Levels or Refinement maps tab, or use Export Figure / Export Curves.")};
  case GuiProblem::ExportFailed:
    return {tr("Export failed"), tr("Choose another file name or a folder you can write to.")};
  }
  return {tr("Something went wrong"), QString()};
}

GuiProblem problemOf(Failure failure)
{
  switch (failure)
  {
  case Failure::Settings: return GuiProblem::TrainRefused;
  case Failure::Training: return GuiProblem::TrainingFailed;
  case Failure::ModelFile: return GuiProblem::ModelFile;
  case Failure::Snapshot: return GuiProblem::Snapshot;
  case Failure::Device: return GuiProblem::Device;
  case Failure::DeviceFallback: return GuiProblem::DeviceFallback;
  case Failure::Processes: return GuiProblem::Processes;
  }
  return GuiProblem::TrainingFailed;
}

} // namespace mrcae::app
