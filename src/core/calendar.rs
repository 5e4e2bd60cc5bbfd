//! Campaign dates: next occurrences, which reminders are due, and the .ics file. Dates
//! are local (Asia/Ho_Chi_Minh); reminders go out at a local hour.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};
use serde::{Deserialize, Serialize};

/// Default reminders: a week before, the day before, the morning of.
pub const DEFAULT_REMIND_DAYS: [i64; 3] = [7, 1, 0];
pub const DEFAULT_REMIND_HOUR: u32 = 7;
/// Occurrences of a lunar date written into the .ics file.
const LUNAR_YEARS_IN_ICS: usize = 5;
/// A reminder missed by more than this (the bot was down) is skipped, not sent late.
const LATE_LIMIT_MS: i64 = 12 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "recurrence", rename_all = "snake_case")]
pub enum Recurrence {
    Once {
        day: u32,
        month: u32,
        year: i32,
    },
    Yearly {
        day: u32,
        month: u32,
    },
    /// Every year on a lunar day/month (Vietnamese calendar).
    LunarYearly {
        day: u32,
        month: u32,
    },
}

impl Recurrence {
    /// The first occurrence on or after `from`.
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Recurrence::Once { day, month, year } => {
                NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d >= from)
            }
            Recurrence::Yearly { day, month } => (from.year()..from.year() + 8)
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                .find(|d| *d >= from),
            // Lunar year Y starts in January or February of solar year Y.
            Recurrence::LunarYearly { day, month } => (from.year() - 1..from.year() + 3)
                .filter_map(|y| crate::core::lunar::yearly_lunar(day, month, y))
                .find(|d| *d >= from),
        }
    }

    pub fn valid(&self) -> bool {
        match *self {
            Recurrence::Once { day, month, year } => {
                NaiveDate::from_ymd_opt(year, month, day).is_some()
            }
            // 29/2 is valid: it happens in leap years.
            Recurrence::Yearly { day, month } => {
                NaiveDate::from_ymd_opt(2028, month, day).is_some()
            }
            Recurrence::LunarYearly { day, month } => {
                (1..=30).contains(&day) && (1..=12).contains(&month)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignView {
    pub id: i64,
    pub title: String,
    pub unit_name: String,
    pub recurrence: Recurrence,
    pub remind_days: Vec<i64>,
    pub remind_hour: u32,
}

pub fn local_date(now_ms: i64) -> NaiveDate {
    Utc.timestamp_millis_opt(now_ms)
        .single()
        .map(|t| t.with_timezone(&Ho_Chi_Minh).date_naive())
        .unwrap_or_default()
}

/// Epoch ms of `date` at `hour`:00 in Hanoi.
pub fn local_time_ms(date: NaiveDate, hour: u32) -> Option<i64> {
    let naive = date.and_hms_opt(hour.min(23), 0, 0)?;
    Ho_Chi_Minh
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.timestamp_millis())
}

/// A reminder that is due now and not yet too late.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub occurrence: NaiveDate,
    pub days_before: i64,
}

pub fn due_reminders(c: &CampaignView, now_ms: i64) -> Vec<DueReminder> {
    let today = local_date(now_ms);
    let max_before = c
        .remind_days
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .clamp(0, 366);
    let Some(occurrence) = c.recurrence.next_on_or_after(today) else {
        return vec![];
    };
    if (occurrence - today).num_days() > max_before {
        return vec![];
    }
    c.remind_days
        .iter()
        .filter(|d| (0..=366).contains(*d))
        .filter_map(|&days_before| {
            let day = occurrence - Duration::days(days_before);
            let at = local_time_ms(day, c.remind_hour)?;
            (at <= now_ms && now_ms - at < LATE_LIMIT_MS).then_some(DueReminder {
                occurrence,
                days_before,
            })
        })
        .collect()
}

/// Upcoming dates, soonest first.
pub fn upcoming(campaigns: &[CampaignView], now_ms: i64) -> Vec<(NaiveDate, &CampaignView)> {
    let today = local_date(now_ms);
    let mut out: Vec<_> = campaigns
        .iter()
        .filter_map(|c| c.recurrence.next_on_or_after(today).map(|d| (d, c)))
        .collect();
    out.sort_by_key(|(d, c)| (*d, c.id));
    out
}

/// An .ics calendar of the campaigns: all-day events, yearly ones repeating, with the
/// reminders as alarms, so a phone's calendar app shows them.
pub fn ics(campaigns: &[CampaignView], calendar_name: &str, now_ms: i64) -> String {
    let mut cal = Calendar::new();
    cal.name(calendar_name);
    for (date, c) in upcoming(campaigns, now_ms) {
        // An RRULE can't follow the moon: a lunar date is written out for five years.
        let dates: Vec<NaiveDate> = match c.recurrence {
            Recurrence::LunarYearly { .. } => {
                let mut next = vec![date];
                while next.len() < LUNAR_YEARS_IN_ICS {
                    let after = next[next.len() - 1] + Duration::days(1);
                    match c.recurrence.next_on_or_after(after) {
                        Some(d) => next.push(d),
                        None => break,
                    }
                }
                next
            }
            _ => vec![date],
        };
        for (i, date) in dates.into_iter().enumerate() {
            let mut event = Event::new();
            let uid = match i {
                0 => format!("campaign-{}@congdoan-bot", c.id),
                _ => format!("campaign-{}-{}@congdoan-bot", c.id, date.year()),
            };
            event
                .uid(&uid)
                .summary(&c.title)
                .description(&c.unit_name)
                .all_day(date);
            if matches!(c.recurrence, Recurrence::Yearly { .. }) {
                event.add_property("RRULE", "FREQ=YEARLY");
            }
            for &d in &c.remind_days {
                // All-day events start at 00:00: the alarm fires at the reminder hour.
                let before = Duration::days(d) - Duration::hours(i64::from(c.remind_hour));
                event.alarm(Alarm::display(&c.title, Trigger::before_start(before)));
            }
            cal.push(event.done());
        }
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        let naive = NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .expect("date");
        Ho_Chi_Minh
            .from_local_datetime(&naive)
            .single()
            .expect("local")
            .timestamp_millis()
    }

    fn festival() -> CampaignView {
        CampaignView {
            id: 1,
            title: "Ngày hội toàn dân bảo vệ an ninh Tổ quốc".into(),
            unit_name: "CĐCS".into(),
            recurrence: Recurrence::Yearly { day: 19, month: 8 },
            remind_days: DEFAULT_REMIND_DAYS.to_vec(),
            remind_hour: 7,
        }
    }

    #[test]
    fn next_occurrence_rolls_over_and_handles_leap_days() {
        let y = Recurrence::Yearly { day: 19, month: 8 };
        assert_eq!(
            y.next_on_or_after(NaiveDate::from_ymd_opt(2026, 11, 23).expect("d")),
            NaiveDate::from_ymd_opt(2027, 8, 19)
        );
        let leap = Recurrence::Yearly { day: 29, month: 2 };
        assert!(leap.valid());
        assert_eq!(
            leap.next_on_or_after(NaiveDate::from_ymd_opt(2026, 3, 1).expect("d")),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        assert!(!Recurrence::Yearly { day: 31, month: 4 }.valid());
        let once = Recurrence::Once {
            day: 1,
            month: 5,
            year: 2026,
        };
        assert_eq!(
            once.next_on_or_after(NaiveDate::from_ymd_opt(2026, 6, 1).expect("d")),
            None
        );
    }

    #[test]
    fn reminders_are_due_at_seven_in_hanoi() {
        let c = festival();
        assert!(due_reminders(&c, ms(2027, 8, 12, 6, 59)).is_empty());
        assert_eq!(
            due_reminders(&c, ms(2027, 8, 12, 7, 0)),
            vec![DueReminder {
                occurrence: NaiveDate::from_ymd_opt(2027, 8, 19).expect("d"),
                days_before: 7
            }]
        );
        assert_eq!(due_reminders(&c, ms(2027, 8, 18, 9, 30))[0].days_before, 1);
        assert_eq!(due_reminders(&c, ms(2027, 8, 19, 7, 1))[0].days_before, 0);
        // Down all morning and afternoon: the day-of reminder is not sent at night.
        assert!(due_reminders(&c, ms(2027, 8, 19, 20, 0)).is_empty());
        assert!(due_reminders(&c, ms(2027, 3, 1, 7, 0)).is_empty());
    }

    #[test]
    fn ics_has_yearly_all_day_events_with_alarms() {
        let text = ics(&[festival()], "Lịch công đoàn", ms(2026, 11, 23, 10, 0));
        assert!(text.contains("BEGIN:VCALENDAR"), "{text}");
        assert!(text.contains("DTSTART;VALUE=DATE:20270819"), "{text}");
        assert!(text.contains("RRULE:FREQ=YEARLY"), "{text}");
        assert_eq!(text.matches("BEGIN:VALARM").count(), 3, "{text}");
        assert!(text.contains("Ngày hội toàn dân"), "{text}");
    }
}
