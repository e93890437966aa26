//! China time, the county's calendar: days, months and quarters, deadlines and the dates printed on
//! files are all counted in it, never in UTC. The county lies in one time zone, China Standard Time
//! (UTC+8), which has no daylight saving time (none since 1991), so it is a fixed offset and every
//! local time maps to exactly one instant.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// China Standard Time's offset from UTC, in seconds (UTC+8).
pub const CHINA_OFFSET_SECS: i32 = 8 * 3600;

/// The offset as chrono's time zone (checked when compiled).
const CHINA: FixedOffset = match FixedOffset::east_opt(CHINA_OFFSET_SECS) {
    Some(offset) => offset,
    None => panic!("China Standard Time is a valid offset"),
};

/// An instant as China time (wall clock and calendar).
pub fn in_china(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&CHINA)
}

/// The county's calendar day of an instant.
pub fn china_date(t: DateTime<Utc>) -> NaiveDate {
    in_china(t).date_naive()
}

/// The instant of a China wall-clock time; `None` only at the edges of chrono's range.
pub fn from_china(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    CHINA.from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc))
}

/// The first instant (00:00 China time) of a calendar month, `month` 1–12; `None` for a month
/// outside 1–12.
pub fn month_start(year: i32, month: u32) -> Option<DateTime<Utc>> {
    from_china(NaiveDate::from_ymd_opt(year, month, 1)?.and_hms_opt(0, 0, 0)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_day_turns_at_sixteen_hundred_utc() {
        assert_eq!(china_date(utc("2026-11-30T16:00:00Z")), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(china_date(utc("2026-11-30T15:59:59Z")), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    }

    #[test]
    fn china_time_is_eight_hours_ahead_all_year() {
        // No daylight saving: the same offset in winter and in summer.
        for t in ["2026-01-15T04:00:00Z", "2026-07-15T04:00:00Z"] {
            let l = in_china(utc(t));
            assert_eq!(l.offset().local_minus_utc(), CHINA_OFFSET_SECS);
            assert_eq!(l.naive_local(), utc(t).naive_utc() + chrono::Duration::hours(8));
        }
    }

    #[test]
    fn local_times_map_back_to_their_instant() {
        let local = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(from_china(local), Some(utc("2026-11-30T16:00:00Z")));
        let t = utc("2026-05-11T15:59:00Z");
        assert_eq!(from_china(in_china(t).naive_local()), Some(t));
    }

    #[test]
    fn months_start_at_midnight_china_time() {
        assert_eq!(month_start(2026, 12), Some(utc("2026-11-30T16:00:00Z")));
        assert_eq!(month_start(2026, 1), Some(utc("2025-12-31T16:00:00Z")));
        assert_eq!(month_start(2026, 0), None);
        assert_eq!(month_start(2026, 13), None);
    }
}
