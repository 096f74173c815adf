// Fuzz target: a response body from Blink, decoded every way the daemon
// reads one. It is parsed as JSON, read as a list page whose meta.pagination
// goes through the paging checks, and every record in it (and in `data`) is
// decoded as each of the three entities and as a row of each report.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "mapping/blink_decode.hpp"
#include "mapping/page_walk.hpp"
#include "mapping/report_row.hpp"

namespace {

using blink_sync::Entity;
using nlohmann::json;

constexpr Entity kEntities[] = {Entity::student, Entity::student_login, Entity::staff};

void decode_as_every_entity(const json& item) {
  for (const auto entity : kEntities) {
    static_cast<void>(blink_sync::decode_record(entity, item));
  }
  if (item.is_object() && item.contains("updated_at")) {
    static_cast<void>(blink_sync::read_timestamp_text(item["updated_at"]));
  }
  // A half-hour zone with daylight saving, so the conversion meets gaps and overlaps.
  static const date::time_zone* zone = date::locate_zone("Australia/Adelaide");
  for (const auto kind : blink_sync::kReportKinds) {
    static_cast<void>(blink_sync::decode_report_row(kind, item, *zone));
  }
}

// Walks the page as page 1 and again as page 2 and 3, which exercises the
// changed-count, wrong-page and repeated-id checks on the same input.
void decode_as_list(const json& body) {
  auto decoded = blink_sync::decode_list_page(body);
  const auto* page = std::get_if<blink_sync::ListPage>(&decoded);
  if (page == nullptr) {
    return;
  }
  blink_sync::PageWalk walk;
  for (std::int64_t number = 1; number <= 3; ++number) {
    if (walk.add_page(number, *page) || walk.changed() || !walk.has_page_after(number)) {
      break;
    }
  }
  static_cast<void>(walk.complete());
  for (const auto& item : page->items) {
    decode_as_every_entity(item);
  }
}

void decode_as_single(const json& body) {
  decode_as_every_entity(body);
  if (body.is_object() && body.contains("data")) {
    decode_as_every_entity(body["data"]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  static_cast<void>(blink_sync::status_message(body));

  const auto parsed = blink_sync::parse_body(body);
  const auto* json_body = std::get_if<json>(&parsed);
  if (json_body == nullptr) {
    return 0;
  }
  // The client copies the parsed body into its result and may print it.
  const json copy = *json_body;
  static_cast<void>(copy.dump());

  decode_as_list(copy);
  decode_as_single(copy);
  return 0;
}
