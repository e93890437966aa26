//! 上下班管理 (第三条: "五级道路管护队伍实行上下班管理制度，确保五级道路管护经常化，防止突击上路"): a
//! township's working hours, and the marks a patrol gets for the road station to look at — outside
//! the hours, entered long after it was walked, or one of many days' records sent in a burst. A
//! mark does not stop a patrol counting (the on-road rule decides that); it puts it before the
//! station, which keeps the month honest before it closes it.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A township's working hours, China time (`PUT /api/v1/roads/hours/{township_id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    /// Working days, 1 (Monday) to 7 (Sunday), each once.
    pub days: Vec<u32>,
    /// Start of the working day, `HH:MM`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub start: String,
    /// End of the working day, `HH:MM`, after the start.
    #[cfg_attr(feature = "openapi", schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub end: String,
}

impl Default for WorkingHours {
    /// Every day, 07:00–19:00: the notice sets no hours; daylight on every day is this project's
    /// default, for the station to narrow.
    fn default() -> Self {
        WorkingHours { days: (1..=7).collect(), start: "07:00".into(), end: "19:00".into() }
    }
}

fn hhmm(s: &str) -> Option<NaiveTime> {
    (s.len() == 5).then(|| NaiveTime::parse_from_str(s, "%H:%M").ok()).flatten()
}

impl WorkingHours {
    /// Checks a township's hours: the field at fault and why.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.days.is_empty() || self.days.iter().any(|d| !(1..=7).contains(d)) {
            return Err(("days", "working days are 1 (Monday) to 7 (Sunday), at least one".into()));
        }
        let mut sorted = self.days.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != self.days.len() {
            return Err(("days", "each day once".into()));
        }
        let start = hhmm(&self.start).ok_or(("start", "HH:MM".to_owned()))?;
        let end = hhmm(&self.end).ok_or(("end", "HH:MM".to_owned()))?;
        if end <= start {
            return Err(("end", "after the start".into()));
        }
        Ok(())
    }

    /// Whether a patrol from `started` to `ended` lies inside the hours: it starts on a working day
    /// (China date), not before the start, and ends by the end of that day's hours.
    pub fn contains(&self, started: DateTime<Utc>, ended: DateTime<Utc>) -> bool {
        let (Some(start), Some(end)) = (hhmm(&self.start), hhmm(&self.end)) else { return true };
        let (s, e) = (crate::time::in_china(started), crate::time::in_china(ended));
        let day = s.weekday().number_from_monday();
        self.days.contains(&day) && s.time() >= start && e.date_naive() == s.date_naive() && e.time() <= end
    }
}

/// A record sent more than this long after it ended was entered after the fact.
pub const ENTERED_LATE_AFTER: Duration = Duration::days(3);
/// Records of this many different days or more, received within [`BURST_WINDOW`], are a burst.
pub const BURST_DAYS: u32 = 3;
/// The window a burst is counted in.
pub const BURST_WINDOW: Duration = Duration::hours(1);

/// A mark on a patrol for the road station.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum PatrolFlag {
    /// 非工作时间: outside the township's working hours.
    OutsideHours,
    /// 事后补录: received `days` days after it ended.
    EnteredLate { days: u32 },
    /// 突击上路: one of `days` different days' records received within an hour.
    Burst { days: u32 },
}

impl PatrolFlag {
    /// The Chinese words shown on screen.
    pub fn label_zh(&self) -> String {
        match self {
            Self::OutsideHours => "非工作时间".into(),
            Self::EnteredLate { days } => format!("事后补录（巡查后{days}天提交）"),
            Self::Burst { days } => format!("突击上路（一小时内提交{days}天的记录）"),
        }
    }

    /// The English words.
    pub fn label_en(&self) -> String {
        match self {
            Self::OutsideHours => "outside working hours".into(),
            Self::EnteredLate { days } => format!("entered {days} days after the patrol"),
            Self::Burst { days } => format!("one of {days} days' records sent within an hour"),
        }
    }
}

