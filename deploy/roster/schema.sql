-- Reference roster: the tables a small therapy practice or school might keep
-- for its pupils, their guardians and its clinicians. blink-sync does not
-- depend on this layout: deploy/roster/queries.yaml maps it onto the columns
-- that the daemon reads (docs/roster-queries.md).
--
-- Tests and the demo load it into a throwaway database. It drops and
-- recreates the roster tables, so never run it against a real roster.

BEGIN;

-- Hide the notices from DROP ... IF EXISTS and CREATE SCHEMA IF NOT EXISTS.
SET LOCAL client_min_messages = warning;

CREATE SCHEMA IF NOT EXISTS roster;

DROP TABLE IF EXISTS
    roster.appointment_pupils,
    roster.appointment_clinicians,
    roster.appointments,
    roster.caseload,
    roster.guardian_pupils,
    roster.clinicians,
    roster.guardians,
    roster.pupils,
    roster.sites
    CASCADE;

-- A place where the practice sees pupils.
CREATE TABLE roster.sites (
    id                serial PRIMARY KEY,
    name              text NOT NULL,
    city              text,
    time_zone         text,      -- IANA name, used for pupils without their own
    blink_location_id bigint     -- id of the matching location in Blink, if any
);

-- The people who receive therapy or tutoring.
CREATE TABLE roster.pupils (
    id                       serial PRIMARY KEY,
    given_name               text NOT NULL,
    family_name              text,              -- NULL in some imported records
    birth_date               date NOT NULL,
    time_zone                text,              -- IANA name; NULL means the site's
    notes                    text,
    site_id                  integer REFERENCES roster.sites (id),
    enrolled_on              date NOT NULL DEFAULT CURRENT_DATE,
    left_on                  date,              -- set when the pupil leaves
    blink_session_student_id bigint             -- written back by blink-sync (write_back.students)
);

-- Parents, carers, helpers and adult pupils who sign in to see sessions.
CREATE TABLE roster.guardians (
    id                             serial PRIMARY KEY,
    given_name                     text NOT NULL,
    family_name                    text NOT NULL,
    email                          text NOT NULL,
    mobile                         text,
    home_phone                     text,
    -- Which reminders the guardian wants, by email and by text message.
    email_appointments             boolean NOT NULL DEFAULT true,
    text_appointments              boolean NOT NULL DEFAULT false,
    email_homework                 boolean NOT NULL DEFAULT true,
    text_homework                  boolean NOT NULL DEFAULT false,
    email_invoices                 boolean NOT NULL DEFAULT true,
    text_invoices                  boolean NOT NULL DEFAULT false,
    email_messages                 boolean NOT NULL DEFAULT true,
    text_messages                  boolean NOT NULL DEFAULT false,
    blink_session_student_login_id bigint       -- written back by blink-sync (write_back.student_logins)
);

CREATE TABLE roster.guardian_pupils (
    guardian_id  integer NOT NULL REFERENCES roster.guardians (id) ON DELETE CASCADE,
    pupil_id     integer NOT NULL REFERENCES roster.pupils (id) ON DELETE CASCADE,
    relationship text NOT NULL,  -- mother, father, grandparent, guardian, self
    PRIMARY KEY (guardian_id, pupil_id)
);

-- Therapists and other staff.
CREATE TABLE roster.clinicians (
    id                     serial PRIMARY KEY,
    given_name             text NOT NULL,
    family_name            text NOT NULL,
    preferred_name         text,                -- given name the clinician goes by
    email                  text NOT NULL,
    phone                  text,
    time_zone              text,
    speciality             text,
    is_admin               boolean NOT NULL DEFAULT false,
    manages_schedule       boolean NOT NULL DEFAULT false,
    can_record             boolean NOT NULL DEFAULT true,
    started_on             date NOT NULL DEFAULT CURRENT_DATE,
    left_on                date,
    -- Written back by blink-sync (write_back.staff in queries.yaml): the
    -- Blink id, the link people use to join this clinician's sessions, and
    -- whether the clinician has activated the Blink account. NULL until the
    -- clinician is synced.
    blink_session_staff_id bigint,
    join_by_link           text,
    activated              boolean
);

-- Which clinician sees which pupil.
CREATE TABLE roster.caseload (
    clinician_id integer NOT NULL REFERENCES roster.clinicians (id) ON DELETE CASCADE,
    pupil_id     integer NOT NULL REFERENCES roster.pupils (id) ON DELETE CASCADE,
    started_on   date NOT NULL DEFAULT CURRENT_DATE,
    ended_on     date,
    PRIMARY KEY (clinician_id, pupil_id)
);

-- Appointments (Blink events). A row with repeat_weeks and repeat_count is
-- a series; its starts_at is the first appointment's start, in time_zone.
CREATE TABLE roster.appointments (
    id             serial PRIMARY KEY,
    title          text,                  -- shown when no pupil takes part
    starts_at      timestamp NOT NULL,    -- wall-clock time in time_zone
    time_zone      text NOT NULL,
    minutes        integer,               -- NULL for an all-day appointment
    all_day        boolean NOT NULL DEFAULT false,
    details        text,
    type_id        integer,
    status         text NOT NULL DEFAULT 'Scheduled',
    repeat_weeks   integer,               -- 1, 2 or 4
    repeat_count   integer,               -- 2 to 104
    blink_event_id bigint,                -- written back from Blink
    blink_status_at timestamptz           -- when a status from Blink was written back
);

CREATE TABLE roster.appointment_clinicians (
    appointment_id integer NOT NULL REFERENCES roster.appointments (id) ON DELETE CASCADE,
    clinician_id   integer NOT NULL REFERENCES roster.clinicians (id) ON DELETE CASCADE,
    PRIMARY KEY (appointment_id, clinician_id)
);

CREATE TABLE roster.appointment_pupils (
    appointment_id integer NOT NULL REFERENCES roster.appointments (id) ON DELETE CASCADE,
    pupil_id       integer NOT NULL REFERENCES roster.pupils (id) ON DELETE CASCADE,
    PRIMARY KEY (appointment_id, pupil_id)
);

CREATE INDEX caseload_pupil_idx ON roster.caseload (pupil_id);
CREATE INDEX guardian_pupils_pupil_idx ON roster.guardian_pupils (pupil_id);

COMMIT;
