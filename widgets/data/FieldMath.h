#pragma once
// Small array helpers the views need before or besides the engine's snapshots: one frame of a stack, the input
// restricted to a level (SPEC §1.3: coarse[i,j] = fine[2i+1, 2j+1]), differences, dilation and map overlays.

#include "mrcae/model/Field.h"

namespace mrcae::widgets
{

class FieldMath
{
public:
  /// Frame `index` of a stack as a map (empty when out of range).
  static mrcae::Map2D frame(const mrcae::Field& field, int index);
  /// Subsamples `times` times: the input of level L−1−times, as the engine builds it.
  static mrcae::Map2D restrict(const mrcae::Map2D& fine, int times);
  /// `fine` restricted as often as it takes to be h×w (a native land mask brought to a level); empty when no
  /// number of restrictions gives that size, or `fine` is empty.
  static mrcae::Map2D restrictTo(const mrcae::Map2D& fine, int h, int w);
  /// a − b (empty when the sizes differ).
  static mrcae::Map2D difference(const mrcae::Map2D& a, const mrcae::Map2D& b);
  /// Binary 3×3 dilation of (map > 0.5), clipped at the border (the engine's mask rule, SPEC §3).
  static mrcae::Map2D dilate(const mrcae::Map2D& map);
  /// Overlay of a resolved map: 2 = unresolved (R = 0), 1 = only in the dilated footprint `nextMask`, 0 = else.
  /// Without `nextMask`, the footprint is the dilation of the unresolved set.
  static mrcae::Map2D refinementOverlay(const mrcae::Map2D& resolved, const mrcae::Map2D* nextMask = nullptr);
  /// The cells of level k's grid (2M+1 on a side) that the code pixels set in `mask` (M on a side) write to
  /// through the stride-2 3×3 decoder: code pixel (a, b) covers rows 2a..2a+2 and columns 2b..2b+2 (SPEC §3).
  static mrcae::Map2D footprint(const mrcae::Map2D& mask);
  /// Number of cells with value > 0.5.
  static int countSet(const mrcae::Map2D& map);
  /// Number of unresolved cells (R < 0.5).
  static int countUnresolved(const mrcae::Map2D& resolved);
  /// Fields more than twice as wide as tall (a wake, a channel) show their panels one per line, not side by side.
  static bool stacksPanels(int h, int w) { return w > 2 * h; }
};

} // namespace mrcae::widgets
