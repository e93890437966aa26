-- A township's pay scheme (第十四、二十、二十六条: base, 责任到位率 deductions, 扣劣奖优 by the
-- checks), set by its township office or the county; none: the county's defaults (`[pay]`).
-- Kept equivalent to the other backend's migration (issue 16).
CREATE TABLE road_pay_schemes (
    township_id                    TEXT PRIMARY KEY NOT NULL REFERENCES org_units (id),
    base_yuan                      DOUBLE PRECISION NOT NULL,
    required_days                  INTEGER NOT NULL,
    deduction_per_missing_day_yuan DOUBLE PRECISION NOT NULL,
    poor_below                     DOUBLE PRECISION NOT NULL,
    poor_deduction_yuan            DOUBLE PRECISION NOT NULL,
    good_from                      DOUBLE PRECISION NOT NULL,
    good_bonus_yuan                DOUBLE PRECISION NOT NULL,
    updated_by                     TEXT NOT NULL REFERENCES users (id),
    updated_at                     BIGINT NOT NULL
);
