DROP TABLE road_check_scores;
DROP TABLE road_checks;
DROP TABLE patrol_coverage;
DROP TABLE patrols;
DROP TABLE patrol_workers;
DROP TABLE road_segments;
DROP TABLE roads;
