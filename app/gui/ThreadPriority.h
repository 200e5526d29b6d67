#pragma once
// Training and benchmarks are batch jobs: they run niced so the window keeps its share of the CPU.

namespace mrcae::app
{

/// Lowers the calling thread's scheduling priority (nice 19) once; LibTorch's intra-op threads spawned from it
/// inherit it. Does nothing where the platform has no per-thread nice.
void lowerCurrentThreadPriority();

} // namespace mrcae::app
