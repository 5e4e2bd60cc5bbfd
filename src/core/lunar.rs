//! The Vietnamese lunisolar calendar (âm lịch), computed for UTC+7 with Hồ Ngọc Đức's
//! published algorithm (astronomical new moons and solar terms). The Chinese calendar
//! uses UTC+8 and so differs in some years (Tết 1985 is 21/1 in Vietnam, 20/2 in China),
//! which is why no Chinese-calendar crate is used here.

use chrono::{Datelike, NaiveDate};

/// Vietnam's time zone for the calendar, in hours.
const TZ: f64 = 7.0;

/// A day of the lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    /// The day lies in a leap month (tháng nhuận).
    pub leap: bool,
}

fn jd_from_date(d: i64, m: i64, y: i64) -> i64 {
    let a = (14 - m).div_euclid(12);
    let y = y + 4800 - a;
    let m = m + 12 * a - 3;
    let jd = d + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - y.div_euclid(100)
        + y.div_euclid(400)
        - 32045;
    if jd < 2_299_161 {
        d + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - 32083
    } else {
        jd
    }
}

fn jd_to_date(jd: i64) -> Option<NaiveDate> {
    let (b, c) = if jd > 2_299_160 {
        let a = jd + 32044;
        let b = (4 * a + 3).div_euclid(146_097);
        (b, a - (b * 146_097).div_euclid(4))
    } else {
        (0, jd + 32082)
    };
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = e - (153 * m + 2).div_euclid(5) + 1;
    let month = m + 3 - 12 * m.div_euclid(10);
    let year = b * 100 + d - 4800 + m.div_euclid(10);
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )
}

/// Julian day of the k-th new moon after 1/1/1900 (Meeus' series, truncated).
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = std::f64::consts::PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's longitude (radians, 0..2π) at Julian day `jdn`.
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let dr = std::f64::consts::PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    let two_pi = std::f64::consts::PI * 2.0;
    l - two_pi * (l / two_pi).floor()
}

/// Which of the 12 major solar terms the sun is in at local midnight of `day_number`.
fn sun_term(day_number: i64) -> i64 {
    (sun_longitude(day_number as f64 - 0.5 - TZ / 24.0) / std::f64::consts::PI * 6.0).floor() as i64
}

fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TZ / 24.0).floor() as i64
}

/// The first day of lunar month 11 (the month of the winter solstice) of year `yy`.
fn lunar_month_11(yy: i64) -> i64 {
    let off = jd_from_date(31, 12, yy) - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let nm = new_moon_day(k);
    if sun_term(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// Which month after month 11 is the leap month (the first with no major term).
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_term(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_term(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The solar date of a lunar date; `None` when it does not exist (a leap month that
/// year does not have, or a day past the month's end is not checked here).
pub fn lunar_to_solar(day: u32, month: u32, year: i32, leap: bool) -> Option<NaiveDate> {
    if !(1..=30).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let (yy, mm, dd) = (i64::from(year), i64::from(month), i64::from(day));
    let (a11, b11) = if mm < 11 {
        (lunar_month_11(yy - 1), lunar_month_11(yy))
    } else {
        (lunar_month_11(yy), lunar_month_11(yy + 1))
    };
    let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut off = mm - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if leap && mm != leap_month {
            return None;
        } else if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    jd_to_date(new_moon_day(k + off) + dd - 1)
}

pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let yy = i64::from(date.year());
    let day_number = jd_from_date(i64::from(date.day()), i64::from(date.month()), yy);
    let k = ((day_number as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut month_start = new_moon_day(k + 1);
    if month_start > day_number {
        month_start = new_moon_day(k);
    }
    let mut a11 = lunar_month_11(yy);
    let mut b11 = a11;
    let mut lunar_year = yy;
    if a11 >= month_start {
        a11 = lunar_month_11(yy - 1);
    } else {
        lunar_year = yy + 1;
        b11 = lunar_month_11(yy + 1);
    }
    let lunar_day = day_number - month_start + 1;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut lunar_month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            lunar_month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if lunar_month > 12 {
        lunar_month -= 12;
    }
    if lunar_month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        day: lunar_day as u32,
        month: lunar_month as u32,
        year: lunar_year as i32,
        leap,
    }
}

/// The solar date of lunar `day`/`month` (not leap) in lunar year `year`; day 30 of a
/// 29-day month falls back to day 29, so a yearly date never disappears.
pub fn yearly_lunar(day: u32, month: u32, year: i32) -> Option<NaiveDate> {
    let date = lunar_to_solar(day, month, year, false)?;
    if solar_to_lunar(date).month == month {
        Some(date)
    } else {
        lunar_to_solar(day - 1, month, year, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn tet_in_vietnam() {
        // Tết Nguyên đán (1/1 âm lịch), as Vietnam's published calendars give it.
        let known = [
            (1985, d(1985, 1, 21)), // China: 20/2/1985
            (2007, d(2007, 2, 17)), // China: 18/2/2007
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
            (2028, d(2028, 1, 26)),
            (2029, d(2029, 2, 13)),
            (2030, d(2030, 2, 2)), // China: 3/2/2030 (new moon 23:07 in Hanoi)
            (2031, d(2031, 1, 23)),
            (2032, d(2032, 2, 11)),
            (2033, d(2033, 1, 31)),
            (2034, d(2034, 2, 19)),
            (2035, d(2035, 2, 8)),
        ];
        for (year, tet) in known {
            assert_eq!(lunar_to_solar(1, 1, year, false), Some(tet), "Tết {year}");
            let back = solar_to_lunar(tet);
            assert_eq!(
                (back.day, back.month, back.year, back.leap),
                (1, 1, year, false)
            );
        }
    }

    #[test]
    fn festivals_and_leap_months() {
        // Tết Trung thu (15/8), Giỗ Tổ Hùng Vương (10/3), Rằm tháng Giêng (15/1).
        assert_eq!(lunar_to_solar(15, 8, 2026, false), Some(d(2026, 9, 25)));
        assert_eq!(lunar_to_solar(15, 8, 2027, false), Some(d(2027, 9, 15)));
        assert_eq!(lunar_to_solar(10, 3, 2026, false), Some(d(2026, 4, 26)));
        assert_eq!(lunar_to_solar(15, 1, 2026, false), Some(d(2026, 3, 3)));
        // 2023 had a leap 2nd month, 2025 a leap 6th month; 2026 has none.
        assert!(lunar_to_solar(1, 2, 2023, true).is_some());
        assert!(lunar_to_solar(1, 3, 2023, true).is_none());
        let leap6 = solar_to_lunar(d(2025, 8, 1));
        assert_eq!((leap6.month, leap6.leap), (6, true));
        assert!(lunar_to_solar(1, 6, 2026, true).is_none());
        assert!(lunar_to_solar(0, 1, 2026, false).is_none());
        assert!(lunar_to_solar(1, 13, 2026, false).is_none());
    }

    #[test]
    fn every_day_round_trips() {
        let mut day = d(2019, 1, 1);
        while day < d(2036, 1, 1) {
            let l = solar_to_lunar(day);
            assert_eq!(
                lunar_to_solar(l.day, l.month, l.year, l.leap),
                Some(day),
                "{day} {l:?}"
            );
            day = day.succ_opt().expect("next");
        }
    }
}