/// The marks of a patrol received at `received`: `burst_days` is the number of different days
/// (its own included) of the worker's records received within [`BURST_WINDOW`] before it.
pub fn flags(
    hours: &WorkingHours,
    started: DateTime<Utc>,
    ended: DateTime<Utc>,
    received: DateTime<Utc>,
    burst_days: u32,
) -> Vec<PatrolFlag> {
    let mut out = Vec::new();
    if !hours.contains(started, ended) {
        out.push(PatrolFlag::OutsideHours);
    }
    if received - ended > ENTERED_LATE_AFTER {
        out.push(PatrolFlag::EnteredLate { days: (received - ended).num_days() as u32 });
    }
    if burst_days >= BURST_DAYS {
        out.push(PatrolFlag::Burst { days: burst_days });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// China time on a day of November 2026 (the 2nd is a Monday).
    fn cn(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap() - Duration::hours(8)
    }

    #[test]
    fn hours_are_checked() {
        assert!(WorkingHours::default().validate().is_ok());
        let h = |days: Vec<u32>, s: &str, e: &str| WorkingHours { days, start: s.into(), end: e.into() };
        assert_eq!(h(vec![], "08:00", "17:00").validate().unwrap_err().0, "days");
        assert_eq!(h(vec![0], "08:00", "17:00").validate().unwrap_err().0, "days");
        assert_eq!(h(vec![1, 1], "08:00", "17:00").validate().unwrap_err().0, "days");
        assert_eq!(h(vec![1], "8:00", "17:00").validate().unwrap_err().0, "start");
        assert_eq!(h(vec![1], "08:00", "24:00").validate().unwrap_err().0, "end");
        assert_eq!(h(vec![1], "08:00", "08:00").validate().unwrap_err().0, "end");
    }

    #[test]
    fn a_patrol_inside_the_hours_is_not_marked() {
        let h = WorkingHours { days: vec![1, 2, 3, 4, 5], start: "08:00".into(), end: "17:00".into() };
        assert!(h.contains(cn(2, 8, 0), cn(2, 17, 0)), "the limits themselves are inside");
        assert!(!h.contains(cn(2, 7, 59), cn(2, 9, 0)), "a minute early");
        assert!(!h.contains(cn(2, 16, 0), cn(2, 17, 1)), "a minute late");
        assert!(!h.contains(cn(7, 9, 0), cn(7, 10, 0)), "Saturday");
        assert!(!h.contains(cn(2, 16, 0), cn(3, 9, 0)), "over midnight");
        // 07:30 China time is 23:30 UTC the day before: the China day is what counts.
        let d = WorkingHours { days: vec![1], start: "07:00".into(), end: "19:00".into() };
        assert!(d.contains(cn(2, 7, 30), cn(2, 8, 30)));
    }

    #[test]
    fn late_entries_and_bursts_are_marked() {
        let h = WorkingHours::default();
        let (s, e) = (cn(2, 9, 0), cn(2, 10, 0));
        assert_eq!(flags(&h, s, e, e + Duration::hours(1), 1), vec![]);
        assert_eq!(flags(&h, s, e, e + ENTERED_LATE_AFTER, 1), vec![], "three days exactly is in time");
        assert_eq!(
            flags(&h, s, e, e + ENTERED_LATE_AFTER + Duration::minutes(1), 1),
            vec![PatrolFlag::EnteredLate { days: 3 }]
        );
        assert_eq!(flags(&h, s, e, e, 2), vec![]);
        assert_eq!(flags(&h, s, e, e, 3), vec![PatrolFlag::Burst { days: 3 }]);
        assert_eq!(flags(&h, cn(2, 21, 0), cn(2, 22, 0), cn(2, 22, 0), 1), vec![PatrolFlag::OutsideHours]);
        assert_eq!(PatrolFlag::Burst { days: 5 }.label_zh(), "突击上路（一小时内提交5天的记录）");
        let json = serde_json::to_value(PatrolFlag::EnteredLate { days: 4 }).unwrap();
        assert_eq!(json, serde_json::json!({"flag": "entered_late", "days": 4}));
    }
}
