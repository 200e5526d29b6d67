#pragma once
// Numbers as text in files and machine-readable output (JSON, CSV, HDF5 attributes, VTK files, --json, the
// tables scripts read) and numbers typed by a user on the command line: always '.' as the decimal point and no
// digit grouping, whatever the process locale. The C library follows the locale once setlocale() has been called,
// and QCoreApplication calls setlocale(LC_ALL, "") on Unix, so printf("%f"), strtod, std::stod and
// std::to_string(double) write and read "0,001" under de_DE in the GUI and in the tests. These functions use
// std::to_chars and std::from_chars, which never look at the locale. What a person reads in the GUI may follow
// their locale instead (QLocale).

#include <optional>
#include <string>
#include <string_view>

namespace mrcae::number
{

/// The shortest text that reads back as exactly `v`: "0.1", "1e-300", "5e-324", "0.3333333333333333";
/// "nan", "inf" or "-inf" for those.
std::string shortest(double v);
/// As printf("%.*f", decimals, v) in the "C" locale: fixed(0.5, 3) = "0.500".
std::string fixed(double v, int decimals);
/// As printf("%.*g", significant, v) in the "C" locale: general(0.000123456, 3) = "0.000123".
std::string general(double v, int significant);
/// As printf("%.*e", decimals, v) in the "C" locale: scientific(1234.5, 2) = "1.23e+03".
std::string scientific(double v, int decimals);

/// The whole of `text` as a finite number written the C way: "0.001", "1e-3", "-2", "+2", ".5", "5.". Nothing
/// else: not "0,001", "", " 1", "1x", "0x10", "nan" or "inf" (and not a value out of the range of a double).
std::optional<double> parse(std::string_view text);

/// For messages: why `text` is not a number, in a few words ("use '.' as the decimal point" for "0,001").
std::string whyNotANumber(std::string_view text);

} // namespace mrcae::number
