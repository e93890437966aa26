-- The offline sync protocol: device operations applied once, the change feed devices pull from,
-- content-addressed attachments. Kept equivalent to migrations/sqlite.

-- One row per operation a device pushed, written in the transaction that applied it: a repeat of
-- the op id answers this stored result and changes nothing.
CREATE TABLE device_ops (
    op_id        TEXT PRIMARY KEY NOT NULL,
    device_id    TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    device_seq   BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    result       TEXT NOT NULL,
    applied_at   BIGINT NOT NULL
);
CREATE INDEX device_ops_device ON device_ops (device_id, device_seq);

-- The change feed: the latest change of each record for each audience (a scope path, '/' for
-- everyone, or 'user:<id>'). Writers take the next sequence number from sync_counter, whose row
-- lock orders commits, so a reader never sees number n+1 before n.
CREATE TABLE changes (
    seq        BIGINT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    audience   TEXT NOT NULL,
    removed    BOOLEAN NOT NULL,
    at         BIGINT NOT NULL,
    UNIQUE (kind, entity_id, audience)
);
CREATE INDEX changes_audience ON changes (audience, seq);

CREATE TABLE sync_counter (
    id    INTEGER PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
INSERT INTO sync_counter (id, value) VALUES (1, 0);

-- Facts about this database: its epoch changes when it is reset or restored, so cursors from
-- before are recognised and answered with a full resync.
CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE attachments (
    sha256      TEXT PRIMARY KEY NOT NULL,
    size        BIGINT NOT NULL,
    mime        TEXT NOT NULL,
    uploaded_by TEXT REFERENCES users (id),
    uploaded_at BIGINT NOT NULL
);

-- Which records reference which photo, with the record's scope: who may download it.
CREATE TABLE attachment_refs (
    sha256     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    scope_path TEXT NOT NULL,
    PRIMARY KEY (sha256, kind, entity_id)
);
