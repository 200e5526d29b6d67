// JSON and numbers as text mean the same in every locale (issue 12): strict RFC 8259 parsing that names the
// position, doubles that read back bit for bit, the presets under a German locale, checked reads of members.
#include "mrcae/model/InputError.h"
#include "mrcae/model/Json.h"
#include "mrcae/model/NumberText.h"
#include "mrcae/model/TrainingConfig.h"

#include "LocaleScope.h"

#include <QtTest>

#include <cstring>
#include <limits>

using namespace mrcae;

namespace
{

bool sameBits(double a, double b)
{
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

std::string errorOf(const std::string& text)
{
  try
  {
    parseJson(text, "test.json");
  }
  catch (const InputError& e)
  {
    return e.what();
  }
  return "(accepted)";
}

} // namespace

class TestJson : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void strictParsingNamesThePosition_data()
  {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where"); // counted by hand: the first byte that cannot be JSON
    QTest::newRow("NaN") << "[NaN]"
                         << "line 1, column 2 (byte 1)";
    QTest::newRow("Infinity") << "[Infinity]"
                              << "line 1, column 2 (byte 1)";
    QTest::newRow("-Infinity") << "[-Infinity]"
                               << "line 1, column 3 (byte 2)";
    QTest::newRow("inf") << "[inf]"
                         << "line 1, column 2 (byte 1)";
    QTest::newRow("nan") << "[nan]"
                         << "line 1, column 3 (byte 2)"; // 'n' may still start null
    QTest::newRow("hex") << "[0x10]"
                         << "line 1, column 3 (byte 2)";
    QTest::newRow("leading +") << "[+1]"
                               << "line 1, column 2 (byte 1)";
    QTest::newRow("leading zero") << "[01]"
                                  << "line 1, column 3 (byte 2)";
    QTest::newRow(".5") << "[.5]"
                        << "line 1, column 2 (byte 1)";
    QTest::newRow("5.") << "[5.]"
                        << "line 1, column 4 (byte 3)";
    QTest::newRow("trailing comma in a list") << "[1,]"
                                              << "line 1, column 4 (byte 3)";
    QTest::newRow("trailing comma in an object") << "{\"a\":1,}"
                                                 << "line 1, column 8 (byte 7)";
    QTest::newRow("comment") << "[1] // one"
                             << "line 1, column 5 (byte 4)";
    QTest::newRow("decimal comma") << "{\"lr\": 0,001}"
                                   << "line 1, column 10 (byte 9)"; // 0 is a value, then a key must follow
    QTest::newRow("second line") << "{\n  \"lr\": 01\n}"
                                 << "line 2, column 10 (byte 11)";
    QTest::newRow("empty") << ""
                           << "line 1, column 1 (byte 0)";
  }

  void strictParsingNamesThePosition()
  {
    QFETCH(QString, text);
    QFETCH(QString, where);
    const std::string message = errorOf(text.toStdString());
    const std::string expected = "test.json: malformed JSON at " + where.toStdString() + ": ";
    QVERIFY2(message.rfind(expected, 0) == 0, message.c_str());
    QVERIFY2(message.size() > expected.size() + 10, message.c_str()); // and says what is wrong
  }

  void strictParsingUnderGermanLocale()
  {
    ENTER_LOCALE_DE(german);
    QVERIFY(errorOf("[0x10]").find("column 3") != std::string::npos);
    QVERIFY(errorOf("{\"lr\": 0,001}").find("column 10") != std::string::npos);
    QCOMPARE(parseJson("[0.001, 1e-3, -2.5E+2]", "test").dump(), std::string("[0.001,0.001,-250.0]"));
  }

  void doublesRoundTripBitForBit_data()
  {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text"); // the shortest decimal that reads back as the same double, by hand
    QTest::newRow("0.1") << 0.1 << "0.1";
    QTest::newRow("0.001") << 0.001 << "0.001";
    QTest::newRow("1/3") << 1.0 / 3.0 << "0.3333333333333333";
    QTest::newRow("0.1+0.2") << 0.1 + 0.2 << "0.30000000000000004";
    QTest::newRow("1e-300") << 1e-300 << "1e-300";
    QTest::newRow("smallest subnormal") << 5e-324 << "5e-324";
    QTest::newRow("smallest normal") << 2.2250738585072014e-308 << "2.2250738585072014e-308";
    QTest::newRow("largest") << 1.7976931348623157e308 << "1.7976931348623157e+308";
    QTest::newRow("-0") << -0.0 << "-0.0";
    QTest::newRow("whole") << 100.0 << "100.0";
    QTest::newRow("2^53+2") << 9007199254740994.0 << "9.007199254740994e+15";
  }

  void doublesRoundTripBitForBit()
  {
    QFETCH(double, value);
    QFETCH(QString, text);
    for (const char* locale : {"C", "de_DE.UTF-8"})
    {
      testing::LocaleScope scope(locale);
      QVERIFY2(scope.active(), locale);
      const std::string dumped = Json(value).dump();
      QCOMPARE(QString::fromStdString(dumped), text);
      const double back = parseJson(dumped, "test").get<double>();
      QVERIFY2(sameBits(back, value), dumped.c_str());
      // The helper for CSV and other text files: the same shortest text, without JSON's ".0".
      const std::string shortest = number::shortest(value);
      const std::optional<double> parsed = number::parse(shortest);
      QVERIFY2(parsed && sameBits(*parsed, value), shortest.c_str());
    }
  }

