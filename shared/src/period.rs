//! Calendar periods as the API writes them: a month is `YYYY-MM`, exactly (no `2026-1`).

/// The pattern of a month, for the API document.
pub const MONTH_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])$";
/// The pattern of a road check's period: a month, or a quarter `YYYY-Qn`.
pub const CHECK_PERIOD_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$";

/// Year and month of `YYYY-MM`, or `None` for anything else.
pub fn parse_month(s: &str) -> Option<(i32, u32)> {
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
        return None;
    }
    let month: u32 = s[5..].parse().ok()?;
    (1..=12).contains(&month).then(|| (s[..4].parse().ok(), month)).and_then(|(y, m)| Some((y?, m)))
}

#[cfg(test)]
mod tests {
    use super::parse_month;

    #[test]
    fn a_month_is_exactly_yyyy_mm() {
        assert_eq!(parse_month("2026-11"), Some((2026, 11)));
        assert_eq!(parse_month("0001-01"), Some((1, 1)));
        for bad in ["2026-1", "2026-13", "2026-00", "26-11", "2026/11", "+026-11", "2026-1a", "2026-11-01", ""] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }
}
