-- The daemon's own state, apart from the roster's tables. The schema
-- blink_sync and the table blink_sync.schema_migrations are created by the
-- daemon before this file runs.

-- One row per roster record that is kept in step with a Blink record.
-- synced_fields holds the field values Blink was last given or confirmed,
-- keyed by Blink's field names, so the next cycle can tell what changed in
-- the roster without asking Blink. synced_links holds the complete set of
-- linked student ids last sent (staff and student-logins), or NULL.
CREATE TABLE blink_sync.mapping (
    entity        text        NOT NULL CHECK (entity IN ('student', 'student_login', 'staff')),
    local_id      text        NOT NULL,
    blink_id      bigint      NOT NULL CHECK (blink_id > 0),
    synced_fields jsonb       NOT NULL DEFAULT '{}'::jsonb,
    synced_links  jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    synced_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, local_id),
    UNIQUE (entity, blink_id)
);

-- Staff and student-logins are rows of one user table in Blink and share
-- one id sequence, so a Blink user id maps to at most one of them.
CREATE UNIQUE INDEX mapping_user_blink_id
    ON blink_sync.mapping (blink_id)
    WHERE entity IN ('staff', 'student_login');

-- One row per cycle.
CREATE TABLE blink_sync.runs (
    id          bigserial   PRIMARY KEY,
    mode        text        NOT NULL CHECK (mode IN ('poll', 'once', 'resync')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome     text        NOT NULL DEFAULT 'running'
                CHECK (outcome IN ('running', 'succeeded', 'succeeded_with_errors', 'failed', 'interrupted')),
    created     integer     NOT NULL DEFAULT 0,
    adopted     integer     NOT NULL DEFAULT 0,
    updated     integer     NOT NULL DEFAULT 0,
    linked      integer     NOT NULL DEFAULT 0,
    discharged  integer     NOT NULL DEFAULT 0,
    deleted     integer     NOT NULL DEFAULT 0,
    errors      integer     NOT NULL DEFAULT 0,
    api_calls   integer     NOT NULL DEFAULT 0,
    denied      integer     NOT NULL DEFAULT 0,
    message     text
);

-- One row per record-level failure: a bad roster row, a bad link, or a
-- request Blink rejected. Messages carry no names, emails or birth dates.
CREATE TABLE blink_sync.record_errors (
    id          bigserial   PRIMARY KEY,
    run_id      bigint      REFERENCES blink_sync.runs (id) ON DELETE CASCADE,
    entity      text        NOT NULL,
    local_id    text        NOT NULL DEFAULT '',
    blink_id    bigint,
    http_status integer,
    message     text        NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX record_errors_record ON blink_sync.record_errors (entity, local_id);
CREATE INDEX record_errors_run ON blink_sync.record_errors (run_id);
