-- Appointments (Blink events). Three tables: the mapping of each roster
-- appointment to its Blink event or series, with the copy last synced; and
-- the copy of every event read from Blink for a mapped staff member within
-- the read window, including events people created in Blink, so a clinic
-- can query them.

-- Intents of event writes go to the same journal as the other writes.
ALTER TABLE blink_sync.intents DROP CONSTRAINT intents_entity_check;
ALTER TABLE blink_sync.intents ADD CONSTRAINT intents_entity_check
    CHECK (entity IN ('student', 'student_login', 'staff', 'event'));

CREATE TABLE blink_sync.event_mapping (
    local_id       text        PRIMARY KEY,
    -- A single event: its id. A series: the id of the series, which is the
    -- recurring_of_event_id of its events (the first event's id, or the id
    -- of the event a series edit started from).
    blink_event_id bigint      NOT NULL UNIQUE CHECK (blink_event_id > 0),
    is_series      boolean     NOT NULL,
    -- What Blink was last given or confirmed, in Blink ids and UTC: see
    -- daemon/event_store.cpp for the keys.
    synced         jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    synced_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blink_sync.remote_events (
    blink_event_id   bigint      PRIMARY KEY,
    -- The roster appointment the event belongs to; NULL for an event
    -- created in Blink.
    local_id         text,
    series_id        bigint,     -- Blink's recurring_of_event_id
    status           text        NOT NULL,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    all_day          boolean     NOT NULL DEFAULT false,
    staff_ids        bigint[]    NOT NULL DEFAULT '{}',
    student_ids      bigint[]    NOT NULL DEFAULT '{}',
    title            text        NOT NULL DEFAULT '',
    details          text        NOT NULL DEFAULT '',
    type_id          bigint,
    blink_updated_at text,       -- as Blink wrote it, made sortable
    read_at          timestamptz NOT NULL DEFAULT now(),
    -- When a read first saw the current status, when it differs from the
    -- one stored before.
    status_changed_at timestamptz
);

CREATE INDEX remote_events_local ON blink_sync.remote_events (local_id);
CREATE INDEX remote_events_start ON blink_sync.remote_events (starts_at);
