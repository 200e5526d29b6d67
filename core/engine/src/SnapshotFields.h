#pragma once
// Tensors as the plain values that leave the engine (Field, Map2D), and one level's refinement maps and masks
// as a Snapshot shows them. The trainer's and the codec's snapshots are built the same way from here.

#include "MrcaeModel.h"
#include "mrcae/model/Field.h"
#include "mrcae/model/TrainingTypes.h"

#include <torch/torch.h>

namespace mrcae
{

/// A tensor [n, 1, H, W] on any device as a host Field (n snapshots of H x W).
Field toField(const torch::Tensor& t);
/// A tensor [..., H, W] on any device as a host Map2D.
Map2D toMap(const torch::Tensor& t);
/// Appends level k's resolved refinement maps and its groups' masks to `s.maps` and `s.masks` (an empty Map2D
/// where a group has none: group 0, a model without maps, a mask not made yet).
void appendLevelMaps(const MrcaeModel& model, int k, Snapshot& s);

} // namespace mrcae
