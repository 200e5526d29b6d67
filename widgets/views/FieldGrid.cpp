#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkInteractorStyleImage.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>

#include "FieldGrid.h"
#include "OffscreenRenderer.h"

#include <QContextMenuEvent>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QTimer>

namespace mrcae::widgets
{

FieldGrid::FieldGrid(QWidget* parent) : VtkOpenGLWidget(parent)
{
  // No default renderer: the style zooms whichever cell is under the mouse (titles and bars are not interactive).
  auto style = vtkSmartPointer<vtkInteractorStyleImage>::New();
  style->SetInteractionModeToImage2D();
  interactor()->SetInteractorStyle(style);
  setForwardRightButton(false);
  renderWindow()->SetNumberOfLayers(2);
}

FieldGrid::~FieldGrid()
{
  for (auto& s : scenes_)
  {
    s->removeFrom(renderWindow());
  }
}

void FieldGrid::setGrid(int rows, int columns)
{
  rows = std::max(0, rows);
  columns = std::max(0, columns);
  if (rows == rows_ && columns == columns_)
  {
    return;
  }
  std::vector<std::unique_ptr<FieldScene>> next(static_cast<size_t>(rows) * columns);
  for (int r = 0; r < rows; ++r)
  {
    for (int c = 0; c < columns; ++c)
    {
      auto& slot = next[static_cast<size_t>(r) * columns + c];
      if (r < rows_ && c < columns_)
      {
        slot = std::move(scenes_[static_cast<size_t>(r) * columns_ + c]);
      }
      else
      {
        slot = std::make_unique<FieldScene>();
        slot->setTextVisible(textVisible_);
        setUpCell(r, c, *slot);
        slot->addTo(renderWindow());
      }
    }
  }
  for (auto& old : scenes_)
  {
    if (old)
    {
      old->removeFrom(renderWindow());
    }
  }
  scenes_ = std::move(next);
  rows_ = rows;
  columns_ = columns;
  layoutCells();
  scheduleRender();
}

FieldScene& FieldGrid::cell(int row, int column)
{
  return *scenes_.at(static_cast<size_t>(row) * columns_ + column);
}

const FieldScene& FieldGrid::cell(int row, int column) const
{
  return *scenes_.at(static_cast<size_t>(row) * columns_ + column);
}

void FieldGrid::setUpCell(int, int, FieldScene&) {}

void FieldGrid::layoutCells()
{
  for (int r = 0; r < rows_; ++r)
  {
    for (int c = 0; c < columns_; ++c)
    {
      cell(r, c).setViewport(double(c) / columns_, 1.0 - double(r + 1) / rows_, double(c + 1) / columns_,
                             1.0 - double(r) / rows_);
    }
  }
}

void FieldGrid::setTextVisible(bool visible)
{
  textVisible_ = visible;
  for (auto& s : scenes_)
  {
    s->setTextVisible(visible);
  }
  scheduleRender();
}

void FieldGrid::resetViews()
{
  for (auto& s : scenes_)
  {
    s->fitCamera(true);
  }
  scheduleRender();
}

void FieldGrid::prepareRender()
{
  const bool more = applyNextUpdate();
  for (auto& s : scenes_)
  {
    s->fitCamera();
  }
  if (more)
  {
    // The next row in a later frame, after the event loop has had its turn.
    QTimer::singleShot(0, this, [this] { scheduleRender(); });
  }
}

void FieldGrid::applyPendingUpdates()
{
  while (applyNextUpdate())
  {
  }
  scheduleRender();
}

QImage FieldGrid::renderImage(const QSize& size, double textScale)
{
  while (applyNextUpdate())
  {
  }
  // OffscreenRenderer multiplies size and DPI by its scale: ask for size / scale pixels at that scale.
  const double scale = std::max(0.1, textScale);
  OffscreenRenderer offscreen(
      QSize(static_cast<int>(size.width() / scale + 0.5), static_cast<int>(size.height() / scale + 0.5)), scale);
  offscreen.renderWindow()->SetNumberOfLayers(2);
  for (auto& s : scenes_)
  {
    s->removeFrom(renderWindow());
    s->addTo(offscreen.renderWindow());
  }
  QImage image = offscreen.render([this] {
    for (auto& s : scenes_)
    {
      s->fitCamera(true);
    }
  });
  for (auto& s : scenes_)
  {
    s->removeFrom(offscreen.renderWindow());
    s->addTo(renderWindow());
  }
  resetViews(); // fitted to the widget again
  return image.size() == size ? image : image.scaled(size);
}

void FieldGrid::contextMenuEvent(QContextMenuEvent* event)
{
  // The picture under the mouse gets its own range and colour map; the choice sticks across updates.
  const double dpr = devicePixelRatioF();
  const int x = static_cast<int>(event->pos().x() * dpr);
  const int y = static_cast<int>((height() - event->pos().y()) * dpr);
  FieldScene* scene = nullptr;
  for (auto& s : scenes_)
  {
    if (s->contains(x, y))
    {
      scene = s.get();
    }
  }
  QMenu menu(this);
  if (scene && scene->hasField())
  {
    auto setMode = [this, scene](RangeMode mode) {
      scene->setRangeMode(mode);
      scene->setUserChoice(true);
      scheduleRender();
    };
    menu.addAction(tr("Auto range"), this, [setMode] { setMode(RangeMode::Auto); });
    menu.addAction(tr("Symmetric range"), this, [setMode] { setMode(RangeMode::Symmetric); });
    menu.addAction(tr("Set range…"), this, [this, scene] {
      bool ok = false;
      const auto r = scene->range();
      const QString text =
          QInputDialog::getText(this, tr("Colour range"), tr("Minimum and maximum:"), QLineEdit::Normal,
                                QString("%1 %2").arg(r.first, 0, 'g', 6).arg(r.second, 0, 'g', 6), &ok);
      const QStringList parts = text.split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts);
      if (ok && parts.size() == 2)
      {
        scene->setFixedRange(parts[0].toDouble(), parts[1].toDouble());
        scene->setUserChoice(true);
        scheduleRender();
      }
    });
    QMenu* maps = menu.addMenu(tr("Colour map"));
    for (const QString& name : Colormaps::names())
    {
      maps->addAction(name, this, [this, scene, name] {
        scene->setColormap(Colormaps::fromName(name));
        scene->setUserChoice(true);
        scheduleRender();
      });
    }
    menu.addSeparator();
  }
  menu.addAction(tr("Reset views"), this, &FieldGrid::resetViews);
  menu.exec(event->globalPos());
}

} // namespace mrcae::widgets
