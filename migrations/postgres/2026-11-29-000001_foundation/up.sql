-- The county tree, accounts and login sessions. Kept equivalent to migrations/sqlite.
-- Ids are UUIDv7 text; times are Unix milliseconds (UTC) so both backends share one schema.rs.
CREATE TABLE org_units (
    id          TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('county', 'township', 'village', 'grid')),
    parent_id   TEXT REFERENCES org_units (id),
    path        TEXT NOT NULL UNIQUE,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX org_units_parent ON org_units (parent_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_unit_id   TEXT NOT NULL REFERENCES org_units (id),
    phone         TEXT,
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX users_org_unit ON users (org_unit_id);

-- One row per issued refresh token; only its SHA-256 is stored. A family is one login on one device.
CREATE TABLE refresh_tokens (
    id                TEXT PRIMARY KEY NOT NULL,
    user_id           TEXT NOT NULL REFERENCES users (id),
    family_id         TEXT NOT NULL,
    token_hash        TEXT NOT NULL UNIQUE,
    device_name       TEXT,
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    family_expires_at BIGINT NOT NULL,
    used_at           BIGINT,
    revoked_at        BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Who did what, when: account and tree changes.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY NOT NULL,
    actor_id    TEXT REFERENCES users (id),
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id);
