#pragma once

#include "support/test_database.hpp"

// Fills the reference roster schema with `students` pupils, four guardians
// for every five pupils and three clinicians per hundred pupils, each pupil
// on one or two caseloads. Names carry accents and apostrophes; every
// pupil's name and date of birth together are unique, as Blink requires.
void generate_roster(const blink_sync::testing::TestDatabase& database, int students);
