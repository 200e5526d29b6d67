#include "mrcae/model/ModelInput.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/NumberText.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mrcae
{

namespace
{

std::string shapeText(int h, int w)
{
  return std::to_string(h) + "x" + std::to_string(w);
}

/// Six significant digits, '.' decimals in every locale (these go into messages and --json notes).
std::string sixDigits(double v)
{
  return number::general(v, 6);
}

} // namespace

Dataset fitToModel(const ModelSummary& model, const Dataset& data, const ModelInputOptions& options,
                   const std::string& what, ModelInputReport* report)
{
  ModelInputReport r;
  const int levels = model.config.levels;
  Dataset out;
  try
  {
    out = data.conformed(levels, options.sizePolicy);
  }
  catch (const InputError& e)
  {
    throw InputError(e.problem(),
                     SettingText() << what << ": " << e.message() << " (the model was trained on "
                                   << shapeText(model.dataH, model.dataW) << ")",
                     e.setting(), e.subject(), e.numbers());
  }
  if (out.field.h != model.dataH || out.field.w != model.dataW)
  {
    const bool resized = out.field.h != data.field.h || out.field.w != data.field.w;
    throw InputError(Problem::SizeDoesNotFit,
                     SettingText() << what << ": the snapshots are " << shapeText(data.field.h, data.field.w)
                                   << (resized ? " (" + shapeText(out.field.h, out.field.w) + " after " +
                                                     toString(options.sizePolicy) + ")"
                                               : std::string())
                                   << " but the model was trained on " << shapeText(model.dataH, model.dataW)
                                   << ": apply it to data of the model's grid (" << Setting::SizePolicy
                                   << " as when it was trained)",
                     Setting::SizePolicy, what, {{"height", double(data.field.h)}, {"width", double(data.field.w)}});
  }
  r.resized = out.field.h != data.field.h || out.field.w != data.field.w;

  // The land mask: a cell the model was trained on must hold data; cells the model left out are left out.
  const size_t frame = out.field.frameSize();
  const bool modelMask = model.dataValid.h > 0;
  for (size_t p = 0; p < frame; ++p)
  {
    const bool validInData = !out.hasMask() || out.valid.data[p] > 0.5f;
    const bool validInModel = !modelMask || model.dataValid.data[p] > 0.5f;
    if (validInModel && !validInData)
    {
      long long count = 0;
      for (size_t q = p; q < frame; ++q)
      {
        count += (!modelMask || model.dataValid.data[q] > 0.5f) && out.valid.data[q] <= 0.5f;
      }
      throw InputError(what + ": " + std::to_string(count) + " cells (the first at row " +
                       std::to_string(p / out.field.w) + ", column " + std::to_string(p % out.field.w) +
                       ") are invalid (land or fill) in the data but the model was trained on them: the land masks "
                       "do not fit; use data with the model's mask");
    }
    r.cellsMaskedByModel += validInData && !validInModel;
  }

  // The model's normalisation: scaled v' = (original − model min) / (model range). The data as read are scaled
  // by their own range: original = data min + v·(data range).
  const double mMin = model.dataOriginalMin, mSpan = model.dataOriginalMax - model.dataOriginalMin;
  const double dMin = out.originalMin, dSpan = out.originalMax - out.originalMin;
  const bool sameScaling = dMin == mMin && out.originalMax == model.dataOriginalMax;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int t = 0; t < out.field.t; ++t)
  {
    float* f = out.field.data.data() + static_cast<size_t>(t) * frame;
    for (size_t p = 0; p < frame; ++p)
    {
      const bool validInModel = !modelMask || model.dataValid.data[p] > 0.5f;
      if (!validInModel)
      {
        f[p] = 0.0f; // as every invalid cell of a dataset (Dataset::fromRaw)
        continue;
      }
      // Unchanged when the data have the model's scaling (its own data): the values stay bit for bit.
      if (!sameScaling)
      {
        f[p] = static_cast<float>((dMin + f[p] * dSpan - mMin) / mSpan);
      }
      lo = std::min(lo, static_cast<double>(f[p]));
      hi = std::max(hi, static_cast<double>(f[p]));
      r.cellsOutside += f[p] < 0.0f || f[p] > 1.0f;
    }
  }
  r.scaledMin = lo;
  r.scaledMax = hi;
  r.dataMin = mMin + lo * mSpan;
  r.dataMax = mMin + hi * mSpan;
  const double tol = options.rangeTolerance;
  if (lo < -tol || hi > 1.0 + tol)
  {
    throw InputError(Problem::BadData,
                     SettingText() << what << ": values from " << sixDigits(r.dataMin) << " to " << sixDigits(r.dataMax)
                                   << " are far outside the range the model was trained on (" << sixDigits(mMin)
                                   << " to " << sixDigits(model.dataOriginalMax)
                                   << "): another variable or other units? (the limit is " << sixDigits(tol)
                                   << " of the model's range beyond it; " << Setting::RangeTolerance << " changes it)",
                     Setting::RangeTolerance, what);
  }
  out.originalMin = model.dataOriginalMin;
  out.originalMax = model.dataOriginalMax;
  out.valid = model.dataValid;
  std::string note;
  auto add = [&note](const std::string& s) { note += (note.empty() ? "" : "; ") + s; };
  if (r.resized)
  {
    add(toString(options.sizePolicy) + " " + shapeText(data.field.h, data.field.w) + " to " +
        shapeText(out.field.h, out.field.w));
  }
  if (r.cellsOutside > 0)
  {
    add(std::to_string(r.cellsOutside) + " values lie outside the model's range (" + sixDigits(r.dataMin) + " to " +
        sixDigits(r.dataMax) + " against " + sixDigits(mMin) + " to " + sixDigits(model.dataOriginalMax) +
        "): the model extrapolates there");
  }
  if (r.cellsMaskedByModel > 0)
  {
    add(std::to_string(r.cellsMaskedByModel) + " cells with data are outside the model's land mask and left out");
  }
  r.note = note;
  if (report)
  {
    *report = r;
  }
  return out;
}

std::vector<std::string> snapshotParts(const ModelSummary& model, const std::string& path, ReadOptions read,
                                       SizePolicy policy, int count)
{
  std::vector<std::string> parts(count, "new");
  if (count < model.dataT)
  {
    return parts;
  }
  // The first T snapshots read on their own, as `train --snapshots T` read them.
  read.maxSnapshots = model.dataT;
  if (readDataset(path, read).conformed(model.config.levels, policy).contentHash() != model.dataHash)
  {
    return parts;
  }
  for (auto [name, idx] : {std::pair<const char*, const std::vector<int>*>{"train", &model.dataSplit.train},
                           {"val", &model.dataSplit.val},
                           {"test", &model.dataSplit.test}})
  {
    for (int i : *idx)
    {
      if (i >= 0 && i < count)
      {
        parts[i] = name;
      }
    }
  }
  return parts;
}

} // namespace mrcae
