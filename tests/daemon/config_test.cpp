#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/config.hpp"

namespace blink_sync {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFile = "test.yaml";

const std::string kDatabase =
    "database:\n"
    "  url: \"postgresql://blink_sync@localhost/school\"\n";

// The five required queries, as keys of the roster section.
const std::string kRosterQueries =
    "  students: \"SELECT 1 AS students\"\n"
    "  student_logins: \"SELECT 1 AS student_logins\"\n"
    "  staff: \"SELECT 1 AS staff\"\n"
    "  staff_students: \"SELECT 1 AS staff_students\"\n"
    "  login_students: \"SELECT 1 AS login_students\"\n";

const std::string kRoster = "roster:\n" + kRosterQueries;

// Returns a valid configuration with `sections` appended. They may not
// repeat the database or roster section, which it already contains.
std::string minimal_with(const std::string& sections = "") { return kDatabase + kRoster + sections; }

// Returns the problems parse_config reports, or none when it accepts `text`.
std::vector<std::string> problems_of(const std::string& text, const ConfigEnvironment& environment = {}) {
  try {
    parse_config(text, kFile, environment);
  } catch (const ConfigError& error) {
    return error.problems();
  }
  return {};
}

// Returns the one problem reported for `text`, or "" with a test failure.
std::string only_problem(const std::string& text, const ConfigEnvironment& environment = {}) {
  const auto problems = problems_of(text, environment);
  if (problems.size() != 1) {
    ADD_FAILURE() << "expected one problem, got " << problems.size() << " for:\n" << text;
    return "";
  }
  return problems.front();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A file under the system's temporary folder, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    path_ = (std::filesystem::temp_directory_path() /
             ("blink-sync-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++)))
                .string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  static inline int next_ = 0;
  std::string path_;
};

Config config_with_token_file(const std::string& path) {
  Config config;
  config.path = kFile;
  config.blink.token_file = path;
  return config;
}

TEST(Config, MinimalConfigUsesDefaults) {
  const auto config = parse_config(minimal_with(), kFile, {});

  EXPECT_EQ(config.path, kFile);
  EXPECT_EQ(config.database.url, "postgresql://blink_sync@localhost/school");
  EXPECT_EQ(config.blink.base_url, "https://api.blinksession.com/v1");
  EXPECT_FALSE(config.blink.token_file.has_value());
  EXPECT_FALSE(config.blink.ca_file.has_value());
  EXPECT_EQ(config.blink.requests_per_minute, 60);
  EXPECT_EQ(config.blink.burst, 1);
  EXPECT_EQ(config.blink.connect_timeout, 10s);
  EXPECT_EQ(config.blink.request_timeout, 60s);
  EXPECT_EQ(config.blink.max_attempts, 5);
  EXPECT_EQ(config.blink.retry_initial_delay, 1000ms);
  EXPECT_EQ(config.blink.retry_max_delay, 60000ms);
  EXPECT_EQ(config.blink.max_response_bytes, 64U * 1024U * 1024U);
  EXPECT_EQ(config.blink.page_size, 500);
  EXPECT_EQ(config.sync.poll_interval, 300s);
  EXPECT_EQ(config.sync.students_removed, LeavePolicy::discharge);
  EXPECT_EQ(config.sync.student_logins_removed, LeavePolicy::remove);
  EXPECT_EQ(config.sync.staff_removed, LeavePolicy::remove);
  EXPECT_TRUE(config.sync.keep_unmanaged_links);
  EXPECT_FALSE(config.log.file.has_value());
  EXPECT_EQ(config.log.level, "info");
  EXPECT_FALSE(config.roster.default_timezone.has_value());
  EXPECT_EQ(config.roster.students, "SELECT 1 AS students");
  EXPECT_EQ(config.roster.login_students, "SELECT 1 AS login_students");
}

TEST(Config, EveryKeyRead) {
  const auto config = parse_config(minimal_with("blink:\n"
                                                "  base_url: \"http://127.0.0.1:8080/v1\"\n"
                                                "  token_file: /run/token\n"
                                                "  ca_file: /etc/ca.pem\n"
                                                "  requests_per_minute: 120\n"
                                                "  burst: 5\n"
                                                "  connect_timeout_seconds: 3\n"
                                                "  request_timeout_seconds: 30\n"
                                                "  max_attempts: 2\n"
                                                "  retry_initial_delay_ms: 250\n"
                                                "  retry_max_delay_ms: 4000\n"
                                                "  max_response_mb: 8\n"
                                                "  page_size: 100\n"
                                                "sync:\n"
                                                "  poll_interval_seconds: 60\n"
                                                "  students_removed: keep\n"
                                                "  student_logins_removed: keep\n"
                                                "  staff_removed: keep\n"
                                                "  keep_unmanaged_links: false\n"
                                                "log:\n"
                                                "  file: /tmp/blink.log\n"
                                                "  level: debug\n"
                                                "  max_size_mb: 2\n"
                                                "  max_files: 3\n"),
                                   kFile, {});

  EXPECT_EQ(config.blink.base_url, "http://127.0.0.1:8080/v1");
  EXPECT_EQ(config.blink.token_file, std::optional<std::string>("/run/token"));
  EXPECT_EQ(config.blink.ca_file, std::optional<std::string>("/etc/ca.pem"));
  EXPECT_EQ(config.blink.requests_per_minute, 120);
  EXPECT_EQ(config.blink.burst, 5);
  EXPECT_EQ(config.blink.connect_timeout, 3s);
  EXPECT_EQ(config.blink.request_timeout, 30s);
  EXPECT_EQ(config.blink.max_attempts, 2);
  EXPECT_EQ(config.blink.retry_initial_delay, 250ms);
  EXPECT_EQ(config.blink.retry_max_delay, 4000ms);
  EXPECT_EQ(config.blink.max_response_bytes, 8U * 1024U * 1024U);
  EXPECT_EQ(config.blink.page_size, 100);
  EXPECT_EQ(config.sync.poll_interval, 60s);
  EXPECT_EQ(config.sync.students_removed, LeavePolicy::keep);
  EXPECT_EQ(config.sync.student_logins_removed, LeavePolicy::keep);
  EXPECT_EQ(config.sync.staff_removed, LeavePolicy::keep);
  EXPECT_FALSE(config.sync.keep_unmanaged_links);
  EXPECT_EQ(config.log.file, std::optional<std::string>("/tmp/blink.log"));
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.max_size_mb, 2U);
  EXPECT_EQ(config.log.max_files, 3U);
}

TEST(Config, ExampleFileParses) {
  const auto config = load_config(BLINK_SYNC_SOURCE_DIR "/config.example.yaml", {});

  EXPECT_EQ(config.blink.base_url, "https://api.blinksession.com/v1");
  EXPECT_EQ(config.blink.token_file, std::optional<std::string>("/etc/blink-sync/token"));
  EXPECT_EQ(config.blink.requests_per_minute, 60);
  EXPECT_EQ(config.blink.burst, 1);
  EXPECT_EQ(config.sync.students_removed, LeavePolicy::discharge);
  EXPECT_EQ(config.log.file, std::optional<std::string>("/var/log/blink-sync/blink-sync.log"));
  EXPECT_TRUE(contains(config.roster.students, "FROM roster.pupils"));
  EXPECT_TRUE(contains(config.roster.login_students, "FROM roster.guardian_pupils"));
}

TEST(Config, LoadsFromFile) {
  const TempFile file(minimal_with("log:\n  level: warn\n"));

  const auto config = load_config(file.path(), {});

  EXPECT_EQ(config.path, file.path());
  EXPECT_EQ(config.log.level, "warn");
}

TEST(Config, MissingFileNamesPath) {
  try {
    load_config("/nonexistent/blink-sync/config.yaml", {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_TRUE(contains(error.what(), "/nonexistent/blink-sync/config.yaml: cannot open")) << error.what();
  }
}

TEST(Config, UnknownKeySuggestsNearest) {
  const auto problem = only_problem(minimal_with("blink:\n  requests_per_minut: 60\n"));

  EXPECT_TRUE(contains(problem, "test.yaml: blink.requests_per_minut: unknown key")) << problem;
  EXPECT_TRUE(contains(problem, "did you mean \"requests_per_minute\"?")) << problem;
}

TEST(Config, LongKeySuggestsNearest) {
  const auto problem = only_problem(minimal_with("sync:\n  reconcile_interval_secs: 3600\n"));

  EXPECT_TRUE(contains(problem, "did you mean \"reconcile_interval_seconds\"?")) << problem;
}

TEST(Config, RepeatedKeyReported) {
  const auto problem = only_problem(minimal_with("log:\n  level: info\n  level: debug\n"));

  EXPECT_TRUE(contains(problem, "log.level: written twice; keep one")) << problem;
}

TEST(Config, RepeatedNestedKeyReported) {
  const auto problem =
      only_problem(minimal_with("sync:\n  blink_only:\n    students: ignore\n    students: delete\n"));

  EXPECT_TRUE(contains(problem, "sync.blink_only.students: written twice; keep one")) << problem;
}

// Each level lists the one before it ten times, so walking every alias
// would visit 10^9 nodes.
TEST(Config, NestedAliasesCheckedQuickly) {
  std::string aliases = "x0: &a0 [1, 2]\n";
  for (int level = 1; level <= 9; ++level) {
    const auto previous = "*a" + std::to_string(level - 1);
    aliases += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " [" + previous;
    for (int copy = 1; copy < 10; ++copy) {
      aliases += ", " + previous;
    }
    aliases += "]\n";
  }

  const auto problems = problems_of(minimal_with() + aliases);

  EXPECT_FALSE(problems.empty()) << "x0 to x9 are unknown sections";
}

TEST(Config, UnknownSectionSuggestsNearest) {
  const auto problem = only_problem(minimal_with("sinc:\n  poll_interval_seconds: 60\n"));

  EXPECT_TRUE(contains(problem, "test.yaml: sinc: unknown key")) << problem;
  EXPECT_TRUE(contains(problem, "did you mean \"sync\"?")) << problem;
}

TEST(Config, UnknownKeyListsKnownKeys) {
  const auto problem = only_problem(minimal_with("log:\n  colour: red\n"));

  EXPECT_TRUE(contains(problem, "log.colour: unknown key")) << problem;
  EXPECT_FALSE(contains(problem, "did you mean")) << problem;
  EXPECT_TRUE(contains(problem, "known keys: file, level, format, rotation, max_size_mb, max_files")) << problem;
}

TEST(Config, InlineTokenPointsToTokenFile) {
  const auto problem = only_problem(minimal_with("blink:\n  token: s3cr3t-inline\n"));

  EXPECT_TRUE(contains(problem, "blink.token: unknown key")) << problem;
  EXPECT_TRUE(contains(problem, "blink.token_file")) << problem;
  EXPECT_FALSE(contains(problem, "s3cr3t-inline")) << problem;
}

TEST(Config, WrongTypeNamesKeyAndExpected) {
  EXPECT_TRUE(contains(only_problem(minimal_with("blink:\n  requests_per_minute: sixty\n")),
                       "test.yaml: blink.requests_per_minute: expected an integer from 1 to 100000, got \"sixty\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("blink:\n  page_size: 1.5\n")),
                       "blink.page_size: expected an integer from 1 to 500, got \"1.5\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("sync:\n  keep_unmanaged_links: maybe\n")),
                       "sync.keep_unmanaged_links: expected true or false, got \"maybe\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("log:\n  file: [a, b]\n")),
                       "log.file: expected non-empty text or null, got a list"));
  EXPECT_TRUE(contains(only_problem(minimal_with("blink:\n  base_url: {host: x}\n")),
                       "blink.base_url: expected non-empty text or null, got a mapping"));
  EXPECT_TRUE(contains(only_problem(minimal_with("sync: 5\n")), "test.yaml: sync: expected a mapping of keys"));
}

TEST(Config, TopLevelMustBeMapping) {
  EXPECT_TRUE(contains(only_problem("- database\n- roster\n"), "(top level): expected a mapping of sections"));
  EXPECT_TRUE(contains(only_problem(""), "(top level): expected a mapping of sections"));
}

TEST(Config, OutOfRangeIntegerNamesRange) {
  EXPECT_TRUE(contains(only_problem(minimal_with("blink:\n  page_size: 501\n")),
                       "blink.page_size: expected an integer from 1 to 500, got \"501\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("blink:\n  max_attempts: 0\n")),
                       "blink.max_attempts: expected an integer from 1 to 20, got \"0\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("sync:\n  poll_interval_seconds: 0\n")),
                       "sync.poll_interval_seconds: expected an integer from 1 to 86400, got \"0\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("log:\n  max_files: 99999999999999\n")),
                       "log.max_files: expected an integer from 1 to 1000, got \"99999999999999\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("blink:\n  burst: -1\n")),
                       "blink.burst: expected an integer from 1 to 100000, got \"-1\""));
}

TEST(Config, BadChoiceListsChoices) {
  EXPECT_TRUE(contains(only_problem(minimal_with("sync:\n  students_removed: erase\n")),
                       "sync.students_removed: expected one of discharge, delete, keep, got \"erase\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("sync:\n  staff_removed: discharge\n")),
                       "sync.staff_removed: expected one of delete, keep, got \"discharge\""));
  EXPECT_TRUE(contains(only_problem(minimal_with("log:\n  level: verbose\n")),
                       "log.level: expected one of trace, debug, info, warn, error, got \"verbose\""));
}

TEST(Config, MissingRequiredKeys) {
  const auto problems = problems_of(kDatabase);

  ASSERT_EQ(problems.size(), 5U);
  EXPECT_EQ(problems[0], "test.yaml: roster.students: required key is missing");
  EXPECT_EQ(problems[1], "test.yaml: roster.student_logins: required key is missing");
  EXPECT_EQ(problems[2], "test.yaml: roster.staff: required key is missing");
  EXPECT_EQ(problems[3], "test.yaml: roster.staff_students: required key is missing");
  EXPECT_EQ(problems[4], "test.yaml: roster.login_students: required key is missing");
  EXPECT_EQ(only_problem(kRoster), "test.yaml: database.url: required key is missing");
}

TEST(Config, EmptyQueryRejected) {
  const auto text = kDatabase +
                    "roster:\n"
                    "  students: \"\"\n"
                    "  student_logins: \"SELECT 1\"\n"
                    "  staff: \"SELECT 1\"\n"
                    "  staff_students: \"SELECT 1\"\n"
                    "  login_students: \"SELECT 1\"\n";

  EXPECT_TRUE(contains(only_problem(text), "roster.students: expected non-empty text"));
}

TEST(Config, WatchTablesMustBeTableNames) {
  const auto roster = kDatabase +
                      "roster:\n"
                      "  students: \"SELECT 1\"\n"
                      "  student_logins: \"SELECT 1\"\n"
                      "  staff: \"SELECT 1\"\n"
                      "  staff_students: \"SELECT 1\"\n"
                      "  login_students: \"SELECT 1\"\n";

  const auto injected = only_problem(roster + "  watch_tables: [roster.pupils, \"pupils; DROP TABLE x\"]\n");
  const auto not_a_list = only_problem(roster + "  watch_tables: roster.pupils\n");

  EXPECT_TRUE(contains(injected, "roster.watch_tables: \"pupils; DROP TABLE x\" is not a table name")) << injected;
  EXPECT_TRUE(contains(not_a_list, "roster.watch_tables: expected a list of texts")) << not_a_list;
  EXPECT_TRUE(problems_of(roster + "  watch_tables: [roster.pupils, guardians]\n").empty());
}

TEST(Config, SyncTimingKeysChecked) {
  const auto settle = only_problem(minimal_with("sync:\n  in_doubt_settle_seconds: -1\n"));
  const auto reconcile = only_problem(minimal_with("sync:\n  reconcile_interval_seconds: 9999999\n"));
  const auto incremental = only_problem(minimal_with("sync:\n  incremental_reads: sometimes\n"));

  EXPECT_TRUE(contains(settle, "sync.in_doubt_settle_seconds")) << settle;
  EXPECT_TRUE(contains(reconcile, "sync.reconcile_interval_seconds")) << reconcile;
  EXPECT_TRUE(contains(incremental, "sync.incremental_reads")) << incremental;
}

TEST(Config, BurstMustBeBelowLimit) {
  const auto problem = only_problem(minimal_with("blink:\n  requests_per_minute: 60\n  burst: 60\n"));

  EXPECT_TRUE(contains(problem, "test.yaml: blink.burst: must be smaller than blink.requests_per_minute (60)"))
      << problem;
  EXPECT_EQ(problems_of(minimal_with("blink:\n  requests_per_minute: 60\n  burst: 61\n")).size(), 1U);
  EXPECT_TRUE(problems_of(minimal_with("blink:\n  requests_per_minute: 60\n  burst: 59\n")).empty());
}

TEST(Config, PlainHttpOnlyForLoopback) {
  const auto problem = only_problem(minimal_with("blink:\n  base_url: \"http://api.blinksession.com/v1\"\n"));

  EXPECT_TRUE(contains(problem, "test.yaml: blink.base_url: plain http is allowed only for a loopback")) << problem;
  EXPECT_TRUE(problems_of(minimal_with("blink:\n  base_url: \"http://[::1]:8080/v1\"\n")).empty());
}

TEST(Config, UnknownTimezoneRejected) {
  const auto text = kDatabase + "roster:\n  default_timezone: Mars/Olympus_Mons\n" + kRosterQueries;
  const auto problem = only_problem(text);

  EXPECT_TRUE(contains(problem, "test.yaml: roster.default_timezone: \"Mars/Olympus_Mons\" is not a time zone name"))
      << problem;
}

TEST(Config, KnownTimezoneAccepted) {
  const auto text = kDatabase + "roster:\n  default_timezone: America/Denver\n" + kRosterQueries;
  const auto config = parse_config(text, kFile, {});

  EXPECT_EQ(config.roster.default_timezone, std::optional<std::string>("America/Denver"));
}

TEST(Config, InvalidYamlNamesLineAndColumn) {
  const auto problem = only_problem(kDatabase + "blink:\n  burst: 1: 2\n");

  EXPECT_TRUE(contains(problem, "test.yaml:4:11: invalid YAML: ")) << problem;
}

TEST(Config, AllProblemsReportedTogether) {
  const auto text = kRoster +
                    "blink:\n"
                    "  requests_per_minut: 60\n"
                    "  page_size: 0\n"
                    "sync:\n"
                    "  students_removed: erase\n"
                    "log:\n"
                    "  level: loud\n";

  try {
    parse_config(text, kFile, {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    const auto& problems = error.problems();
    ASSERT_EQ(problems.size(), 5U);
    EXPECT_TRUE(contains(problems[0], "database.url")) << problems[0];
    EXPECT_TRUE(contains(problems[1], "blink.requests_per_minut")) << problems[1];
    EXPECT_TRUE(contains(problems[2], "blink.page_size")) << problems[2];
    EXPECT_TRUE(contains(problems[3], "sync.students_removed")) << problems[3];
    EXPECT_TRUE(contains(problems[4], "log.level")) << problems[4];
    EXPECT_EQ(std::string(error.what()), problems[0] + "\n" + problems[1] + "\n" + problems[2] + "\n" +
                                             problems[3] + "\n" + problems[4]);
  }
}

TEST(Config, EnvironmentOverridesDatabaseUrl) {
  ConfigEnvironment environment;
  environment.database_url = "postgresql://env@db.example/school";

  EXPECT_EQ(parse_config(minimal_with(), kFile, environment).database.url, environment.database_url);
  EXPECT_EQ(parse_config(kRoster, kFile, environment).database.url, environment.database_url);
}

TEST(Config, EnvironmentOverridesBaseUrl) {
  ConfigEnvironment environment;
  environment.base_url = "http://127.0.0.1:9/v1";

  const auto config =
      parse_config(minimal_with("blink:\n  base_url: \"https://api.blinksession.com/v1\"\n"), kFile, environment);

  EXPECT_EQ(config.blink.base_url, "http://127.0.0.1:9/v1");
}

TEST(Config, EnvironmentBaseUrlChecked) {
  ConfigEnvironment environment;
  environment.base_url = "http://api.blinksession.com/v1";

  EXPECT_TRUE(contains(only_problem(minimal_with(), environment), "blink.base_url: plain http"));
}

TEST(Config, EnvironmentTokenWins) {
  ConfigEnvironment environment;
  environment.token = "env-token";

  EXPECT_EQ(load_token(config_with_token_file("/nonexistent/token"), environment), "env-token");
}

TEST(Config, TokenSourceNamesEnvironment) {
  ConfigEnvironment environment;
  environment.token = "env-token";

  const auto source = token_source(config_with_token_file("/etc/blink-sync/token"), environment);

  EXPECT_EQ(source, "the BLINK_SYNC_TOKEN environment variable");
}

TEST(Config, TokenSourceNamesFileOrCredential) {
  auto config = config_with_token_file("/etc/blink-sync/token");
  EXPECT_EQ(token_source(config, {}), "blink.token_file (\"/etc/blink-sync/token\")");

  config.blink.token_credential = "blink-token";
  ConfigEnvironment environment;
  environment.credentials_directory = "/run/credentials/blink-sync.service";
  EXPECT_EQ(token_source(config, environment),
            "blink.token_credential (\"/run/credentials/blink-sync.service/blink-token\")");
}

TEST(Config, TokenFromFileTrimmed) {
  const TempFile file(" \t tok-123 \t\r\nsecond line\n");

  EXPECT_EQ(load_token(config_with_token_file(file.path()), {}), "tok-123");
}

TEST(Config, TokenFileMissing) {
  try {
    load_token(config_with_token_file("/nonexistent/blink-sync/token"), {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_TRUE(contains(message, "test.yaml: blink.token_file: cannot read \"/nonexistent/blink-sync/token\""))
        << message;
  }
}

TEST(Config, TokenFileEmpty) {
  for (const auto* contents : {"", "\n", "  \t\r\n"}) {
    const TempFile file(contents);
    try {
      load_token(config_with_token_file(file.path()), {});
      ADD_FAILURE() << "expected ConfigError for contents \"" << contents << "\"";
    } catch (const ConfigError& error) {
      EXPECT_TRUE(contains(error.what(), "is empty; put the organisation's API token on its first line"))
          << error.what();
    }
  }
}

TEST(Config, TokenFileIsDirectory) {
  const auto folder = std::filesystem::temp_directory_path().string();

  try {
    load_token(config_with_token_file(folder), {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_TRUE(contains(error.what(), "blink.token_file: cannot read")) << error.what();
  }
}

TEST(Config, TokenFromSystemdCredential) {
  const TempFile file("cred-token\n");
  const auto folder = std::filesystem::path(file.path()).parent_path().string();
  auto config = config_with_token_file("/nonexistent/token");
  config.blink.token_credential = std::filesystem::path(file.path()).filename().string();
  ConfigEnvironment environment;
  environment.credentials_directory = folder;

  EXPECT_EQ(load_token(config, environment), "cred-token");
}

TEST(Config, CredentialFallsBackToTokenFileOutsideSystemd) {
  const TempFile file("file-token\n");
  auto config = config_with_token_file(file.path());
  config.blink.token_credential = "token";

  EXPECT_EQ(load_token(config, {}), "file-token");
}

TEST(Config, CredentialWithoutSystemdNamesFix) {
  Config config;
  config.path = kFile;
  config.blink.token_credential = "token";

  try {
    load_token(config, {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_TRUE(contains(error.what(), "CREDENTIALS_DIRECTORY is not set")) << error.what();
  }
}

TEST(Config, RemovalGuardKeys) {
  const auto config = parse_config(
      minimal_with("sync:\n  max_removal_percent: 25\n  min_removals_held: 3\n  max_removals: 100\n"), kFile, {});

  EXPECT_EQ(config.sync.max_removal_percent, 25);
  EXPECT_EQ(config.sync.min_removals_held, 3U);
  EXPECT_EQ(config.sync.max_removals, 100U);
}

TEST(Config, RemovalGuardDefaults) {
  const auto config = parse_config(minimal_with(), kFile, {});

  EXPECT_EQ(config.sync.max_removal_percent, 10);
  EXPECT_EQ(config.sync.min_removals_held, 5U);
  EXPECT_EQ(config.sync.max_removals, 500U);
}

TEST(Config, RemovalPercentOutOfRange) {
  EXPECT_TRUE(contains(only_problem(minimal_with("sync:\n  max_removal_percent: 150\n")),
                       "sync.max_removal_percent: expected an integer from 0 to 100"));
}

TEST(Config, LogFormatAndRotation) {
  const auto config = parse_config(minimal_with("log:\n  format: json\n  rotation: external\n"), kFile, {});

  EXPECT_EQ(config.log.format, LogFormat::json);
  EXPECT_EQ(config.log.rotation, LogRotation::external);
  EXPECT_TRUE(contains(only_problem(minimal_with("log:\n  format: xml\n")), "log.format: expected one of text, json"));
}

TEST(Config, NoTokenSource) {
  Config config;
  config.path = kFile;

  try {
    load_token(config, {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_TRUE(contains(error.what(), "no API token")) << error.what();
  }
}

TEST(Config, MessagesOmitSecrets) {
  const std::string secret = "Pa55-SECRET-9f3";
  const std::string url = "postgresql://blink:" + secret + "@db.example/school";
  ConfigEnvironment with_secrets;
  with_secrets.database_url = url;
  with_secrets.token = secret;

  const std::vector<std::pair<std::string, ConfigEnvironment>> cases = {
      {"database:\n  url: \"" + url + "\"\n" + kRoster + "blink:\n  page_size: 0\n  burst: x\n", {}},
      {"database:\n  url: [\"" + url + "\"]\n" + kRoster, {}},
      {"database:\n  url: {password: \"" + secret + "\"}\n" + kRoster, {}},
      {"database: \"" + url + "\"\n" + kRoster, {}},
      {"database:\n  url: \"" + url + "\"\n  password: \"" + secret + "\"\n" + kRoster, {}},
      {minimal_with("blink:\n  token: \"" + secret + "\"\n"), {}},
      {"database:\n  url: [\"" + url + "\"]\n" + kRoster + "log:\n  level: loud\n", with_secrets},
      {"database:\n  url: \"" + url + "\"\nblink:\n  burst: 1: \"" + secret + "\"\n", {}},
  };
  for (const auto& [text, environment] : cases) {
    try {
      parse_config(text, kFile, environment);
      ADD_FAILURE() << "expected ConfigError for:\n" << text;
    } catch (const ConfigError& error) {
      EXPECT_FALSE(contains(error.what(), secret)) << error.what();
    }
  }
}

TEST(Config, TokenMessagesOmitToken) {
  const std::string secret = "tok-SECRET-77";
  const TempFile file("\n" + secret + "\n");

  try {
    load_token(config_with_token_file(file.path()), {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_FALSE(contains(error.what(), secret)) << error.what();
  }
}

TEST(Config, TokenFileReadableByOthersWarned) {
  const std::string secret = "tok-SECRET-5150";
  const TempFile file(secret + "\n");
  for (const auto mode : {std::filesystem::perms::group_read, std::filesystem::perms::others_read}) {
    std::filesystem::permissions(file.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                                  mode);

    const auto warning = token_file_warning(config_with_token_file(file.path()), {});

    ASSERT_TRUE(warning.has_value());
    EXPECT_TRUE(contains(*warning, "run chmod 600 on it")) << *warning;
    EXPECT_TRUE(contains(*warning, file.path())) << *warning;
    EXPECT_FALSE(contains(*warning, secret)) << *warning;
  }
}

TEST(Config, TokenFileModeInWarning) {
  const TempFile file("tok\n");
  std::filesystem::permissions(file.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                                std::filesystem::perms::group_read |
                                                std::filesystem::perms::others_read);

  const auto warning = token_file_warning(config_with_token_file(file.path()), {});

  ASSERT_TRUE(warning.has_value());
  EXPECT_TRUE(contains(*warning, "has mode 0644")) << *warning;
}

TEST(Config, PrivateTokenFileNotWarned) {
  const TempFile file("tok\n");
  for (const auto mode : {std::filesystem::perms::owner_read,
                          std::filesystem::perms::owner_read | std::filesystem::perms::owner_write}) {
    std::filesystem::permissions(file.path(), mode);

    EXPECT_EQ(token_file_warning(config_with_token_file(file.path()), {}), std::nullopt);
  }
}

TEST(Config, TokenFromEnvironmentNotWarned) {
  const TempFile file("tok\n");
  std::filesystem::permissions(file.path(), std::filesystem::perms::all);
  ConfigEnvironment environment;
  environment.token = "env-token";

  EXPECT_EQ(token_file_warning(config_with_token_file(file.path()), environment), std::nullopt);
}

TEST(Config, MissingTokenFileNotWarned) {
  EXPECT_EQ(token_file_warning(config_with_token_file("/nonexistent/blink-sync/token"), {}), std::nullopt);
}

TEST(RedactDatabaseUrl, UriPassword) {
  EXPECT_EQ(redact_database_url("postgresql://blink:Pa55@db.example:5432/school"),
            "postgresql://blink:***@db.example:5432/school");
  EXPECT_EQ(redact_database_url("postgres://blink:p%40ss%2Fw@[::1]:5432/school"), "postgres://blink:***@[::1]:5432/school");
  EXPECT_EQ(redact_database_url("postgresql://:Pa55@db.example/school"), "postgresql://:***@db.example/school");
}

TEST(RedactDatabaseUrl, UriQueryPassword) {
  EXPECT_EQ(redact_database_url("postgresql://db.example/school?user=blink&password=Pa55&sslmode=require"),
            "postgresql://db.example/school?user=blink&password=***&sslmode=require");
}

TEST(RedactDatabaseUrl, UriWithoutPasswordUnchanged) {
  for (const auto* url : {"postgresql://blink_sync@localhost/school", "postgresql://db.example:5432/school",
                          "postgresql:///school?host=/run/postgresql"}) {
    EXPECT_EQ(redact_database_url(url), url);
  }
}

TEST(RedactDatabaseUrl, KeywordPassword) {
  EXPECT_EQ(redact_database_url("host=db.example user=blink password=Pa55 dbname=school"),
            "host=db.example user=blink password=*** dbname=school");
  EXPECT_EQ(redact_database_url("password=Pa55 host=db.example"), "password=*** host=db.example");
  EXPECT_EQ(redact_database_url("host=db.example password = Pa55"), "host=db.example password=***");
}

TEST(RedactDatabaseUrl, QuotedKeywordPassword) {
  EXPECT_EQ(redact_database_url(R"(host=db.example password='Pa 55\' x' dbname=school)"),
            "host=db.example password=*** dbname=school");
}

TEST(RedactDatabaseUrl, KeywordWithoutPasswordUnchanged) {
  const std::string conninfo = "host=db.example user=blink dbname=school passfile=/etc/pgpass";

  EXPECT_EQ(redact_database_url(conninfo), conninfo);
}

}  // namespace
}  // namespace blink_sync
