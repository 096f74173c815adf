#include "daemon/plan_report.hpp"

#include "daemon/blink_edits.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

// Field names only: a dry run's output may be shared, and values are
// personal data.
void write_blink_edits(std::ostream& out, const Operation& operation) {
  if (!operation.drift.empty()) {
    out << " drift=" << join(operation.drift, ",");
  }
  const auto pulled = known_field_names(operation.entity, operation.pulled);
  if (!pulled.empty()) {
    out << " pulled=" << pulled;
  }
}

void write_conflicts(std::ostream& out, const Plan& plan) {
  if (plan.conflicts.empty() && plan.blink_only.empty()) {
    return;
  }
  for (const auto& conflict : plan.conflicts) {
    out << "  conflict entity=" << entity_name(conflict.entity) << " local_id=" << conflict.local_id
        << " blink_id=" << conflict.blink_id << " field=" << conflict.field
        << " policy=" << conflict_policy_name(conflict.policy) << "\n";
  }
  for (const auto& record : plan.blink_only) {
    out << "  import entity=" << entity_name(record.entity) << " blink_id=" << record.blink_id
        << " (only in Blink)\n";
  }
}

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
  write_blink_edits(out, operation);
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
  write_conflicts(out, plan);
  if (plan.operations.empty() && plan.conflicts.empty() && plan.blink_only.empty()) {
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
      << " forget=" << counts.forgotten << " drift=" << counts.drift << " pull=" << counts.pulled
      << " conflicts=" << counts.conflicts << " import=" << plan.blink_only.size() << " errors=" << errors.size()
      << "\n";
}

}  // namespace blink_sync
