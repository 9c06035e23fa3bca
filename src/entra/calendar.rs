//! The calendar of Entra's dates: .NET ticks (100 ns since 0001-01-01, proleptic Gregorian,
//! UTC), read from and written as text. Used by the date functions (`functions/dates.rs`) and
//! by [`Value`](super::Value)'s text of a date.

use std::ops::Range;

pub(crate) const TICKS_PER_SECOND: i64 = 10_000_000;
pub(crate) const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;
/// Days from 0001-01-01 to 1970-01-01.
pub(crate) const UNIX_EPOCH_DAYS: i64 = 719_162;
/// Ticks from 0001-01-01 to 1601-01-01, the Active Directory (FILETIME) epoch.
pub(crate) const FILETIME_EPOCH: i64 = 504_911_232_000_000_000;
/// Ticks of 9999-12-31 23:59:59.9999999.
pub(crate) const MAX_TICKS: i64 = 3_155_378_975_999_999_999;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Days since 0001-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + UNIX_EPOCH_DAYS
}

/// (year, month, day) of days since 0001-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days - UNIX_EPOCH_DAYS + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

pub(crate) fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(
        if m == 12 { y + 1 } else { y },
        if m == 12 { 1 } else { m + 1 },
        1,
    ) - days_from_civil(y, m, 1)
}

pub(crate) struct Parts {
    pub(crate) year: i64,
    pub(crate) month: i64,
    pub(crate) day: i64,
    pub(crate) hour: i64,
    pub(crate) minute: i64,
    pub(crate) second: i64,
    pub(crate) fraction: i64,
}

pub(crate) fn parts(ticks: i64) -> Parts {
    let days = ticks.div_euclid(TICKS_PER_DAY);
    let rest = ticks.rem_euclid(TICKS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let secs = rest / TICKS_PER_SECOND;
    Parts {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        fraction: rest % TICKS_PER_SECOND,
    }
}

pub(crate) fn ticks_of(p: &Parts, offset_minutes: i64) -> Option<i64> {
    let valid = (1..=9999).contains(&p.year)
        && (1..=12).contains(&p.month)
        && p.day >= 1
        && p.day <= days_in_month(p.year, p.month)
        && (0..24).contains(&p.hour)
        && (0..60).contains(&p.minute)
        && (0..60).contains(&p.second);
    if !valid {
        return None;
    }
    let t = days_from_civil(p.year, p.month, p.day) * TICKS_PER_DAY
        + (p.hour * 3600 + p.minute * 60 + p.second - offset_minutes * 60) * TICKS_PER_SECOND
        + p.fraction;
    (0..=MAX_TICKS).contains(&t).then_some(t)
}

/// Entra's date text, `M/d/yyyy h:mm:ss tt`.
pub(crate) fn format_entra(ticks: i64) -> String {
    format_custom(ticks, "M/d/yyyy h:mm:ss tt").unwrap_or_default()
}

/// Reads a date: ISO 8601 (with Workday's `yyyy-MM-dd±hh:mm`) or `M/d/yyyy[ h:mm[:ss][ tt]]`.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.contains('/') {
        for format in [
            "M/d/yyyy h:mm:ss tt",
            "M/d/yyyy h:mm tt",
            "M/d/yyyy H:mm:ss",
            "M/d/yyyy H:mm",
            "M/d/yyyy",
        ] {
            if let Some(t) = parse_custom(s, format) {
                return Some(t);
            }
        }
        return None;
    }
    let b = s.as_bytes();
    let num = |r: Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mut p = Parts {
        year: num(0..4)?,
        month: num(5..7)?,
        day: num(8..10)?,
        hour: 0,
        minute: 0,
        second: 0,
        fraction: 0,
    };
    let mut i = 10;
    if matches!(b.get(i), Some(b'T' | b't' | b' ')) && b.get(i + 3) == Some(&b':') {
        p.hour = num(i + 1..i + 3)?;
        p.minute = num(i + 4..i + 6)?;
        i += 6;
        if b.get(i) == Some(&b':') {
            p.second = num(i + 1..i + 3)?;
            i += 3;
            if b.get(i) == Some(&b'.') {
                let digits = b
                    .get(i + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                let frac = s.get(i + 1..i + 1 + digits.min(7))?;
                p.fraction =
                    frac.parse::<i64>().ok()? * 10_i64.pow(7 - u32::try_from(frac.len()).ok()?);
                i += 1 + digits;
            }
        }
    }
    let offset = match s.get(i..)? {
        "" | "Z" | "z" => 0,
        rest => parse_offset(rest)?,
    };
    ticks_of(&p, offset)
}

