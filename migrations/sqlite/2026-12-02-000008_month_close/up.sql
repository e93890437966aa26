-- Issue 16: what a patrol was judged on when it arrived, working hours, and the township's month close
-- (第二十一、二十二条). Kept equivalent to the other backend's migration.

-- Why a patrol is not an on-road record (a JSON list of faults; `[]` counts). NULL: received before
-- the on-road rule, judged by its coverage alone.
ALTER TABLE patrols ADD COLUMN faults TEXT;
-- Marks for the road station (上下班管理, 第三条): outside the hours, entered late, a burst (JSON list).
ALTER TABLE patrols ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';

-- A township's working hours (China time); none: the default, every day 07:00–19:00.
CREATE TABLE road_hours (
    township_id TEXT PRIMARY KEY NOT NULL REFERENCES org_units (id),
    days        TEXT NOT NULL,
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    updated_by  TEXT NOT NULL REFERENCES users (id),
    updated_at  BIGINT NOT NULL
);

-- Who signs a township's pay sheets after its 交管员: the 分管副职 and the 乡(镇)长.
CREATE TABLE road_signers (
    township_id    TEXT PRIMARY KEY NOT NULL REFERENCES org_units (id),
    deputy_head_id TEXT NOT NULL REFERENCES users (id),
    head_id        TEXT NOT NULL REFERENCES users (id),
    updated_by     TEXT NOT NULL REFERENCES users (id),
    updated_at     BIGINT NOT NULL
);

-- A township's closed month: the pay sheet as frozen when the road station closed it, and the
-- signatures in order (交管员, 分管副职, then the 乡(镇)长's approval).
CREATE TABLE road_months (
    township_id TEXT NOT NULL REFERENCES org_units (id),
    month       TEXT NOT NULL,
    sheet       TEXT NOT NULL,
    closed_by   TEXT NOT NULL REFERENCES users (id),
    closed_at   BIGINT NOT NULL,
    officer_id  TEXT REFERENCES users (id),
    officer_at  BIGINT,
    deputy_id   TEXT REFERENCES users (id),
    deputy_at   BIGINT,
    head_id     TEXT REFERENCES users (id),
    head_at     BIGINT,
    PRIMARY KEY (township_id, month)
);
