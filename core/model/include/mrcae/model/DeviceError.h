#pragma once
// Errors of the training device (CUDA absent, device memory exhausted), for the CLI and the application to say
// what to do and to offer a fallback. No LibTorch here.

#include "mrcae/model/InputError.h"

#include <string>
#include <utility>

namespace mrcae
{

/// A device problem, with a one-line message that says what to do. It is an InputError: the CLI exits with code
/// 2 and prints the message; the application shows it once.
///
/// OutOfMemory comes from Trainer::run when the device ran out of memory during a stage. Everything trained is
/// kept: the earlier stages, and the stage that ran out, whose best state is restored into the model and whose
/// record (the last of stages()) is marked stopped (StopReason::UserStop). The next run() goes on with that
/// stage, on the same device after memory was freed elsewhere, or on the CPU after Trainer::moveTo("cpu"):
/// - exact(): the memory ran out before the step changed anything (forward, losses, backward) or after it was
///   complete (a stopping check, a snapshot, the stage's record); the stage goes on exactly as if it had never
///   been interrupted (the failed step is taken again).
/// - !exact(): it ran out inside the parameter update; the half-updated iterate and Adam's moments are dropped,
///   and the stage goes on from its best state with a fresh Adam for the steps that remain.
class DeviceError : public InputError
{
public:
  enum class Kind
  {
    Unavailable, ///< CUDA was asked for and this build or machine has none
    OutOfMemory  ///< the device ran out of memory while training
  };

  DeviceError(Kind kind, std::string device, const SettingText& message, int stage = -1, int steps = 0,
              bool exact = true)
    : InputError(Problem::Other, message, Setting::Device), kind_(kind), device_(std::move(device)), stage_(stage),
      steps_(steps), exact_(exact)
  {
  }

  Kind kind() const { return kind_; }
  /// "cuda" or "cpu": the device that failed.
  const std::string& device() const { return device_; }
  /// The stage that ran out of memory (-1 for Unavailable).
  int stage() const { return stage_; }
  /// Complete steps that stage had taken (kept in the curves and in the stage state).
  int steps() const { return steps_; }
  bool exact() const { return exact_; }

private:
  Kind kind_;
  std::string device_;
  int stage_;
  int steps_;
  bool exact_;
};

} // namespace mrcae
