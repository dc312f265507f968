//! An edition's setup as one document: days with their hours and breaks, rooms with seats,
//! equipment and availability, tracks and themes. The secretariat edits it in the browser and
//! the CLI reads and writes it as JSON; both go through [`EditionSetup::check`], so a setup
//! the timetabler cannot use is never stored.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::problem::Problem;
use crate::timetable::{Span, format_clock, parse_clock};

/// Equipment a room may have; sessions name the same codes in their needs.
pub const FEATURES: [&str; 2] = ["hybrid", "interpretation"];

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionSetup {
    /// The setup version this document was read at; storing it is refused if the edition's
    /// setup changed since. Absent: no check (a file written by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    pub days: Vec<SetupDay>,
    pub rooms: Vec<SetupRoom>,
    #[serde(default)]
    pub tracks: Vec<SetupLabel>,
    #[serde(default)]
    pub themes: Vec<SetupLabel>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupDay {
    /// YYYY-MM-DD; a day is known by its date.
    #[schemars(extend("format" = "date"))]
    pub date: String,
    pub label: String,
    /// HH:MM at the venue.
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub breaks: Vec<Span>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRoom {
    /// The stored room this is; absent for a new room (or one matched by its name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    /// Seats.
    pub capacity: i64,
    /// Equipment: hybrid, interpretation.
    #[serde(default)]
    pub features: Vec<String>,
    /// Absent: the whole of every day. Present: only the listed days and intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<BTreeMap<String, Vec<Span>>>,
}

/// A track or a theme: a name in English and, where given, in Japanese.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupLabel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_ja: Option<String>,
}

/// What is wrong with a setup, and where ("rooms[2].capacity").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{path}: {message}")]
pub struct SetupError {
    pub path: String,
    pub message: String,
    /// The same for a reader of the page: the problem, with the place as people call it (the
    /// day's label, the room's name) in its `where` argument.
    #[serde(skip)]
    pub problem: Problem,
}

fn error(path: impl Into<String>, place: &str, problem: Problem) -> SetupError {
    SetupError { path: path.into(), message: problem.english.clone(), problem: problem.with("where", place) }
}

/// A day, a room or a label as the secretariat knows it: by name, else by its position.
fn place(name: &str, kind: &str, i: usize) -> String {
    if name.trim().is_empty() { format!("{kind} {}", i + 1) } else { name.trim().to_owned() }
}

/// A calendar date written YYYY-MM-DD.
pub fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, &format).is_ok()
}

/// The minutes of a span, or what is wrong with it.
fn span_minutes(span: &Span) -> Result<(i64, i64), Problem> {
    let clock = |text: &str| {
        parse_clock(text).ok_or_else(|| {
            Problem::new("error-span-time", format!("{text:?} is not a time (HH:MM)")).with("value", text)
        })
    };
    let (start, end) = (clock(&span.start)?, clock(&span.end)?);
    if end <= start {
        return Err(Problem::new("error-span-order", format!("{}–{} ends before it starts", span.start, span.end))
            .with("start", &span.start)
            .with("end", &span.end));
    }
    Ok((start, end))
}

/// Spans as people write them: "13:00–14:00, 16:00-16:15" (en dash, hyphen or 〜; commas,
/// 、 or new lines between them). Empty text is no spans.
pub fn parse_spans(text: &str) -> Result<Vec<Span>, Problem> {
    let normalised: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            '–' | '—' | '〜' | '～' | '~' | '－' => '-',
            '、' | '，' | '\n' | ';' => ',',
            c => c,
        })
        .collect();
    let mut spans = Vec::new();
    for part in normalised.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (start, end) = part.split_once('-').ok_or_else(|| {
            Problem::new("error-span-form", format!("{part:?} is not a span like 13:00–14:00")).with("value", part)
        })?;
        let span = Span { start: start.trim().to_owned(), end: end.trim().to_owned() };
        let (start, end) = span_minutes(&span)?;
        spans.push(Span { start: format_clock(start), end: format_clock(end) });
    }
    Ok(spans)
}

/// Spans written back the way [`parse_spans`] reads them.
pub fn format_spans(spans: &[Span]) -> String {
    spans.iter().map(|s| format!("{}–{}", s.start, s.end)).collect::<Vec<_>>().join(", ")
}

/// A room's availability as people write it, one day a line: "2026-06-24 09:00–12:30, 14:00–18:00".
/// Empty text means the whole of every day.
/// A problem names its line in its `where` argument.
pub fn parse_availability(text: &str) -> Result<Option<BTreeMap<String, Vec<Span>>>, Problem> {
    let mut days = BTreeMap::new();
    for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let at_line =
            |p: Problem| Problem { english: format!("line {}: {}", n + 1, p.english), ..p }.with("line", n + 1);
        let (date, spans) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if !is_date(date) {
            return Err(at_line(
                Problem::new("error-field-date", format!("{date:?} is not a date (YYYY-MM-DD)"))
                    .with("field", "date")
                    .with("value", date),
            ));
        }
        let spans = parse_spans(spans).map_err(at_line)?;
        days.entry(date.to_owned()).or_insert_with(Vec::new).extend(spans);
    }
    Ok((!days.is_empty()).then_some(days))
}

