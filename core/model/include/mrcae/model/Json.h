#pragma once
// JSON (configs, presets, --json output, the model file's /config, /arch and /history attributes) is
// nlohmann::json: strict RFC 8259 parsing, and number output that ignores the locale and reads back to the same
// double. Its objects keep their keys sorted (std::map), as our files always had: the text of a config does not
// depend on the order in which the code sets its keys (ordered_json would make it so, and gain us nothing).
// What is ours: parsing with an InputError that names the source and the position, and checked reads of object
// members with an InputError that names the key.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mrcae
{

using Json = nlohmann::json;

/// Parses `text` as RFC 8259 JSON: NaN, Infinity, hex, a leading '+' or zero, ".5", trailing commas and comments
/// are refused with an InputError "SOURCE: malformed JSON at line L, column C (byte B): WHAT".
Json parseJson(std::string_view text, const std::string& source);

/// Reads member `key` of `object` into `out`. An InputError names the key when the member is missing or of
/// another type; whole numbers must be whole (2.5 is no level count) and fit `out`.
void readJson(const Json& object, const std::string& key, double& out);
void readJson(const Json& object, const std::string& key, int& out);
void readJson(const Json& object, const std::string& key, long long& out);
void readJson(const Json& object, const std::string& key, std::uint64_t& out);
void readJson(const Json& object, const std::string& key, bool& out);
void readJson(const Json& object, const std::string& key, std::string& out);
void readJson(const Json& object, const std::string& key, std::vector<int>& out);
void readJson(const Json& object, const std::string& key, std::vector<double>& out);
void readJson(const Json& object, const std::string& key, std::vector<std::vector<int>>& out);

} // namespace mrcae
