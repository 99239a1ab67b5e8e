//! The numer nadania of a registered postal item. Pure.
//!
//! Poczta Polska (the designated operator, Prawo pocztowe art. 178) numbers a domestic
//! registered item with 20 digits: `00`, the GS1 application identifier of an SSCC,
//! followed by the 18-digit SSCC — an extension digit, the operator's GS1 company
//! prefix (590 for Poland, then 0773) and a serial number, closed by the GS1 mod-10
//! check digit (e.g. `00659007734210841438`). An item abroad carries the UPU S10
//! identifier instead: two letters of service, eight digits, a mod-11 check digit and
//! the country (`RR123456789PL`). Anything else is refused: a number that fails its
//! check digit was mistyped, and a mistyped number finds no item in the operator's
//! tracking, which is what the number is kept for (the proof of dispatch of a letter
//! whose delivery starts a party's term).

/// Why a numer nadania is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TrackingNumberError {
    /// Neither 20 digits starting with `00` nor the S10 shape.
    #[error("not a numer nadania")]
    Format,
    /// The shape is right, the check digit is not.
    #[error("the check digit does not match")]
    CheckDigit,
}

impl TrackingNumberError {
    /// The Fluent id of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            TrackingNumberError::Format => "corr-tracking-number-format",
            TrackingNumberError::CheckDigit => "corr-tracking-number-check",
        }
    }
}

/// The GS1 mod-10 check digit of `digits` (weights 3, 1, 3, … from the right).
fn gs1_check(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

/// The UPU S10 check digit of the 8-digit serial (weights 8 6 4 2 3 5 9 7; 11 minus
/// the sum modulo 11, where 10 gives 0 and 11 gives 5).
fn s10_check(digits: &[u8]) -> u8 {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => u8::try_from(c).unwrap_or(0),
    }
}

/// A Poczta Polska numer nadania for `serial` (its last nine digits), with its check
/// digit: `00`, the extension digit 6, the operator's GS1 prefix 5900773 and the serial
/// (for demonstration data and tests).
pub fn poczta_polska_number(serial: u64) -> String {
    let body = format!("65900773{:09}", serial % 1_000_000_000);
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!("00{body}{}", gs1_check(&digits))
}

/// A numer nadania as typed (spaces allowed, letters in either case), checked and in
/// its stored form: digits only, or the S10 identifier in upper case.
pub fn parse_tracking_number(input: &str) -> Result<String, TrackingNumberError> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let bytes = s.as_bytes();
    if bytes.len() == 20 && s.starts_with("00") && bytes.iter().all(u8::is_ascii_digit) {
        let digits: Vec<u8> = bytes.iter().map(|b| b - b'0').collect();
        let (body, check) = digits.split_at(19);
        // The check digit covers the SSCC (the 18 digits after "00").
        if gs1_check(&body[2..]) != check[0] {
            return Err(TrackingNumberError::CheckDigit);
        }
        return Ok(s);
    }
    if bytes.len() == 13
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..11].iter().all(u8::is_ascii_digit)
        && bytes[11..].iter().all(u8::is_ascii_uppercase)
    {
        let digits: Vec<u8> = bytes[2..11].iter().map(|b| b - b'0').collect();
        if s10_check(&digits[..8]) != digits[8] {
            return Err(TrackingNumberError::CheckDigit);
        }
        return Ok(s);
    }
    Err(TrackingNumberError::Format)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_are_read_and_checked() {
        let table: [(&str, Result<&str, TrackingNumberError>); 11] = [
            ("00659007734210841438", Ok("00659007734210841438")),
            (" 00659 00773 42108 41438 ", Ok("00659007734210841438")),
            ("00659007734210841439", Err(TrackingNumberError::CheckDigit)),
            // 19 digits: one lost in typing.
            ("0065900773421084143", Err(TrackingNumberError::Format)),
            // 20 digits not beginning with "00".
            ("10659007734210841438", Err(TrackingNumberError::Format)),
            ("0065900773421084143X", Err(TrackingNumberError::Format)),
            // S10: serial 47326578 weighs 8·4+6·7+4·3+2·2+3·6+5·5+9·7+7·8 = 252;
            // 252 mod 11 = 10, 11 − 10 = 1: the check digit is 1.
            ("rr473265781pl", Ok("RR473265781PL")),
            ("RR473265782PL", Err(TrackingNumberError::CheckDigit)),
            ("RR47326578PL", Err(TrackingNumberError::Format)),
            ("", Err(TrackingNumberError::Format)),
            ("2026/000123", Err(TrackingNumberError::Format)),
        ];
        for (input, expected) in table {
            assert_eq!(
                parse_tracking_number(input),
                expected.map(str::to_owned),
                "{input:?}"
            );
        }
    }

    #[test]
    fn numbers_built_for_a_serial_are_valid() {
        // The known number of the module's documentation is the one for its serial.
        assert_eq!(poczta_polska_number(421_084_143), "00659007734210841438");
        for serial in [0, 1, 999_999_999, 1_000_000_000] {
            let n = poczta_polska_number(serial);
            assert_eq!(parse_tracking_number(&n), Ok(n.clone()));
        }
    }

    proptest! {
        /// Every SSCC with its own check digit is accepted, and changing any one digit
        /// of it is caught.
        #[test]
        fn one_changed_digit_is_caught(serial in "[0-9]{17}", at in 0_usize..18, by in 1_u8..10) {
            let digits: Vec<u8> = serial.bytes().map(|b| b - b'0').collect();
            let check = gs1_check(&digits);
            let good = format!("00{serial}{check}");
            prop_assert_eq!(parse_tracking_number(&good), Ok(good.clone()));
            let mut bad: Vec<u8> = good.bytes().collect();
            let i = 2 + at;
            bad[i] = b'0' + (bad[i] - b'0' + by) % 10;
            let bad = String::from_utf8(bad).unwrap();
            prop_assert_eq!(parse_tracking_number(&bad), Err(TrackingNumberError::CheckDigit));
        }

        #[test]
        fn garbage_never_panics(s in "\\PC{0,30}") {
            let _ = parse_tracking_number(&s);
        }
    }
}