  void configRoundTripsBitForBitUnderGermanLocale()
  {
    ENTER_LOCALE_DE(german);
    TrainingConfig c = TrainingConfig::preset("toy1");
    c.lr = 1.0 / 3.0;
    c.w = 0.1;
    c.tols = {5e-324, 1e-300, 0.001};
    c.initStd = 1.7976931348623157e308;
    c.seed = std::numeric_limits<std::uint64_t>::max(); // as a double it would lose its last bits
    const std::string text = c.toJson().dump();
    for (const char* part : {"\"lr\":0.3333333333333333,", "\"tols\":[5e-324,1e-300,0.001]", "\"w\":0.1,"})
    {
      QVERIFY2(text.find(part) != std::string::npos, text.c_str());
    }
    const TrainingConfig back = TrainingConfig::fromJson(parseJson(text, "test"));
    QVERIFY(sameBits(back.lr, c.lr));
    QVERIFY(sameBits(back.w, c.w));
    QVERIFY(sameBits(back.initStd, c.initStd));
    QCOMPARE(back.tols.size(), size_t(3));
    for (size_t i = 0; i < 3; ++i)
    {
      QVERIFY(sameBits(back.tols[i], c.tols[i]));
    }
    QCOMPARE(back.seed, c.seed);
  }

  void everyPresetLoadsUnderGermanLocale()
  {
    ENTER_LOCALE_DE(german);
    const std::vector<std::string> names = TrainingConfig::presetNames();
    QCOMPARE(names.size(), size_t(10));
    for (const auto& name : names)
    {
      try
      {
        TrainingConfig::preset(name).validate();
      }
      catch (const std::exception& e)
      {
        QFAIL(qPrintable(QString::fromStdString(name + ": " + e.what())));
      }
    }
    // SPEC.md §5: toy1's tolerances and the learning rate of every run.
    const TrainingConfig toy1 = TrainingConfig::preset("toy1");
    QVERIFY((toy1.tols == std::vector<double>{1e-3, 5e-4, 1e-4}));
    QCOMPARE(toy1.lr, 1e-3);
  }

  void numberTextIgnoresTheLocale()
  {
    ENTER_LOCALE_DE(german);
    QCOMPARE(number::shortest(0.001), std::string("0.001"));
    QCOMPARE(number::shortest(1e21), std::string("1e+21"));
    QCOMPARE(number::shortest(std::numeric_limits<double>::quiet_NaN()), std::string("nan"));
    QCOMPARE(number::shortest(-std::numeric_limits<double>::infinity()), std::string("-inf"));
    QCOMPARE(number::fixed(0.5, 3), std::string("0.500"));
    QCOMPARE(number::fixed(-1234.5678, 1), std::string("-1234.6"));
    QCOMPARE(number::fixed(1e300, 2).size(), size_t(304)); // 301 digits, the point and 2 decimals
    QCOMPARE(number::general(0.000123456, 3), std::string("0.000123"));
    QCOMPARE(number::general(1234567.0, 3), std::string("1.23e+06"));
    QCOMPARE(number::scientific(1234.5, 2), std::string("1.23e+03"));
  }

  void userNumbersAreReadTheCWay()
  {
    ENTER_LOCALE_DE(german);
    const std::vector<std::pair<const char*, double>> good = {
        {"0.001", 0.001}, {"1e-3", 0.001}, {"-2", -2.0}, {"+2", 2.0}, {".5", 0.5}, {"5.", 5.0}, {"1E3", 1000.0}};
    for (const auto& [text, value] : good)
    {
      const std::optional<double> v = number::parse(text);
      QVERIFY2(v && *v == value, text);
    }
    for (const char* text : {"0,001", "", " 1", "1 ", "1x", "0x10", "nan", "inf", "-inf", "1e400", "+-1", "++1", "-"})
    {
      QVERIFY2(!number::parse(text), text);
    }
    QVERIFY(number::whyNotANumber("0,001").find("'.'") != std::string::npos);
  }

  void membersAreReadChecked()
  {
    const Json j =
        parseJson(R"({"levels": 2.5, "batch": 350.0, "lr": "0.001", "seed": -1, "archs": [[1, 2], [1, 2.5]]})", "test");
    auto message = [&](auto read) -> std::string {
      try
      {
        read();
      }
      catch (const InputError& e)
      {
        return e.what();
      }
      return "(accepted)";
    };
    int levels = 0, batch = 0;
    double lr = 0;
    std::uint64_t seed = 0;
    std::vector<std::vector<int>> archs;
    QCOMPARE(message([&] { readJson(j, "levels", levels); }), std::string("'levels' must be a whole number, not 2.5"));
    readJson(j, "batch", batch); // 350.0 is a whole number
    QCOMPARE(batch, 350);
    QCOMPARE(message([&] { readJson(j, "lr", lr); }), std::string("'lr' must be a number, not \"0.001\""));
    QCOMPARE(message([&] { readJson(j, "seed", seed); }),
             std::string("'seed' must be between 0 and 9223372036854775807, not -1"));
    QCOMPARE(message([&] { readJson(j, "archs", archs); }),
             std::string("'archs[1][1]' must be a whole number, not 2.5"));
    QCOMPARE(message([&] { readJson(j, "steps", levels); }), std::string("'steps' is missing"));
    // A setting of the wrong type in a configuration names the setting.
    QCOMPARE(message([&] { TrainingConfig().apply(parseJson(R"({"w": "half"})", "test")); }),
             std::string("'w' must be a number, not \"half\""));
  }
};

QTEST_GUILESS_MAIN(TestJson)
#include "test_json.moc"
