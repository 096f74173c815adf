#pragma once

#include <boost/asio/awaitable.hpp>

#include <array>
#include <stdexcept>
#include <vector>

#include "daemon/blink_client.hpp"
#include "daemon/read_marks.hpp"
#include "mapping/read_choice.hpp"
#include "mapping/blink_decode.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/record_error.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// Blink's lists could not be read in a way the planner can trust (a page
// failed after retries, a response was malformed, the server ignored the
// page parameter). The cycle stops before any write.
class RemoteReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the three lists through paginated GETs and checks the mapped ids
// that are missing from them one by one, so that a record that merely moved
// between pages is never taken for deleted.
class RemoteReader {
 public:
  struct Options {
    int page_size = 500;
    // Confirm missing records one by one even when no mapped record is in
    // the list (a --resync after records really were deleted in Blink).
    bool confirm_when_none_listed = false;
  };

  RemoteReader(BlinkClient& client, Options options) : client_(client), options_(options) {}

  // Returns the remote state; records that cannot be decoded become record
  // errors in `errors`. Throws RemoteReadError, AuthenticationFailed or
  // Interrupted.
  boost::asio::awaitable<RemoteState> read(const IdentityMap& mapping, std::vector<RecordError>& errors);

  // Reads each list the way `reads` sets. An incremental read takes the records
  // changed since the list's mark (newest updated_at first) and Blink as the
  // mapping table last saw it for the others. It falls back to a full read
  // when the list's total_count shows a record deleted in Blink, or when the
  // mark has no known total. `summaries` says what was read, for the next
  // marks.
  boost::asio::awaitable<RemoteState> read(const IdentityMap& mapping, std::vector<RecordError>& errors,
                                           const std::array<ListRead, 3>& reads, const ReadMarkSet& marks,
                                           std::array<ListReadSummary, 3>& summaries);

 private:
  boost::asio::awaitable<void> read_list(Entity entity, const IdentityMap& mapping, RemoteEntity& into,
                                         std::vector<RecordError>& errors);
  boost::asio::awaitable<bool> read_pages_once(Entity entity, const IdentityMap& mapping, RemoteEntity& into,
                                               std::vector<RecordError>& errors);
  boost::asio::awaitable<std::optional<ListPage>> fetch_page(const std::string& target, std::int64_t page);
  boost::asio::awaitable<bool> read_changed(Entity entity, const ReadMark& mark, const IdentityMap& mapping,
                                            RemoteEntity& into, std::vector<RecordError>& errors,
                                            ListReadSummary& summary);
  boost::asio::awaitable<void> confirm_missing(Entity entity, const IdentityMap& mapping, RemoteEntity& into,
                                               std::vector<RecordError>& errors);

  BlinkClient& client_;
  Options options_;
};

// Returns what a full read of a list found, for its next mark.
ListReadSummary summarise_full_read(const RemoteEntity& list);

// Adds one decoded list item to `into`, or records why it could not be.
void add_remote_item(Entity entity, const nlohmann::json& item, const IdentityMap& mapping, RemoteEntity& into,
                     std::vector<RecordError>& errors);

}  // namespace blink_sync
