#pragma once
// Bad input from the user (a file, a setting, a size), as a value: what went wrong (Problem), which setting or
// file, the numbers, and a sentence that names settings by value (SettingText). Each front end phrases it its
// own way: the CLI with its options and exit code 2 (app/cli/ErrorText.h), the application with its controls in
// a dialog (app/gui/ErrorText.h). what() is the sentence with the settings' plain names, for logs and for
// errors that reach neither. Anything else is an internal error.

#include "mrcae/model/Names.h"
#include "mrcae/model/SettingText.h"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace mrcae
{

/// What went wrong. The numbers an error carries (InputError::number) are listed with each problem.
enum class Problem
{
  Other,           ///< no code of its own: the sentence says it
  OutOfRange,      ///< setting(): "value" outside ["min", "max"] (either may be absent)
  WrongCount,      ///< setting(): a list with "count" entries where "expected" (one per level) are needed
  NotIncreasing,   ///< setting() archs: the widths of "level" do not increase
  UnknownChoice,   ///< setting(): subject() is not one of its choices
  Conflict,        ///< setting() and another one that excludes it were both given
  NeedsTolerances, ///< a benchmark starts from MrCAE (PR), which needs setting() tols
  SizeDoesNotFit,  ///< a field of "height" x "width" does not fit "levels" levels: crop or pad (setting())
  FileNotFound,    ///< subject(): the path
  NotAModelFile,   ///< subject(): a file that is not a MrCAE model
  BadFile,         ///< subject(): a file that cannot be read as what it should be (damaged, foreign, truncated)
  BadData,         ///< the data cannot be trained on (NaN, constant, too few snapshots, ...)
  MemoryRefused    ///< "needed_bytes" > "budget_bytes"; "batch_fits", "snapshots_fits", "crop_height",
                   ///< "crop_width" where such a change would fit
};

class InputError : public std::runtime_error
{
public:
  /// A sentence that names no setting.
  explicit InputError(const std::string& message) : InputError(Problem::Other, SettingText(message)) {}
  InputError(Problem problem, SettingText message, std::optional<Setting> setting = std::nullopt,
             std::string subject = std::string(), std::map<std::string, double> numbers = {})
    : std::runtime_error(message.str()), problem_(problem), message_(std::move(message)), setting_(setting),
      subject_(std::move(subject)), numbers_(std::move(numbers))
  {
  }

  /// `path` does not exist.
  static InputError fileNotFound(const std::string& path)
  {
    return InputError(Problem::FileNotFound, SettingText(path + ": file not found"), std::nullopt, path);
  }

  Problem problem() const { return problem_; }
  /// The setting that is wrong, or that would fix it.
  std::optional<Setting> setting() const { return setting_; }
  /// The file, field or text the error is about ("" when none).
  const std::string& subject() const { return subject_; }
  /// A number the problem carries (see Problem), or nothing.
  std::optional<double> number(const std::string& name) const
  {
    const auto it = numbers_.find(name);
    return it == numbers_.end() ? std::nullopt : std::optional<double>(it->second);
  }
  const std::map<std::string, double>& numbers() const { return numbers_; }
  const SettingText& message() const { return message_; }
  /// The sentence with every setting named by `name` (a front end's options or controls).
  std::string phrased(const SettingText::Namer& name) const { return message_.str(name); }

private:
  Problem problem_;
  SettingText message_;
  std::optional<Setting> setting_;
  std::string subject_;
  std::map<std::string, double> numbers_;
};

} // namespace mrcae
