#pragma once
// A sentence that names settings by value rather than by any front end's word for them: "{steps} must be at
// least 1". The command line fills in its options (--steps), the application its controls (Steps), and
// InputError::what() the settings' display names (Names.h). Numbers are written without the locale.

#include "mrcae/model/Names.h"

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace mrcae
{

class SettingText
{
public:
  SettingText() = default;
  SettingText(std::string text) { *this << text; }
  SettingText(const char* text) { *this << text; }

  SettingText& operator<<(const std::string& text);
  SettingText& operator<<(const char* text) { return *this << std::string(text); }
  SettingText& operator<<(Setting setting);
  SettingText& operator<<(const SettingText& other);
  /// A real number with 6 significant digits, "0.0005", "1e-07".
  SettingText& operator<<(double value);
  template <
      typename Int,
      std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> && !std::is_same_v<Int, char>, int> = 0>
  SettingText& operator<<(Int value)
  {
    return *this << std::to_string(value);
  }

  /// A part that is left out where a front end has no name for one of its settings (advice about an option
  /// that only the command line has, for instance).
  SettingText& optional(const SettingText& part);

  /// A front end's name for a setting; nothing where it has none.
  using Namer = std::function<std::optional<std::string>(Setting)>;
  std::string str(const Namer& name) const;
  /// With the settings' display names.
  std::string str() const;
  /// The settings named, in order.
  std::vector<Setting> settings() const;

private:
  struct Piece
  {
    std::string text;
    std::optional<Setting> setting;
    int optionalPart = 0; ///< > 0: the pieces of one optional() part
  };
  std::vector<Piece> pieces_;
  int optionalParts_ = 0;
};

} // namespace mrcae
