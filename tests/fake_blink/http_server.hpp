// The network side of the fake server: HTTP/1.1 with keep-alive over
// Boost.Beast, one coroutine per connection on a single-threaded io_context,
// so a delayed response holds up only its own connection.
#pragma once

#include "options.hpp"

namespace fake_blink {

// Listens on the address in `options`, prints "listening on HOST:PORT" to standard
// output, and serves until SIGINT or SIGTERM (or end of standard input with
// --stop-on-stdin-eof). Returns the exit code. Throws when it cannot listen.
int run_server(const Options& options);

}  // namespace fake_blink
