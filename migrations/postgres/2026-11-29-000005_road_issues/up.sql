-- Road issues (patrol findings carried through the hazard procedure) with their timeline, and
-- works filings in the road area (先报备、再批复、后实施). Kept equivalent to the other backend.

CREATE TABLE road_works (
    id            TEXT PRIMARY KEY NOT NULL,
    segment_id    TEXT NOT NULL REFERENCES road_segments (id),
    scope_path    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    applicant     TEXT NOT NULL,
    description   TEXT NOT NULL,
    planned_from  TEXT NOT NULL,
    planned_to    TEXT NOT NULL,
    lat           DOUBLE PRECISION,
    lon           DOUBLE PRECISION,
    issue_id      TEXT,
    status        TEXT NOT NULL,
    decision_note TEXT NOT NULL,
    filed_by      TEXT REFERENCES users (id),
    decided_by    TEXT REFERENCES users (id),
    version       BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    decided_at    BIGINT,
    done_at       BIGINT
);
CREATE INDEX road_works_scope ON road_works (scope_path, status);

CREATE TABLE road_issues (
    id               TEXT PRIMARY KEY NOT NULL,
    patrol_id        TEXT REFERENCES patrols (id),
    segment_id       TEXT NOT NULL REFERENCES road_segments (id),
    scope_path       TEXT NOT NULL,
    category         TEXT NOT NULL,
    description      TEXT NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    photos           TEXT NOT NULL,
    works_id         TEXT REFERENCES road_works (id),
    status           TEXT NOT NULL,
    deadline         BIGINT,
    referred_to      TEXT,
    reminded_deadline BIGINT,
    registered_by    TEXT REFERENCES users (id),
    version          BIGINT NOT NULL,
    found_at         BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    closed_at        BIGINT
);
CREATE INDEX road_issues_scope ON road_issues (scope_path, status);
CREATE INDEX road_issues_status_deadline ON road_issues (status, deadline);
CREATE INDEX road_issues_patrol ON road_issues (patrol_id);

CREATE TABLE road_issue_events (
    id          TEXT PRIMARY KEY NOT NULL,
    issue_id    TEXT NOT NULL REFERENCES road_issues (id),
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
    UNIQUE (issue_id, version)
);

-- A notification is about a hazard or a road issue. No foreign key: SQLite cannot drop a
-- column that has one, and the down migration must run on both backends.
ALTER TABLE notifications ADD COLUMN road_issue_id TEXT;
