#pragma once
// Shared by the core tests: readable QCOMPARE output for engine enums, and a check that bad input is refused
// with a one-line InputError naming the problem.

#include "engine/InputError.h"
#include "engine/TrainingTypes.h"

#include <QtTest>

#include <fstream>
#include <string>

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

/// Writes a .npy file by hand: version 1.0 header with `descr` and `shape` (e.g. "(5, 3, 3)"), then `payload`.
/// For dtypes and contents our own writer never produces.
inline void writeRawNpy(const std::string& path, const std::string& descr, const std::string& shape,
                        const std::string& payload)
{
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const char len[2] = {static_cast<char>(header.size() & 0xFF), static_cast<char>(header.size() >> 8)};
  out.write(len, 2);
  out << header << payload;
}

} // namespace testing
