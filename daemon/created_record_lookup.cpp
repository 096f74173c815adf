#include "daemon/created_record_lookup.hpp"

#include "daemon/blink_paths.hpp"
#include "mapping/blink_decode.hpp"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Pages read newest first before the lookup gives up: far more records than
// any organisation creates between a cycle's read and its writes.
constexpr std::int64_t kMaxLookupPages = 20;

}  // namespace

asio::awaitable<NewerRecords> read_newer_records(BlinkClient& client, Entity entity, std::int64_t watermark,
                                                 int page_size) {
  NewerRecords newer;
  for (std::int64_t page = 1; page <= kMaxLookupPages; ++page) {
    const auto target = newest_first_target(entity, page, page_size);
    const auto result = co_await client.call(http::verb::get, target);
    if (result.status == 404) {
      newer.complete = true;  // Blink returns 404 "No Data Found" for an empty list
      co_return newer;
    }
    if (!result.ok()) {
      newer.problem = "GET " + target + " failed" +
                      (result.status == 0 ? ": " + result.message : " with HTTP " + std::to_string(result.status));
      co_return newer;
    }
    auto decoded = decode_list_page(result.body);
    if (const auto* error = std::get_if<DecodeError>(&decoded)) {
      newer.problem = "GET " + target + " returned an unusable list: " + error->message;
      co_return newer;
    }

    const auto& list = std::get<ListPage>(decoded);
    bool reached_watermark = false;
    for (const auto& item : list.items) {
      auto record = decode_record(entity, item);
      if (auto* decoded_record = std::get_if<RemoteRecord>(&record)) {
        if (decoded_record->id <= watermark) {
          reached_watermark = true;
        } else {
          newer.records.push_back(std::move(*decoded_record));
        }
        continue;
      }
      // A newer record that cannot be read might be the one looked for.
      const auto& error = std::get<DecodeError>(record);
      if (error.id && *error.id <= watermark) {
        reached_watermark = true;
        continue;
      }
      newer.problem = "GET " + target + " returned a record that cannot be read (" + error.message + ")";
      co_return newer;
    }
    if (reached_watermark || list.items.empty() || page >= list.pagination.total_pages) {
      newer.complete = true;
      co_return newer;
    }
  }
  newer.problem = "more than " + std::to_string(kMaxLookupPages) + " pages of records are newer than this cycle's read";
  co_return newer;
}

std::int64_t highest_id(const RemoteEntity& remote) {
  std::int64_t highest = 0;
  for (const auto& record : remote.records) {
    highest = std::max(highest, record.id);
  }
  return highest;
}

}  // namespace blink_sync
