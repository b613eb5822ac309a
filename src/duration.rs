//! Durations as operators write them in the registry and on the command line:
//! `30s`, `15m`, `1h`, `90d`, `2w`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A whole number of seconds, written with one unit suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    secs: u64,
}

/// The pattern a duration must match; also published in the JSON Schema.
/// Nine digits at most keeps every value far from overflow.
pub const DURATION_PATTERN: &str = "^[0-9]{1,9}(s|m|h|d|w)$";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a duration such as 30s, 15m, 1h, 90d or 2w, got {0:?}")]
pub struct ParseDurationError(pub String);

impl Duration {
    pub const fn from_secs(secs: u64) -> Self {
        Duration { secs }
    }

    pub const fn days(days: u64) -> Self {
        Duration {
            secs: days * 86_400,
        }
    }

    pub const fn as_secs(self) -> u64 {
        self.secs
    }

    /// As a signed span for time arithmetic.
    pub fn as_span(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_secs(self.secs as i64)
    }
}

impl FromStr for Duration {
    type Err = ParseDurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || ParseDurationError(text.to_string());
        let unit_at = text.len().checked_sub(1).ok_or_else(err)?;
        if !text.is_char_boundary(unit_at) {
            return Err(err());
        }
        let (digits, unit) = text.split_at(unit_at);
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let n: u64 = digits.parse().map_err(|_| err())?;
        let unit_secs = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return Err(err()),
        };
        Ok(Duration {
            secs: n * unit_secs,
        })
    }
}

impl fmt::Display for Duration {
    /// The largest unit that divides the value exactly, so `90d` prints as `90d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.secs;
        if s != 0 && s.is_multiple_of(86_400) {
            write!(f, "{}d", s / 86_400)
        } else if s != 0 && s.is_multiple_of(3_600) {
            write!(f, "{}h", s / 3_600)
        } else if s != 0 && s.is_multiple_of(60) {
            write!(f, "{}m", s / 60)
        } else {
            write!(f, "{s}s")
        }
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration: a whole number and one unit, s, m, h, d or w (30s, 15m, 1h, 90d, 2w).",
            "examples": ["90d", "15m"]
        })
    }
}

/// Human form of a span for tables: `3d`, `14m`, `2y 10d`. Never negative.
pub fn humanize_secs(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    if d >= 365 {
        let (y, rd) = (d / 365, d % 365);
        if rd == 0 {
            format!("{y}y")
        } else {
            format!("{y}y {rd}d")
        }
    } else if d > 0 {
        format!("{d}d")
    } else if h > 0 {
        format!("{h}h")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!("30s".parse::<Duration>().unwrap().as_secs(), 30);
        assert_eq!("15m".parse::<Duration>().unwrap().as_secs(), 900);
        assert_eq!("1h".parse::<Duration>().unwrap().as_secs(), 3_600);
        assert_eq!("90d".parse::<Duration>().unwrap().as_secs(), 7_776_000);
        assert_eq!("2w".parse::<Duration>().unwrap().as_secs(), 1_209_600);
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "d",
            "90",
            "90 d",
            "-1d",
            "1.5h",
            "90days",
            "1000000000d",
            "9é",
            "1y",
        ] {
            assert!(bad.parse::<Duration>().is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn displays_in_largest_exact_unit() {
        for text in ["90d", "15m", "1h", "30s", "0s"] {
            assert_eq!(text.parse::<Duration>().unwrap().to_string(), text);
        }
        assert_eq!("2w".parse::<Duration>().unwrap().to_string(), "14d");
    }

    #[test]
    fn humanizes() {
        assert_eq!(humanize_secs(59), "59s");
        assert_eq!(humanize_secs(14 * 60), "14m");
        assert_eq!(humanize_secs(3 * 86_400 + 5), "3d");
        assert_eq!(humanize_secs(-(400 * 86_400)), "1y 35d");
    }
}
