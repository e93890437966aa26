-- The roadside register (第七条): the fruit stores, businesses and households along each road whose
-- 门前三包 agreement the village committee signs, with the holder (户主) of each plot and how to reach
-- them; and the party a road issue names as responsible, by whom and when (issue 16). Kept
-- equivalent to the other backend's migration.
CREATE TABLE roadside_parties (
    id           TEXT PRIMARY KEY NOT NULL,
    segment_id   TEXT NOT NULL REFERENCES road_segments (id),
    scope_path   TEXT NOT NULL,
    village      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    holder       TEXT NOT NULL,
    phone        TEXT NOT NULL,
    from_km      DOUBLE PRECISION NOT NULL,
    to_km        DOUBLE PRECISION NOT NULL,
    side         TEXT NOT NULL,
    agreement_on TEXT,
    note         TEXT NOT NULL,
    active       BOOLEAN NOT NULL,
    updated_by   TEXT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX roadside_parties_segment ON roadside_parties (segment_id, from_km);
CREATE INDEX roadside_parties_scope ON roadside_parties (scope_path);
CREATE TABLE road_issue_parties (
    issue_id TEXT PRIMARY KEY NOT NULL REFERENCES road_issues (id),
    party_id TEXT NOT NULL REFERENCES roadside_parties (id),
    named_by TEXT REFERENCES users (id),
    named_at BIGINT NOT NULL
);
