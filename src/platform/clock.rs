//! The office's clock: every "now" and every "today in Europe/Warsaw" comes from here.
//!
//! In production it is the system clock. `MAGISTRAT_CLOCK=<RFC 3339 moment>` starts it
//! at that moment and lets it run from there (demos of a given day, browser tests of
//! deadlines); tests in the process move it with [`Clock::advance`] or [`Clock::set`].
//! A clone shares the setting, so the state, the database handle and every job read
//! one clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, Zoned};

use crate::db::UtcTime;

/// A running clock, possibly shifted from the system clock by a fixed offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Microseconds added to the system clock (0 in production).
    offset_micros: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads `moment` now and runs on from there.
    pub fn starting_at(moment: Timestamp) -> Self {
        let clock = Self::default();
        clock.set(moment);
        clock
    }

    /// This moment, to the microsecond (what both databases store exactly).
    pub fn now(&self) -> UtcTime {
        UtcTime::from_timestamp(self.timestamp())
    }

    pub fn timestamp(&self) -> Timestamp {
        let now = Timestamp::now();
        let offset = SignedDuration::from_micros(self.offset_micros.load(Ordering::Relaxed));
        now.checked_add(offset).unwrap_or(now)
    }

    /// This moment on the wall clocks of the office (Europe/Warsaw).
    pub fn now_in_warsaw(&self) -> Zoned {
        self.timestamp().to_zoned(crate::WARSAW.clone())
    }

    /// Today's date in Poland: legal terms count calendar days there (KPA art. 57).
    pub fn today(&self) -> Date {
        self.now_in_warsaw().date()
    }

    /// This year in Poland: registers and the validity of units count calendar years.
    pub fn year(&self) -> i32 {
        i32::from(self.today().year())
    }

    /// Whether the clock was set away from the system clock.
    pub fn is_shifted(&self) -> bool {
        self.offset_micros.load(Ordering::Relaxed) != 0
    }

    /// Sets the clock to read `moment` now; it runs on from there.
    pub fn set(&self, moment: Timestamp) {
        let offset = moment.duration_since(Timestamp::now());
        self.offset_micros
            .store(saturating_micros(offset), Ordering::Relaxed);
    }

    /// Moves the clock forward (or back, for a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        let by = saturating_micros(by);
        // fetch_update never fails with a closure that always returns Some.
        let _ = self
            .offset_micros
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| {
                Some(o.saturating_add(by))
            });
    }
}

fn saturating_micros(d: SignedDuration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(if d.is_negative() { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_reads_the_system_time() {
        let clock = Clock::system();
        let before = Timestamp::now();
        let read = clock.timestamp();
        assert!(read >= before && read <= Timestamp::now());
        assert!(!clock.is_shifted());
    }

    #[test]
    fn a_set_clock_runs_on_from_its_moment() {
        let moment: Timestamp = "2026-12-24T07:30:00Z".parse().unwrap();
        let clock = Clock::starting_at(moment);
        let read = clock.timestamp();
        assert!(read >= moment);
        assert!(read.duration_since(moment) < SignedDuration::from_secs(5));
        assert!(clock.is_shifted());
        // 07:30 UTC on 24 December is 08:30 in Warsaw (winter time, UTC+1).
        assert_eq!(clock.today().to_string(), "2026-12-24");
        assert_eq!(clock.now_in_warsaw().hour(), 8);
    }

    #[test]
    fn warsaw_date_differs_from_utc_date_near_midnight() {
        // 23:30 UTC on 31 December is already 1 January in Warsaw.
        let clock = Clock::starting_at("2026-12-31T23:30:00Z".parse().unwrap());
        assert_eq!(clock.today().to_string(), "2027-01-01");
        assert_eq!(clock.year(), 2027, "and the new register year");
        // Summer time: 22:30 UTC on 30 June is 00:30 on 1 July (UTC+2).
        clock.set("2026-06-30T22:30:00Z".parse().unwrap());
        assert_eq!(clock.today().to_string(), "2026-07-01");
    }

    #[test]
    fn clones_share_one_setting() {
        let clock = Clock::starting_at("2026-03-01T12:00:00Z".parse().unwrap());
        let shared = clock.clone();
        clock.advance(SignedDuration::from_hours(48));
        assert_eq!(shared.today().to_string(), "2026-03-03");
    }

    #[test]
    fn extreme_settings_saturate_instead_of_overflowing() {
        let clock = Clock::system();
        clock.advance(SignedDuration::MAX);
        clock.advance(SignedDuration::MAX);
        // Reading still answers (clamped by jiff's range), never panics.
        let _ = clock.timestamp();
    }
}
