#include "mrcae/model/Json.h"

#include "mrcae/model/InputError.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mrcae
{

namespace
{

class Parser
{
public:
  explicit Parser(const std::string& text) : text_(text) {}

  Json parseDocument()
  {
    Json value = parseValue();
    skipSpace();
    if (pos_ != text_.size())
    {
      fail("unexpected text after the value");
    }
    return value;
  }

private:
  [[noreturn]] void fail(const std::string& what) const
  {
    throw InputError("malformed JSON at character " + std::to_string(pos_) + ": " + what);
  }

  void skipSpace()
  {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t' || text_[pos_] == '\r'))
    {
      ++pos_;
    }
  }

  bool consume(const char* word)
  {
    size_t n = std::char_traits<char>::length(word);
    if (text_.compare(pos_, n, word) == 0)
    {
      pos_ += n;
      return true;
    }
    return false;
  }

  Json parseValue()
  {
    skipSpace();
    if (pos_ >= text_.size())
    {
      fail("unexpected end");
    }
    char c = text_[pos_];
    if (c == '{')
    {
      return parseObject();
    }
    if (c == '[')
    {
      return parseArray();
    }
    if (c == '"')
    {
      return Json(parseString());
    }
    if (consume("true"))
    {
      return Json(true);
    }
    if (consume("false"))
    {
      return Json(false);
    }
    if (consume("null"))
    {
      return Json();
    }
    return parseNumber();
  }

  Json parseNumber()
  {
    const char* begin = text_.c_str() + pos_;
    char* end = nullptr;
    double v = std::strtod(begin, &end);
    if (end == begin)
    {
      fail("expected a value");
    }
    pos_ += static_cast<size_t>(end - begin);
    return Json(v);
  }

  std::string parseString()
  {
    ++pos_; // opening quote
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"')
    {
      char c = text_[pos_++];
      if (c != '\\')
      {
        out += c;
        continue;
      }
      if (pos_ >= text_.size())
      {
        fail("unterminated escape");
      }
      char e = text_[pos_++];
      switch (e)
      {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u':
      {
        if (pos_ + 4 > text_.size())
        {
          fail("short \\u escape");
        }
        unsigned code = static_cast<unsigned>(std::stoul(text_.substr(pos_, 4), nullptr, 16));
        pos_ += 4;
        // Encode the code point as UTF-8 (surrogate pairs are not needed for our files).
        if (code < 0x80)
        {
          out += static_cast<char>(code);
        }
        else if (code < 0x800)
        {
          out += static_cast<char>(0xC0 | (code >> 6));
          out += static_cast<char>(0x80 | (code & 0x3F));
        }
        else
        {
          out += static_cast<char>(0xE0 | (code >> 12));
          out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (code & 0x3F));
        }
        break;
      }
      default: out += e; break;
      }
    }
    if (pos_ >= text_.size())
    {
      fail("unterminated string");
    }
    ++pos_; // closing quote
    return out;
  }

  Json parseArray()
  {
    ++pos_;
    Json a = Json::array();
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']')
    {
      ++pos_;
      return a;
    }
    while (true)
    {
      a.push_back(parseValue());
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',')
      {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']')
      {
        ++pos_;
        return a;
      }
      fail("expected ',' or ']'");
    }
  }

  Json parseObject()
  {
    ++pos_;
    Json o = Json::object();
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}')
    {
      ++pos_;
      return o;
    }
    while (true)
    {
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"')
      {
        fail("expected a key");
      }
      std::string key = parseString();
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':')
      {
        fail("expected ':'");
      }
      ++pos_;
      o[key] = parseValue();
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',')
      {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}')
      {
        ++pos_;
        return o;
      }
      fail("expected ',' or '}'");
    }
  }

  const std::string& text_;
  size_t pos_ = 0;
};

void writeString(std::string& out, const std::string& s)
{
  out += '"';
  for (char c : s)
  {
    switch (c)
    {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20)
      {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      }
      else
      {
        out += c;
      }
    }
  }
  out += '"';
}

} // namespace

Json Json::parse(const std::string& text)
{
  return Parser(text).parseDocument();
}

double Json::number() const
{
  if (type_ != Type::Number)
  {
    throw InputError("JSON value is not a number");
  }
  return number_;
}

int Json::integer() const
{
  return static_cast<int>(std::lround(number()));
}

bool Json::boolean() const
{
  if (type_ != Type::Bool)
  {
    throw InputError("JSON value is not true or false");
  }
  return bool_;
}

const std::string& Json::string() const
{
  if (type_ != Type::String)
  {
    throw InputError("JSON value is not a string");
  }
  return string_;
}

const std::vector<Json>& Json::items() const
{
  if (type_ != Type::Array)
  {
    throw InputError("JSON value is not an array");
  }
  return array_;
}

std::vector<int> Json::intVector() const
{
  std::vector<int> out;
  for (const auto& v : items())
  {
    out.push_back(v.integer());
  }
  return out;
}

std::vector<std::vector<int>> Json::intMatrix() const
{
  std::vector<std::vector<int>> out;
  for (const auto& row : items())
  {
    out.push_back(row.intVector());
  }
  return out;
}

const Json& Json::at(const std::string& key) const
{
  auto it = object_.find(key);
  if (type_ != Type::Object || it == object_.end())
  {
    throw InputError("JSON object has no member '" + key + "'");
  }
  return it->second;
}

Json& Json::operator[](const std::string& key)
{
  type_ = Type::Object;
  return object_[key];
}

std::string Json::dump(int indent) const
{
  std::string out;
  write(out, indent, 0);
  return out;
}

void Json::write(std::string& out, int indent, int depth) const
{
  auto newline = [&](int d) {
    if (indent >= 0)
    {
      out += '\n';
      out.append(static_cast<size_t>(indent * d), ' ');
    }
  };
  switch (type_)
  {
  case Type::Null: out += "null"; break;
  case Type::Bool: out += bool_ ? "true" : "false"; break;
  case Type::Number:
  {
    if (!std::isfinite(number_))
    {
      out += "null"; // JSON has no NaN/Inf
      break;
    }
    char buf[32];
    if (number_ == std::floor(number_) && std::fabs(number_) < 1e15)
    {
      std::snprintf(buf, sizeof(buf), "%.0f", number_);
    }
    else
    {
      // Shortest text that reads back to the same double.
      std::snprintf(buf, sizeof(buf), "%.15g", number_);
      if (std::strtod(buf, nullptr) != number_)
      {
        std::snprintf(buf, sizeof(buf), "%.17g", number_);
      }
    }
    out += buf;
    break;
  }
  case Type::String: writeString(out, string_); break;
  case Type::Array:
  {
    out += '[';
    for (size_t i = 0; i < array_.size(); ++i)
    {
      if (i)
      {
        out += ',';
      }
      newline(depth + 1);
      array_[i].write(out, indent, depth + 1);
    }
    if (!array_.empty())
    {
      newline(depth);
    }
    out += ']';
    break;
  }
  case Type::Object:
  {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : object_)
    {
      if (!first)
      {
        out += ',';
      }
      first = false;
      newline(depth + 1);
      writeString(out, key);
      out += indent >= 0 ? ": " : ":";
      value.write(out, indent, depth + 1);
    }
    if (!object_.empty())
    {
      newline(depth);
    }
    out += '}';
    break;
  }
  }
}

} // namespace mrcae
