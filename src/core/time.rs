//! Time is stored as UTC epoch milliseconds and shown in Asia/Ho_Chi_Minh, the
//! Vietnamese way (19/8/2026, 07:00).

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub fn format_date_time(ms: i64) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t
            .with_timezone(&Ho_Chi_Minh)
            .format("%-d/%-m/%Y, %H:%M")
            .to_string(),
        None => String::from("?"),
    }
}

pub fn format_date(ms: i64) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t
            .with_timezone(&Ho_Chi_Minh)
            .format("%-d/%-m/%Y")
            .to_string(),
        None => String::from("?"),
    }
}

pub fn to_utc(ms: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_vietnamese_local_time() {
        // 2026-08-19 00:00 UTC is 07:00 in Hanoi.
        let ms = Utc
            .with_ymd_and_hms(2026, 8, 19, 0, 0, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(format_date_time(ms), "19/8/2026, 07:00");
        assert_eq!(format_date(ms), "19/8/2026");
    }
}
