-- A drawn segment of a road check the inspector found not checkable (不具备检查条件), with the reason,
-- who and when: it is left out of its township's mean, and publishing needs every drawn segment
-- scored or marked (issue 16).
CREATE TABLE road_check_marks (
    check_id   TEXT NOT NULL REFERENCES road_checks (id),
    segment_id TEXT NOT NULL REFERENCES road_segments (id),
    marked_by  TEXT REFERENCES users (id),
    reason     TEXT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (check_id, segment_id)
);
