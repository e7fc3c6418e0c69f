//! Calendar dates without a date library: histories show days, and
//! `cbr compare 2024-01-15` names a codebook version by the day.

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` of a moment, in the given offset (minutes east of UTC).
pub fn format_date(seconds: i64, offset_minutes: i32) -> String {
    let local = seconds + i64::from(offset_minutes) * 60;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The first second (UTC) after the day `YYYY-MM-DD`: a version "at" a
/// date is the last commit before the day ends.
pub fn end_of_day(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let mut num = |len: usize| {
        let p = parts.next()?;
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i64>().ok())
            .flatten()
    };
    let (y, m, d) = (num(4)?, num(2)?, num(2)?);
    if !(1..=12).contains(&m) || d < 1 || civil_from_days(days_from_civil(y, m, d)) != (y, m, d) {
        return None;
    }
    Some((days_from_civil(y, m, d) + 1) * DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        // 2024-01-08 09:00 in Paris is 08:00 UTC.
        assert_eq!(format_date(1_704_700_800, 60), "2024-01-08");
        assert_eq!(format_date(0, 0), "1970-01-01");
        assert_eq!(end_of_day("2024-01-08"), Some(1_704_758_400));
        assert_eq!(
            format_date(end_of_day("2024-02-29").unwrap() - 1, 0),
            "2024-02-29"
        );
        assert_eq!(end_of_day("2023-02-29"), None);
        assert_eq!(end_of_day("2024-1-08"), None);
        assert_eq!(end_of_day("codebook-v1"), None);
    }
}