/// Availability written back the way [`parse_availability`] reads it.
pub fn format_availability(available: &Option<BTreeMap<String, Vec<Span>>>) -> String {
    available
        .iter()
        .flatten()
        .map(|(day, spans)| format!("{day} {}", format_spans(spans)).trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn named_twice(name: &str) -> Problem {
    Problem::new("error-listed-twice", format!("{name:?} is listed twice")).with("value", name)
}

fn check_labels(kind: &str, labels: &[SetupLabel], errors: &mut Vec<SetupError>) {
    let mut names = HashSet::new();
    for (i, label) in labels.iter().enumerate() {
        let name = label.name.trim();
        let at = place(name, kind, i);
        if name.is_empty() {
            errors.push(error(
                format!("{kind}[{i}].name"),
                &at,
                Problem::new("error-field-empty", "a name is needed").with("field", "name"),
            ));
        } else if !names.insert(name.to_lowercase()) {
            errors.push(error(format!("{kind}[{i}].name"), &at, named_twice(name)));
        }
    }
}

impl EditionSetup {
    /// Every problem, each with where it is; an empty list means the setup can be stored.
    pub fn check(&self) -> Result<(), Vec<SetupError>> {
        let mut errors = Vec::new();
        let mut windows: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for (i, day) in self.days.iter().enumerate() {
            let at = |field: &str| format!("days[{i}].{field}");
            let here = place(if day.label.trim().is_empty() { &day.date } else { &day.label }, "day", i);
            if !is_date(&day.date) {
                errors.push(error(
                    at("date"),
                    &here,
                    Problem::new("error-field-date", format!("{:?} is not a date (YYYY-MM-DD)", day.date))
                        .with("field", "date")
                        .with("value", &day.date),
                ));
                continue;
            }
            if day.label.trim().is_empty() {
                errors.push(error(
                    at("label"),
                    &here,
                    Problem::new("error-field-empty", "a label is needed (e.g. \"Day 1\")").with("field", "label"),
                ));
            }
            let window = match span_minutes(&Span { start: day.start.clone(), end: day.end.clone() }) {
                Ok(w) => w,
                Err(e) => {
                    errors.push(error(at("start"), &here, e));
                    continue;
                }
            };
            if windows.insert(&day.date, window).is_some() {
                errors.push(error(at("date"), &here, named_twice(&day.date)));
            }
            let mut breaks = Vec::new();
            for (j, b) in day.breaks.iter().enumerate() {
                match span_minutes(b) {
                    Ok((s, e)) if s < window.0 || e > window.1 => errors.push(error(
                        format!("days[{i}].breaks[{j}]"),
                        &here,
                        Problem::new(
                            "error-break-outside",
                            format!("{}–{} is outside the day's hours {}–{}", b.start, b.end, day.start, day.end),
                        )
                        .with("start", &b.start)
                        .with("end", &b.end)
                        .with("opens", &day.start)
                        .with("closes", &day.end),
                    )),
                    Ok(span) => breaks.push((span, j)),
                    Err(e) => errors.push(error(format!("days[{i}].breaks[{j}]"), &here, e)),
                }
            }
            breaks.sort();
            for pair in breaks.windows(2) {
                if pair[1].0.0 < pair[0].0.1 {
                    let b = &day.breaks[pair[1].1];
                    errors.push(error(
                        format!("days[{i}].breaks[{}]", pair[1].1),
                        &here,
                        Problem::new("error-break-overlap", "overlaps another break")
                            .with("start", &b.start)
                            .with("end", &b.end),
                    ));
                }
            }
        }
        let mut names = HashSet::new();
        for (i, room) in self.rooms.iter().enumerate() {
            let at = |field: &str| format!("rooms[{i}].{field}");
            let name = room.name.trim();
            let here = place(name, "room", i);
            if name.is_empty() {
                errors.push(error(
                    at("name"),
                    &here,
                    Problem::new("error-field-empty", "a name is needed").with("field", "name"),
                ));
            } else if !names.insert(name.to_lowercase()) {
                errors.push(error(at("name"), &here, named_twice(name)));
            }
            if room.capacity < 0 {
                errors.push(error(
                    at("capacity"),
                    &here,
                    Problem::new("error-field-negative", "cannot be negative")
                        .with("field", "capacity")
                        .with("value", room.capacity),
                ));
            }
            for (j, f) in room.features.iter().enumerate() {
                if f.is_empty() || !f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                    errors.push(error(
                        format!("rooms[{i}].features[{j}]"),
                        &here,
                        Problem::new("error-feature-code", format!("{f:?} is not a feature code")).with("value", f),
                    ));
                }
            }
            for (day, spans) in room.available.iter().flatten() {
                let Some(window) = windows.get(day.as_str()) else {
                    errors.push(error(
                        format!("rooms[{i}].available.{day}"),
                        &here,
                        Problem::new("error-availability-day", "is not one of the edition's days").with("value", day),
                    ));
                    continue;
                };
                for (j, span) in spans.iter().enumerate() {
                    match span_minutes(span) {
                        Ok((s, e)) if s < window.0 || e > window.1 => errors.push(error(
                            format!("rooms[{i}].available.{day}[{j}]"),
                            &here,
                            Problem::new(
                                "error-availability-outside",
                                format!("{}–{} is outside the day's hours", span.start, span.end),
                            )
                            .with("day", day)
                            .with("start", &span.start)
                            .with("end", &span.end),
                        )),
                        Ok(_) => {}
                        Err(e) => errors.push(error(format!("rooms[{i}].available.{day}[{j}]"), &here, e)),
                    }
                }
            }
        }
        check_labels("tracks", &self.tracks, &mut errors);
        check_labels("themes", &self.themes, &mut errors);
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, breaks: &str) -> SetupDay {
        SetupDay {
            date: date.into(),
            label: "Day 1".into(),
            start: "09:00".into(),
            end: "18:30".into(),
            breaks: parse_spans(breaks).expect("spans"),
        }
    }

    #[test]
    fn spans_are_read_as_people_write_them() {
        let spans = parse_spans("１３：００〜１４：００、16:00-16:15").expect("spans");
        assert_eq!(format_spans(&spans), "13:00–14:00, 16:00–16:15");
        assert_eq!(parse_spans(&format_spans(&spans)).expect("again"), spans);
        assert!(parse_spans("14:00–13:00").unwrap_err().english.contains("ends before it starts"));
        assert_eq!(parse_spans("lunch").unwrap_err().arg("value"), Some("lunch"));
        assert_eq!(parse_spans("  ").expect("none"), vec![]);
    }

    #[test]
    fn availability_is_one_day_a_line() {
        let text = "2026-06-24 09:00–12:30, 14:00–18:00\n2026-06-23 10:00-11:00";
        let available = parse_availability(text).expect("parsed");
        assert_eq!(available.as_ref().map(|a| a.len()), Some(2));
        assert_eq!(format_availability(&available), "2026-06-23 10:00–11:00\n2026-06-24 09:00–12:30, 14:00–18:00");
        assert_eq!(parse_availability("").expect("empty"), None);
        let refused = parse_availability("24 June 09:00-10:00").unwrap_err();
        assert!(refused.english.starts_with("line 1"));
        assert_eq!((refused.key, refused.arg("line")), ("error-field-date", Some("1")));
    }

    #[test]
    fn problems_are_named_with_their_place() {
        let setup = EditionSetup {
            days: vec![day("2026-06-23", "13:00-14:00, 13:30-13:45"), day("2026-06-23", "19:00-20:00")],
            rooms: vec![
                SetupRoom { name: "Hall".into(), capacity: -1, ..Default::default() },
                SetupRoom {
                    name: "hall ".into(),
                    capacity: 10,
                    features: vec!["Hybrid".into()],
                    available: parse_availability("2026-06-30 09:00-10:00").expect("parsed"),
                    ..Default::default()
                },
            ],
            tracks: vec![SetupLabel { name: " ".into(), ..Default::default() }],
            ..Default::default()
        };
        let errors: Vec<String> = setup.check().unwrap_err().iter().map(|e| e.path.clone()).collect();
        assert_eq!(
            errors,
            [
                "days[0].breaks[1]",
                "days[1].date",
                "days[1].breaks[0]",
                "rooms[0].capacity",
                "rooms[1].name",
                "rooms[1].features[0]",
                "rooms[1].available.2026-06-30",
                "tracks[0].name"
            ]
        );
        // For the page, each problem says where as people call it: the day's label, the
        // room's name, or the position of something that has no name yet.
        let places: Vec<Option<String>> =
            setup.check().unwrap_err().iter().map(|e| e.problem.arg("where").map(str::to_owned)).collect();
        assert_eq!(places[0].as_deref(), Some("Day 1"));
        assert_eq!(places[3].as_deref(), Some("Hall"));
        assert_eq!(places[7].as_deref(), Some("tracks 1"));
    }

    #[test]
    fn a_good_setup_passes() {
        let setup = EditionSetup {
            days: vec![day("2026-06-23", "13:00-14:00"), day("2026-06-24", "")],
            rooms: vec![SetupRoom {
                name: "Hall".into(),
                capacity: 1000,
                features: vec!["hybrid".into()],
                available: parse_availability("2026-06-24 09:00-12:30").expect("parsed"),
                ..Default::default()
            }],
            themes: vec![SetupLabel { name: "AI".into(), name_ja: Some("AI".into()), ..Default::default() }],
            ..Default::default()
        };
        assert_eq!(setup.check(), Ok(()));
        let json = serde_json::to_string(&setup).expect("json");
        assert_eq!(serde_json::from_str::<EditionSetup>(&json).expect("back"), setup);
    }
}
