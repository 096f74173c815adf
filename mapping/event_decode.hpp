#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <variant>

#include "mapping/event_record.hpp"

namespace blink_sync {

// Decodes one event of a GET list or the `data` of a POST or PUT response.
// Blink writes start and end in the zone the request passed: `zone`, UTC
// for every read. Staff and students are read from the link rows Blink
// attaches (user_id and student_id). Returns why the event cannot be used,
// naming its id when it has one.
std::variant<RemoteEvent, std::string> decode_event(const nlohmann::json& item, std::string_view zone = "UTC");

}  // namespace blink_sync
