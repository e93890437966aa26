DROP TABLE road_check_marks;