/// `±hh:mm` or `±hhmm` or `±hh`, in minutes.
fn parse_offset(s: &str) -> Option<i64> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s.get(1..)?.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let h: i64 = digits.get(0..2)?.parse().ok()?;
    let m: i64 = if digits.len() == 4 {
        digits.get(2..4)?.parse().ok()?
    } else {
        0
    };
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// One element of a .NET custom format string.
enum Tok {
    Field(char, usize),
    Literal(String),
}

fn tokenize(format: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            'y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'f' | 'F' | 't' | 'z' | 'K' | 'g' => {
                let n = chars
                    .get(i..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&x| x == c)
                    .count();
                out.push(Tok::Field(c, n));
                i += n;
            }
            '\'' | '"' => {
                let len = chars.get(i + 1..)?.iter().position(|&x| x == c)?;
                out.push(Tok::Literal(
                    chars.get(i + 1..i + 1 + len)?.iter().collect(),
                ));
                i += len + 2;
            }
            '\\' => {
                out.push(Tok::Literal(chars.get(i + 1)?.to_string()));
                i += 2;
            }
            '%' => i += 1,
            other => {
                out.push(Tok::Literal(other.to_string()));
                i += 1;
            }
        }
    }
    Some(out)
}

pub(crate) fn format_custom(ticks: i64, format: &str) -> Option<String> {
    let p = parts(ticks);
    let mut out = String::new();
    for tok in tokenize(format)? {
        let piece = match tok {
            Tok::Literal(s) => s,
            Tok::Field('y', 1) => (p.year % 100).to_string(),
            Tok::Field('y', 2) => format!("{:02}", p.year % 100),
            Tok::Field('y', n) => format!("{:0n$}", p.year),
            Tok::Field('M', 1) => p.month.to_string(),
            Tok::Field('M', 2) => format!("{:02}", p.month),
            Tok::Field('M', 3) => MONTHS
                .get(usize::try_from(p.month - 1).ok()?)?
                .get(..3)?
                .to_owned(),
            Tok::Field('M', _) => (*MONTHS.get(usize::try_from(p.month - 1).ok()?)?).to_owned(),
            Tok::Field('d', 1) => p.day.to_string(),
            Tok::Field('d', 2) => format!("{:02}", p.day),
            Tok::Field('d', n) => {
                let weekday =
                    usize::try_from((ticks.div_euclid(TICKS_PER_DAY) + 1).rem_euclid(7)).ok()?;
                let name = DAYS.get(weekday)?;
                if n == 3 {
                    name.get(..3)?.to_owned()
                } else {
                    (*name).to_owned()
                }
            }
            Tok::Field('H', 1) => p.hour.to_string(),
            Tok::Field('H', _) => format!("{:02}", p.hour),
            Tok::Field('h', n) => {
                let h = if p.hour % 12 == 0 { 12 } else { p.hour % 12 };
                if n == 1 {
                    h.to_string()
                } else {
                    format!("{h:02}")
                }
            }
            Tok::Field('m', 1) => p.minute.to_string(),
            Tok::Field('m', _) => format!("{:02}", p.minute),
            Tok::Field('s', 1) => p.second.to_string(),
            Tok::Field('s', _) => format!("{:02}", p.second),
            Tok::Field(c @ ('f' | 'F'), n) if n <= 7 => {
                let digits = format!("{:07}", p.fraction);
                let cut = digits.get(..n)?.to_owned();
                if c == 'F' {
                    cut.trim_end_matches('0').to_owned()
                } else {
                    cut
                }
            }
            Tok::Field('t', 1) => (if p.hour < 12 { "A" } else { "P" }).to_owned(),
            Tok::Field('t', _) => (if p.hour < 12 { "AM" } else { "PM" }).to_owned(),
            Tok::Field('z', 1) => "+0".to_owned(),
            Tok::Field('z', 2) => "+00".to_owned(),
            Tok::Field('z', _) => "+00:00".to_owned(),
            Tok::Field('K', _) => "Z".to_owned(),
            Tok::Field('g', _) => "A.D.".to_owned(),
            Tok::Field(..) => return None,
        };
        out.push_str(&piece);
    }
    Some(out)
}

