//! Reading RFC 3339 times quickly.
//!
//! A large estate snapshot holds millions of times, nearly all written the way
//! every provider API and agentid itself write them: `2026-01-31T12:00:00Z`,
//! UTC to the second. jiff's general parser spent about a tenth of a large
//! inventory's loading time on them. [`parse`] reads that one form directly
//! and hands everything else (fractions, offsets, lowercase, leap seconds,
//! anything invalid) to jiff, so what is accepted, what it means, and every
//! error message stay jiff's.

use std::fmt;

use jiff::Timestamp;
use serde::Deserializer;

/// `text` as a timestamp, exactly as `text.parse::<Timestamp>()` reads it.
pub fn parse(text: &str) -> Result<Timestamp, jiff::Error> {
    match utc_seconds(text.as_bytes()) {
        Some(t) => Ok(t),
        None => text.parse(),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` with a valid date and time, else `None`.
fn utc_seconds(b: &[u8]) -> Option<Timestamp> {
    let &[
        y0,
        y1,
        y2,
        y3,
        b'-',
        m0,
        m1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
        b'Z',
    ] = b
    else {
        return None;
    };
    let digit = |c: u8| -> Option<i64> {
        let d = c.wrapping_sub(b'0');
        (d < 10).then_some(i64::from(d))
    };
    let two = |a: u8, b: u8| -> Option<i64> { Some(digit(a)? * 10 + digit(b)?) };
    let year = two(y0, y1)? * 100 + two(y2, y3)?;
    let (month, day) = (two(m0, m1)?, two(d0, d1)?);
    let (hour, minute, second) = (two(h0, h1)?, two(i0, i1)?, two(s0, s1)?);
    // Second 60 (a leap second) is jiff's to interpret.
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Timestamp::from_second(seconds).ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The visitor of jiff's own `Deserialize for Timestamp`, reading through [`parse`].
struct TimestampVisitor;

impl serde::de::Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp string")
    }

    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<Timestamp, E> {
        match std::str::from_utf8(value) {
            Ok(text) => self.visit_str(text),
            Err(_) => jiff::fmt::temporal::DateTimeParser::new()
                .parse_timestamp(value)
                .map_err(E::custom),
        }
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Timestamp, E> {
        parse(value).map_err(E::custom)
    }
}

/// For `#[serde(deserialize_with)]` on an `Option<Timestamp>` field: what
/// serde's `Option` and jiff's `Timestamp` accept, read through [`parse`].
pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    struct OptionVisitor;

    impl<'de> serde::de::Visitor<'de> for OptionVisitor {
        type Value = Option<Timestamp>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("option")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_str(TimestampVisitor).map(Some)
        }
    }

    d.deserialize_option(OptionVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_jiff(text: &str) {
        let ours = parse(text).map_err(|e| e.to_string());
        let jiffs = text.parse::<Timestamp>().map_err(|e| e.to_string());
        assert_eq!(ours, jiffs, "{text:?}");
    }

    #[test]
    fn every_date_of_several_years_reads_as_jiff_reads_it() {
        for year in [
            0, 1, 4, 100, 400, 1582, 1900, 1969, 1970, 2000, 2024, 2026, 2100, 9999,
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    same_as_jiff(&format!("{year:04}-{month:02}-{day:02}T12:34:56Z"));
                }
            }
        }
    }

    #[test]
    fn times_of_day_at_and_past_their_limits_read_as_jiff_reads_them() {
        for (h, m, s) in [
            (0, 0, 0),
            (23, 59, 59),
            (23, 59, 60),
            (24, 0, 0),
            (12, 60, 0),
            (12, 0, 61),
            (99, 99, 99),
        ] {
            same_as_jiff(&format!("2026-06-30T{h:02}:{m:02}:{s:02}Z"));
            same_as_jiff(&format!("2016-12-31T{h:02}:{m:02}:{s:02}Z"));
        }
    }

    #[test]
    fn other_forms_are_left_to_jiff() {
        for text in [
            "2026-01-31T12:00:00z",
            "2026-01-31t12:00:00Z",
            "2026-01-31 12:00:00Z",
            "2026-01-31T12:00:00.5Z",
            "2026-01-31T12:00:00+01:00",
            "2026-01-31T12:00:00-00:00",
            "2026-01-31T12:00Z",
            "2026-01-31",
            "+2026-01-31T12:00:00Z",
            "2026-1-31T12:00:00Z",
            "2026-01-31T12:00:00ZZ",
            "2026-01-31T12:0a:00Z",
            "２026-01-31T12:00:00Z",
            "",
            "never",
        ] {
            same_as_jiff(text);
        }
    }

    #[test]
    fn deserializes_like_option_of_jiff_timestamp() {
        #[derive(serde::Deserialize)]
        struct Ours {
            #[serde(default, deserialize_with = "deserialize_option")]
            at: Option<Timestamp>,
        }
        #[derive(serde::Deserialize)]
        struct Jiffs {
            #[serde(default)]
            at: Option<Timestamp>,
        }
        for json in [
            r#"{}"#,
            r#"{"at": null}"#,
            r#"{"at": "2026-01-31T12:00:00Z"}"#,
            r#"{"at": "2026-01-31T12:00:00.25+02:00"}"#,
            r#"{"at": "2026-02-30T12:00:00Z"}"#,
            r#"{"at": 5}"#,
            r#"{"at": ["2026-01-31T12:00:00Z"]}"#,
        ] {
            let ours = serde_json::from_str::<Ours>(json)
                .map(|o| o.at)
                .map_err(|e| e.to_string());
            let jiffs = serde_json::from_str::<Jiffs>(json)
                .map(|j| j.at)
                .map_err(|e| e.to_string());
            assert_eq!(ours, jiffs, "{json}");
        }
    }
}
