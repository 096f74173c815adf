# Writes a C++ source that holds every migrations/NNN_name.sql file, so the
# executable carries its schema and needs no data files at run time.
# Called with -DSOURCE_DIR=<migrations folder> -DOUTPUT=<file.cpp>.
file(GLOB migration_files RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/[0-9][0-9][0-9]_*.sql")
list(SORT migration_files)

set(entries "")
foreach(name IN LISTS migration_files)
  string(SUBSTRING "${name}" 0 3 number)
  math(EXPR version "${number}")
  file(READ "${SOURCE_DIR}/${name}" sql)
  string(APPEND entries "      {${version}, \"${name}\", R\"blink_sql(${sql})blink_sql\"},\n")
endforeach()

file(WRITE "${OUTPUT}.tmp"
"// Generated from migrations/*.sql by daemon/embed_migrations.cmake; do not edit.
#include \"daemon/migrations.hpp\"

namespace blink_sync {

const std::vector<Migration>& embedded_migrations() {
  static const std::vector<Migration> migrations = {
${entries}  };
  return migrations;
}

}  // namespace blink_sync
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
