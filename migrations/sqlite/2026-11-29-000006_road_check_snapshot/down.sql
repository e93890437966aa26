ALTER TABLE road_checks DROP COLUMN ranking;
