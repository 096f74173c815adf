-- The intent journal: one row per POST, PUT or DELETE, committed before the
-- request is sent. The outcome is written when the response arrives, in the
-- same transaction as the mapping change it causes. A row whose outcome is
-- still NULL is "in doubt": Blink may or may not have applied the request,
-- so it is resolved by a lookup in Blink before the record is written again.
CREATE TABLE blink_sync.intents (
    id               bigserial   PRIMARY KEY,
    run_id           bigint      REFERENCES blink_sync.runs (id) ON DELETE SET NULL,
    entity           text        NOT NULL CHECK (entity IN ('student', 'student_login', 'staff')),
    local_id         text        NOT NULL,
    operation        text        NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    -- The target of an update or delete; for a create, the id Blink returned
    -- or the one a lookup found.
    blink_id         bigint,
    -- The key Blink spots duplicates by (lower-cased email, or normalised
    -- names and date of birth), as sent. A lookup uses this, not the
    -- roster's current values, which may have changed since.
    natural_key      text        NOT NULL DEFAULT '',
    -- SHA-256 of the request body, to tell two attempts apart in an audit.
    payload_digest   text        NOT NULL DEFAULT '',
    intended_at      timestamptz NOT NULL DEFAULT now(),
    -- True once some response arrived, even an error: Blink had finished
    -- with the request, so a lookup right after it is conclusive.
    response_arrived boolean     NOT NULL DEFAULT false,
    http_status      integer,
    outcome          text        CHECK (outcome IN (
                         'applied',      -- Blink confirmed it
                         'rejected',     -- Blink answered with an error and changed nothing
                         'not_sent',     -- the request never left this host
                         'found',        -- in doubt, then the record was found in Blink and mapped
                         'not_applied',  -- in doubt, then a lookup showed Blink does not have it
                         'superseded')), -- in doubt update or delete, re-planned from a fresh read
    resolved_at      timestamptz,
    note             text
);

CREATE INDEX intents_in_doubt ON blink_sync.intents (entity, local_id) WHERE outcome IS NULL;
CREATE INDEX intents_run ON blink_sync.intents (run_id);
