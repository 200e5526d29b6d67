#include "mrcae/engine/ModelCodec.h"

#include "CodeCount.h"
#include "DeviceSupport.h"
#include "Losses.h"
#include "ModelFile.h"
#include "MrcaeModel.h"
#include "Operators.h"
#include "PixelErrorSum.h"
#include "SnapshotFields.h"
#include "StrideTwoConv.h"
#include "mrcae/model/InputError.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace F = torch::nn::functional;
using torch::indexing::Slice;

namespace mrcae
{

namespace
{

/// Snapshots per forward pass: bounds the memory of large selections; results do not depend on it (every
/// operator works snapshot by snapshot).
constexpr size_t kChunk = 64;

std::pair<int, int> codeGrid(int nativeH, int nativeW, int levels, int level)
{
  return {(ops::levelSize(nativeH, levels, level) - 1) / 2, (ops::levelSize(nativeW, levels, level) - 1) / 2};
}

void appendValues(std::vector<float>& out, const torch::Tensor& t)
{
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

LevelErrors errorsOf(const LossParts& local, const LossParts& global)
{
  LevelErrors e;
  e.localMse = local.mse.item<double>();
  e.localMax = local.max.item<double>();
  e.local = local.total.item<double>();
  e.globalMse = global.mse.item<double>();
  e.globalMax = global.max.item<double>();
  e.global = global.total.item<double>();
  return e;
}

} // namespace

long long codeValueCount(const MrcaeModelImpl& model, int level, int nativeH, int nativeW)
{
  const auto [h0, w0] = codeGrid(nativeH, nativeW, model.levels(), 0);
  long long n = static_cast<long long>(h0) * w0;
  for (int j = 0; j <= level && j < model.levels(); ++j)
  {
    const auto [h, w] = codeGrid(nativeH, nativeW, model.levels(), j);
    for (int g = 1; g < model.groups(j); ++g)
    {
      long long cells = static_cast<long long>(h) * w;
      if (model.useMaps() && model.groupMask(j, g).defined())
      {
        cells = std::llround(model.groupMask(j, g).sum().item<double>());
      }
      n += cells * model.channels(j, g);
    }
  }
  return n;
}

struct ModelCodec::Impl
{
  ModelSummary summary;
  mutable MrcaeModel model{nullptr}; // forwards run from const members
  torch::Device device{torch::kCPU};
  std::unique_ptr<ops::Prolongation> prolong;
  std::string hash;
  torch::Tensor validNative;             ///< (1,1,H,W), 1 = valid (all ones without a mask)
  std::vector<torch::Tensor> validLevel; ///< [k]

  int levels() const { return summary.config.levels; }
  bool consistentMask() const { return summary.config.landMask == LandMaskMode::Consistent && summary.dataValid.h > 0; }
  torch::Tensor localValid(int k) const { return consistentMask() ? validLevel[k] : torch::Tensor(); }
  torch::Tensor meanMask() const { return consistentMask() ? validNative : torch::Tensor(); }

