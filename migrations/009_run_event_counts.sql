-- Appointment (event) writes of each cycle, apart from the record counts,
-- so created, updated and deleted count only students, student-logins and
-- staff. Rows written before this migration, by a daemon with
-- events.enabled, count their appointment writes in those record columns.
ALTER TABLE blink_sync.runs
    ADD COLUMN events_created integer NOT NULL DEFAULT 0,
    ADD COLUMN events_updated integer NOT NULL DEFAULT 0,
    ADD COLUMN events_deleted integer NOT NULL DEFAULT 0;
