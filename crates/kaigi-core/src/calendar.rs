//! iCalendar (RFC 5545) for meetings, deadlines and, later, sessions. Times are kept as the
//! committee writes them (a local time in a named time zone) and written in UTC, converted
//! with the time-zone database compiled into kaigi, so every calendar client places them right.

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

#[derive(Debug, Clone)]
pub enum When {
    /// A local date and "HH:MM" times in an IANA time zone ("Asia/Tokyo").
    Timed {
        date: time::Date,
        start: String,
        end: String,
        timezone: String,
    },
    AllDay(time::Date),
}

#[derive(Debug, Clone)]
pub struct CalendarEvent {
    /// Stable across exports, so calendar apps update instead of duplicating.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: Option<String>,
    pub when: When,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("time zone {0:?} is unknown")]
    UnknownTimeZone(String),
    #[error("{0:?} is not a time as HH:MM")]
    BadTime(String),
}

/// A local date and time in a time zone, as a UTC instant.
pub fn local_to_utc(date: time::Date, hhmm: &str, timezone: &str) -> Result<DateTime<Utc>, CalendarError> {
    let (h, m) = hhmm
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i8>().ok()?, m.parse::<i8>().ok()?)))
        .ok_or_else(|| CalendarError::BadTime(hhmm.to_owned()))?;
    // Hours past 23 belong to the next day ("25:00" is 1 a.m.).
    let (extra_days, h) = (i64::from(h / 24), h % 24);
    let tz = jiff::tz::TimeZone::get(timezone).map_err(|_| CalendarError::UnknownTimeZone(timezone.to_owned()))?;
    let day = date + time::Duration::days(extra_days);
    let civil = jiff::civil::date(day.year() as i16, u8::from(day.month()) as i8, day.day() as i8).at(h, m, 0, 0);
    let instant = tz.to_timestamp(civil).map_err(|_| CalendarError::BadTime(hhmm.to_owned()))?;
    DateTime::from_timestamp(instant.as_second(), 0).ok_or_else(|| CalendarError::BadTime(hhmm.to_owned()))
}

fn naive(date: time::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(date.year(), u8::from(date.month()).into(), date.day().into())
}

/// The events as one calendar.
pub fn to_ical(name: &str, events: &[CalendarEvent]) -> Result<String, CalendarError> {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for e in events {
        let mut event = Event::new();
        event.uid(&e.uid).summary(&e.summary);
        if !e.description.is_empty() {
            event.description(&e.description);
        }
        if !e.location.is_empty() {
            event.location(&e.location);
        }
        if let Some(url) = &e.url {
            event.url(url);
        }
        match &e.when {
            When::Timed { date, start, end, timezone } => {
                event.starts(local_to_utc(*date, start, timezone)?).ends(local_to_utc(*date, end, timezone)?);
            }
            When::AllDay(date) => {
                if let Some(day) = naive(*date) {
                    event.all_day(day);
                }
            }
        }
        calendar.push(event.done());
    }
    Ok(calendar.done().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> time::Date {
        time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
    }

    #[test]
    fn local_times_become_utc_with_daylight_saving() {
        assert_eq!(
            local_to_utc(day(2026, 3, 9), "18:30", "Asia/Tokyo").unwrap().to_rfc3339(),
            "2026-03-09T09:30:00+00:00"
        );
        assert_eq!(
            local_to_utc(day(2026, 7, 1), "10:00", "Europe/Berlin").unwrap().to_rfc3339(),
            "2026-07-01T08:00:00+00:00"
        );
        assert_eq!(
            local_to_utc(day(2026, 12, 1), "10:00", "Europe/Berlin").unwrap().to_rfc3339(),
            "2026-12-01T09:00:00+00:00"
        );
        assert_eq!(
            local_to_utc(day(2026, 3, 9), "25:00", "Asia/Tokyo").unwrap().to_rfc3339(),
            "2026-03-09T16:00:00+00:00"
        );
        assert!(local_to_utc(day(2026, 3, 9), "18:30", "Mars/Olympus").is_err());
    }

    #[test]
    fn a_calendar_parses_back_with_its_events() {
        let ics = to_ical(
            "テスト",
            &[
                CalendarEvent {
                    uid: "m1@kaigi".into(),
                    summary: "第 58 回会合; 議題, 宿題".into(),
                    description: "一行目\n二行目".into(),
                    location: "サンプル会館".into(),
                    url: None,
                    when: When::Timed {
                        date: day(2026, 3, 30),
                        start: "18:30".into(),
                        end: "20:00".into(),
                        timezone: "Asia/Tokyo".into(),
                    },
                },
                CalendarEvent {
                    uid: "d1@kaigi".into(),
                    summary: "意見募集の締切".into(),
                    description: String::new(),
                    location: String::new(),
                    url: Some("https://example.org/".into()),
                    when: When::AllDay(day(2026, 4, 15)),
                },
            ],
        )
        .unwrap();
        assert!(ics.contains("DTSTART:20260330T093000Z"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20260415"), "{ics}");
        let parsed: icalendar::Calendar = ics.parse().unwrap();
        assert_eq!(parsed.components.len(), 2);
        let first = parsed.components[0].as_event().unwrap();
        assert_eq!(first.get_summary(), Some("第 58 回会合; 議題, 宿題"));
        assert_eq!(first.get_uid(), Some("m1@kaigi"));
    }
}
