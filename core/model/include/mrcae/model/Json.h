#pragma once
// A small JSON value with a writer and a strict parser: enough for configs, `--json` output and the model
// file's /config attribute. Written here so that the core needs no JSON package (the GPU build has none).

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mrcae
{

class Json
{
public:
  enum class Type
  {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object
  };

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : type_(Type::Bool), bool_(b) {}
  Json(int v) : type_(Type::Number), number_(v) {}
  Json(long v) : type_(Type::Number), number_(static_cast<double>(v)) {}
  Json(long long v) : type_(Type::Number), number_(static_cast<double>(v)) {}
  Json(unsigned long v) : type_(Type::Number), number_(static_cast<double>(v)) {}
  Json(unsigned long long v) : type_(Type::Number), number_(static_cast<double>(v)) {}
  Json(double v) : type_(Type::Number), number_(v) {}
  Json(const char* s) : type_(Type::String), string_(s) {}
  Json(std::string s) : type_(Type::String), string_(std::move(s)) {}
  template <typename T>
  Json(const std::vector<T>& values) : type_(Type::Array)
  {
    for (const auto& v : values)
    {
      array_.emplace_back(v);
    }
  }

  static Json array()
  {
    Json j;
    j.type_ = Type::Array;
    return j;
  }
  static Json object()
  {
    Json j;
    j.type_ = Type::Object;
    return j;
  }
  /// Parses text; throws InputError with the position on malformed input.
  static Json parse(const std::string& text);

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::Null; }
  bool isNumber() const { return type_ == Type::Number; }
  bool isString() const { return type_ == Type::String; }
  bool isArray() const { return type_ == Type::Array; }
  bool isObject() const { return type_ == Type::Object; }

  double number() const;
  int integer() const;
  bool boolean() const;
  const std::string& string() const;
  const std::vector<Json>& items() const;
  const std::map<std::string, Json>& members() const { return object_; }

  bool contains(const std::string& key) const { return object_.count(key) > 0; }
  /// Member access on objects; throws InputError naming the key when it is missing.
  const Json& at(const std::string& key) const;
  Json& operator[](const std::string& key);
  void push_back(Json value)
  {
    type_ = Type::Array;
    array_.push_back(std::move(value));
  }
  size_t size() const { return type_ == Type::Array ? array_.size() : object_.size(); }

  /// An array of whole numbers, and an array of such arrays (throws InputError otherwise).
  std::vector<int> intVector() const;
  std::vector<std::vector<int>> intMatrix() const;

  /// Compact text (indent < 0) or pretty-printed text.
  std::string dump(int indent = -1) const;

private:
  void write(std::string& out, int indent, int depth) const;

  Type type_ = Type::Null;
  bool bool_ = false;
  double number_ = 0.0;
  std::string string_;
  std::vector<Json> array_;
  std::map<std::string, Json> object_;
};

} // namespace mrcae
