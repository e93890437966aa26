//! When to try again after a failed sync: exponential backoff with jitter, so a township's phones
//! that lost the same tower do not all come back in the same second.

/// First retry after about this long.
const BASE_MS: f64 = 5_000.0;
/// Never wait longer than this while the app is open.
const MAX_MS: f64 = 300_000.0;
/// Between successful rounds while the app is open.
pub const QUIET_MS: f64 = 60_000.0;

/// Delay after `failures` failures in a row (≥ 1); `random` in [0, 1) spreads it over the upper
/// half of the window ("equal jitter").
pub fn delay_ms(failures: u32, random: f64) -> f64 {
    let window = (BASE_MS * 2f64.powi(failures.saturating_sub(1).min(16) as i32)).min(MAX_MS);
    window / 2.0 + window / 2.0 * random.clamp(0.0, 1.0)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn grows_doubles_and_caps() {
        assert_eq!(delay_ms(1, 1.0), 5_000.0);
        assert_eq!(delay_ms(2, 1.0), 10_000.0);
        assert_eq!(delay_ms(3, 0.0), 10_000.0);
        assert_eq!(delay_ms(40, 1.0), MAX_MS);
        assert!(delay_ms(1, 0.0) >= 2_500.0);
    }
}
