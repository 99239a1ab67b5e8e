//! Problem reports (zgłoszenia) and the Open311 GeoReport v2 rules that are pure: the
//! place of a report (WGS84 coordinates within the office's area), the report's text,
//! its status and its service-level term, the W3C date-times the spec reads and
//! writes, the 90-day window and the limits of `GET requests`, and the format of an
//! integrator's API key.
//!
//! Source: Open311 GeoReport v2 (open311/open311.github.io, `GeoReport/v2/index.md`):
//! "Date/time … W3C format … with timezone", `description` "may not exceed 4,000
//! characters" and "does not support HTML", `start_date`/`end_date` "may not be
//! greater than 90 days" and the default "a span of 90 days or first 1000 requests
//! returned, whichever is smallest".

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The longest description Open311 allows.
pub const MAX_DESCRIPTION: usize = 4_000;
/// The most requests one `GET requests` returns (the spec's default volume).
pub const MAX_REQUESTS: usize = 1_000;
/// The widest `start_date`..`end_date` span, and the default window.
pub const WINDOW_DAYS: i64 = 90;
/// The largest radius of the `lat`/`long`/`radius` extension, in metres.
pub const MAX_RADIUS_M: f64 = 50_000.0;

/// A point on the earth (WGS84 degrees).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Latitude, −90..=90.
    pub lat: f64,
    /// Longitude, −180..=180.
    pub lon: f64,
}

/// Why a place is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceError {
    /// Not a number (or not finite).
    NotANumber,
    /// Latitude outside −90..=90 or longitude outside −180..=180.
    OutOfRange,
    /// Only one of `lat` and `long` given.
    Incomplete,
    /// A valid point outside the office's area.
    OutsideArea,
    /// Neither coordinates nor an address.
    Missing,
}

impl PlaceError {
    /// A stable code (the Fluent id's tail, the API's message).
    pub fn code(self) -> &'static str {
        match self {
            PlaceError::NotANumber => "not-a-number",
            PlaceError::OutOfRange => "out-of-range",
            PlaceError::Incomplete => "incomplete",
            PlaceError::OutsideArea => "outside-area",
            PlaceError::Missing => "missing",
        }
    }
}

/// The office's area: a box of latitudes and longitudes (not crossing the antimeridian:
/// a Polish gmina never does).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    /// Southern edge.
    pub south: f64,
    /// Western edge.
    pub west: f64,
    /// Northern edge.
    pub north: f64,
    /// Eastern edge.
    pub east: f64,
}

impl Area {
    /// Whether `p` lies in the box (edges included).
    pub fn contains(&self, p: Point) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lon)
    }
}

fn number(s: &str) -> Result<f64, PlaceError> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or(PlaceError::NotANumber)
}

/// Reads `lat` and `long` as given (either may be blank): `Ok(None)` when both are
/// blank; a point when both are valid WGS84 degrees.
pub fn parse_point(lat: &str, lon: &str) -> Result<Option<Point>, PlaceError> {
    match (lat.trim().is_empty(), lon.trim().is_empty()) {
        (true, true) => return Ok(None),
        (false, false) => {}
        _ => return Err(PlaceError::Incomplete),
    }
    let (lat, lon) = (number(lat)?, number(lon)?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(PlaceError::OutOfRange);
    }
    Ok(Some(Point { lat, lon }))
}

/// The place of a new report: a point within `area`, an address, or both; at least one.
pub fn check_place(
    point: Option<Point>,
    address: Option<&str>,
    area: &Area,
) -> Result<(), PlaceError> {
    if let Some(p) = point
        && !area.contains(p)
    {
        return Err(PlaceError::OutsideArea);
    }
    if point.is_none() && address.is_none_or(|a| a.trim().is_empty()) {
        return Err(PlaceError::Missing);
    }
    Ok(())
}

