//! Dates, clock times and UTC offsets as the sun analysis reads them (`2026-01-20`, `08:00`,
//! `+08:00`), validated; no calendar crate.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar date (proleptic Gregorian), `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (1 to 9999).
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31 (checked against the month).
    pub day: u32,
}

/// Days in a month of a year.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, if it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    /// The next day.
    pub fn succ(self) -> Date {
        if self.day < days_in_month(self.year, self.month) {
            Date {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Date {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else {
            Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        }
    }

    /// The Julian date (UT) of 00:00 UTC on this date (Meeus, Gregorian calendar).
    pub(crate) fn julian_day_0h(self) -> f64 {
        let (mut y, mut m) = (f64::from(self.year), f64::from(self.month));
        if m <= 2.0 {
            y -= 1.0;
            m += 12.0;
        }
        let a = (y / 100.0).floor();
        let b = 2.0 - a + (a / 4.0).floor();
        (365.25 * (y + 4716.0)).floor() + (30.6001 * (m + 1.0)).floor() + f64::from(self.day) + b
            - 1524.5
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a date YYYY-MM-DD");
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let num = |t: &str| -> Result<u32, String> {
            if t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(y)?, num(m)?, num(d)?);
        Date::new(y as i32, m, d).ok_or_else(|| format!("`{s}`: no such date"))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A time of day in whole minutes, `HH:MM` from `00:00` to `24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u32);

impl ClockTime {
    /// 08:00.
    pub const EIGHT: ClockTime = ClockTime(8 * 60);
    /// 13:00.
    pub const THIRTEEN: ClockTime = ClockTime(13 * 60);
    /// 16:00.
    pub const SIXTEEN: ClockTime = ClockTime(16 * 60);

    /// `h:m`, if it is a time of day (24:00 included, as the end of a window).
    pub fn new(h: u32, m: u32) -> Option<ClockTime> {
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(ClockTime(h * 60 + m))
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for ClockTime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a time HH:MM (00:00 to 24:00)");
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        if !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (h, m) = (
            h.parse::<u32>().map_err(|_| bad())?,
            m.parse::<u32>().map_err(|_| bad())?,
        );
        ClockTime::new(h, m).ok_or_else(bad)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A UTC offset in whole minutes, `+08:00`, between −14:00 and +14:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcOffset(i32);

impl UtcOffset {
    /// Beijing time (China Standard Time), UTC+8.
    pub const BEIJING: UtcOffset = UtcOffset(480);

    /// An offset of this many minutes east of UTC, if within ±14 h.
    pub fn from_minutes(m: i32) -> Option<UtcOffset> {
        (-14 * 60..=14 * 60).contains(&m).then_some(UtcOffset(m))
    }

    /// Minutes east of UTC.
    pub fn minutes(self) -> i32 {
        self.0
    }
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { '-' } else { '+' };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", a / 60, a % 60)
    }
}

impl FromStr for UtcOffset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a UTC offset ±HH:MM (such as +08:00)");
        let t = s.trim();
        let (sign, rest) = match t.as_bytes().first() {
            Some(b'+') => (1, &t[1..]),
            Some(b'-') => (-1, &t[1..]),
            _ => return Err(bad()),
        };
        let (h, m) = rest.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let (h, m) = (
            h.parse::<i32>().map_err(|_| bad())?,
            m.parse::<i32>().map_err(|_| bad())?,
        );
        if m >= 60 {
            return Err(bad());
        }
        UtcOffset::from_minutes(sign * (h * 60 + m)).ok_or_else(bad)
    }
}

impl Serialize for UtcOffset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UtcOffset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn a_clock_reads_back_its_own_name_and_names_what_it_refuses() {
        use crate::sun::Clock;
        for c in [Clock::Solar, Clock::Standard] {
            assert_eq!(c.as_str().parse::<Clock>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
        }
        let e = "beijing".parse::<Clock>().unwrap_err();
        assert!(e.contains("`beijing`"), "{e}");
    }

    #[test]
    fn dates_parse_and_are_checked() {
        assert_eq!(
            "2026-01-20".parse::<Date>().unwrap(),
            Date::new(2026, 1, 20).unwrap()
        );
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-20",
            "20260120",
            "2026-01-2x",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            Date::new(2026, 12, 31).unwrap().succ(),
            Date::new(2027, 1, 1).unwrap()
        );
        // Meeus's example: 1957 October 4.81 is JD 2436116.31.
        let jd = Date::new(1957, 10, 4).unwrap().julian_day_0h() + 0.81;
        assert!((jd - 2_436_116.31).abs() < 1e-9, "{jd}");
    }

    #[test]
    fn times_and_offsets_parse() {
        assert_eq!("08:00".parse::<ClockTime>().unwrap().minutes(), 480);
        assert_eq!("24:00".parse::<ClockTime>().unwrap().minutes(), 1440);
        for bad in ["24:01", "8", "08:60", "-1:00", "08:0", "ab:cd"] {
            assert!(bad.parse::<ClockTime>().is_err(), "{bad}");
        }
        assert_eq!("+08:00".parse::<UtcOffset>().unwrap(), UtcOffset::BEIJING);
        assert_eq!("-05:30".parse::<UtcOffset>().unwrap().minutes(), -330);
        assert_eq!(UtcOffset::from_minutes(-330).unwrap().to_string(), "-05:30");
        for bad in ["08:00", "+8:00", "+15:00", "+08:75"] {
            assert!(bad.parse::<UtcOffset>().is_err(), "{bad}");
        }
    }
}
