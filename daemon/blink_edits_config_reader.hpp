#pragma once

#include <yaml-cpp/yaml.h>

#include "daemon/blink_edits_config.hpp"
#include "daemon/config_reader.hpp"

namespace blink_sync {

// Reads sync.field_owners, sync.conflict_policy and sync.blink_only from the
// sync section into `edits`, reporting each problem with its key path.
void read_blink_edits(ConfigReader& reader, const YAML::Node& sync, BlinkEditsConfig& edits);

}  // namespace blink_sync
