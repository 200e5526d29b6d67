#pragma once
// Small array helpers the views need before or besides the engine's snapshots: one frame of a stack, the input
// restricted to a level (SPEC §1.3: coarse[i,j] = fine[2i+1, 2j+1]), differences, dilation and map overlays.

#include <engine/Field.h>

namespace mrcae::widgets
{

class FieldMath
{
public:
  /// Frame `index` of a stack as a map (empty when out of range).
  static mrcae::Map2D frame(const mrcae::Field& field, int index);
  /// Subsamples `times` times: the input of level L−1−times, as the engine builds it.
  static mrcae::Map2D restrict(const mrcae::Map2D& fine, int times);
  /// a − b (empty when the sizes differ).
  static mrcae::Map2D difference(const mrcae::Map2D& a, const mrcae::Map2D& b);
  /// Binary 3×3 dilation of (map > 0.5), clipped at the border (the engine's mask rule, SPEC §3).
  static mrcae::Map2D dilate(const mrcae::Map2D& map);
  /// Overlay of a resolved map: 2 = unresolved (R = 0), 1 = only in the dilated footprint `nextMask`, 0 = else.
  /// Without `nextMask`, the footprint is the dilation of the unresolved set.
  static mrcae::Map2D refinementOverlay(const mrcae::Map2D& resolved, const mrcae::Map2D* nextMask = nullptr);
  /// Number of cells with value > 0.5.
  static int countSet(const mrcae::Map2D& map);
  /// Number of unresolved cells (R < 0.5).
  static int countUnresolved(const mrcae::Map2D& resolved);
};

} // namespace mrcae::widgets
