#include "payload.hpp"

#include <charconv>

#include "http_types.hpp"

namespace fake_blink {
namespace {

ApiError id_list_error(std::string_view key) {
  return validation_error(std::string{key} +
                          " must be a comma-separated list of ids, e.g. \"44,232\"");
}

std::vector<std::int64_t> parse_id_text(std::string_view key, std::string_view text) {
  std::vector<std::int64_t> ids;
  if (trim_spaces(text).empty()) {
    return ids;
  }

  while (true) {
    const auto comma = text.find(',');
    const auto id = parse_integer(trim_spaces(text.substr(0, comma)));
    if (!id || *id <= 0) {
      throw id_list_error(key);
    }
    ids.push_back(*id);

    if (comma == std::string_view::npos) {
      return ids;
    }
    text.remove_prefix(comma + 1);
  }
}

std::vector<std::int64_t> parse_id_array(std::string_view key, const nlohmann::json& array) {
  std::vector<std::int64_t> ids;
  for (const auto& element : array) {
    if (!element.is_number_integer() || element.get<std::int64_t>() <= 0) {
      throw id_list_error(key);
    }
    ids.push_back(element.get<std::int64_t>());
  }
  return ids;
}

}  // namespace

std::string_view trim_spaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

Payload Payload::parse(std::string_view body) {
  if (trim_spaces(body).empty()) {
    return Payload{nlohmann::json::object()};
  }

  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    throw validation_error("request body is not valid JSON");
  }
  return Payload{std::move(parsed)};
}

Payload::Payload(nlohmann::json object) : object_(std::move(object)) {
  if (!object_.is_object()) {
    throw validation_error("request body must be a JSON object");
  }
}

bool Payload::has(std::string_view key) const { return find(key) != nullptr; }

const nlohmann::json* Payload::find(std::string_view key) const {
  const auto found = object_.find(key);
  return found == object_.end() ? nullptr : &*found;
}

std::optional<std::string> Payload::text(std::string_view key) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return std::nullopt;
  }

  if (value->is_string()) {
    return value->get<std::string>();
  }
  if (value->is_number()) {
    return value->dump();
  }
  if (value->is_null()) {
    return std::string{};
  }
  throw validation_error(std::string{key} + " must be a string");
}

std::optional<bool> Payload::flag(std::string_view key) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return std::nullopt;
  }

  if (value->is_boolean()) {
    return value->get<bool>();
  }
  if (value->is_number_integer() && (*value == 0 || *value == 1)) {
    return *value == 1;
  }
  if (value->is_string() && (*value == "0" || *value == "1")) {
    return *value == "1";
  }
  throw validation_error(std::string{key} + " must be 1 or 0");
}

std::optional<std::vector<std::int64_t>> Payload::id_list(std::string_view key) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return std::nullopt;
  }

  if (value->is_null()) {
    return std::vector<std::int64_t>{};
  }
  if (value->is_string()) {
    return parse_id_text(key, value->get_ref<const std::string&>());
  }
  if (value->is_array()) {
    return parse_id_array(key, *value);
  }
  if (value->is_number_integer()) {
    return parse_id_array(key, nlohmann::json::array({*value}));
  }
  throw id_list_error(key);
}

std::optional<std::optional<std::int64_t>> Payload::nullable_integer(std::string_view key) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return std::nullopt;
  }

  if (value->is_null() || *value == "") {
    return std::optional<std::int64_t>{};
  }
  if (value->is_number_integer()) {
    return std::optional<std::int64_t>{value->get<std::int64_t>()};
  }
  if (value->is_string()) {
    if (const auto parsed = parse_integer(value->get_ref<const std::string&>())) {
      return std::optional<std::int64_t>{*parsed};
    }
  }
  throw validation_error(std::string{key} + " must be an integer or null");
}

}  // namespace fake_blink
