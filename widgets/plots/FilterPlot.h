#pragma once
// What each filter does, for one level: per group, every encoder kernel L{k}_Conv_{g} (3×3, with its value in each
// cell and its bias), every decoder kernel L{k}_deConv_{g} (and the decoder's one bias), and the code (hidden map)
// each channel produces for the current snapshot, masked as the forward pass uses it. Kernels use the diverging
// map on a range symmetric around zero, shared by the encoders (and by the decoders) of the level, so that
// strengths compare across groups. Painted with QPainter: the Filters tab and vector exports.

#include "mrcae/model/TrainingTypes.h"

#include <QRect>
#include <QSize>

#include <vector>

class QPainter;

namespace mrcae::widgets
{

class FilterPlot
{
public:
  /// `weights` and `codes` as Trainer::weights() and Trainer::codes({snapshot}) give them (every level).
  void setData(std::vector<mrcae::GroupWeights> weights, std::vector<mrcae::GroupCodes> codes, int snapshot);
  void setLevel(int level) { level_ = level; }
  int level() const { return level_; }
  /// Levels that have groups.
  int levelCount() const;
  int snapshot() const { return snapshot_; }
  /// Groups shown for the current level.
  int groupCount() const;
  /// The largest |weight| of the level's encoders (and decoders): the ends of their colour ranges.
  double encoderRange() const;
  double decoderRange() const;

  /// The size at which everything is readable for the current level (width grows with the channels).
  QSize naturalSize() const;
  void paint(QPainter& painter, const QRect& target) const;

private:
  std::vector<const mrcae::GroupWeights*> levelWeights() const;
  const mrcae::GroupCodes* codesOf(int level, int group) const;

  std::vector<mrcae::GroupWeights> weights_;
  std::vector<mrcae::GroupCodes> codes_;
  int snapshot_ = -1;
  int level_ = 0;
};

} // namespace mrcae::widgets