/// The great-circle distance between two points in metres (haversine, mean radius).
pub fn distance_m(a: Point, b: Point) -> f64 {
    const R: f64 = 6_371_008.8;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Why a description is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptionError {
    /// Longer than [`MAX_DESCRIPTION`] characters.
    TooLong,
    /// Holds an HTML tag (the spec: "does not support HTML").
    Html,
}

/// Checks a description: at most 4,000 characters (not bytes: Polish letters are one
/// character each) and no HTML tags. A `<` not starting a tag (`a < b`) is text.
pub fn check_description(text: &str) -> Result<(), DescriptionError> {
    if text.chars().count() > MAX_DESCRIPTION {
        return Err(DescriptionError::TooLong);
    }
    let bytes = text.as_bytes();
    let tag = bytes
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    if tag {
        return Err(DescriptionError::Html);
    }
    Ok(())
}

/// A report's status. Open311 knows only `open` and `closed`; taken in hand
/// (`in_progress`) is still open there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Reported, not yet taken in hand.
    Open,
    /// An official works on it.
    InProgress,
    /// Dealt with; closed with a public note.
    Closed,
}

impl Status {
    /// Every status, in the order of a report's life.
    pub const ALL: [Status; 3] = [Status::Open, Status::InProgress, Status::Closed];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in_progress",
            Status::Closed => "closed",
        }
    }

    /// The stored code read back.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The Open311 status: `open` or `closed`.
    pub fn open311(self) -> &'static str {
        match self {
            Status::Open | Status::InProgress => "open",
            Status::Closed => "closed",
        }
    }

    /// Whether an official may move a report from `self` to `to`: take it in hand, close
    /// it, or reopen a closed one.
    pub fn may_become(self, to: Status) -> bool {
        matches!(
            (self, to),
            (Status::Open, Status::InProgress)
                | (Status::Open | Status::InProgress, Status::Closed)
                | (Status::Closed, Status::Open)
        )
    }
}

/// When a report is expected to be dealt with: `term_days` calendar days after it came
/// in (the category's service level; no statute sets it).
pub fn expected_at(requested: Timestamp, term_days: i32) -> Timestamp {
    requested
        .checked_add(SignedDuration::from_hours(24 * i64::from(term_days)))
        .unwrap_or(requested)
}

/// Reads a W3C date-time with its time zone (`2026-12-01T10:00:00+01:00`, `…Z`,
/// seconds and fraction optional). A time without a zone, or a bare date, is refused:
/// the spec requires the zone and guessing one shifts the window by an hour.
pub fn parse_datetime(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    // jiff reads RFC 3339 and its looser ISO 8601 forms; a zone-less value fails there.
    if s.len() < 16 || !s.contains('T') && !s.contains('t') {
        return None;
    }
    s.parse::<Timestamp>().ok()
}

/// A moment as Open311 shows it: ISO 8601 on the office's wall clock with its offset,
/// whole seconds (`2026-12-04T14:05:09+01:00`).
pub fn format_datetime(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Why a window of dates is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowError {
    /// The end before the start.
    Reversed,
    /// Longer than [`WINDOW_DAYS`].
    TooLong,
}

/// The window of `GET requests`: both ends given → checked; one end → 90 days from or
/// to it; none → the last 90 days before `now`.
pub fn window(
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    now: Timestamp,
) -> Result<(Timestamp, Timestamp), WindowError> {
    let span = SignedDuration::from_hours(24 * WINDOW_DAYS);
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s.checked_add(span).unwrap_or(Timestamp::MAX)),
        (None, Some(e)) => (e.checked_sub(span).unwrap_or(Timestamp::MIN), e),
        (None, None) => (now.checked_sub(span).unwrap_or(Timestamp::MIN), now),
    };
    if end < start {
        return Err(WindowError::Reversed);
    }
    if end.duration_since(start) > span {
        return Err(WindowError::TooLong);
    }
    Ok((start, end))
}

