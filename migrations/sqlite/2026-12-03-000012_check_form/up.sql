-- The county's check form (第二十四条): the road part's points and the road station's own items
-- (交管站建设, 交管员配备, 养护队伍, 公路法规宣传, 打药灭草), 100 points in all. One row, 'county', once the
-- county sets it; none: the default in `shared`. A check keeps the form it was drawn with (NULL for
-- checks drawn before: the road part alone), and each township's station items are scored once a
-- check (issue 16). Kept equivalent to the other backend's migration.
CREATE TABLE road_check_form (
    id         TEXT PRIMARY KEY NOT NULL,
    form       TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
ALTER TABLE road_checks ADD COLUMN form TEXT;
CREATE TABLE road_check_stations (
    check_id    TEXT NOT NULL REFERENCES road_checks (id),
    township_id TEXT NOT NULL REFERENCES org_units (id),
    items       TEXT NOT NULL,
    points      DOUBLE PRECISION NOT NULL,
    note        TEXT,
    scored_by   TEXT REFERENCES users (id),
    at          BIGINT NOT NULL,
    PRIMARY KEY (check_id, township_id)
);
