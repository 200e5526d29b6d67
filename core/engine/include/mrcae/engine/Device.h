#pragma once
// What the engine knows of its devices, as plain values (no LibTorch here): whether CUDA can be used, the CUDA
// caching allocator's peak memory, and where the step loops spent their time. See docs/cuda.md.

#include <string>
#include <vector>

namespace mrcae
{

struct CudaStatus
{
  bool built = false;     ///< this build links a CUDA LibTorch (MRCAE_WITH_CUDA, found by CMake)
  bool available = false; ///< LibTorch sees at least one CUDA device
  int devices = 0;
  std::string name; ///< the current device's name ("NVIDIA H100 80GB HBM3"), empty when unknown
  /// Why CUDA cannot be used (no advice; the caller says what to do); empty when available.
  std::string reason;
};
CudaStatus cudaStatus();

/// Throws what a trainer would throw for `device` ("cpu", "cuda", "auto"): DeviceError (Kind::Unavailable) when
/// CUDA is asked for and cannot be used, InputError for another name. Lets a command refuse before it reads
/// large data.
void requireDevice(const std::string& device);

/// Peak bytes of the CUDA caching allocator on the current device since the last reset; -1 when unknown (the
/// CPU, a build without CUDA, or MRCAE_CUDA_EXTRAS=OFF).
struct DeviceMemoryPeak
{
  long long allocatedBytes = -1;
  long long reservedBytes = -1;
};
DeviceMemoryPeak deviceMemoryPeak(const std::string& device);
void resetDeviceMemoryPeak(const std::string& device);

/// Time of one level's step loops (Trainer::timing()).
struct LevelTiming
{
  int level = 0;
  long long steps = 0;
  double loopSeconds = 0; ///< wall time of the step loops (from the first step to the last flush)
  /// Of loopSeconds, the time the host thread was blocked on the device: the loss copies (every ~0.2 s with an
  /// observer, at every check step and at the end of a stage) and the tolerance checks.
  double hostWaitSeconds = 0;
  /// Probed steps (Trainer::setDeviceTiming, CUDA only): before each, the host waits for the device and then
  /// queues a spin kernel, so the step's kernels are all queued while the device is busy and then run back to
  /// back. For those steps:
  long long probedSteps = 0;
  double probeDeviceSeconds = 0; ///< device time of the step's kernels without gaps (CUDA events)
  double probeIssueSeconds = 0;  ///< host time to issue the step (the launch-latency bound of the loop)
  double probeWallSeconds = 0;   ///< host time all probes took (waits and spins included), valid or not
};

} // namespace mrcae
