#include "DeviceSupport.h"

#include "mrcae/model/DeviceError.h"

#include <c10/util/Exception.h>
#include <torch/cuda.h>

// The CUDA-only headers exist in Debian's CPU LibTorch too, but nothing behind them links there: they are used
// only in a build against a CUDA LibTorch (MRCAE_WITH_CUDA, found by CMake) with MRCAE_CUDA_EXTRAS on (the
// default; a switch in case a LibTorch version moves one of these names).
#if defined(MRCAE_WITH_CUDA) && defined(MRCAE_CUDA_EXTRAS) && __has_include(<ATen/cuda/CUDAEvent.h>) && \
  __has_include(<cuda_runtime_api.h>)
#define MRCAE_CUDA_CODE 1
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/Sleep.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <algorithm>
#include <chrono>
#include <new>

namespace mrcae
{

namespace
{

using Clock = std::chrono::steady_clock;

#ifdef MRCAE_CUDA_CODE
c10::DeviceIndex indexOf(const torch::Device& device)
{
  return device.has_index() ? device.index() : c10::cuda::current_device();
}

torch::Device deviceOf(const std::string& name)
{
  return name == "cuda" ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}
#endif

} // namespace

CudaStatus cudaStatus()
{
  CudaStatus s;
  s.built = device::cudaBuild();
  s.available = torch::cuda::is_available();
  s.devices = s.available ? static_cast<int>(torch::cuda::device_count()) : 0;
#ifdef MRCAE_CUDA_CODE
  if (s.available)
  {
    s.name = at::cuda::getCurrentDeviceProperties()->name;
  }
#endif
  if (!s.available)
  {
    s.reason = s.built ? "no CUDA device is visible (no GPU, no driver, or CUDA_VISIBLE_DEVICES hides it)"
                       : "this build's LibTorch is CPU-only (Debian's libtorch-dev has no CUDA)";
  }
  return s;
}

void requireDevice(const std::string& device)
{
  device::choose(device);
}

DeviceMemoryPeak deviceMemoryPeak(const std::string& device)
{
  DeviceMemoryPeak p;
#ifdef MRCAE_CUDA_CODE
  if (device == "cuda" && torch::cuda::is_available())
  {
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(indexOf(deviceOf(device)));
    // Index 0 is StatType::AGGREGATE in every version (the enum moved between namespaces in 2.x).
    p.allocatedBytes = stats.allocated_bytes[0].peak;
    p.reservedBytes = stats.reserved_bytes[0].peak;
  }
#else
  (void)device;
#endif
  return p;
}

void resetDeviceMemoryPeak(const std::string& device)
{
#ifdef MRCAE_CUDA_CODE
  if (device == "cuda" && torch::cuda::is_available())
  {
    c10::cuda::CUDACachingAllocator::resetPeakStats(indexOf(deviceOf(device)));
  }
#else
  (void)device;
#endif
}

} // namespace mrcae

namespace mrcae::device
{

bool cudaBuild()
{
#ifdef MRCAE_WITH_CUDA
  return true;
#else
  return false;
#endif
}

torch::Device choose(const std::string& name)
{
  if (name == "cpu")
  {
    return torch::Device(torch::kCPU);
  }
  const CudaStatus s = cudaStatus();
  if (name == "auto")
  {
    return s.available ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  }
  if (name == "cuda")
  {
    if (!s.available)
    {
      throw DeviceError(DeviceError::Kind::Unavailable, "cuda",
                        SettingText() << "CUDA was asked for but cannot be used: " << s.reason << "; use "
                                      << Setting::Device
                                      << " cpu (or auto), or run on a GPU machine with a build against a CUDA "
                                         "LibTorch (docs/cuda.md)");
    }
    return torch::Device(torch::kCUDA);
  }
  throw InputError(Problem::UnknownChoice,
                   SettingText() << Setting::Device << " must be cpu, cuda or auto (got '" << name << "')",
                   Setting::Device, name);
}

void configure(const torch::Device& device)
{
  if (device.is_cuda())
  {
    at::globalContext().setAllowTF32CuDNN(false);
  }
}

bool isOutOfMemory(const std::exception& e)
{
  if (dynamic_cast<const c10::OutOfMemoryError*>(&e) || dynamic_cast<const std::bad_alloc*>(&e))
  {
    return true;
  }
  if (const auto* err = dynamic_cast<const c10::Error*>(&e))
  {
    const std::string msg = err->what_without_backtrace();
    return msg.find("out of memory") != std::string::npos || msg.find("ALLOC_FAILED") != std::string::npos ||
           msg.find("not enough memory") != std::string::npos;
  }
  return false;
}

std::string firstLine(const std::exception& e)
{
  std::string msg = e.what();
  if (const auto* err = dynamic_cast<const c10::Error*>(&e))
  {
    msg = err->what_without_backtrace();
  }
  const auto nl = msg.find('\n');
  return nl == std::string::npos ? msg : msg.substr(0, nl);
}

void throwOutOfMemory(const std::string& message)
{
  throw c10::OutOfMemoryError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, message);
}

