#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkInteractorStyleImage.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>

#include "FieldView.h"

#include <QActionGroup>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QMenu>

namespace mrcae::widgets
{

FieldView::FieldView(QWidget* parent) : VtkOpenGLWidget(parent), scene_(std::make_unique<FieldScene>())
{
  scene_->addTo(renderWindow());
  // Zoom with the wheel, pan with the middle button (or shift + left drag); the range comes from the menu.
  auto style = vtkSmartPointer<vtkInteractorStyleImage>::New();
  style->SetInteractionModeToImage2D();
  style->SetDefaultRenderer(scene_->imageRenderer());
  interactor()->SetInteractorStyle(style);
  setForwardRightButton(false); // right click opens the range / colour map menu
  setContextMenuPolicy(Qt::DefaultContextMenu);
}

FieldView::~FieldView() = default;

void FieldView::showFrame(const mrcae::Field& field, int index, const mrcae::Map2D* valid, double scale, double offset)
{
  if (index < 0 || index >= field.t || field.h <= 0 || field.w <= 0)
  {
    scene_->clearField();
  }
  else
  {
    const bool useMask = valid && valid->h == field.h && valid->w == field.w;
    scene_->setField(field.frame(index), field.h, field.w, useMask ? valid->data.data() : nullptr, scale, offset);
  }
  scheduleRender();
}

void FieldView::showMap(const mrcae::Map2D& map, const mrcae::Map2D* valid)
{
  const bool useMask = valid && valid->h == map.h && valid->w == map.w;
  scene_->setField(map.data.data(), map.h, map.w, useMask ? valid->data.data() : nullptr);
  scheduleRender();
}

void FieldView::setTitle(const QString& title)
{
  scene_->setTitle(title);
  scheduleRender();
}

void FieldView::setColormap(ColormapKind kind)
{
  scene_->setColormap(kind);
  scheduleRender();
}

void FieldView::setRangeMode(RangeMode mode)
{
  scene_->setRangeMode(mode);
  Q_EMIT rangeChanged(scene_->range().first, scene_->range().second);
  scheduleRender();
}

void FieldView::setFixedRange(double minimum, double maximum)
{
  scene_->setFixedRange(minimum, maximum);
  Q_EMIT rangeChanged(scene_->range().first, scene_->range().second);
  scheduleRender();
}

void FieldView::resetView()
{
  scene_->fitCamera(true);
  scheduleRender();
}

void FieldView::prepareRender()
{
  scene_->fitCamera();
}

void FieldView::editRange()
{
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Colour range"));
  auto* form = new QFormLayout(&dialog);
  auto makeBox = [&](double value) {
    auto* box = new QDoubleSpinBox(&dialog);
    box->setDecimals(6);
    box->setRange(-1e12, 1e12);
    box->setValue(value);
    return box;
  };
  QDoubleSpinBox* lo = makeBox(scene_->range().first);
  QDoubleSpinBox* hi = makeBox(scene_->range().second);
  form->addRow(tr("Minimum"), lo);
  form->addRow(tr("Maximum"), hi);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() == QDialog::Accepted)
  {
    setFixedRange(lo->value(), hi->value());
  }
}

void FieldView::contextMenuEvent(QContextMenuEvent* event)
{
  QMenu menu(this);
  auto* modes = new QActionGroup(&menu);
  auto addMode = [&](const QString& text, RangeMode mode) {
    QAction* a = menu.addAction(text, this, [this, mode] { setRangeMode(mode); });
    a->setCheckable(true);
    a->setChecked(scene_->rangeMode() == mode);
    modes->addAction(a);
  };
  addMode(tr("Auto range"), RangeMode::Auto);
  addMode(tr("Symmetric range"), RangeMode::Symmetric);
  menu.addAction(tr("Set range…"), this, &FieldView::editRange);
  QMenu* maps = menu.addMenu(tr("Colour map"));
  for (const QString& name : Colormaps::names())
  {
    QAction* a = maps->addAction(name, this, [this, name] { setColormap(Colormaps::fromName(name)); });
    a->setCheckable(true);
    a->setChecked(Colormaps::name(scene_->colormap()) == name);
  }
  menu.addSeparator();
  menu.addAction(tr("Reset view"), this, &FieldView::resetView);
  menu.exec(event->globalPos());
}

} // namespace mrcae::widgets
