// Fuzz target: the text of a configuration file, read by the same YAML
// loader and checks as `blink-sync --config`. A ConfigError is the expected
// outcome for most inputs; anything else escaping is a bug.

#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    static_cast<void>(blink_sync::parse_config(text, "fuzz.yaml", blink_sync::ConfigEnvironment{}));
  } catch (const blink_sync::ConfigError&) {
    // An invalid file, reported to the operator.
  }
  return 0;
}