pub(crate) fn parse_custom(s: &str, format: &str) -> Option<i64> {
    let mut p = Parts {
        year: 1,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        fraction: 0,
    };
    let mut pm: Option<bool> = None;
    let mut offset = 0;
    let mut rest = s;
    let take_digits = |rest: &mut &str, min: usize, max: usize| -> Option<i64> {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count().min(max);
        if n < min {
            return None;
        }
        let v = rest.get(..n)?.parse().ok()?;
        *rest = rest.get(n..)?;
        Some(v)
    };
    for tok in tokenize(format)? {
        match tok {
            Tok::Literal(l) => rest = rest.strip_prefix(l.as_str())?,
            Tok::Field('y', n) => {
                p.year = if n <= 2 {
                    2000 + take_digits(&mut rest, n, 2)?
                } else {
                    take_digits(&mut rest, n, n.max(4))?
                }
            }
            Tok::Field('M', n) if n <= 2 => p.month = take_digits(&mut rest, n, 2)?,
            Tok::Field('M', n) => {
                let (i, name) = MONTHS.iter().enumerate().find(|(_, m)| {
                    let key = if n == 3 { m.get(..3).unwrap_or(m) } else { m };
                    rest.get(..key.len())
                        .is_some_and(|r| r.eq_ignore_ascii_case(key))
                })?;
                p.month = i64::try_from(i).ok()? + 1;
                rest = rest.get(if n == 3 { 3 } else { name.len() }..)?;
            }
            Tok::Field('d', n) if n <= 2 => p.day = take_digits(&mut rest, n, 2)?,
            Tok::Field('H' | 'h', n) if n <= 2 => p.hour = take_digits(&mut rest, n, 2)?,
            Tok::Field('m', n) if n <= 2 => p.minute = take_digits(&mut rest, n, 2)?,
            Tok::Field('s', n) if n <= 2 => p.second = take_digits(&mut rest, n, 2)?,
            Tok::Field('f' | 'F', n) if n <= 7 => {
                let v = take_digits(&mut rest, 1, n)?;
                let len = u32::try_from(n).ok()?;
                p.fraction = v * 10_i64.pow(7 - len);
            }
            Tok::Field('t', _) => {
                let upper = rest.get(..2).map(str::to_ascii_uppercase);
                pm = match upper.as_deref() {
                    Some("AM") => Some(false),
                    Some("PM") => Some(true),
                    _ => return None,
                };
                rest = rest.get(2..)?;
            }
            Tok::Field('z' | 'K', _) => {
                if let Some(r) = rest.strip_prefix('Z') {
                    rest = r;
                } else {
                    let len = rest
                        .char_indices()
                        .skip(1)
                        .find(|(_, c)| !(c.is_ascii_digit() || *c == ':'))
                        .map_or(rest.len(), |(i, _)| i);
                    offset = parse_offset(rest.get(..len)?)?;
                    rest = rest.get(len..)?;
                }
            }
            Tok::Field(..) => return None,
        }
    }
    if !rest.is_empty() {
        return None;
    }
    match pm {
        Some(true) if p.hour < 12 => p.hour += 12,
        Some(false) if p.hour == 12 => p.hour = 0,
        _ => {}
    }
    ticks_of(&p, offset)
}

pub(crate) fn add_months(ticks: i64, months: i64) -> Option<i64> {
    let mut p = parts(ticks);
    let total = p.year * 12 + (p.month - 1) + months;
    p.year = total.div_euclid(12);
    p.month = total.rem_euclid(12) + 1;
    p.day = p.day.min(days_in_month(p.year, p.month));
    ticks_of(&p, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        parse_date(s)
            .map(format_entra)
            .unwrap_or_else(|| format!("unparsed {s}"))
    }

    #[test]
    fn microsofts_cdate_examples() {
        assert_eq!(d("2020-03-16-07:00"), "3/16/2020 7:00:00 AM");
        assert_eq!(d("2021-06-30+08:00"), "6/29/2021 4:00:00 PM");
        assert_eq!(d("2009-06-15T01:45:30-07:00"), "6/15/2009 8:45:30 AM");
        assert_eq!(d("8/25/2021 5:41:18 PM"), "8/25/2021 5:41:18 PM");
    }

    #[test]
    fn filetime() {
        assert_eq!(
            format_entra(129_699_324_000_000_000 + FILETIME_EPOCH),
            "1/1/2012 11:00:00 PM"
        );
    }

    #[test]
    fn custom_formats() {
        let t = parse_custom("20150123105347.1Z", "yyyyMMddHHmmss.fZ");
        assert_eq!(
            t.and_then(|t| format_custom(t, "yyyy-MM-dd")).as_deref(),
            Some("2015-01-23")
        );
    }
}
