#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mapping/entity.hpp"

namespace blink_sync {

// When a write-back statement runs for a record.
enum class WriteBackEvent {
  created,           // created in Blink by this daemon, or found there after a create in doubt
  adopted,           // an unmapped Blink record with the same natural key was mapped to it
  changed_in_blink,  // a read of Blink shows values that differ from the stored remote copy
  removed,           // deleted in Blink by this daemon, or found gone from Blink
};

inline constexpr WriteBackEvent kWriteBackEvents[] = {WriteBackEvent::created, WriteBackEvent::adopted,
                                                      WriteBackEvent::changed_in_blink, WriteBackEvent::removed};

std::string_view write_back_event_name(WriteBackEvent event);
std::optional<WriteBackEvent> write_back_event_from_name(std::string_view name);

// A write-back statement with its named parameters replaced by $1, $2, ...
// `parameters[i]` is the name bound to $(i + 1); a name used twice gets one
// number.
struct PositionalStatement {
  std::string sql;
  std::vector<std::string> parameters;
};

// Returns the names that write-back statements of `entity` may use:
// local_id, blink_id, entity, join_by_link, activated, created_at,
// updated_at, linked_student_ids, and each field by its Blink key. Staff
// permission flags, whose Blink keys contain hyphens, are named
// permission_<roster column>, for example permission_join_by_link.
std::vector<std::string> write_back_parameter_names(Entity entity);

// Returns the parameter name of field `index` of `entity`.
std::string field_parameter_name(Entity entity, std::size_t index);

// Replaces each :name in `sql` by a positional parameter. Text inside
// quotes ('...', E'...', "..."), dollar quotes ($tag$...$tag$) and comments
// is left alone, and `::` stays a cast. Returns a message naming the
// problem for an unknown name, a $n placeholder, an unterminated quote or
// comment, or a statement without any text.
std::variant<PositionalStatement, std::string> to_positional(std::string_view sql,
                                                             const std::vector<std::string>& known_names);

}  // namespace blink_sync
