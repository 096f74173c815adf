-- Where each of Blink's lists was last read, so a cycle can read only the
-- records changed since (newest updated_at first) instead of every page.
-- known_total is the number of records the list should hold now: its
-- total_count at the read, plus the records this daemon created since,
-- minus those it deleted. A later read whose total_count differs, after
-- counting the new records it sees, falls back to a full read, because
-- records were deleted in Blink. It is NULL while a cycle is writing, so
-- a crash leaves no count that could hide a deletion.
CREATE TABLE blink_sync.read_marks (
    entity          text        PRIMARY KEY CHECK (entity IN ('student', 'student_login', 'staff')),
    newest_updated  text        NOT NULL,  -- the newest updated_at read, as YYYY-MM-DD HH:MM:SS
    highest_id      bigint      NOT NULL,  -- the highest id read or created
    known_total     bigint,
    full_read_at    timestamptz NOT NULL,
    read_at         timestamptz NOT NULL DEFAULT now()
);
