ALTER TABLE notifications DROP COLUMN road_issue_id;
DROP TABLE road_issue_events;
DROP TABLE road_issues;
DROP TABLE road_works;
