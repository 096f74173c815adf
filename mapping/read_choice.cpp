#include "mapping/read_choice.hpp"

namespace blink_sync {
namespace {

std::size_t index_of(Entity entity) { return static_cast<std::size_t>(entity); }

}  // namespace

std::array<ListRead, 3> choose_list_reads(const ReadChoiceInput& input) {
  std::array<ListRead, 3> reads{};
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const bool possible = input.incremental_possible[index_of(entity)] && !input.resync && !input.intents_in_doubt;
    reads[index_of(entity)] = possible ? ListRead::incremental : ListRead::full;
  }
  if (input.assumed_plan == nullptr) {
    return reads;
  }

  std::array<bool, 3> has_operations{};
  for (const auto& operation : input.assumed_plan->operations) {
    has_operations[index_of(operation.entity)] = true;
  }
  for (std::size_t index = 0; index < reads.size(); ++index) {
    if (reads[index] == ListRead::incremental && !has_operations[index]) {
      reads[index] = ListRead::skip;
    }
  }

  for (const auto& operation : input.assumed_plan->operations) {
    const bool adds = operation.action == Action::create || operation.action == Action::adopt;
    if (adds || operation.links) {
      reads[index_of(operation.entity)] = ListRead::full;
    }
    if (adds && operation.entity != Entity::student) {
      reads[index_of(Entity::student_login)] = ListRead::full;
      reads[index_of(Entity::staff)] = ListRead::full;
    }
  }
  return reads;
}

}  // namespace blink_sync
