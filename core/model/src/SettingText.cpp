#include "mrcae/model/SettingText.h"

#include "mrcae/model/NumberText.h"

#include <set>

namespace mrcae
{

SettingText& SettingText::operator<<(const std::string& text)
{
  if (!text.empty())
  {
    pieces_.push_back({text, std::nullopt, 0});
  }
  return *this;
}

SettingText& SettingText::operator<<(Setting setting)
{
  pieces_.push_back({std::string(), setting, 0});
  return *this;
}

SettingText& SettingText::operator<<(const SettingText& other)
{
  // Optional parts of `other` stay optional, numbered after ours.
  for (Piece p : other.pieces_)
  {
    if (p.optionalPart > 0)
    {
      p.optionalPart += optionalParts_;
    }
    pieces_.push_back(p);
  }
  optionalParts_ += other.optionalParts_;
  return *this;
}

SettingText& SettingText::operator<<(double value)
{
  return *this << number::general(value, 6);
}

SettingText& SettingText::optional(const SettingText& part)
{
  ++optionalParts_;
  for (Piece p : part.pieces_)
  {
    p.optionalPart = optionalParts_;
    pieces_.push_back(p);
  }
  return *this;
}

std::string SettingText::str(const Namer& name) const
{
  std::set<int> dropped;
  for (const Piece& p : pieces_)
  {
    if (p.setting && p.optionalPart > 0 && !name(*p.setting))
    {
      dropped.insert(p.optionalPart);
    }
  }
  std::string out;
  for (const Piece& p : pieces_)
  {
    if (dropped.count(p.optionalPart))
    {
      continue;
    }
    if (p.setting)
    {
      out += name(*p.setting).value_or(displayName(*p.setting));
    }
    else
    {
      out += p.text;
    }
  }
  return out;
}

std::string SettingText::str() const
{
  return str([](Setting s) { return std::optional<std::string>(displayName(s)); });
}

std::vector<Setting> SettingText::settings() const
{
  std::vector<Setting> out;
  for (const Piece& p : pieces_)
  {
    if (p.setting)
    {
      out.push_back(*p.setting);
    }
  }
  return out;
}

} // namespace mrcae
