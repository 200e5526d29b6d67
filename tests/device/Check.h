#pragma once
// A few check macros for the device tests, which build without Qt (the GPU machine has no Qt Test), and the
// helpers both device tests share. A failed check prints where and why, and the test function returns.

#include "mrcae/engine/Trainer.h"
#include "mrcae/model/ToyData.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace check
{

inline int& failures()
{
  static int n = 0;
  return n;
}

inline void fail(const char* file, int line, const std::string& what)
{
  ++failures();
  std::printf("  FAILED %s:%d: %s\n", file, line, what.c_str());
  std::fflush(stdout);
}

/// Runs one test function; returns true when none of its checks failed.
inline bool run(const char* name, const std::function<void()>& test)
{
  const int before = failures();
  std::printf("RUN  %s\n", name);
  std::fflush(stdout);
  try
  {
    test();
  }
  catch (const std::exception& e)
  {
    fail(__FILE__, __LINE__, std::string("unexpected exception: ") + e.what());
  }
  const bool ok = failures() == before;
  std::printf("%s %s\n", ok ? "PASS" : "FAIL", name);
  std::fflush(stdout);
  return ok;
}

} // namespace check

#define VERIFY(cond)                                                                                                   \
  do                                                                                                                   \
  {                                                                                                                    \
    if (!(cond))                                                                                                       \
    {                                                                                                                  \
      check::fail(__FILE__, __LINE__, #cond);                                                                          \
      return;                                                                                                          \
    }                                                                                                                  \
  } while (0)

#define VERIFY_MSG(cond, msg)                                                                                          \
  do                                                                                                                   \
  {                                                                                                                    \
    if (!(cond))                                                                                                       \
    {                                                                                                                  \
      std::ostringstream os_;                                                                                          \
      os_ << #cond << ": " << msg;                                                                                     \
      check::fail(__FILE__, __LINE__, os_.str());                                                                      \
      return;                                                                                                          \
    }                                                                                                                  \
  } while (0)

/// Runs `statement`; passes only if it throws `Type` whose message contains `fragment` and is one line.
#define VERIFY_THROWS(Type, statement, fragment)                                                                       \
  do                                                                                                                   \
  {                                                                                                                    \
    bool thrown_ = false;                                                                                              \
    try                                                                                                                \
    {                                                                                                                  \
      statement;                                                                                                       \
    }                                                                                                                  \
    catch (const Type& e_)                                                                                             \
    {                                                                                                                  \
      thrown_ = true;                                                                                                  \
      const std::string m_ = e_.what();                                                                                \
      VERIFY_MSG(m_.find(fragment) != std::string::npos, "message '" << m_ << "' lacks '" << fragment << "'");         \
      VERIFY_MSG(m_.find('\n') == std::string::npos, "message is not one line: " << m_);                               \
    }                                                                                                                  \
    VERIFY_MSG(thrown_, "no " #Type " from " #statement);                                                              \
  } while (0)

namespace devicetest
{

/// toy1 at 20 snapshots of 31 x 31: three levels of 7, 15 and 31 cells, a stage takes milliseconds.
inline mrcae::Dataset smallData()
{
  return mrcae::generateToy("toy1", 20, 31);
}

/// The toy1 notebook settings at a tiny budget: two groups per level (6 stages), one thread (bit-for-bit CPU
/// results), and tolerances that nothing meets (every stage runs, and no tolerance test decides anything).
inline mrcae::TrainingConfig smallConfig(std::vector<int> steps = {20, 10, 10})
{
  mrcae::TrainingConfig c = mrcae::TrainingConfig::preset("toy1");
  c.archs = {{1, 2}, {1, 2}, {1, 3}};
  c.tols = {1e-12, 1e-12, 1e-12};
  c.steps = std::move(steps);
  c.threads = 1;
  c.seed = 7;
  c.device = "cpu";
  return c;
}

/// Every step record equal, field for field (bit for bit).
inline std::string curvesDiffer(const std::vector<mrcae::StepRecord>& a, const std::vector<mrcae::StepRecord>& b)
{
  if (a.size() != b.size())
  {
    return "curves have " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + " steps";
  }
  for (size_t i = 0; i < a.size(); ++i)
  {
    const auto &x = a[i], &y = b[i];
    if (x.stage != y.stage || x.step != y.step || x.localTrain != y.localTrain || x.localVal != y.localVal ||
        x.globalTrain != y.globalTrain || x.globalVal != y.globalVal)
    {
      std::ostringstream os;
      os.precision(17);
      os << "step record " << i << " differs: stage " << x.stage << "/" << y.stage << " step " << x.step << "/"
         << y.step << " global val " << x.globalVal << " vs " << y.globalVal;
      return os.str();
    }
  }
  return "";
}

/// Every kernel and bias equal (bit for bit).
inline std::string weightsDiffer(const mrcae::Trainer& a, const mrcae::Trainer& b)
{
  const auto wa = a.weights(), wb = b.weights();
  if (wa.size() != wb.size())
  {
    return "the models have " + std::to_string(wa.size()) + " and " + std::to_string(wb.size()) + " groups";
  }
  for (size_t i = 0; i < wa.size(); ++i)
  {
    if (wa[i].encoderWeight != wb[i].encoderWeight || wa[i].encoderBias != wb[i].encoderBias ||
        wa[i].decoderWeight != wb[i].decoderWeight || wa[i].decoderBias != wb[i].decoderBias)
    {
      return "weights of level " + std::to_string(wa[i].level) + " group " + std::to_string(wa[i].group) + " differ";
    }
  }
  return "";
}

/// Stage records equal in what a run decides (steps, stop reason, restored step, errors, maps).
inline std::string stagesDiffer(const std::vector<mrcae::StageRecord>& a, const std::vector<mrcae::StageRecord>& b)
{
  if (a.size() != b.size())
  {
    return "runs have " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + " stages";
  }
  for (size_t i = 0; i < a.size(); ++i)
  {
    if (a[i].steps != b[i].steps || a[i].stopReason != b[i].stopReason || a[i].bestStep != b[i].bestStep ||
        a[i].bestGlobalVal != b[i].bestGlobalVal || a[i].unresolved != b[i].unresolved ||
        a[i].dilated != b[i].dilated || a[i].encodingSize != b[i].encodingSize || a[i].params != b[i].params)
    {
      std::ostringstream os;
      os.precision(17);
      os << "stage " << i << " differs: steps " << a[i].steps << "/" << b[i].steps << ", reason "
         << mrcae::toString(a[i].stopReason) << "/" << mrcae::toString(b[i].stopReason) << ", best step "
         << a[i].bestStep << "/" << b[i].bestStep << ", best global val " << a[i].bestGlobalVal << "/"
         << b[i].bestGlobalVal;
      return os.str();
    }
  }
  return "";
}

/// |a − b| / max(|a|, |b|), 0 for two zeros.
inline double relativeDifference(double a, double b)
{
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0.0 : std::abs(a - b) / scale;
}

} // namespace devicetest
