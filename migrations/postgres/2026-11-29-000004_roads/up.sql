-- Road patrol (五级公路管护办法): the road register, patrol workers' files, on-road records with
-- their coverage, and the monthly/quarterly checks. Kept equivalent to migrations/sqlite.

CREATE TABLE roads (
    id          TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    length_km   DOUBLE PRECISION NOT NULL,
    responsible TEXT NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- A stretch of a road inside one township, assigned to a patrol worker.
CREATE TABLE road_segments (
    id          TEXT PRIMARY KEY NOT NULL,
    road_id     TEXT NOT NULL REFERENCES roads (id),
    township_id TEXT NOT NULL REFERENCES org_units (id),
    scope_path  TEXT NOT NULL,
    from_km     DOUBLE PRECISION NOT NULL,
    to_km       DOUBLE PRECISION NOT NULL,
    polyline    TEXT NOT NULL,
    worker_id   TEXT REFERENCES users (id),
    updated_at  BIGINT NOT NULL
);
CREATE INDEX road_segments_road ON road_segments (road_id);
CREATE INDEX road_segments_scope ON road_segments (scope_path);
CREATE INDEX road_segments_worker ON road_segments (worker_id);

CREATE TABLE patrol_workers (
    user_id         TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    birth_date      TEXT NOT NULL,
    probation_month TEXT,
    contract_signed BOOLEAN NOT NULL,
    insured         BOOLEAN NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- An on-road record (上路记录): the body as the phone sent it, the thinned track, and figures.
CREATE TABLE patrols (
    id           TEXT PRIMARY KEY NOT NULL,
    worker_id    TEXT NOT NULL REFERENCES users (id),
    scope_path   TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    ended_at     BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    day          TEXT NOT NULL,
    distance_m   DOUBLE PRECISION NOT NULL,
    body         TEXT NOT NULL,
    track        TEXT NOT NULL
);
CREATE INDEX patrols_worker_day ON patrols (worker_id, day);
CREATE INDEX patrols_scope_day ON patrols (scope_path, day);

-- How much of each segment a patrol's track covered.
CREATE TABLE patrol_coverage (
    patrol_id  TEXT NOT NULL REFERENCES patrols (id),
    segment_id TEXT NOT NULL REFERENCES road_segments (id),
    covered    DOUBLE PRECISION,
    PRIMARY KEY (patrol_id, segment_id)
);

-- A monthly random check or a quarterly full inspection, with its draw and scores.
CREATE TABLE road_checks (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    period       TEXT NOT NULL,
    seed         BIGINT NOT NULL,
    draw         TEXT NOT NULL,
    created_by   TEXT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    published_at BIGINT,
    UNIQUE (kind, period)
);

CREATE TABLE road_check_scores (
    check_id   TEXT NOT NULL REFERENCES road_checks (id),
    segment_id TEXT NOT NULL REFERENCES road_segments (id),
    scored_by  TEXT REFERENCES users (id),
    items      TEXT NOT NULL,
    score      DOUBLE PRECISION NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (check_id, segment_id)
);
