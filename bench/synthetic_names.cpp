#include "bench/synthetic_names.hpp"

#include <array>
#include <utility>

namespace blink_sync::bench {
namespace {

using Spelling = std::pair<std::string_view, std::string_view>;  // roster text, ASCII

// "Rene\u0301e" and "Zoe\u0308" are decomposed (NFD) on purpose, so that
// validation has names to compose to NFC.
constexpr std::array<Spelling, 40> kFirstNames = {{
    {"Ada", "ada"},           {"José", "jose"},           {"Zoe\u0308", "zoe"},
    {"Chloé", "chloe"},       {"Rene\u0301e", "renee"},   {"Łukasz", "lukasz"},
    {"Siobhán", "siobhan"},   {"Måns", "mans"},           {"Noël", "noel"},
    {"Björn", "bjorn"},       {"François", "francois"},   {"Inés", "ines"},
    {"Mia", "mia"},           {"Liam", "liam"},           {"Olivia", "olivia"},
    {"Noah", "noah"},         {"Amélie", "amelie"},       {"Søren", "soren"},
    {"Aoife", "aoife"},       {"Dara", "dara"},           {"Jürgen", "jurgen"},
    {"Ana María", "anamaria"}, {"Mary Kate", "marykate"}, {"Çağla", "cagla"},
    {"Nguyệt", "nguyet"},     {"Tomás", "tomas"},         {"Élodie", "elodie"},
    {"Kai", "kai"},           {"Priya", "priya"},         {"Oluwaseun", "oluwaseun"},
    {"Hiroshi", "hiroshi"},   {"Zainab", "zainab"},       {"Mateo", "mateo"},
    {"Saoirse", "saoirse"},   {"Agnès", "agnes"},         {"Dmitri", "dmitri"},
    {"Yusuf", "yusuf"},       {"Léa", "lea"},             {"Ximena", "ximena"},
    {"Wren", "wren"},
}};

constexpr std::array<Spelling, 40> kLastNames = {{
    {"O'Brien", "obrien"},       {"D'Angelo", "dangelo"},     {"Müller", "muller"},
    {"García", "garcia"},        {"Núñez", "nunez"},          {"Øvergaard", "overgaard"},
    {"Smith", "smith"},          {"Nguyễn", "nguyen"},        {"Dubois", "dubois"},
    {"O'Neill", "oneill"},       {"Kowalski", "kowalski"},    {"Çelik", "celik"},
    {"Byron", "byron"},          {"Lee", "lee"},              {"MacDonald", "macdonald"},
    {"de la Cruz", "delacruz"},  {"Fernández", "fernandez"},  {"Brontë", "bronte"},
    {"Ó Súilleabháin", "osuilleabhain"}, {"Schröder", "schroder"}, {"Johansson", "johansson"},
    {"Okafor", "okafor"},        {"Tanaka", "tanaka"},        {"Haddad", "haddad"},
    {"Rossi", "rossi"},          {"Łęcki", "lecki"},          {"Ibáñez", "ibanez"},
    {"D'Souza", "dsouza"},       {"Novák", "novak"},          {"Petrov", "petrov"},
    {"Van der Berg", "vanderberg"}, {"Ahmed", "ahmed"},       {"Castaño", "castano"},
    {"Lefèvre", "lefevre"},      {"Mbeki", "mbeki"},          {"Kim", "kim"},
    {"Reed", "reed"},            {"Ferreira", "ferreira"},    {"Åberg", "aberg"},
    {"St. John", "stjohn"},
}};

}  // namespace

PersonName person_name(std::size_t index) {
  const auto& first = kFirstNames[index % kFirstNames.size()];
  const auto& last = kLastNames[(index / kFirstNames.size()) % kLastNames.size()];
  return PersonName{first.first, last.first, first.second, last.second};
}

std::size_t distinct_name_count() { return kFirstNames.size() * kLastNames.size(); }

}  // namespace blink_sync::bench
