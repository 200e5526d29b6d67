#include "mrcae/model/SnapshotSource.h"

#include "mrcae/model/InputError.h"

#include <cstring>

namespace mrcae
{

void DatasetSource::read(int t, float* out)
{
  if (t < 0 || t >= data_.field.t)
  {
    throw InputError("snapshot " + std::to_string(t) + " is out of range (0.." + std::to_string(data_.field.t - 1) +
                     ")");
  }
  std::memcpy(out, data_.field.frame(t), data_.field.frameSize() * sizeof(float));
}

FileSource::FileSource(const std::string& path, const std::string& field, double targetMin, double targetMax)
  : reader_(path, field), targetMin_(targetMin), targetSpan_(targetMax - targetMin)
{
  if (!(targetSpan_ > 0))
  {
    throw InputError(path + ": the target range of the scaling is empty");
  }
}

void FileSource::read(int t, float* out)
{
  const Field f = reader_.snapshot(t);
  const bool masked = reader_.hasMask();
  const bool identity =
      reader_.originalMin() == targetMin_ && reader_.originalMax() - reader_.originalMin() == targetSpan_;
  for (size_t p = 0; p < f.data.size(); ++p)
  {
    if (masked && reader_.valid().data[p] <= 0.5f)
    {
      out[p] = 0.0f;
    }
    else
    {
      out[p] = identity ? f.data[p] : static_cast<float>((reader_.toOriginal(f.data[p]) - targetMin_) / targetSpan_);
    }
  }
}

} // namespace mrcae
