-- Fields that the roster and Blink both changed, to different values, since
-- the last sync. A row is open (resolved_at IS NULL) until the policy's
-- outcome is applied (roster_wins, blink_wins) or, under report, until the
-- two sides agree again. At most one open row exists per entity, record,
-- field and pair of values, so a conflict is recorded once, not every cycle.
-- The values are personal data; grant this table as narrowly as the roster.
CREATE TABLE blink_sync.conflicts (
    id            bigserial   PRIMARY KEY,
    entity        text        NOT NULL CHECK (entity IN ('student', 'student_login', 'staff')),
    local_id      text        NOT NULL,
    blink_id      bigint      NOT NULL,
    field         text        NOT NULL,  -- the Blink key
    roster_value  text        NOT NULL,
    blink_value   text        NOT NULL,
    base_value    text,                  -- the last-synced value, when one was known
    policy        text        NOT NULL CHECK (policy IN ('roster_wins', 'blink_wins', 'report')),
    outcome       text        NOT NULL,  -- roster_value_sent, blink_value_pulled or reported
    run_id        bigint,
    detected_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz
);

CREATE UNIQUE INDEX conflicts_open_once
    ON blink_sync.conflicts (entity, local_id, field, roster_value, blink_value)
    WHERE resolved_at IS NULL;

-- Blink records that no roster record maps or adopts, under the import
-- policy, for the roster to take in. fields holds the record's values by
-- Blink key. A row is written again only when Blink's values change.
CREATE TABLE blink_sync.blink_only_records (
    entity      text        NOT NULL CHECK (entity IN ('student', 'student_login', 'staff')),
    blink_id    bigint      NOT NULL,
    fields      jsonb       NOT NULL,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, blink_id)
);
