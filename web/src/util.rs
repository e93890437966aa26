//! Time and text helpers. Times on screen are China time, as the county counts days.
//! Formatting is written out by hand: chrono's strftime machinery costs tens of kilobytes of
//! WebAssembly, downloaded over 2G.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use xunjian_shared::time::{from_china, in_china};

/// The phone's clock (chrono's own clock is not built for wasm here).
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// `05-01 09:30`.
pub fn short_time(t: DateTime<Utc>) -> String {
    let l = in_china(t);
    format!("{:02}-{:02} {:02}:{:02}", l.month(), l.day(), l.hour(), l.minute())
}

/// `2026-05-01 09:30`, for records an office keeps.
pub fn date_time(t: DateTime<Utc>) -> String {
    let l = in_china(t);
    format!("{:04}-{:02}-{:02} {:02}:{:02}", l.year(), l.month(), l.day(), l.hour(), l.minute())
}

/// `2026-05-01`, the form of a date field's value.
pub fn date(t: DateTime<Utc>) -> String {
    let l = in_china(t);
    format!("{:04}-{:02}-{:02}", l.year(), l.month(), l.day())
}

/// The end of a day picked in a date field (`2026-05-11`), China time: a deadline "by the 11th"
/// includes the 11th.
pub fn end_of_day(value: &str) -> Option<DateTime<Utc>> {
    let day = day(value)?;
    from_china(day.and_hms_opt(23, 59, 0)?)
}

/// The day in a date field (`2026-05-11`).
pub fn day(value: &str) -> Option<NaiveDate> {
    let mut parts = value.trim().splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// `x` with `digits` decimals, written by the browser (`Number.prototype.toFixed`): Rust's own
/// float formatting is ~20 kB of WebAssembly. (An exact tie such as 0.25 rounds up here, where
/// Rust would round it to even.)
pub fn fixed(x: f64, digits: u8) -> String {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Number::from(x).to_fixed(digits).map(String::from).unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    format!("{x:.*}", usize::from(digits))
}

/// `x` as the shortest text that reads back as it (a number field's value), by the browser.
pub fn num(x: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    x.to_string()
}

/// Text in lower case for a search, by the browser (`String.prototype.toLowerCase`, the same
/// Unicode mapping as Rust's): Rust's own case tables are ~17 kB of WebAssembly.
pub fn lower(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return js_sys::JsString::from(s).to_lower_case().into();
    #[cfg(not(target_arch = "wasm32"))]
    s.to_lowercase()
}

/// A distance for a list: `350 m`, `2.4 km`.
pub fn distance(m: f64) -> String {
    if m < 1000.0 {
        format!("{} m", fixed(m, 0))
    } else {
        format!("{} km", fixed(m / 1000.0, 1))
    }
}

/// Bytes for the storage line: `3.2 MB`.
pub fn megabytes(bytes: f64) -> String {
    format!("{} MB", fixed(bytes / 1_048_576.0, 1))
}

/// A running time: `0:07:05`.
pub fn hms(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A share as a whole percentage: `42%`.
pub fn percent(share: f64) -> String {
    format!("{}%", fixed(share * 100.0, 0))
}

/// Sorts stably, as `slice::sort_by` does, through one shared sort of positions: every `sort_by`
/// on a type of its own compiles its own copy of the standard library's sort (~3 kB each).
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let order = sorted_positions(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

fn sorted_positions(n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

/// The start of a day picked in a date field, China time.
pub fn start_of_day(value: &str) -> Option<DateTime<Utc>> {
    end_of_day(value).map(|t| t - chrono::Duration::minutes(23 * 60 + 59))
}

/// `2026-05-01T16:00:00Z`, for a query string (no `+` to escape).
pub fn iso(t: DateTime<Utc>) -> String {
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// `2026年5月11日` (China time), as official documents write dates.
pub fn date_zh(t: DateTime<Utc>) -> String {
    let l = in_china(t);
    format!("{}年{}月{}日", l.year(), l.month(), l.day())
}

/// The year and quarter (1–4) of a time, China time.
pub fn quarter_of(t: DateTime<Utc>) -> (i32, u32) {
    let l = in_china(t);
    (l.year(), l.month0() / 3 + 1)
}

/// The month before the one of `t`, `2026-04` (China time): pay and checks look back at a
/// finished month.
pub fn month_before(t: DateTime<Utc>) -> String {
    let l = in_china(t);
    let (y, m) = if l.month() == 1 { (l.year() - 1, 12) } else { (l.year(), l.month() - 1) };
    format!("{y:04}-{m:02}")
}

/// The month of a time, `2026-05`, China time.
pub fn month_of(t: DateTime<Utc>) -> String {
    let l = in_china(t);
    format!("{:04}-{:02}", l.year(), l.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn months_and_days_in_china_time() {
        // 2026-01-31 17:00 UTC is already 1 February in China.
        let t = Utc.with_ymd_and_hms(2026, 1, 31, 17, 0, 0).unwrap();
        assert_eq!(month_of(t), "2026-02");
        assert_eq!(month_before(t), "2026-01");
        assert_eq!(month_before(Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap()), "2025-12");
        assert_eq!(quarter_of(t), (2026, 1));
        assert_eq!(date_zh(t), "2026年2月1日");
        assert_eq!(date_time(t), "2026-02-01 01:00");
        let start = start_of_day("2026-02-01").unwrap();
        assert_eq!(iso(start), "2026-01-31T16:00:00Z");
        assert_eq!(end_of_day("2026-02-01").unwrap() - start, chrono::Duration::minutes(23 * 60 + 59));
        assert_eq!(day("2026-02-30"), None);
    }
}

/// Scrolls the page to the top (a form opened from a row far down a long table shows above it).
pub fn scroll_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
