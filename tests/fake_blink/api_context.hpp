// What an API endpoint needs besides its request.
#pragma once

#include <functional>
#include <string>

#include "records.hpp"
#include "store.hpp"

namespace fake_blink {

struct ApiContext {
  Store& store;
  // Time of the request, used for created_at and updated_at.
  Timestamp now;
  // Returns a new join_by_link URL for a staff user.
  std::function<std::string()> new_join_link;
};

}  // namespace fake_blink
