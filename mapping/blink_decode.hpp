#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "mapping/entity.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// Blink's `meta.pagination` object.
struct Pagination {
  std::int64_t total_count = 0;
  std::int64_t total_pages = 0;
  std::int64_t current_page = 0;
  std::int64_t limit = 0;
};

// One page of a GET list: the meta and the raw records, decoded one by one
// so a bad record does not hide the others.
struct ListPage {
  Pagination pagination;
  std::vector<nlohmann::json> items;
};

// A response body that could not be used, with the reason.
struct DecodeError {
  std::string message;
  std::optional<std::int64_t> id;  // the record's id, when it could be read
};

// Parses a JSON body, without throwing: a body that is not JSON, or that
// nests arrays and objects more than 64 levels deep, is returned as a
// DecodeError.
std::variant<nlohmann::json, DecodeError> parse_body(std::string_view body);

// Decodes a list response: `data` an array, `meta.pagination` complete.
std::variant<ListPage, DecodeError> decode_list_page(const nlohmann::json& body);

// Decodes one record of an entity: a list item or the `data` of a single
// GET, POST or PUT. Unknown keys are ignored; null where a number or text is
// documented is read as empty.
std::variant<RemoteRecord, DecodeError> decode_record(Entity entity, const nlohmann::json& item);

// Returns `status.message` of a response body, or an empty string.
std::string status_message(std::string_view body);

// Reads an id written as a JSON number or as a string of digits.
std::optional<std::int64_t> read_id(const nlohmann::json& value);

// Reads any of Blink's three timestamp shapes: {"date": ...}, a plain
// "YYYY-MM-DD HH:MM:SS", or text such as "Apr 9, 2018,  4:25 pm". Returns the
// text of the date part, or an empty string for null.
std::string read_timestamp_text(const nlohmann::json& value);

}  // namespace blink_sync
