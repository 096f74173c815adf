#include "roster_generator.hpp"

#include <algorithm>
#include <string>

void generate_roster(const blink_sync::testing::TestDatabase& database, int students) {
  const int guardians = std::max(1, students * 4 / 5);
  const int clinicians = std::max(2, students * 3 / 100);
  const auto n = std::to_string(students);
  const auto g = std::to_string(guardians);
  const auto c = std::to_string(clinicians);

  database.execute(
      "INSERT INTO roster.sites (id, name, city, time_zone) VALUES (1, 'Bench Site', 'Denver', 'America/Denver');"

      "INSERT INTO roster.pupils (id, given_name, family_name, birth_date, site_id) "
      "SELECT i, (ARRAY['Zoë','Seán','Ana','Noah','Liam','Chloé','Mia','José','Aoife','Oliver','Amélie','Kai'])"
      "[1 + i % 12], (ARRAY['O''Brien','Castañeda','Nguyen','Smith','Müller','D''Souza','García','Kowalski',"
      "'Ó Súilleabháin','Brown','Lefèvre','Okafor'])[1 + (i / 12) % 12], DATE '2005-01-01' + (i / 144), 1 "
      "FROM generate_series(1, " + n + ") AS i;"

      "INSERT INTO roster.guardians (id, given_name, family_name, email, mobile) "
      "SELECT i, (ARRAY['Siobhán','Renée','Tomás','Grace','Mateo','Ngozi'])[1 + i % 6], 'Guardian', "
      "'guardian' || i || '@example.org', '555-01' || lpad((i % 100)::text, 2, '0') "
      "FROM generate_series(1, " + g + ") AS i;"

      "INSERT INTO roster.guardian_pupils (guardian_id, pupil_id, relationship) "
      "SELECT i, i, 'mother' FROM generate_series(1, " + g + ") AS i "
      "UNION ALL SELECT i, i + " + g + ", 'father' FROM generate_series(1, " + g + ") AS i WHERE i + " + g +
      " <= " + n + ";"

      "INSERT INTO roster.clinicians (id, given_name, family_name, email, phone, time_zone) "
      "SELECT i, (ARRAY['Fionnuala','Zoë','Andrés','Priya'])[1 + i % 4], 'Clinician', "
      "'clinician' || i || '@example.org', '555-0100', 'America/Denver' FROM generate_series(1, " + c + ") AS i;"

      "INSERT INTO roster.caseload (clinician_id, pupil_id) "
      "SELECT DISTINCT clinician, pupil FROM ("
      "  SELECT 1 + i % " + c + " AS clinician, i AS pupil FROM generate_series(1, " + n + ") AS i "
      "  UNION ALL SELECT 1 + (i * 7 + 1) % " + c + ", i FROM generate_series(1, " + n + ") AS i WHERE i % 2 = 0"
      ") AS links;");
}