  void checkData(const Dataset& data, const std::vector<int>& snapshots) const;
  /// Snapshots [begin, end) of `snapshots` at native resolution, (n,1,H,W) on the device, as the trainer holds
  /// them (invalid cells 0 in consistent mode).
  torch::Tensor native(const Dataset& data, const std::vector<int>& snapshots, size_t begin, size_t end) const;
  /// The forward pass of level k split at its codes: the coarse code and each widened group's masked code.
  void encodeLevel(const torch::Tensor& x, int k, torch::Tensor& coarse, std::vector<torch::Tensor>& groups) const;
  /// The forward pass of level k from its codes: `groups[j]` holds level j's widened groups in order.
  torch::Tensor decodeLevel(int k, const torch::Tensor& coarse,
                            const std::vector<std::vector<torch::Tensor>>& groups) const;
  torch::Tensor forward(const torch::Tensor& x, int k) const;
  /// Level j's dilated mask of group g (all ones without maps) and its cells.
  Map2D groupMask(int j, int g) const;
  void computeHash();
};

void ModelCodec::Impl::checkData(const Dataset& data, const std::vector<int>& snapshots) const
{
  if (data.field.h != summary.dataH || data.field.w != summary.dataW)
  {
    throw InputError("the snapshots are " + std::to_string(data.field.h) + "x" + std::to_string(data.field.w) +
                     " but the model's grid is " + std::to_string(summary.dataH) + "x" + std::to_string(summary.dataW) +
                     ": bring the data to the model's form first (crop or pad)");
  }
  for (int i : snapshots)
  {
    if (i < 0 || i >= data.field.t)
    {
      throw InputError("snapshot " + std::to_string(i) + " is out of range (0.." + std::to_string(data.field.t - 1) +
                       ")");
    }
  }
  if (snapshots.empty())
  {
    throw InputError("no snapshots selected");
  }
}

torch::Tensor ModelCodec::Impl::native(const Dataset& data, const std::vector<int>& snapshots, size_t begin,
                                       size_t end) const
{
  const auto& f = data.field;
  torch::Tensor x = torch::empty({static_cast<int64_t>(end - begin), 1, f.h, f.w}, torch::kFloat32);
  float* dst = x.data_ptr<float>();
  for (size_t i = begin; i < end; ++i)
  {
    std::memcpy(dst + (i - begin) * f.frameSize(), f.frame(snapshots[i]), f.frameSize() * sizeof(float));
  }
  x = x.to(device);
  if (consistentMask())
  {
    x.masked_fill_(validNative <= 0.5f, 0.0f);
  }
  return x;
}

void ModelCodec::Impl::encodeLevel(const torch::Tensor& x, int k, torch::Tensor& coarse,
                                   std::vector<torch::Tensor>& groups) const
{
  // The same operations as MrcaeModelImpl::forward up to the codes, so that decoding them gives its output.
  const int g = model->groups(k);
  std::vector<torch::Tensor> encW, encB;
  for (int i = 0; i < g; ++i)
  {
    encW.push_back(model->encoder(k, i)->weight);
    encB.push_back(model->encoder(k, i)->bias);
  }
  torch::Tensor all = g == 1 ? ops::conv3x3s2(x, model->encoder(k, 0)->weight, model->encoder(k, 0)->bias)
                             : ops::conv3x3s2(x, torch::cat(encW, 0), torch::cat(encB, 0));
  torch::Tensor z = g == 1 ? all : all.index({Slice(), Slice(0, 1)});
  if (k > 0)
  {
    encodeLevel(z, k - 1, coarse, groups);
  }
  else
  {
    coarse = z;
  }
  int offset = 1;
  for (int i = 1; i < g; ++i)
  {
    const int c = model->channels(k, i);
    torch::Tensor h = all.index({Slice(), Slice(offset, offset + c)});
    offset += c;
    if (model->activation() == Activation::ReLU)
    {
      h = torch::relu(h);
    }
    if (model->useMaps())
    {
      h = h * model->groupMask(k, i);
    }
    groups.push_back(h);
  }
}

torch::Tensor ModelCodec::Impl::decodeLevel(int k, const torch::Tensor& coarse,
                                            const std::vector<std::vector<torch::Tensor>>& groups) const
{
  // MrcaeModelImpl::forward after the codes: the coarser reconstruction through the deepen decoder, plus the
  // widened groups' decoders with their biases summed in the same order.
  const torch::Tensor z = k > 0 ? decodeLevel(k - 1, coarse, groups) : coarse;
  torch::Tensor padded = F::pad(z, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate));
  torch::Tensor y = ops::transposedConv3x3s2(padded, model->decoder(k, 0)->weight, model->decoder(k, 0)->bias)
                        .index({Slice(), Slice(), Slice(2, -2), Slice(2, -2)});
  const int g = model->groups(k);
  if (g == 1)
  {
    return y;
  }
  torch::Tensor h = groups[k].size() == 1 ? groups[k][0] : torch::cat(groups[k], 1);
  std::vector<torch::Tensor> decW;
  torch::Tensor decBias = model->decoder(k, 1)->bias;
  for (int i = 1; i < g; ++i)
  {
    decW.push_back(model->decoder(k, i)->weight);
    if (i > 1)
    {
      decBias = decBias + model->decoder(k, i)->bias;
    }
  }
  return y + ops::transposedConv3x3s2(h, torch::cat(decW, 0), decBias);
}

torch::Tensor ModelCodec::Impl::forward(const torch::Tensor& x, int k) const
{
  torch::NoGradGuard noGrad;
  return model->forward(x, k);
}

Map2D ModelCodec::Impl::groupMask(int j, int g) const
{
  if (model->useMaps() && model->groupMask(j, g).defined())
  {
    return toMap(model->groupMask(j, g));
  }
  const auto [h, w] = codeGrid(summary.dataH, summary.dataW, levels(), j);
  return Map2D(h, w, 1.0f);
}

void ModelCodec::Impl::computeHash()
{
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i)
    {
      h = (h ^ b[i]) * 1099511628211ULL;
    }
  };
  auto mixTensor = [&](const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    const int64_t n = c.numel();
    mix(&n, sizeof(n));
    mix(c.data_ptr<float>(), static_cast<size_t>(n) * sizeof(float));
  };
  const int flags[3] = {levels(), static_cast<int>(model->activation()), model->useMaps() ? 1 : 0};
  mix(flags, sizeof(flags));
  for (int k = 0; k < levels(); ++k)
  {
    for (int g = 0; g < model->groups(k); ++g)
    {
      mixTensor(model->encoder(k, g)->weight);
      mixTensor(model->encoder(k, g)->bias);
      mixTensor(model->decoder(k, g)->weight);
      mixTensor(model->decoder(k, g)->bias);
      if (model->hasResolvedMap(k, g))
      {
        mixTensor(model->resolvedMap(k, g));
      }
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  hash = buf;
}

// ------------------------------------------------------------------------------------------------------------

ModelCodec::ModelCodec(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModelCodec::~ModelCodec() = default;
ModelCodec::ModelCodec(ModelCodec&&) noexcept = default;
ModelCodec& ModelCodec::operator=(ModelCodec&&) noexcept = default;

ModelCodec ModelCodec::open(const std::string& modelPath, const std::string& device, int threads)
{
  auto impl = std::make_unique<Impl>();
  impl->device = device::choose(device.empty() ? "cpu" : device);
  device::configure(impl->device);
  impl->model = ModelFile::readNetwork(modelPath, impl->device, &impl->summary);
  // LibTorch's thread count is the process's: changed only when asked (the application trains meanwhile).
  if (threads > 0)
  {
    torch::set_num_threads(threads);
  }
  const ModelSummary& s = impl->summary;
  torch::Tensor valid = s.dataValid.h > 0 ? torch::from_blob(const_cast<float*>(s.dataValid.data.data()),
                                                             {1, 1, s.dataH, s.dataW}, torch::kFloat32)
                                                .clone()
                                          : torch::ones({1, 1, s.dataH, s.dataW});
  impl->validNative = valid.to(impl->device);
  for (int k = 0; k < s.config.levels; ++k)
  {
    impl->validLevel.push_back(ops::restrict(impl->validNative, s.config.levels - 1 - k).contiguous());
  }
  impl->prolong = std::make_unique<ops::Prolongation>(impl->device);
  impl->computeHash();
  return ModelCodec(std::move(impl));
}

const ModelSummary& ModelCodec::summary() const
{
  return impl_->summary;
}

const std::string& ModelCodec::modelHash() const
{
  return impl_->hash;
}

int ModelCodec::trainedLevel() const
{
  return impl_->model->topLevel();
}

long long ModelCodec::codeValues(int level) const
{
  return codeValueCount(*impl_->model, level, impl_->summary.dataH, impl_->summary.dataW);
}

long long ModelCodec::modelBytes() const
{
  const Impl& m = *impl_;
  long long maskCells = 0;
  for (int j = 0; j < m.levels(); ++j)
  {
    const auto [h, w] = codeGrid(m.summary.dataH, m.summary.dataW, m.levels(), j);
    maskCells += m.model->useMaps() ? static_cast<long long>(std::max(0, m.model->groups(j) - 1)) * h * w : 0;
  }
  return 4 * m.model->parameterCount() + (maskCells + 7) / 8;
}

EncodedSnapshots ModelCodec::encode(const Dataset& data, const std::vector<int>& snapshots,
                                    const std::vector<int>& levels, const std::string& source) const
{
  const Impl& m = *impl_;
  m.checkData(data, snapshots);
  const int top = m.model->topLevel();
  if (top < 0)
  {
    throw InputError("the model has no trained stage: nothing to encode with");
  }
  std::vector<int> wanted = levels;
  if (wanted.empty())
  {
    for (int k = 0; k <= top; ++k)
    {
      wanted.push_back(k);
    }
  }
  for (int k : wanted)
  {
    if (k < 0 || k > top)
    {
      throw InputError("level " + std::to_string(k) + " is not trained (levels 0.." + std::to_string(top) + ")");
    }
  }
  EncodedSnapshots out;
  out.snapshots = snapshots;
  out.modelHash = m.hash;
  out.modelParams = m.model->parameterCount();
  out.modelLevels = m.levels();
  out.source = source;
  out.fieldName = data.name;
  out.units = data.units;
  out.originalMin = m.summary.dataOriginalMin;
  out.originalMax = m.summary.dataOriginalMax;
  out.height = m.summary.dataH;
  out.width = m.summary.dataW;
  out.cropTop = data.cropTop;
  out.cropLeft = data.cropLeft;
  out.valid = m.summary.dataValid;
  // The layout of every level's codes: the coarse grid and each widened group's mask.
  std::vector<std::vector<torch::Tensor>> cellIndex(wanted.size());
  for (size_t w = 0; w < wanted.size(); ++w)
  {
    LevelCodes lc;
    lc.level = wanted[w];
    std::tie(lc.coarseH, lc.coarseW) = codeGrid(m.summary.dataH, m.summary.dataW, m.levels(), 0);
    for (int j = 0; j <= lc.level; ++j)
    {
      for (int g = 1; g < m.model->groups(j); ++g)
      {
        RefinementCodes r;
        r.level = j;
        r.group = g;
        r.channels = m.model->channels(j, g);
        r.mask = m.groupMask(j, g);
        for (size_t p = 0; p < r.mask.data.size(); ++p)
        {
          if (r.mask.data[p] > 0.5f)
          {
            r.cells.push_back(static_cast<int>(p));
          }
        }
        std::vector<int64_t> cells(r.cells.begin(), r.cells.end());
        cellIndex[w].push_back(torch::tensor(cells, torch::kLong).to(m.device));
        lc.refinements.push_back(std::move(r));
      }
    }
    out.levels.push_back(std::move(lc));
  }
  torch::NoGradGuard noGrad;
  for (size_t begin = 0; begin < snapshots.size(); begin += kChunk)
  {
    const size_t end = std::min(snapshots.size(), begin + kChunk);
    const torch::Tensor x = m.native(data, snapshots, begin, end);
    const int64_t n = static_cast<int64_t>(end - begin);
    for (size_t w = 0; w < wanted.size(); ++w)
    {
      LevelCodes& lc = out.levels[w];
      torch::Tensor coarse;
      std::vector<torch::Tensor> groups;
      m.encodeLevel(ops::restrict(x, m.levels() - 1 - lc.level), lc.level, coarse, groups);
      appendValues(lc.coarse, coarse);
      for (size_t i = 0; i < groups.size(); ++i)
      {
        const torch::Tensor& h = groups[i];
        appendValues(lc.refinements[i].values,
                     h.reshape({n, h.size(1), h.size(2) * h.size(3)}).index_select(2, cellIndex[w][i]));
      }
    }
  }
  return out;
}

std::vector<Field> ModelCodec::decode(const EncodedSnapshots& codes) const
{
  const Impl& m = *impl_;
  if (!codes.modelHash.empty() && codes.modelHash != m.hash)
  {
    throw InputError("the codes were made by another model (model hash " + codes.modelHash + ", this model " + m.hash +
                     "): decode them with the model that encoded them");
  }
  if (codes.height != m.summary.dataH || codes.width != m.summary.dataW || codes.modelLevels != m.levels())
  {
    throw InputError("the codes are of a " + std::to_string(codes.height) + "x" + std::to_string(codes.width) +
                     " grid with " + std::to_string(codes.modelLevels) + " levels but the model's is " +
                     std::to_string(m.summary.dataH) + "x" + std::to_string(m.summary.dataW) + " with " +
                     std::to_string(m.levels()));
  }
  const int64_t n = codes.snapshotCount();
  std::vector<Field> out;
  torch::NoGradGuard noGrad;
  for (const LevelCodes& lc : codes.levels)
  {
    const int k = lc.level;
    if (k < 0 || k > m.model->topLevel())
    {
      throw InputError("the codes hold level " + std::to_string(k) + ", which the model has not trained");
    }
    // The codes must have the model's structure: the same groups with the same channels and masks.
    size_t i = 0;
    for (int j = 0; j <= k; ++j)
    {
      for (int g = 1; g < m.model->groups(j); ++g, ++i)
      {
        if (i >= lc.refinements.size() || lc.refinements[i].level != j || lc.refinements[i].group != g ||
            lc.refinements[i].channels != m.model->channels(j, g) ||
            lc.refinements[i].mask.data != m.groupMask(j, g).data)
        {
          throw InputError("the codes of level " + std::to_string(k) +
                           " do not have the model's groups and masks "
                           "(level " +
                           std::to_string(j) + ", group " + std::to_string(g) +
                           "): decode them with the "
                           "model that encoded them");
        }
      }
    }
    const auto [h0, w0] = codeGrid(m.summary.dataH, m.summary.dataW, m.levels(), 0);
    if (i != lc.refinements.size() || lc.coarseH != h0 || lc.coarseW != w0 ||
        lc.coarse.size() != static_cast<size_t>(n) * h0 * w0)
    {
      throw InputError("the codes of level " + std::to_string(k) + " do not have the model's size");
    }
    const int N = ops::levelSize(m.summary.dataH, m.levels(), k), W = ops::levelSize(m.summary.dataW, m.levels(), k);
    Field field(static_cast<int>(n), N, W);
    for (int64_t begin = 0; begin < n; begin += static_cast<int64_t>(kChunk))
    {
      const int64_t end = std::min<int64_t>(n, begin + static_cast<int64_t>(kChunk)), c = end - begin;
      torch::Tensor coarse =
          torch::from_blob(const_cast<float*>(lc.coarse.data()) + begin * h0 * w0, {c, 1, h0, w0}, torch::kFloat32)
              .clone()
              .to(m.device);
      std::vector<std::vector<torch::Tensor>> groups(m.levels());
      for (const RefinementCodes& r : lc.refinements)
      {
        const int64_t cells = static_cast<int64_t>(r.cells.size()), per = r.channels * cells;
        torch::Tensor values =
            torch::from_blob(const_cast<float*>(r.values.data()) + begin * per, {c, r.channels, cells}, torch::kFloat32)
                .to(m.device);
        std::vector<int64_t> idx(r.cells.begin(), r.cells.end());
        torch::Tensor full =
            torch::zeros({c, r.channels, static_cast<int64_t>(r.mask.h) * r.mask.w}, torch::kFloat32).to(m.device);
        full.index_copy_(2, torch::tensor(idx, torch::kLong).to(m.device), values);
        groups[r.level].push_back(full.view({c, r.channels, r.mask.h, r.mask.w}));
      }
      const torch::Tensor y = m.decodeLevel(k, coarse, groups).to(torch::kCPU).contiguous();
      std::memcpy(field.data.data() + begin * field.frameSize(), y.data_ptr<float>(),
                  static_cast<size_t>(c) * field.frameSize() * sizeof(float));
    }
    out.push_back(std::move(field));
  }
  return out;
}

std::vector<Field> ModelCodec::reconstruct(const Dataset& data, const std::vector<int>& snapshots) const
{
  const Snapshot s = snapshot(data, snapshots);
  return s.reconstructions;
}

Snapshot ModelCodec::snapshot(const Dataset& data, const std::vector<int>& snapshots) const
{
  const Impl& m = *impl_;
  m.checkData(data, snapshots);
  Snapshot s;
  s.snapshotIndices = snapshots;
  const int top = m.model->topLevel();
  s.level = std::max(0, top);
  s.stage = static_cast<int>(m.summary.stages.size()) - 1;
  s.step = m.summary.stages.empty() ? 0 : m.summary.stages.back().steps;
  if (top < 0)
  {
    return s;
  }
  std::vector<std::vector<torch::Tensor>> inputs(top + 1), outputs(top + 1);
  for (size_t begin = 0; begin < snapshots.size(); begin += kChunk)
  {
    const torch::Tensor x = m.native(data, snapshots, begin, std::min(snapshots.size(), begin + kChunk));
    for (int k = 0; k <= top; ++k)
    {
      const torch::Tensor xk = ops::restrict(x, m.levels() - 1 - k);
      inputs[k].push_back(xk);
      outputs[k].push_back(m.forward(xk, k));
    }
  }
  for (int k = 0; k <= top; ++k)
  {
    s.inputs.push_back(toField(torch::cat(inputs[k], 0)));
    s.reconstructions.push_back(toField(torch::cat(outputs[k], 0)));
    appendLevelMaps(m.model, k, s);
  }
  return s;
}

std::vector<SnapshotErrors> ModelCodec::perSnapshotErrors(const Dataset& data, const std::vector<int>& snapshots) const
{
  const Impl& m = *impl_;
  m.checkData(data, snapshots);
  const int top = m.model->topLevel();
  const double w = m.summary.config.w;
  std::vector<SnapshotErrors> out;
  torch::NoGradGuard noGrad;
  for (size_t begin = 0; begin < snapshots.size() && top >= 0; begin += kChunk)
  {
    const size_t end = std::min(snapshots.size(), begin + kChunk);
    const torch::Tensor x = m.native(data, snapshots, begin, end);
    std::vector<torch::Tensor> xs, ys;
    for (int k = 0; k <= top; ++k)
    {
      xs.push_back(ops::restrict(x, m.levels() - 1 - k));
      ys.push_back(m.forward(xs.back(), k));
    }
    for (size_t i = begin; i < end; ++i)
    {
      const int64_t t = static_cast<int64_t>(i - begin);
      for (int k = 0; k <= top; ++k)
      {
        const LossParts local = localLoss(ys[k].slice(0, t, t + 1), xs[k].slice(0, t, t + 1), w, m.localValid(k));
        const LossParts global = globalLoss(ys[k].slice(0, t, t + 1), x.slice(0, t, t + 1), m.levels() - 1 - k,
                                            *m.prolong, w, m.validNative, m.meanMask());
        out.push_back({snapshots[i], k, errorsOf(local, global)});
      }
    }
  }
  return out;
}

LevelErrors ModelCodec::errors(const Dataset& data, const std::vector<int>& snapshots, int level) const
{
  const Impl& m = *impl_;
  m.checkData(data, snapshots);
  if (level < 0 || level > m.model->topLevel())
  {
    throw InputError("level " + std::to_string(level) + " is not trained");
  }
  PixelErrorSum local, global;
  torch::NoGradGuard noGrad;
  for (size_t begin = 0; begin < snapshots.size(); begin += kChunk)
  {
    const torch::Tensor x = m.native(data, snapshots, begin, std::min(snapshots.size(), begin + kChunk));
    const torch::Tensor xk = ops::restrict(x, m.levels() - 1 - level);
    const torch::Tensor y = m.forward(xk, level);
    local.add(y, xk);
    global.add(m.prolong->apply(y, m.levels() - 1 - level), x);
  }
  const double w = m.summary.config.w;
  return errorsOf(local.result(w, m.localValid(level), m.localValid(level)),
                  global.result(w, m.validNative, m.meanMask()));
}

} // namespace mrcae
