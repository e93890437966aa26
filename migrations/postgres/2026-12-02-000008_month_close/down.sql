DROP TABLE road_months;
DROP TABLE road_signers;
DROP TABLE road_hours;
ALTER TABLE patrols DROP COLUMN flags;
ALTER TABLE patrols DROP COLUMN faults;
