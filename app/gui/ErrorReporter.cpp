#include "ErrorReporter.h"

#include <QMessageBox>
#include <QWidget>

namespace mrcae::app
{

ErrorReporter::ErrorReporter(QWidget* window) : QObject(window), window_(window) {}

void ErrorReporter::report(const QString& title, const QString& what, const QString& toDo)
{
  const QString text = toDo.isEmpty() ? what : what + "\n\n" + toDo;
  // The same error while its dialog is still open is not shown twice.
  if (dialog_ && dialog_->isVisible() && text == lastText_)
  {
    return;
  }
  ++count_;
  lastTitle_ = title;
  lastText_ = text;
  Q_EMIT reported(title, text);
  if (interceptor_)
  {
    interceptor_(title, text);
    return;
  }
  if (dialog_)
  {
    dialog_->close();
  }
  auto* box = new QMessageBox(QMessageBox::Warning, title, what, QMessageBox::Ok, window_);
  box->setObjectName("errorDialog");
  box->setInformativeText(toDo);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setWindowModality(Qt::WindowModal);
  dialog_ = box;
  box->open(); // not exec(): no nested event loop, training signals keep arriving
}

} // namespace mrcae::app
