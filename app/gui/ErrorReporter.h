#pragma once
// Shows an error once, in a dialog that says what happened and what to do, without blocking the event loop
// (training keeps reporting while it is open). Tests install an interceptor instead of the dialog, or find the
// dialog by its object name.

#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QWidget;

namespace mrcae::app
{

class ErrorReporter : public QObject
{
  Q_OBJECT

public:
  explicit ErrorReporter(QWidget* window);

  /// `what` says what happened, `toDo` what the user can do about it.
  void report(const QString& title, const QString& what, const QString& toDo);

  using Interceptor = std::function<void(const QString& title, const QString& text)>;
  /// Replaces the dialog (tests); an empty function restores it.
  void setInterceptor(Interceptor interceptor) { interceptor_ = std::move(interceptor); }

  int count() const { return count_; }
  QString lastTitle() const { return lastTitle_; }
  QString lastText() const { return lastText_; }
  /// The dialog on screen, if any (object name "errorDialog").
  QMessageBox* dialog() const { return dialog_; }

Q_SIGNALS:
  void reported(const QString& title, const QString& text);

private:
  QWidget* window_;
  Interceptor interceptor_;
  QPointer<QMessageBox> dialog_;
  int count_ = 0;
  QString lastTitle_;
  QString lastText_;
};

} // namespace mrcae::app