/// An integrator's key as handed out: `mgk_` + 12 hex characters (the public prefix,
/// which finds the stored row) + `_` + 64 hex characters (the secret part).
pub const KEY_PREFIX_LEN: usize = 12;

/// The key's parts (`prefix`, whole key), or `None` when it cannot be one of ours.
pub fn split_key(presented: &str) -> Option<&str> {
    let rest = presented.strip_prefix("mgk_")?;
    let (prefix, secret) = rest.split_once('_')?;
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(prefix, KEY_PREFIX_LEN) && hex(secret, 64)).then_some(prefix)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The demo town's box, around Borowiec.
    const AREA: Area = Area {
        south: 52.10,
        west: 21.15,
        north: 52.18,
        east: 21.30,
    };

    #[test]
    fn places() {
        type Case<'a> = (&'a str, &'a str, Option<&'a str>, Result<(), PlaceError>);
        let table: &[Case<'_>] = &[
            ("52.14", "21.22", None, Ok(())),
            ("52.14", "21.22", Some("ul. Lipowa 3"), Ok(())),
            ("", "", Some("ul. Lipowa 3"), Ok(())),
            ("", "", Some("   "), Err(PlaceError::Missing)),
            ("", "", None, Err(PlaceError::Missing)),
            ("52.14", "", None, Err(PlaceError::Incomplete)),
            ("abc", "21.2", None, Err(PlaceError::NotANumber)),
            ("NaN", "21.2", None, Err(PlaceError::NotANumber)),
            ("inf", "21.2", None, Err(PlaceError::NotANumber)),
            ("91", "21.2", None, Err(PlaceError::OutOfRange)),
            ("52", "-181", None, Err(PlaceError::OutOfRange)),
            // Valid degrees, but Kraków: outside the office's area.
            (
                "50.06",
                "19.94",
                Some("Rynek"),
                Err(PlaceError::OutsideArea),
            ),
            // The edges are inside.
            ("52.10", "21.30", None, Ok(())),
        ];
        for (lat, lon, address, expected) in table {
            let got = parse_point(lat, lon).and_then(|p| check_place(p, *address, &AREA));
            assert_eq!(got, *expected, "{lat} {lon} {address:?}");
        }
    }

    #[test]
    fn distances_match_known_ones() {
        // Warsaw Palace of Culture → Kraków Main Square: about 252 km.
        let d = distance_m(
            Point {
                lat: 52.2318,
                lon: 21.0060,
            },
            Point {
                lat: 50.0617,
                lon: 19.9373,
            },
        );
        assert!((251_000.0..253_500.0).contains(&d), "{d}");
        let p = Point {
            lat: 52.14,
            lon: 21.22,
        };
        assert!(distance_m(p, p) < 1e-6);
    }

    #[test]
    fn descriptions() {
        assert_eq!(check_description("Dziura w jezdni, 3 < 5 m"), Ok(()));
        assert_eq!(check_description(&"ż".repeat(4_000)), Ok(()));
        assert_eq!(
            check_description(&"ż".repeat(4_001)),
            Err(DescriptionError::TooLong)
        );
        assert_eq!(
            check_description("<b>dziura</b>"),
            Err(DescriptionError::Html)
        );
        assert_eq!(
            check_description("x <!-- y -->"),
            Err(DescriptionError::Html)
        );
    }

    #[test]
    fn statuses() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::InProgress.open311(), "open");
        assert!(Status::Open.may_become(Status::Closed));
        assert!(!Status::Closed.may_become(Status::InProgress));
        assert!(!Status::InProgress.may_become(Status::Open));
        assert!(Status::Closed.may_become(Status::Open));
    }

    #[test]
    fn datetimes() {
        let t = |s: &str| parse_datetime(s);
        assert_eq!(
            t("2026-12-01T10:00:00+01:00"),
            Some("2026-12-01T09:00:00Z".parse().unwrap())
        );
        assert!(t("2026-12-01T09:00:00Z").is_some());
        assert!(t("2026-12-01T09:00Z").is_some());
        assert!(t("2026-12-01T09:00:00.25-05:00").is_some());
        for bad in [
            "2026-12-01",
            "2026-12-01T09:00:00",
            "yesterday",
            "",
            "2026-13-01T00:00Z",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
        let warsaw = TimeZone::get("Europe/Warsaw").unwrap();
        let winter: Timestamp = "2026-12-04T13:05:09.9Z".parse().unwrap();
        assert_eq!(
            format_datetime(winter, &warsaw),
            "2026-12-04T14:05:09+01:00"
        );
        let summer: Timestamp = "2026-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            format_datetime(summer, &warsaw),
            "2026-07-01T12:00:00+02:00"
        );
    }

    #[test]
    fn windows() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        let now = at("2026-12-04T12:00:00Z");
        assert_eq!(
            window(None, None, now),
            Ok((at("2026-09-05T12:00:00Z"), now))
        );
        assert_eq!(
            window(Some(at("2026-12-01T00:00:00Z")), None, now),
            Ok((at("2026-12-01T00:00:00Z"), at("2027-03-01T00:00:00Z")))
        );
        assert_eq!(
            window(Some(now), Some(at("2026-12-01T00:00:00Z")), now),
            Err(WindowError::Reversed)
        );
        assert_eq!(
            window(
                Some(at("2026-01-01T00:00:00Z")),
                Some(at("2026-12-01T00:00:00Z")),
                now
            ),
            Err(WindowError::TooLong)
        );
    }

    #[test]
    fn keys() {
        let key = format!("mgk_{}_{}", "a1b2c3d4e5f6", "0".repeat(64));
        assert_eq!(split_key(&key), Some("a1b2c3d4e5f6"));
        assert_eq!(split_key("mgk_a1b2_00"), None);
        assert_eq!(split_key("xyz"), None);
        assert_eq!(split_key(&key.replace("mgk_", "mgx_")), None);
    }

    #[test]
    fn terms_add_calendar_days() {
        let t: Timestamp = "2026-12-04T12:00:00Z".parse().unwrap();
        assert_eq!(
            expected_at(t, 14),
            "2026-12-18T12:00:00Z".parse::<Timestamp>().unwrap()
        );
    }

    proptest! {
        #[test]
        fn a_point_in_the_area_is_accepted_and_its_distance_is_symmetric(
            lat in 52.10f64..=52.18, lon in 21.15f64..=21.30,
            lat2 in -90.0f64..=90.0, lon2 in -180.0f64..=180.0,
        ) {
            let p = parse_point(&lat.to_string(), &lon.to_string()).unwrap();
            prop_assert_eq!(check_place(p, None, &AREA), Ok(()));
            let (a, b) = (Point { lat, lon }, Point { lat: lat2, lon: lon2 });
            let (ab, ba) = (distance_m(a, b), distance_m(b, a));
            prop_assert!((ab - ba).abs() < 1e-6);
            prop_assert!(ab <= std::f64::consts::PI * 6_371_008.8 + 1.0);
        }

        #[test]
        fn any_text_is_checked_without_panic(s in ".{0,200}") {
            let _ = check_description(&s);
            let _ = parse_datetime(&s);
            let _ = split_key(&s);
            let _ = parse_point(&s, &s);
        }

        #[test]
        fn a_valid_window_never_exceeds_ninety_days(a in 0i64..400_000_000, b in 0i64..400_000_000) {
            let now = Timestamp::from_second(1_800_000_000).unwrap();
            let (s, e) = (Timestamp::from_second(1_500_000_000 + a).unwrap(), Timestamp::from_second(1_500_000_000 + b).unwrap());
            if let Ok((s, e)) = window(Some(s), Some(e), now) {
                prop_assert!(s <= e);
                prop_assert!(e.duration_since(s) <= SignedDuration::from_hours(24 * WINDOW_DAYS));
            }
        }
    }
}
