#pragma once
// A rows × columns grid of FieldScenes in one VtkOpenGLWidget: one GL context and one render for the whole grid,
// which on software GL costs far less than a widget per picture. Each cell zooms and pans on its own.

#include "FieldScene.h"
#include "VtkOpenGLWidget.h"

#include <QImage>
#include <QSize>

#include <memory>
#include <vector>

namespace mrcae::widgets
{

class FieldGrid : public VtkOpenGLWidget
{
  Q_OBJECT

public:
  explicit FieldGrid(QWidget* parent = nullptr);
  ~FieldGrid() override;

  /// Keeps the scenes that still fit; new cells start empty.
  void setGrid(int rows, int columns);
  int rows() const { return rows_; }
  int columns() const { return columns_; }
  FieldScene& cell(int row, int column);
  const FieldScene& cell(int row, int column) const;
  /// Titles and colour-bar labels of every cell (rendering tests switch them off).
  void setTextVisible(bool visible);
  bool textVisible() const { return textVisible_; }
  void resetViews();
  /// True while some rows still wait for their turn to be drawn (one row is applied per frame).
  bool updatesPending() const { return hasPendingUpdates(); }
  /// Applies every waiting row at once (tests, export).
  void applyPendingUpdates();
  /// The grid rendered offscreen at `size` pixels, text and colour bars scaled by `textScale` (figure export:
  /// notes/qt6-vtk.md, pitfall 7). The scenes move to an offscreen window for the render and come back.
  QImage renderImage(const QSize& size, double textScale);

  QSize sizeHint() const override { return QSize(720, 560); }

protected:
  void prepareRender() override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  /// Called for a new cell so that subclasses can give it their colour map and range mode.
  virtual void setUpCell(int row, int column, FieldScene& scene);
  /// Pushes the next waiting row of data into its scenes; true when more rows wait. On software GL every new
  /// texture in a frame costs a few milliseconds, so a whole grid at once would stall the event loop.
  virtual bool applyNextUpdate() { return false; }
  virtual bool hasPendingUpdates() const { return false; }

private:
  void layoutCells();

  std::vector<std::unique_ptr<FieldScene>> scenes_;
  int rows_ = 0;
  int columns_ = 0;
  bool textVisible_ = true;
};

} // namespace mrcae::widgets
