-- A published check keeps its ranking as it stood at publishing (the 通报 does not change when
-- workers or segments change later). Kept equivalent to migrations/postgres.
ALTER TABLE road_checks ADD COLUMN ranking TEXT;
