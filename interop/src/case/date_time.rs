//! `lastChangeDateTime` must be an RFC 3339 date-time (the CASE schema's
//! `format: date-time`); `meta last_change` is free text. A date is taken at
//! midnight UTC, and a date-time without a zone as UTC (OpenSALT writes
//! `2017-05-25T18:05:33`, its server's UTC time); anything else is refused
//! here (the caller warns).

/// `2025-03-01` → `2025-03-01T00:00:00Z`; a valid RFC 3339 date-time as
/// given; `2017-05-25T18:05:33` → `2017-05-25T18:05:33Z`; None otherwise
/// (`hier`, `2025-02-30`).
pub fn of(text: &str) -> Option<String> {
    let text = text.trim();
    let (date, time) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    if !is_date(date) {
        return None;
    }
    match time {
        None => Some(format!("{date}T00:00:00Z")),
        Some(t) if is_time(t) => Some(text.to_string()),
        Some(t) if is_time(&format!("{t}Z")) => Some(format!("{text}Z")),
        Some(_) => None,
    }
}

fn digits(text: &str, n: usize) -> Option<u32> {
    (text.len() == n && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn is_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `HH:MM:SS(.frac)?(Z|±HH:MM)`.
fn is_time(text: &str) -> bool {
    let (clock, zone) = if let Some(c) = text.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if text.len() > 6 && text.is_char_boundary(text.len() - 6) {
        let (c, z) = text.split_at(text.len() - 6);
        (c, Some(z))
    } else {
        return false;
    };
    if let Some(zone) = zone {
        let (sign, hm) = zone.split_at(1);
        let Some((h, m)) = hm.split_once(':') else {
            return false;
        };
        if !matches!(sign, "+" | "-")
            || digits(h, 2).is_none_or(|h| h >= 24)
            || digits(m, 2).is_none_or(|m| m >= 60)
        {
            return false;
        }
    }
    let (whole, fraction) = match clock.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut parts = whole.split(':');
    matches!(
        (
            parts.next().and_then(|h| digits(h, 2)),
            parts.next().and_then(|m| digits(m, 2)),
            parts.next().and_then(|s| digits(s, 2)),
            parts.next(),
        ),
        (Some(h), Some(m), Some(s), None) if h < 24 && m < 60 && s <= 60
    )
}

#[cfg(test)]
mod tests {
    use super::of;

    #[test]
    fn dates_and_date_times() {
        assert_eq!(of("2025-03-01").as_deref(), Some("2025-03-01T00:00:00Z"));
        assert_eq!(
            of("2025-03-01T10:20:30Z").as_deref(),
            Some("2025-03-01T10:20:30Z")
        );
        assert_eq!(
            of("2025-03-01T10:20:30.5+01:00").as_deref(),
            Some("2025-03-01T10:20:30.5+01:00")
        );
        // OpenSALT's zone-less date-times are UTC.
        assert_eq!(
            of("2017-05-25T18:05:33").as_deref(),
            Some("2017-05-25T18:05:33Z")
        );
        for bad in [
            "2017-05-25T18:05:33+01",
            "2017-05-25T18:05",
            "hier",
            "2025-02-30",
            "2025-3-1",
            "2025-03-01T25:00:00Z",
            "2025-03-01T10:20Z",
            "01/03/2025",
        ] {
            assert_eq!(of(bad), None, "{bad}");
        }
    }
}
