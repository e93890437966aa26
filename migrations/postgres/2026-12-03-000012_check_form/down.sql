DROP TABLE road_check_stations;
ALTER TABLE road_checks DROP COLUMN form;
DROP TABLE road_check_form;
