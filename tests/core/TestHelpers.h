#pragma once
// Shared by the core tests: readable QCOMPARE output for engine enums, and a check that bad input is refused
// with a one-line InputError naming the problem.

#include "mrcae/model/InputError.h"
#include "mrcae/model/TrainingTypes.h"

#include <QtTest>

#include <fstream>
#include <string>

/// QCOMPARE for StopReason, printing the names on failure.
#define COMPARE_REASON(actual, expected)                                                                               \
  QVERIFY2((actual) == (expected), qPrintable(QString("stop reason %1, expected %2")                                   \
                                                  .arg(QString::fromStdString(mrcae::toString(actual)))                \
                                                  .arg(QString::fromStdString(mrcae::toString(expected)))))

/// Fails the test with one line naming the file when a fixture of tests/data is missing or not an HDF5 file
/// (never an abort or a skip). Use before opening it.
#define REQUIRE_FIXTURE(path)                                                                                          \
  do                                                                                                                   \
  {                                                                                                                    \
    const std::string fixtureProblem_ = testing::fixtureProblem(path);                                                 \
    QVERIFY2(fixtureProblem_.empty(), fixtureProblem_.c_str());                                                        \
  } while (false)

namespace testing
{

/// tests/data/NAME: the fixtures live in the project (tests/data/README.md says where each came from).
inline std::string fixturePath(const std::string& name)
{
  return std::string(TEST_DATA_DIR) + "/" + name;
}

/// Empty when `path` is a readable HDF5 file; otherwise one line saying what is wrong with it.
inline std::string fixtureProblem(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
  {
    return "missing or unreadable fixture " + path + " (restore it from the repository: git checkout -- tests/data)";
  }
  char signature[8] = {};
  in.read(signature, sizeof(signature));
  if (!in || std::string(signature, sizeof(signature)) != std::string("\x89HDF\r\n\x1a\n", 8))
  {
    return "fixture " + path +
           " is not an HDF5 file (a Git LFS pointer or a damaged copy? restore it: git checkout -- tests/data)";
  }
  return {};
}

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
                        const std::string& payload, bool fortranOrder = false)
{
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const char len[2] = {static_cast<char>(header.size() & 0xFF), static_cast<char>(header.size() >> 8)};
  out.write(len, 2);
  out << header << payload;
}

} // namespace testing
