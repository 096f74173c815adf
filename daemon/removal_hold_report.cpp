#include "daemon/removal_hold_report.hpp"

#include <spdlog/spdlog.h>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

constexpr std::array<Entity, 3> kEntities = {Entity::student, Entity::student_login, Entity::staff};

// "student=30/100 student_login=0/45 staff=0/8": held of mapped, per entity.
std::string held_by_entity(const RemovalHold& hold) {
  std::string text;
  for (const auto entity : kEntities) {
    const auto& removals = hold.of(entity);
    text += (text.empty() ? "" : " ") + std::string(entity_name(entity)) + "=" + std::to_string(removals.held) +
            "/" + std::to_string(removals.mapped);
  }
  return text;
}

std::string what_to_do(const RemovalHold& hold) {
  return "To let them through, run blink-sync --resync --allow-deletions " + std::to_string(hold.held) +
         ", or raise sync.max_removal_percent, sync.min_removals_held or sync.max_removals";
}

}  // namespace

RemovalLimits removal_limits(const SyncConfig& sync) {
  RemovalLimits limits;
  limits.max_percent = sync.max_removal_percent;
  limits.min_held = sync.min_removals_held;
  limits.max_total = sync.max_removals;
  return limits;
}

std::array<std::size_t, 3> mapped_counts(const IdentityMap& mapping) {
  std::array<std::size_t, 3> counts{};
  for (const auto entity : kEntities) {
    counts[static_cast<int>(entity)] = mapping.size(entity);
  }
  return counts;
}

void log_removal_hold(const RemovalHold& hold) {
  if (hold.allowed > 0) {
    spdlog::warn("cycle: --allow-deletions lets {} held removal(s) through allowed={} held={}", hold.allowed,
                 hold.allowed, hold.held);
  }
  if (hold.held == 0) {
    return;
  }
  spdlog::error("cycle: holding every discharge and deletion above the limit, because {}; creates and updates go "
                "on. held={} planned={} {}. {}",
                join(hold.reasons, ", and "), hold.held, hold.planned, held_by_entity(hold), what_to_do(hold));
}

void write_removal_hold(std::ostream& out, const RemovalHold& hold) {
  if (hold.allowed > 0) {
    out << "allowed   " << hold.allowed << " held removal(s) by --allow-deletions\n";
  }
  if (hold.held == 0) {
    return;
  }
  out << "held      " << hold.held << " of " << hold.planned << " discharges and deletions (" << held_by_entity(hold)
      << " held/mapped), because " << join(hold.reasons, ", and ") << ".\n"
      << "          " << what_to_do(hold) << ".\n";
}

}  // namespace blink_sync
