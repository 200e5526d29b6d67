#pragma once
// The content hash of a dataset (FNV-1a 64 over its dimensions and float values), written once: the full load
// (Dataset::contentHash), the on-demand reader's scan and the streamed dataset mix the same bytes in the same
// order, so a streamed or browsed file is recognised as the one a model was trained on.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace mrcae
{

class ContentHash
{
public:
  void mix(const void* bytes, std::size_t count)
  {
    const auto* b = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < count; ++i)
    {
      h_ = (h_ ^ b[i]) * 1099511628211ULL;
    }
  }
  /// 16 lower-case hex digits.
  std::string hex() const
  {
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

private:
  std::uint64_t h_ = 1469598103934665603ULL;
};

} // namespace mrcae
