#include "daemon/plan_report.hpp"

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

void write_operation(std::ostream& out, const Operation& operation) {
  out << "  " << action_name(operation.action) << " entity=" << entity_name(operation.entity)
      << " local_id=" << operation.local_id;
  if (operation.blink_id) {
    out << " blink_id=" << *operation.blink_id;
  }
  const bool changes_fields = operation.action == Action::update || operation.action == Action::adopt;
  if (changes_fields && !operation.changed.empty()) {
    out << " fields=" << join(operation.changed, ",");
  }
  if (operation.links) {
    out << " links=" << operation.links->student_local_ids.size() << "+" << operation.links->kept_blink_ids.size()
        << "kept";
  }
  out << " (" << operation.reason << ")\n";
}

}  // namespace

void write_plan_report(std::ostream& out, const Plan& plan, const std::vector<RecordError>& errors) {
  out << "Plan (dry run: nothing is sent to Blink or written to the database)\n";
  for (const auto& operation : plan.operations) {
    write_operation(out, operation);
  }
  if (plan.operations.empty()) {
    out << "  nothing to do\n";
  }

  if (!errors.empty()) {
    out << "Record errors\n";
    for (const auto& error : errors) {
      out << "  entity=" << entity_name(error.entity) << " local_id=" << error.local_id;
      if (error.blink_id) {
        out << " blink_id=" << *error.blink_id;
      }
      out << ": " << error.message << "\n";
    }
  }

  const auto counts = count_operations(plan);
  out << "Totals: create=" << counts.created << " adopt=" << counts.adopted << " update=" << counts.updated
      << " link=" << counts.linked << " discharge=" << counts.discharged << " delete=" << counts.deleted
      << " forget=" << counts.forgotten << " errors=" << errors.size() << "\n";
}

}  // namespace blink_sync
