#pragma once
// Shared by the locale tests: the C library's locale set for a scope, as QCoreApplication sets the user's (it
// calls setlocale(LC_ALL, "") on Unix), and a check that it really took effect.

#include <QtTest>

#include <clocale>
#include <cstdio>
#include <string>

namespace testing
{

class LocaleScope
{
public:
  explicit LocaleScope(const char* name) : previous_(std::setlocale(LC_ALL, nullptr))
  {
    active_ = std::setlocale(LC_ALL, name) != nullptr;
  }
  ~LocaleScope() { std::setlocale(LC_ALL, previous_.c_str()); }
  LocaleScope(const LocaleScope&) = delete;
  LocaleScope& operator=(const LocaleScope&) = delete;
  bool active() const { return active_; }

private:
  std::string previous_;
  bool active_ = false;
};

/// What printf makes of 0.5 in the current C locale: "0,5" under de_DE.
inline std::string printfHalf()
{
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%.1f", 0.5);
  return buf;
}

} // namespace testing

/// Enters de_DE.UTF-8 for the rest of the scope; fails the test (never skips it) when the locale is not installed,
/// and proves that printf now writes a decimal comma.
#define ENTER_LOCALE_DE(scope)                                                                                         \
  testing::LocaleScope scope("de_DE.UTF-8");                                                                           \
  QVERIFY2(scope.active(), "the de_DE.UTF-8 locale is not installed (Debian: apt-get install locales-all)");           \
  QCOMPARE(testing::printfHalf(), std::string("0,5"))

/// Enters the "C" locale for the rest of the scope.
#define ENTER_LOCALE_C(scope)                                                                                          \
  testing::LocaleScope scope("C");                                                                                     \
  QCOMPARE(testing::printfHalf(), std::string("0.5"))
