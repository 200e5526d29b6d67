#pragma once
// The options of `mrcae bench`, shared by its three sections: the CPU speed benchmark (BenchCommands.cpp), the
// GPU one (BenchGpu.cpp) and the one over separate ranks (BenchRanks.cpp).

#include <optional>
#include <string>

namespace mrcae
{
struct StopToken;
}

namespace mrcae::cli
{

/// Both sections of `mrcae bench`: the CPU speed benchmark and, with --gpu, the GPU one. Options of one section
/// are refused in the other, so each is kept as given (or not).
struct BenchArgs
{
  std::optional<std::string> threads, steps, snapshots, device, cases, stepsScale, ranks;
  std::optional<int> seed;
  bool json = false, quiet = false, gpu = false, quick = false, noProbe = false;
};

/// `mrcae bench --gpu`: CUDA training of toy1 and the channel-flow-sized case (docs/cuda.md).
int benchGpu(const BenchArgs& o, StopToken& stop);
/// `mrcae bench --ranks 1,2`: toy1 trained by separate `mrcae train` processes (docs/distributed.md).
int benchRanks(const BenchArgs& o, StopToken& stop);

} // namespace mrcae::cli
