-- What the daemon last read from Blink for each record, and the roster
-- write-backs that failed and wait for a retry.

-- One row per Blink record as last read (a list read, a single GET, or the
-- response to a create or update), mapped or not. fields holds the field
-- values in canonical form keyed by Blink's field names, as in
-- blink_sync.mapping.synced_fields. Values that only Blink has are kept in
-- columns of their own. Blink writes its timestamps in the organisation's
-- time zone without naming it (for example "2019-04-25 10:39:49" or
-- "Apr 9, 2018,  4:25 pm"), so the parsed value is a timestamp without a
-- time zone, beside the text as Blink wrote it. A row is deleted when a read
-- confirms that the record is gone from Blink, or when the daemon deletes
-- the record.
CREATE TABLE blink_sync.remote_records (
    entity          text        NOT NULL CHECK (entity IN ('student', 'student_login', 'staff')),
    blink_id        bigint      NOT NULL CHECK (blink_id > 0),
    local_id        text,       -- the roster record it is mapped to, when read
    fields          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    linked_students jsonb,      -- ids of the linked students, when Blink returned them
    join_by_link    text,       -- staff only
    activated       boolean,    -- staff and student-logins
    created_at      timestamp,
    created_at_text text,
    updated_at      timestamp,
    updated_at_text text,
    read_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, blink_id)
);

CREATE INDEX remote_records_local ON blink_sync.remote_records (entity, local_id) WHERE local_id IS NOT NULL;

-- One row per write-back statement that failed after its record was
-- written to Blink. The mapping was committed in the same transaction, and
-- the statement runs again with these parameters at the start of every
-- cycle until it succeeds. It is kept in its own table, not as a flag on
-- blink_sync.mapping, because a removal deletes the mapping row.
CREATE TABLE blink_sync.pending_write_backs (
    entity          text        NOT NULL CHECK (entity IN ('student', 'student_login', 'staff')),
    local_id        text        NOT NULL,
    event           text        NOT NULL CHECK (event IN ('created', 'adopted', 'changed_in_blink', 'removed')),
    blink_id        bigint      NOT NULL,
    parameters      jsonb       NOT NULL,  -- the named values bound to the statement, by name
    attempts        integer     NOT NULL DEFAULT 1,
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    last_failed_at  timestamptz NOT NULL DEFAULT now(),
    last_error      text        NOT NULL,  -- no personal data: quoted values are masked
    PRIMARY KEY (entity, local_id, event)
);
