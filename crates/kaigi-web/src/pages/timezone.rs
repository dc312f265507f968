//! Moments shown and read in an edition's own time zone.

use time::OffsetDateTime;

use crate::error::{AppError, AppResult};

fn zone(timezone: &str) -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(timezone).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// "2026-04-30T23:59" in the edition's time zone, for a datetime-local field.
pub fn local_input(at: OffsetDateTime, timezone: &str) -> String {
    jiff::Timestamp::from_second(at.unix_timestamp())
        .map(|t| zone(timezone).to_datetime(t).strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A moment shown in the edition's time zone, with the zone named.
pub fn local_time(at: OffsetDateTime, timezone: &str) -> String {
    jiff::Timestamp::from_second(at.unix_timestamp())
        .map(|t| zone(timezone).to_datetime(t).strftime("%Y-%m-%d %H:%M").to_string() + " (" + timezone + ")")
        .unwrap_or_default()
}

/// A day ("2026-06-23") and a clock time ("09:30") at the edition's venue, plus `minutes`, as
/// an RFC 3339 instant with the venue's offset ("2026-06-23T09:30:00+09:00"), for a page's
/// `<time datetime>` that a reader's browser turns into their own time.
pub fn instant(day: &str, clock: &str, minutes: i64, timezone: &str) -> Option<String> {
    let civil: jiff::civil::DateTime = format!("{day}T{clock}").parse().ok()?;
    let zoned =
        zone(timezone).to_zoned_datetime(civil).ok()?.checked_add(jiff::SignedDuration::from_mins(minutes)).ok()?;
    Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

/// A datetime-local field read in the edition's time zone.
pub fn parse_local(field_name: &'static str, text: &str, timezone: &str) -> AppResult<OffsetDateTime> {
    let bad = || AppError::refused("error-field-datetime").with("field", field_name).with("value", text);
    let civil: jiff::civil::DateTime = text.trim().parse().map_err(|_| bad())?;
    let instant = zone(timezone).to_timestamp(civil).map_err(|_| bad())?;
    OffsetDateTime::from_unix_timestamp(instant.as_second()).map_err(|_| bad())
}
