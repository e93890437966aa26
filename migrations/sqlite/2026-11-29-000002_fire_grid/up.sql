-- Fire-safety grid work (notice 4号): premises ledger, checklist templates, inspections, hazards
-- with their timeline, notifications. Kept equivalent to migrations/postgres.

CREATE TABLE premises (
    id                 TEXT PRIMARY KEY NOT NULL,
    grid_id            TEXT NOT NULL REFERENCES org_units (id),
    name               TEXT NOT NULL,
    premise_type       TEXT NOT NULL,
    address            TEXT NOT NULL,
    lat                DOUBLE PRECISION,
    lon                DOUBLE PRECISION,
    accuracy_m         DOUBLE PRECISION,
    responsible_person TEXT NOT NULL,
    responsible_phone  TEXT,
    notes              TEXT NOT NULL,
    active             BOOLEAN NOT NULL,
    version            BIGINT NOT NULL,
    created_by         TEXT REFERENCES users (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX premises_grid ON premises (grid_id, active);

-- Every change to a premise: who, when, the fields before and after (JSON).
CREATE TABLE premise_history (
    id          TEXT PRIMARY KEY NOT NULL,
    premise_id  TEXT NOT NULL REFERENCES premises (id),
    version     BIGINT NOT NULL,
    changed_by  TEXT REFERENCES users (id),
    at          BIGINT NOT NULL,
    change      TEXT NOT NULL
);
CREATE INDEX premise_history_premise ON premise_history (premise_id, version);

-- Published template versions; never updated after insert.
CREATE TABLE checklist_templates (
    id            TEXT PRIMARY KEY NOT NULL,
    premise_type  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    content       TEXT NOT NULL,
    published_by  TEXT REFERENCES users (id),
    published_at  BIGINT NOT NULL,
    UNIQUE (premise_type, version)
);

CREATE TABLE inspections (
    id            TEXT PRIMARY KEY NOT NULL,
    premise_id    TEXT NOT NULL REFERENCES premises (id),
    template_id   TEXT NOT NULL REFERENCES checklist_templates (id),
    inspector_id  TEXT NOT NULL REFERENCES users (id),
    started_at    BIGINT NOT NULL,
    finished_at   BIGINT NOT NULL,
    received_at   BIGINT NOT NULL,
    lat           DOUBLE PRECISION,
    lon           DOUBLE PRECISION,
    accuracy_m    DOUBLE PRECISION,
    body          TEXT NOT NULL,
    corrects_id   TEXT REFERENCES inspections (id),
    hazard_count  INTEGER NOT NULL
);
CREATE INDEX inspections_premise ON inspections (premise_id, finished_at);
CREATE INDEX inspections_finished ON inspections (finished_at);

CREATE TABLE hazards (
    id                TEXT PRIMARY KEY NOT NULL,
    premise_id        TEXT NOT NULL REFERENCES premises (id),
    inspection_id     TEXT REFERENCES inspections (id),
    item_id           TEXT,
    category          TEXT NOT NULL,
    severity          TEXT NOT NULL,
    status            TEXT NOT NULL,
    description       TEXT NOT NULL,
    deadline          BIGINT,
    referred_to       TEXT,
    brigade_accepted  BOOLEAN NOT NULL,
    reminded_deadline BIGINT,
    photos            TEXT NOT NULL,
    registered_by     TEXT REFERENCES users (id),
    version           BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    closed_at         BIGINT
);
CREATE INDEX hazards_premise ON hazards (premise_id);
CREATE INDEX hazards_status_deadline ON hazards (status, deadline);
CREATE INDEX hazards_created ON hazards (created_at);

-- The append-only timeline of each hazard: every transition with actor, times, place and photos.
CREATE TABLE hazard_events (
    id          TEXT PRIMARY KEY NOT NULL,
    hazard_id   TEXT NOT NULL REFERENCES hazards (id),
    version     BIGINT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor_id    TEXT REFERENCES users (id),
    actor_role  TEXT NOT NULL,
    at          BIGINT NOT NULL,
    device_at   BIGINT,
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    note        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    UNIQUE (hazard_id, version)
);

CREATE TABLE notifications (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    hazard_id   TEXT REFERENCES hazards (id),
    message     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