void releaseCachedMemory(const torch::Device& device)
{
#ifdef MRCAE_CUDA_CODE
  if (device.is_cuda())
  {
    c10::cuda::CUDACachingAllocator::emptyCache();
  }
#else
  (void)device;
#endif
}

bool capDeviceMemory(const torch::Device& device, long long moreBytes)
{
#ifdef MRCAE_CUDA_CODE
  if (!device.is_cuda())
  {
    return false;
  }
  const c10::DeviceIndex index = indexOf(device);
  const double total = static_cast<double>(at::cuda::getDeviceProperties(index)->totalGlobalMem);
  if (moreBytes < 0)
  {
    c10::cuda::CUDACachingAllocator::setMemoryFraction(1.0, index);
    return true;
  }
  synchronize(device);
  c10::cuda::CUDACachingAllocator::emptyCache();
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
  const double held = static_cast<double>(stats.reserved_bytes[0].current);
  c10::cuda::CUDACachingAllocator::setMemoryFraction(std::min(1.0, (held + moreBytes) / total), index);
  return true;
#else
  (void)device;
  (void)moreBytes;
  return false;
#endif
}

void synchronize(const torch::Device& device)
{
  if (device.is_cuda())
  {
    torch::cuda::synchronize(device.has_index() ? device.index() : -1);
  }
}

torch::Tensor upload(const torch::Tensor& host, const torch::Device& device)
{
  if (device.is_cuda())
  {
    return host.pin_memory().to(device, /*non_blocking=*/true);
  }
  return host.to(device);
}

struct StepProbe::State
{
#ifdef MRCAE_CUDA_CODE
  // Timing events (flags 0 = cudaEventDefault; CUDAEvent's default disables timing).
  at::cuda::CUDAEvent afterSpin{0}, afterStep{0};
#endif
  torch::Device device{torch::kCPU};
  bool available = false;
  std::int64_t spinCycles = 20'000'000; ///< about 10 ms at 2 GHz; doubled after a probe that was too short
  int misses = 0;
  Clock::time_point start, issued;
};

StepProbe::StepProbe(const torch::Device& device) : s_(std::make_unique<State>())
{
  s_->device = device;
#ifdef MRCAE_CUDA_CODE
  s_->available = device.is_cuda();
#endif
}

StepProbe::~StepProbe() = default;

bool StepProbe::available() const
{
  // After a few misses in a row at the longest spin, the step cannot be queued behind one (the launch queue
  // fills up first): the probe gives up.
  return s_->available && s_->misses < 8;
}

void StepProbe::begin()
{
  s_->start = Clock::now();
#ifdef MRCAE_CUDA_CODE
  synchronize(s_->device);
  at::cuda::sleep(s_->spinCycles);
  s_->afterSpin.record();
#endif
  s_->issued = Clock::now();
}

double StepProbe::end(LevelTiming& timing)
{
#ifdef MRCAE_CUDA_CODE
  const auto issuedAll = Clock::now();
  // Still spinning when the step's last kernel was queued: the step's kernels ran back to back after the spin.
  const bool backlog = !s_->afterSpin.query();
  s_->afterStep.record();
  s_->afterStep.synchronize();
  if (backlog)
  {
    ++timing.probedSteps;
    timing.probeDeviceSeconds += s_->afterSpin.elapsed_time(s_->afterStep) / 1000.0;
    timing.probeIssueSeconds += std::chrono::duration<double>(issuedAll - s_->issued).count();
    s_->misses = 0;
  }
  else
  {
    ++s_->misses;
    s_->spinCycles = std::min<std::int64_t>(s_->spinCycles * 2, 4'000'000'000LL);
  }
#else
  (void)timing;
#endif
  return std::chrono::duration<double>(Clock::now() - s_->start).count();
}

} // namespace mrcae::device

namespace mrcae::seam
{

namespace
{
OutOfMemoryPoint gPoint = OutOfMemoryPoint::None;
int gStage = 0;
int gStep = 0;
} // namespace

void armOutOfMemory(OutOfMemoryPoint point, int stage, int step)
{
  gPoint = point;
  gStage = stage;
  gStep = step;
}

void outOfMemoryAt(OutOfMemoryPoint point, int stage, int step)
{
  if (gPoint != OutOfMemoryPoint::None && point == gPoint && stage == gStage &&
      (point == OutOfMemoryPoint::AfterStage || step == gStep))
  {
    gPoint = OutOfMemoryPoint::None;
    device::throwOutOfMemory("CUDA out of memory. Tried to allocate 2.00 GiB (test seam)");
  }
}

} // namespace mrcae::seam
