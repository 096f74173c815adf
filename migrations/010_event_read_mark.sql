-- What the last read of Blink's events was made from, so a cycle whose
-- appointments and mappings did not change can skip that read until
-- sync.reconcile_interval_seconds have passed, as it does for records.
CREATE TABLE blink_sync.event_read_mark (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    -- SHA-256 of the appointment rows, the window, the mapped staff and
    -- the event mapping the read was planned from.
    digest    text        NOT NULL,
    read_at   timestamptz NOT NULL
);
