#pragma once
// Shared by the core tests: readable QCOMPARE output for engine enums, and a check that bad input is refused
// with a one-line InputError naming the problem.

#include "engine/InputError.h"
#include "engine/TrainingTypes.h"

#include <QtTest>

/// QCOMPARE for StopReason, printing the names on failure.
#define COMPARE_REASON(actual, expected)                                                                     \
  QVERIFY2((actual) == (expected), qPrintable(QString("stop reason %1, expected %2")                           \
                                                .arg(QString::fromStdString(mrcae::toString(actual)))         \
                                                .arg(QString::fromStdString(mrcae::toString(expected)))))

namespace testing
{

/// Runs `f`; passes only if it throws an InputError whose single-line message contains `fragment`.
template <typename F>
void expectInputError(F&& f, const QString& fragment)
{
  try
  {
    f();
  }
  catch (const mrcae::InputError& e)
  {
    const QString msg = QString::fromStdString(e.what());
    QVERIFY2(msg.contains(fragment, Qt::CaseInsensitive), qPrintable("message '" + msg + "' lacks '" + fragment + "'"));
    QVERIFY2(!msg.contains('\n'), "the message must be one line");
    return;
  }
  QFAIL(qPrintable("no InputError (expected one mentioning '" + fragment + "')"));
}

} // namespace testing
