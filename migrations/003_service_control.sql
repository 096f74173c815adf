-- What a running service shares with the blink-sync commands an
-- administrator runs beside it (status, --resync).

-- The running daemon, one row at most. The daemon refreshes beat_at every
-- few seconds and deletes the row when it stops; a row whose beat_at is
-- older than a minute is left from a daemon that died.
CREATE TABLE blink_sync.service_heartbeat (
    singleton     boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    pid           integer     NOT NULL,
    host          text        NOT NULL,
    version       text        NOT NULL,
    config_path   text        NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    beat_at       timestamptz NOT NULL DEFAULT now(),
    next_cycle_at timestamptz
);

-- Requests for a full resync from blink-sync --resync while the daemon
-- runs. The daemon sets accepted_at when it sees one (a NOTIFY on
-- blink_sync_resync wakes it), started_at when the resync cycle begins and
-- run_id when it ends.
CREATE TABLE blink_sync.resync_requests (
    id               bigserial   PRIMARY KEY,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    requested_by     text        NOT NULL DEFAULT current_user,
    allowed_removals integer     CHECK (allowed_removals >= 0),
    accepted_at      timestamptz,
    started_at       timestamptz,
    run_id           bigint      REFERENCES blink_sync.runs (id) ON DELETE SET NULL
);

CREATE INDEX resync_requests_open ON blink_sync.resync_requests (id) WHERE started_at IS NULL;

-- One row per record and error message seen in the last completed cycle,
-- so a repeated error is logged the first time, when its message changes,
-- and then at most once an hour with a count. unlogged counts the
-- occurrences since last_logged. A row is removed when a completed cycle
-- no longer reports that error.
CREATE TABLE blink_sync.records_in_error (
    entity        text        NOT NULL,
    local_id      text        NOT NULL,
    blink_id      bigint,
    http_status   integer,
    message       text        NOT NULL,
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    last_logged   timestamptz NOT NULL DEFAULT now(),
    unlogged      integer     NOT NULL DEFAULT 0,
    last_run_id   bigint,
    PRIMARY KEY (entity, local_id, message)
);
