-- Works filings routed by road level (第五条): 国省道 → 公路段, 县道 → 县交通运输局执法队, 乡村道 →
-- 乡镇政府; and the 行政审批局's approval number an approval records (issue 16). Existing filings
-- get the authority of their road's level. Kept equivalent to the other backend's migration.
ALTER TABLE road_works ADD COLUMN filed_with TEXT NOT NULL DEFAULT 'township';
ALTER TABLE road_works ADD COLUMN approval_ref TEXT NOT NULL DEFAULT '';
UPDATE road_works SET filed_with = CASE (
    SELECT r.level FROM road_segments s JOIN roads r ON r.id = s.road_id WHERE s.id = road_works.segment_id)
    WHEN 'national' THEN 'highway_section'
    WHEN 'provincial' THEN 'highway_section'
    WHEN 'county' THEN 'transport_bureau'
    ELSE 'township' END;
