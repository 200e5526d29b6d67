#include "FilterView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>

namespace mrcae::widgets
{

/// Paints the plot at its natural size; the scroll area does the rest.
class FilterView::Canvas : public QWidget
{
public:
  explicit Canvas(const FilterPlot& plot, QWidget* parent) : QWidget(parent), plot_(plot) {}
  QSize sizeHint() const override { return plot_.naturalSize(); }

protected:
  void paintEvent(QPaintEvent*) override
  {
    QPainter p(this);
    plot_.paint(p, rect());
  }

private:
  const FilterPlot& plot_;
};

FilterView::FilterView(QWidget* parent) : QWidget(parent)
{
  setObjectName("filterView");
  levelBox_ = new QComboBox(this);
  levelBox_->setObjectName("filterLevel");
  levelBox_->setToolTip(tr("The level whose filters are shown"));
  note_ = new QLabel(this);
  note_->setObjectName("filterNote");
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Level"), this));
  top->addWidget(levelBox_);
  top->addWidget(note_, 1);
  canvas_ = new Canvas(plot_, this);
  scroll_ = new QScrollArea(this);
  scroll_->setWidget(canvas_);
  scroll_->setWidgetResizable(false);
  scroll_->setBackgroundRole(QPalette::Base);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(scroll_, 1);
  connect(levelBox_, &QComboBox::currentIndexChanged, this, [this](int level) {
    if (level >= 0)
    {
      plot_.setLevel(level);
      refresh();
    }
  });
  clear();
}

void FilterView::setData(std::vector<mrcae::GroupWeights> weights, std::vector<mrcae::GroupCodes> codes, int snapshot)
{
  plot_.setData(std::move(weights), std::move(codes), snapshot);
  const int keep = levelBox_->currentIndex();
  {
    const QSignalBlocker block(levelBox_);
    levelBox_->clear();
    for (int k = 0; k < plot_.levelCount(); ++k)
    {
      levelBox_->addItem(tr("L%1").arg(k));
    }
    levelBox_->setCurrentIndex(keep >= 0 && keep < plot_.levelCount() ? keep : plot_.levelCount() - 1);
  }
  plot_.setLevel(std::max(0, levelBox_->currentIndex()));
  note_->clear();
  refresh();
}

void FilterView::clear()
{
  setData({}, {}, -1);
  setNote(tr("No trained model yet."));
}

void FilterView::setNote(const QString& note)
{
  note_->setText(note);
}

void FilterView::refresh()
{
  canvas_->resize(plot_.naturalSize());
  canvas_->update();
}

} // namespace mrcae::widgets
