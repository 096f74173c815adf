-- Blink's attendance reports (GET /v1/reports/events and /v1/reports/sessions),
-- imported by day range so a clinic can bill from its own database. Each
-- table has one row per report row, keyed by Blink's report row id. Times
-- with a time of day are UTC instants (*_at); the text Blink sent, a local
-- time in the zone of the `timezone` column, is kept beside each one
-- (*_text), and the whole row as sent is in `raw`, so a value that could not
-- be read is not lost. changed_at is set only when a later import finds the
-- row's content (raw) different; last_seen_at by every import that reads it.
CREATE TABLE blink_sync.report_events (
    id                  bigint      PRIMARY KEY,
    start_at            timestamptz,
    start_text          text,
    end_at              timestamptz,
    end_text            text,
    all_day             boolean,
    status              text,
    type_id             bigint,
    type_name           text,
    title               text,
    staff_id            bigint,
    staff_name          text,
    student_connected   boolean,
    blink_created_at    timestamptz,
    blink_created_text  text,
    blink_updated_at    timestamptz,
    blink_updated_text  text,
    timezone            text        NOT NULL,
    raw                 jsonb       NOT NULL,
    first_imported_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at        timestamptz NOT NULL DEFAULT now(),
    changed_at          timestamptz
);

CREATE INDEX report_events_start ON blink_sync.report_events (start_at);
CREATE INDEX report_events_staff ON blink_sync.report_events (staff_id);

-- session_length is text because the API document shows only null for it
-- and gives no unit.
CREATE TABLE blink_sync.report_sessions (
    id                            bigint      PRIMARY KEY,
    session_id                    bigint,
    session_created_at            timestamptz,
    session_created_text          text,
    staff_joined_at               timestamptz,
    staff_joined_text             text,
    student_joined_at             timestamptz,
    student_joined_text           text,
    session_length                text,
    staff_id                      bigint,
    staff_name                    text,
    student_ids                   bigint[],
    student_ids_text              text,
    student_names                 text,
    recording_minutes             bigint,
    recording_deleted_at          timestamptz,
    recording_deleted_text        text,
    recording_visible_to_student  boolean,
    timezone                      text        NOT NULL,
    raw                           jsonb       NOT NULL,
    first_imported_at             timestamptz NOT NULL DEFAULT now(),
    last_seen_at                  timestamptz NOT NULL DEFAULT now(),
    changed_at                    timestamptz
);

CREATE INDEX report_sessions_session ON blink_sync.report_sessions (session_id);
CREATE INDEX report_sessions_created ON blink_sync.report_sessions (session_created_at);

-- Where each report's import stands. imported_through is the last day
-- (in `timezone`) of the last range read completely; the next import starts
-- reports.overlap_days before it. attempted_at and last_error are
-- those of the latest import, which may have failed without moving
-- imported_through.
CREATE TABLE blink_sync.report_marks (
    report            text        PRIMARY KEY CHECK (report IN ('events', 'sessions')),
    imported_through  date,
    timezone          text        NOT NULL,
    imported_at       timestamptz,
    attempted_at      timestamptz NOT NULL DEFAULT now(),
    last_error        text
);
