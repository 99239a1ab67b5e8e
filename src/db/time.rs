//! [`UtcTime`]: an instant as stored by Magistrat. PostgreSQL keeps it as `TIMESTAMPTZ`;
//! SQLite as fixed-width text (`2026-11-23T18:30:00.000000Z`) so that text order is time
//! order and range filters compare correctly. jiff-sqlx's own SQLite encoding writes a
//! variable number of fraction digits, which sorts `…:00Z` after `…:00.5Z`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Postgres, Sqlite, Type};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UtcTime(pub Timestamp);

impl UtcTime {
    /// `ts` truncated to microseconds: what both backends can store exactly, so a value
    /// read back equals the value written (the audit chain hashes it). "Now" comes from
    /// the office's clock ([`crate::platform::Clock::now`]), never from here.
    pub fn from_timestamp(ts: Timestamp) -> Self {
        let micros = ts.as_microsecond();
        Self(Timestamp::from_microsecond(micros).unwrap_or(ts))
    }

    /// The canonical text form, also used in hashes and exports:
    /// `%Y-%m-%dT%H:%M:%S%.6fZ` in UTC (microseconds truncated).
    ///
    /// Written digit by digit: every SQLite bind of a time, every listed row's time and
    /// every audit hash goes through here, and jiff's general `strftime` interprets the
    /// format each time (≈ 1,000 instructions a call; docs/decisions/0021-speed.md).
    /// Years outside 0–9999 (none in practice) take `strftime`; the test
    /// `canonical_text_is_strftime` holds the two equal.
    pub fn to_canonical(&self) -> String {
        let dt = jiff::tz::Offset::UTC.to_datetime(self.0);
        let Some(year) = u32::try_from(dt.year()).ok().filter(|y| *y <= 9999) else {
            return self.strftime_canonical();
        };
        let field = |n: i8| u32::try_from(n).unwrap_or(0);
        let micros = u32::try_from(dt.subsec_nanosecond() / 1000).unwrap_or(0);
        let mut text = String::with_capacity(27);
        for (n, width, after) in [
            (year, 4, '-'),
            (field(dt.month()), 2, '-'),
            (field(dt.day()), 2, 'T'),
            (field(dt.hour()), 2, ':'),
            (field(dt.minute()), 2, ':'),
            (field(dt.second()), 2, '.'),
            (micros, 6, 'Z'),
        ] {
            for place in (0..width).rev() {
                let digit = (n / 10u32.pow(place)) % 10;
                text.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
            }
            text.push(after);
        }
        text
    }

    fn strftime_canonical(&self) -> String {
        self.0.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }

    pub fn in_warsaw(&self) -> jiff::Zoned {
        self.0.to_zoned(crate::WARSAW.clone())
    }

    pub fn checked_add(&self, span: jiff::SignedDuration) -> Self {
        Self::from_timestamp(self.0.checked_add(span).unwrap_or(self.0))
    }
}

impl std::fmt::Display for UtcTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_canonical())
    }
}

impl Type<Sqlite> for UtcTime {
    fn type_info() -> <Sqlite as Database>::TypeInfo {
        <str as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &<Sqlite as Database>::TypeInfo) -> bool {
        <str as Type<Sqlite>>::compatible(ty)
    }
}

impl Encode<'_, Sqlite> for UtcTime {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.to_canonical(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for UtcTime {
    fn decode(value: <Sqlite as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Sqlite>>::decode(value)?;
        Ok(Self(text.parse::<Timestamp>()?))
    }
}

impl Type<Postgres> for UtcTime {
    fn type_info() -> <Postgres as Database>::TypeInfo {
        <jiff_sqlx::Timestamp as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for UtcTime {
    fn encode_by_ref(
        &self,
        buf: &mut <Postgres as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        Encode::<Postgres>::encode(jiff_sqlx::Timestamp::from(self.0), buf)
    }
}

impl<'r> Decode<'r, Postgres> for UtcTime {
    fn decode(value: <Postgres as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let ts = <jiff_sqlx::Timestamp as Decode<Postgres>>::decode(value)?;
        Ok(Self(ts.to_jiff()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The digit-by-digit form is `strftime`'s, byte for byte (stored texts and the
        /// audit chain's hashes depend on it), over the whole range a timestamp has.
        #[test]
        fn canonical_text_is_strftime(micros in -377_705_023_201_000_000_i64..=253_402_207_200_999_999_i64) {
            let t = UtcTime(Timestamp::from_microsecond(micros).unwrap());
            proptest::prop_assert_eq!(t.to_canonical(), t.strftime_canonical());
        }
    }

    #[test]
    fn canonical_text_sorts_as_time() {
        let a = UtcTime(Timestamp::from_second(1_700_000_000).unwrap());
        let b = UtcTime(Timestamp::from_microsecond(1_700_000_000_500_000).unwrap());
        assert!(a.to_canonical() < b.to_canonical());
        assert_eq!(a.to_canonical(), "2023-11-14T22:13:20.000000Z");
        assert_eq!(a.to_canonical().parse::<Timestamp>().unwrap(), a.0);
    }
}
