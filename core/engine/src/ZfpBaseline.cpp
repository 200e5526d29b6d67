#include "mrcae/engine/ZfpBaseline.h"

#include "PixelErrorSum.h"
#include "mrcae/model/InputError.h"

#ifdef MRCAE_WITH_ZFP
#include <zfp.h>
#endif

#include <torch/torch.h>

#include <cmath>
#include <memory>

namespace mrcae
{

std::string toString(ZfpMode mode)
{
  return mode == ZfpMode::FixedAccuracy ? "fixed-accuracy" : "fixed-rate";
}

#ifdef MRCAE_WITH_ZFP

namespace
{

struct StreamDeleter
{
  void operator()(zfp_stream* s) const { zfp_stream_close(s); }
};
struct FieldDeleter
{
  void operator()(zfp_field* f) const { zfp_field_free(f); }
};
struct BitsDeleter
{
  void operator()(bitstream* b) const { stream_close(b); }
};

/// A stream set to `mode`; returns the parameter ZFP really uses.
std::unique_ptr<zfp_stream, StreamDeleter> openStream(ZfpMode mode, double parameter, double* actual = nullptr)
{
  std::unique_ptr<zfp_stream, StreamDeleter> s(zfp_stream_open(nullptr));
  const double used = mode == ZfpMode::FixedAccuracy
                          ? zfp_stream_set_accuracy(s.get(), parameter)
                          : zfp_stream_set_rate(s.get(), parameter, zfp_type_float, 2, zfp_false);
  if (actual)
  {
    *actual = used;
  }
  return s;
}

} // namespace

bool ZfpCompressor::available()
{
  return true;
}

ZfpCompressor::ZfpCompressor(ZfpMode mode, double parameter) : mode_(mode), parameter_(parameter)
{
  if (!(parameter > 0) || !std::isfinite(parameter))
  {
    throw InputError("ZFP " + toString(mode) + " needs a positive " +
                     (mode == ZfpMode::FixedAccuracy ? "tolerance" : "rate"));
  }
}

std::vector<unsigned char> ZfpCompressor::compress(const float* field, int h, int w) const
{
  auto stream = openStream(mode_, parameter_);
  // ZFP's x is the fastest-varying axis: our columns.
  std::unique_ptr<zfp_field, FieldDeleter> f(
      zfp_field_2d(const_cast<float*>(field), zfp_type_float, static_cast<size_t>(w), static_cast<size_t>(h)));
  std::vector<unsigned char> buffer(zfp_stream_maximum_size(stream.get(), f.get()));
  std::unique_ptr<bitstream, BitsDeleter> bits(stream_open(buffer.data(), buffer.size()));
  zfp_stream_set_bit_stream(stream.get(), bits.get());
  zfp_stream_rewind(stream.get());
  const size_t size = zfp_compress(stream.get(), f.get());
  if (size == 0)
  {
    throw InputError("ZFP could not compress a " + std::to_string(h) + "x" + std::to_string(w) + " field");
  }
  buffer.resize(size);
  return buffer;
}

void ZfpCompressor::decompress(const std::vector<unsigned char>& bytes, int h, int w, float* out) const
{
  auto stream = openStream(mode_, parameter_);
  std::unique_ptr<zfp_field, FieldDeleter> f(
      zfp_field_2d(out, zfp_type_float, static_cast<size_t>(w), static_cast<size_t>(h)));
  std::vector<unsigned char> copy = bytes; // ZFP's bit stream reads whole 64-bit words: pad the last one
  copy.resize((copy.size() + 7) / 8 * 8 + 8, 0);
  std::unique_ptr<bitstream, BitsDeleter> bits(stream_open(copy.data(), copy.size()));
  zfp_stream_set_bit_stream(stream.get(), bits.get());
  zfp_stream_rewind(stream.get());
  if (zfp_decompress(stream.get(), f.get()) == 0)
  {
    throw InputError("ZFP could not decompress a " + std::to_string(h) + "x" + std::to_string(w) + " field");
  }
}

double ZfpCompressor::actualParameter() const
{
  double actual = 0;
  openStream(mode_, parameter_, &actual);
  return actual;
}

long long ZfpCompressor::headerBytes(int h, int w, ZfpMode mode, double parameter)
{
  auto stream = openStream(mode, parameter);
  std::unique_ptr<zfp_field, FieldDeleter> f(
      zfp_field_2d(nullptr, zfp_type_float, static_cast<size_t>(w), static_cast<size_t>(h)));
  std::vector<unsigned char> buffer(1024);
  std::unique_ptr<bitstream, BitsDeleter> bits(stream_open(buffer.data(), buffer.size()));
  zfp_stream_set_bit_stream(stream.get(), bits.get());
  zfp_stream_rewind(stream.get());
  const size_t headerBits = zfp_write_header(stream.get(), f.get(), ZFP_HEADER_FULL);
  return static_cast<long long>((headerBits + 7) / 8);
}

#else // no libzfp

namespace
{

[[noreturn]] void unavailable()
{
  throw InputError(Problem::Other,
                   SettingText() << "this build has no ZFP (libzfp-dev was not found when it was configured): install "
                                    "it and configure again, or leave zfp out of the "
                                 << Setting::Methods,
                   Setting::Methods);
}

} // namespace

bool ZfpCompressor::available()
{
  return false;
}

ZfpCompressor::ZfpCompressor(ZfpMode mode, double parameter) : mode_(mode), parameter_(parameter)
{
  unavailable();
}

std::vector<unsigned char> ZfpCompressor::compress(const float*, int, int) const
{
  unavailable();
}

void ZfpCompressor::decompress(const std::vector<unsigned char>&, int, int, float*) const
{
  unavailable();
}

double ZfpCompressor::actualParameter() const
{
  unavailable();
}

long long ZfpCompressor::headerBytes(int, int, ZfpMode, double)
{
  unavailable();
}

#endif

namespace
{

/// Mean compressed bytes per snapshot of one setting.
double meanBytes(SnapshotSource& source, const std::vector<int>& snapshots, const ZfpCompressor& zfp)
{
  std::vector<float> frame(source.frameSize());
  double total = 0;
  for (int t : snapshots)
  {
    source.read(t, frame.data());
    total += static_cast<double>(zfp.compress(frame.data(), source.height(), source.width()).size());
  }
  return total / static_cast<double>(snapshots.size());
}

} // namespace

ZfpResult evaluateZfp(SnapshotSource& source, const std::vector<int>& snapshots, ZfpMode mode, double parameter,
                      double w, LandMaskMode maskMode)
{
  if (snapshots.empty())
  {
    throw InputError("ZFP: no snapshots to compress");
  }
  const ZfpCompressor zfp(mode, parameter);
  const int h = source.height(), wd = source.width();
  ZfpResult r;
  r.mode = mode;
  r.parameter = zfp.actualParameter();
  r.onceBytes = ZfpCompressor::headerBytes(h, wd, mode, parameter);
  PixelErrorSum sum;
  std::vector<float> frame(source.frameSize()), back(source.frameSize());
  double bytes = 0;
  torch::NoGradGuard noGrad;
  for (int t : snapshots)
  {
    source.read(t, frame.data());
    const std::vector<unsigned char> packed = zfp.compress(frame.data(), h, wd);
    bytes += static_cast<double>(packed.size());
    zfp.decompress(packed, h, wd, back.data());
    sum.add(torch::from_blob(back.data(), {1, 1, h, wd}, torch::kFloat32),
            torch::from_blob(frame.data(), {1, 1, h, wd}, torch::kFloat32));
  }
  r.bytesPerSnapshot = bytes / static_cast<double>(snapshots.size());
  r.errors = sum.nativeErrors(w, source.valid(), maskMode);
  return r;
}

double zfpParameterForBytes(SnapshotSource& source, const std::vector<int>& snapshots, ZfpMode mode, double targetBytes)
{
  if (snapshots.empty())
  {
    throw InputError("ZFP: no snapshots to compress");
  }
  // Both searches run over integers: bits per 4x4 block (rate = bits/16), or the exponent of the tolerance.
  // The size falls as the rate falls and as the tolerance grows.
  auto parameterOf = [mode](int i) { return mode == ZfpMode::FixedRate ? i / 16.0 : std::ldexp(1.0, i); };
  auto fits = [&](int i) { return meanBytes(source, snapshots, ZfpCompressor(mode, parameterOf(i))) <= targetBytes; };
  if (mode == ZfpMode::FixedRate)
  {
    int lo = 9, hi = 16 * 32; // ZFP's least for floats, and 32 bits per value (lossless size)
    if (!fits(lo))
    {
      return 0.0;
    }
    while (lo < hi)
    {
      const int mid = (lo + hi + 1) / 2;
      if (fits(mid))
      {
        lo = mid;
      }
      else
      {
        hi = mid - 1;
      }
    }
    return parameterOf(lo);
  }
  int lo = -60, hi = 4; // tolerances from 2^-60 (lossless for values in [0,1]) to 16 (nothing kept)
  if (!fits(hi))
  {
    return 0.0;
  }
  if (fits(lo))
  {
    return parameterOf(lo);
  }
  while (hi - lo > 1)
  {
    const int mid = (lo + hi) / 2;
    if (fits(mid))
    {
      hi = mid;
    }
    else
    {
      lo = mid;
    }
  }
  return parameterOf(hi);
}

} // namespace mrcae
