#pragma once
// What the engine needs of its device beyond LibTorch's portable API: out-of-memory errors, uploads that do not
// make the host wait, the caching allocator, timing probes. Every function compiles against every LibTorch;
// the parts that need CUDA headers are compiled only in a CUDA build (MRCAE_WITH_CUDA and MRCAE_CUDA_EXTRAS, set
// by CMake) and answer "nothing" otherwise. Private: LibTorch.

#include "mrcae/engine/Device.h"

#include <torch/torch.h>

#include <exception>
#include <memory>
#include <string>

namespace mrcae::device
{

/// True when this build links a CUDA LibTorch (CMake found one).
bool cudaBuild();

/// The device `name` ("cpu", "cuda", "auto") stands for: "auto" is CUDA when LibTorch sees a device, else the
/// CPU. Throws DeviceError (Kind::Unavailable) when "cuda" is asked for and cannot be used.
torch::Device choose(const std::string& name);

/// Settings a run on `device` needs: on CUDA, cuDNN's TF32 convolutions are switched off (LibTorch allows them by
/// default on Ampere and later; they round the inputs to 10 mantissa bits, and the CPU would no longer agree to
/// float32 rounding). A process-wide LibTorch setting.
void configure(const torch::Device& device);

/// True for the errors LibTorch raises when a device runs out of memory: c10::OutOfMemoryError, a c10::Error
/// whose message says "out of memory" (CUDA's caching allocator), "ALLOC_FAILED" (cuBLAS, cuDNN) or "not
/// enough memory" (the CPU allocator), and std::bad_alloc.
bool isOutOfMemory(const std::exception& e);

/// The first line of an error message, without LibTorch's backtrace.
std::string firstLine(const std::exception& e);

/// Throws the error LibTorch throws when CUDA runs out of memory (for the test seam).
[[noreturn]] void throwOutOfMemory(const std::string& message);

/// Gives the CUDA caching allocator's free blocks back to the driver (after an out-of-memory error).
void releaseCachedMemory(const torch::Device& device);

/// Caps the CUDA caching allocator of `device` at what it holds now plus `moreBytes` (the allocator's memory
/// fraction), so that a test gets a real CUDA out-of-memory error; `moreBytes` < 0 lifts the cap. False when this
/// build cannot (no CUDA code) or `device` is not CUDA.
bool capDeviceMemory(const torch::Device& device, long long moreBytes);

/// Waits for the device's queued work (no-op on the CPU).
void synchronize(const torch::Device& device);

/// `host` (a CPU tensor) on `device`. On CUDA through pinned memory without waiting (the copy is queued on the
/// current stream; the caching host allocator keeps the staging block until the copy is done), so a per-step
/// upload does not drain the queue as a pageable copy does; elsewhere a plain copy.
torch::Tensor upload(const torch::Tensor& host, const torch::Device& device);

/// Measures the device time of single steps without the gaps between kernels (LevelTiming::probe*): begin()
/// waits for the device, queues a spin kernel and starts timing; the caller then issues one step; end() checks
/// that the spin kernel was still running when the last kernel of the step was queued (so the step's kernels
/// ran back to back after it), and times them with CUDA events. A probe whose spin ended too early is not
/// counted, and the next one spins twice as long. available() is false on the CPU and in builds without the
/// CUDA code.
class StepProbe
{
public:
  explicit StepProbe(const torch::Device& device);
  ~StepProbe();
  StepProbe(const StepProbe&) = delete;
  StepProbe& operator=(const StepProbe&) = delete;

  bool available() const;
  void begin();
  /// Adds the probe to `timing` when it was valid; returns the host seconds the probe took in all (spin
  /// included), which the caller leaves out of the loop's time.
  double end(LevelTiming& timing);

private:
  struct State;
  std::unique_ptr<State> s_;
};

} // namespace mrcae::device

namespace mrcae::seam
{

/// Where the out-of-memory test seam throws LibTorch's out-of-memory error (tests on machines without a GPU).
enum class OutOfMemoryPoint
{
  None,
  BeforeStep, ///< at the start of step `step` of stage `stage`, before anything of the step is computed
  InUpdate,   ///< in the parameter update of that step (thrown after it, and handled as if inside it)
  AtCheck,    ///< in the tolerance check after that step (a check step, with tolerances)
  AfterStage  ///< after stage `stage`'s steps, while its record and resolved map are computed
};

/// Makes the next trainer throw once at that point; the seam disarms itself when it fires. Not synchronised:
/// set it while no trainer runs.
void armOutOfMemory(OutOfMemoryPoint point, int stage, int step = 0);

/// Throws when the seam is armed for this point (and disarms it).
void outOfMemoryAt(OutOfMemoryPoint point, int stage, int step = 0);

} // namespace mrcae::seam
