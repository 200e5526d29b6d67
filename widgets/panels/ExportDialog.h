#pragma once
// Asks how to export a figure: the size (a scale of the figure's natural size, or exact pixels), a curves panel
// under the multi-panel figure, and for animations which snapshots (from, to, every k-th). The file name and its
// format (.png, .svg, .pdf) are asked afterwards with a file dialog.

#include <QDialog>
#include <QSize>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QRadioButton;
class QSpinBox;

namespace mrcae::widgets
{

class ExportDialog : public QDialog
{
  Q_OBJECT

public:
  enum class Kind
  {
    Figure,   ///< the paper-style multi-panel figure of the current snapshot
    Curves,   ///< the error curves
    View,     ///< the view on screen, rendered again at the chosen size
    Animation ///< the multi-panel figure of a range of snapshots, as a PNG series
  };

  struct Choice
  {
    QSize size; ///< pixels; empty = natural size × scale
    double scale = 1.0;
    bool withCurves = true;
    int first = 0; ///< animation: snapshots first..last, every `every`
    int last = 0;
    int every = 1;
  };

  /// `natural`: the figure's size at scale 1; `snapshots`: how many the dataset has (animations).
  ExportDialog(Kind kind, const QSize& natural, int snapshots, QWidget* parent = nullptr);

  Choice choice() const;
  /// The pixel size the choice gives.
  QSize pixelSize() const;

private:
  void updateSummary();

  Kind kind_;
  QSize natural_;
  QRadioButton* byScale_ = nullptr;
  QDoubleSpinBox* scale_ = nullptr;
  QSpinBox* width_ = nullptr;
  QSpinBox* height_ = nullptr;
  QCheckBox* curves_ = nullptr;
  QSpinBox* first_ = nullptr;
  QSpinBox* last_ = nullptr;
  QSpinBox* every_ = nullptr;
  QLabel* summary_ = nullptr;
};

} // namespace mrcae::widgets
