#pragma once

#include <pqxx/transaction>

#include <ostream>

namespace blink_sync {

// Prints the import state of each report, from blink_sync.report_marks,
// for the status command. Prints nothing before the table exists.
void print_report_marks(pqxx::read_transaction& transaction, std::ostream& out);

}  // namespace blink_sync
