ALTER TABLE road_works DROP COLUMN approval_ref;
ALTER TABLE road_works DROP COLUMN filed_with;
