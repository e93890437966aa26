DROP TABLE road_issue_parties;
DROP TABLE roadside_parties;
