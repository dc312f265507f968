//! frab / pentabarf schedules (schedule.xml and schedule.json), read leniently.
//!
//! Real files do not all validate against the schema: attributes go missing, durations come as
//! "0:30" or "00:30:00", days run past midnight. Reading never rejects a whole file for one bad
//! event; it skips that event and says which one and why in [`Schedule::notes`].

use std::collections::{HashMap, HashSet};

use quick_xml::events::Event as XmlEvent;

use crate::timetable::{self, Instance, Placement, Span};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    pub version: Option<String>,
    pub conference: Conference,
    pub days: Vec<Day>,
    /// What was odd and where: skipped events, unreadable fields.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conference {
    pub acronym: String,
    pub title: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub time_zone_name: Option<String>,
    pub timeslot_minutes: Option<i64>,
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Day {
    pub index: i64,
    /// YYYY-MM-DD.
    pub date: String,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Event {
    pub guid: Option<String>,
    pub id: Option<String>,
    /// Minutes from the midnight that begins the event's day (past 24:00 after midnight).
    pub start: i64,
    pub minutes: i64,
    pub room: String,
    pub title: String,
    pub subtitle: String,
    pub track: Option<String>,
    pub kind: Option<String>,
    pub language: Option<String>,
    pub abstract_text: String,
    pub description: String,
    pub slug: Option<String>,
    pub url: Option<String>,
    pub persons: Vec<Person>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    pub id: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrabError {
    #[error("line {line}: not well-formed XML: {message}")]
    Xml { line: usize, message: String },
    #[error("not JSON: {0}")]
    Json(String),
    #[error("{0}")]
    Shape(String),
}

/// Reads a schedule.xml, schedule.json or iCalendar file (told apart by how it begins).
pub fn parse(text: &str) -> Result<Schedule, FrabError> {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("BEGIN:VCALENDAR") {
        return parse_ical(text);
    }
    match start.chars().next() {
        Some('{') => parse_json(text),
        Some('<') => parse_xml(text),
        _ => Err(FrabError::Shape("neither a frab schedule.xml nor a schedule.json".into())),
    }
}

/// "HH:MM", "H:MM", "HH:MM:SS" or "D:HH:MM[:SS]"-free durations as minutes.
fn parse_duration(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() < 2
        || parts.len() > 3
        || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let h: i64 = parts[0].parse().ok()?;
    let m: i64 = parts[1].parse().ok()?;
    (m < 60 && h < 10_000).then_some(h * 60 + m)
}

/// Days from 1970-01-01 of a YYYY-MM-DD date.
fn day_number(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.get(..10)?.parse().ok()?;
    Some(i64::from(d.since(jiff::civil::date(1970, 1, 1)).ok()?.get_days()))
}

/// Minutes of an ISO date-time's wall clock from the midnight of `day_date` (its own offset).
fn minutes_from(day_date: &str, iso: &str) -> Option<i64> {
    let (date, rest) = (iso.get(..10)?, iso.get(11..)?);
    let time = rest.get(..5)?;
    let clock = timetable::parse_clock(time)?;
    Some((day_number(date)? - day_number(day_date)?) * 1440 + clock)
}

/// Reads an event's text field by its frab name (title, track, type, …).
type FieldReader<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

struct RawEvent<'a> {
    guid: Option<String>,
    id: Option<String>,
    date: Option<String>,
    start: Option<String>,
    duration: Option<String>,
    room: Option<String>,
    get: FieldReader<'a>,
    persons: Vec<Person>,
}

fn finish_event(
    raw: RawEvent,
    day: &Day,
    day_start_clock: Option<i64>,
    at: &str,
    notes: &mut Vec<String>,
) -> Option<Event> {
    let name = match (&raw.guid, &raw.id) {
        (Some(g), _) => format!("event {g}"),
        (None, Some(i)) => format!("event id {i}"),
        _ => "an event without id or guid".to_string(),
    };
    let skip = |why: String, notes: &mut Vec<String>| {
        notes.push(format!("{at}: {name} skipped: {why}"));
        None
    };
    let Some(room) = raw.room.filter(|r| !r.trim().is_empty()) else {
        return skip("no room".into(), notes);
    };
    let Some(minutes) = raw.duration.as_deref().and_then(parse_duration) else {
        return skip(format!("duration {:?} is not HH:MM", raw.duration.unwrap_or_default()), notes);
    };
    let from_date = raw.date.as_deref().and_then(|d| minutes_from(&day.date, d));
    let start = match (from_date, raw.start.as_deref().and_then(timetable::parse_clock)) {
        (Some(t), _) => t,
        (None, Some(t)) => {
            // Without a full date, a start before the day's own start belongs after midnight.
            if day_start_clock.is_some_and(|s| t < s) { t + 1440 } else { t }
        }
        (None, None) => return skip("no readable start".into(), notes),
    };
    if raw.guid.is_none() && raw.id.is_none() {
        notes.push(format!("{at}: {name} has neither guid nor id"));
    }
    let get = &raw.get;
    let text = |k: &str| get(k).unwrap_or_default();
    let nonempty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
    Some(Event {
        guid: raw.guid,
        id: raw.id,
        start,
        minutes,
        room,
        title: text("title"),
        subtitle: text("subtitle"),
        track: nonempty("track"),
        kind: nonempty("type"),
        language: nonempty("language"),
        abstract_text: text("abstract"),
        description: text("description"),
        slug: nonempty("slug"),
        url: nonempty("url"),
        persons: raw.persons,
    })
}

// ---------------------------------------------------------------- XML

struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
    offset: usize,
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.trim().to_string())
    }
}

/// Where each line starts, so that naming the line of every event of a large file costs a
/// binary search each, not a scan from the start (which made a 4 MB file take seconds).
struct Lines(Vec<usize>);

impl Lines {
    fn of(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

fn read_tree(text: &str) -> Result<Node, FrabError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Node> =
        vec![Node { name: String::new(), attrs: vec![], text: String::new(), children: vec![], offset: 0 }];
    let xml_error = |offset: usize, message: String| FrabError::Xml { line: Lines::of(text).line(offset), message };
    loop {
        let offset = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(reader.error_position() as usize, e.to_string()))?;
        let open = |e: &quick_xml::events::BytesStart| -> Result<Node, FrabError> {
            let name = e.local_name().as_ref().to_string();
            let mut attrs = Vec::new();
            for a in e.attributes() {
                let a = a.map_err(|err| xml_error(offset, err.to_string()))?;
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| xml_error(offset, err.to_string()))?;
                attrs.push((a.key.local_name().as_ref().to_string(), value.into_owned()));
            }
            Ok(Node { name, attrs, text: String::new(), children: vec![], offset })
        };
        match event {
            XmlEvent::Start(e) => stack.push(open(&e)?),
            XmlEvent::Empty(e) => {
                let node = open(&e)?;
                stack.last_mut().expect("root").children.push(node);
            }
            XmlEvent::End(_) => {
                let node = stack.pop().expect("balanced");
                let Some(parent) = stack.last_mut() else {
                    return Err(xml_error(offset, "unbalanced end tag".into()));
                };
                parent.children.push(node);
            }
            XmlEvent::Text(t) => stack.last_mut().expect("root").text.push_str(&t.xml10_content()),
            XmlEvent::CData(t) => stack.last_mut().expect("root").text.push_str(&t.xml10_content()),
            XmlEvent::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_xml_entity(&r.xml10_content()).unwrap_or("").to_string(),
                };
                stack.last_mut().expect("root").text.push_str(&resolved);
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(xml_error(text.len(), format!("<{}> is never closed", stack.last().map_or("", |n| &n.name))));
    }
    Ok(stack.pop().expect("root"))
}

pub fn parse_xml(text: &str) -> Result<Schedule, FrabError> {
    let document = read_tree(text)?;
    let lines = Lines::of(text);
    let Some(root) = document.child("schedule") else {
        return Err(FrabError::Shape("no <schedule> element: not a frab schedule.xml".into()));
    };
    let mut notes = Vec::new();
    let conf = root.child("conference");
    let c = |name: &str| conf.and_then(|c| c.child_text(name)).filter(|v| !v.is_empty());
    let conference = Conference {
        acronym: c("acronym").unwrap_or_default(),
        title: c("title").unwrap_or_default(),
        start: c("start"),
        end: c("end"),
        time_zone_name: c("time_zone_name"),
        timeslot_minutes: c("timeslot_duration").and_then(|t| parse_duration(&t)).filter(|&m| m > 0),
        base_url: c("base_url"),
    };
    let mut days = Vec::new();
    for (i, d) in root.children("day").enumerate() {
        let at_day = format!("line {}", lines.line(d.offset));
        let index = d.attr("index").and_then(|v| v.trim().parse().ok()).unwrap_or_else(|| {
            notes.push(format!("{at_day}: <day> without a readable index; counted as {}", i + 1));
            i as i64 + 1
        });
        let date = match d.attr("date") {
            Some(v) if day_number(v).is_some() => v[..10].to_string(),
            other => {
                notes.push(format!("{at_day}: day {index} has no readable date ({other:?}); its events are skipped"));
                continue;
            }
        };
        let day_start_clock = d.attr("start").and_then(|s| s.get(11..16)).and_then(timetable::parse_clock);
        let mut day = Day { index, date, events: Vec::new() };
        for room in d.children("room") {
            for e in room.children("event") {
                let at = format!("line {}", lines.line(e.offset));
                let persons = e
                    .child("persons")
                    .map(|ps| {
                        ps.children("person")
                            .map(|p| Person { id: p.attr("id").map(str::to_string), name: p.text.trim().to_string() })
                            .filter(|p| !p.name.is_empty() || p.id.is_some())
                            .collect()
                    })
                    .unwrap_or_default();
                let raw = RawEvent {
                    guid: e.attr("guid").map(str::to_string).filter(|v| !v.is_empty()),
                    id: e.attr("id").map(str::to_string).filter(|v| !v.is_empty()),
                    date: e.child_text("date"),
                    start: e.child_text("start"),
                    duration: e.child_text("duration"),
                    room: e
                        .child_text("room")
                        .filter(|r| !r.is_empty())
                        .or_else(|| room.attr("name").map(str::to_string)),
                    get: Box::new(|k: &str| e.child_text(k)),
                    persons,
                };
                if let Some(event) = finish_event(raw, &day, day_start_clock, &at, &mut notes) {
                    day.events.push(event);
                }
            }
        }
        days.push(day);
    }
    Ok(Schedule { version: root.child_text("version"), conference, days, notes })
}

// ---------------------------------------------------------------- JSON

pub fn parse_json(text: &str) -> Result<Schedule, FrabError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| FrabError::Json(format!("line {}, column {}: {e}", e.line(), e.column())))?;
    let root = value.get("schedule").unwrap_or(&value);
    let Some(conf) = root.get("conference").filter(|c| c.is_object()) else {
        return Err(FrabError::Shape("no schedule.conference object: not a frab schedule.json".into()));
    };
    let s = |v: Option<&serde_json::Value>| -> Option<String> {
        match v? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let mut notes = Vec::new();
    let conference = Conference {
        acronym: s(conf.get("acronym")).unwrap_or_default(),
        title: s(conf.get("title")).unwrap_or_default(),
        start: s(conf.get("start")),
        end: s(conf.get("end")),
        time_zone_name: s(conf.get("time_zone_name")),
        timeslot_minutes: s(conf.get("timeslot_duration")).and_then(|t| parse_duration(&t)).filter(|&m| m > 0),
        base_url: s(root.get("base_url")).or_else(|| s(conf.get("url"))),
    };
    let empty = Vec::new();
    let day_list = conf.get("days").and_then(|d| d.as_array()).unwrap_or(&empty);
    let mut days = Vec::new();
    for (i, d) in day_list.iter().enumerate() {
        let at_day = format!("conference.days[{i}]");
        let index = d.get("index").and_then(|v| v.as_i64()).unwrap_or(i as i64 + 1);
        let date = match s(d.get("date")) {
            Some(v) if day_number(&v).is_some() => v[..10].to_string(),
            other => {
                notes.push(format!("{at_day}: no readable date ({other:?}); its events are skipped"));
                continue;
            }
        };
        let day_start_clock = s(d.get("day_start")).and_then(|v| v.get(11..16).and_then(timetable::parse_clock));
        let mut day = Day { index, date, events: Vec::new() };
        let Some(rooms) = d.get("rooms").and_then(|r| r.as_object()) else {
            days.push(day);
            continue;
        };
        for (room_name, events) in rooms {
            let Some(events) = events.as_array() else {
                notes.push(format!("{at_day}.rooms.{room_name}: not a list of events"));
                continue;
            };
            for (j, e) in events.iter().enumerate() {
                let at = format!("{at_day}.rooms.{room_name}[{j}]");
                let persons = e
                    .get("persons")
                    .and_then(|p| p.as_array())
                    .map(|ps| {
                        ps.iter()
                            .map(|p| match p {
                                serde_json::Value::String(name) => Person { id: None, name: name.clone() },
                                _ => Person {
                                    id: s(p.get("id")),
                                    name: s(p.get("public_name"))
                                        .or_else(|| s(p.get("name")))
                                        .or_else(|| s(p.get("full_public_name")))
                                        .unwrap_or_default(),
                                },
                            })
                            .filter(|p| !p.name.is_empty() || p.id.is_some())
                            .collect()
                    })
                    .unwrap_or_default();
                let raw = RawEvent {
                    guid: s(e.get("guid")).filter(|v| !v.is_empty()),
                    id: s(e.get("id")).filter(|v| !v.is_empty()),
                    date: s(e.get("date")),
                    start: s(e.get("start")),
                    duration: s(e.get("duration")),
                    room: s(e.get("room")).filter(|r| !r.is_empty()).or_else(|| Some(room_name.clone())),
                    get: Box::new(|k: &str| match e.get(k) {
                        Some(serde_json::Value::Object(o)) => s(o.get("name")),
                        other => s(other),
                    }),
                    persons,
                };
                if let Some(event) = finish_event(raw, &day, day_start_clock, &at, &mut notes) {
                    day.events.push(event);
                }
            }
        }
        days.push(day);
    }
    Ok(Schedule { version: s(root.get("version")), conference, days, notes })
}

// ---------------------------------------------------------------- iCalendar

fn ical_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// "20200114T070000", "20200114T070000Z" or "20200114" as a civil date-time and whether it is UTC.
fn ical_time(value: &str) -> Option<(jiff::civil::DateTime, bool)> {
    let v = value.trim();
    let utc = v.ends_with('Z');
    let v = v.trim_end_matches('Z');
    let (date, time) = v.split_once('T').unwrap_or((v, "000000"));
    if date.len() != 8 || time.len() < 4 {
        return None;
    }
    let n = |s: &str| s.parse::<i16>().ok();
    let d = jiff::civil::Date::new(n(&date[..4])?, n(&date[4..6])? as i8, n(&date[6..8])? as i8).ok()?;
    let sec = if time.len() >= 6 { n(&time[4..6])? as i8 } else { 0 };
    let t = jiff::civil::Time::new(n(&time[..2])? as i8, n(&time[2..4])? as i8, sec, 0).ok()?;
    Some((d.to_datetime(t), utc))
}

/// "PT1H30M", "PT45M", "P1D" as minutes.
fn ical_duration(value: &str) -> Option<i64> {
    let v = value.trim().strip_prefix('P')?;
    let (mut total, mut number) = (0i64, String::new());
    for c in v.chars() {
        match c {
            'T' => {}
            '0'..='9' => number.push(c),
            'W' | 'D' | 'H' | 'M' | 'S' => {
                let x: i64 = number.parse().ok()?;
                number.clear();
                total += match c {
                    'W' => x * 7 * 1440,
                    'D' => x * 1440,
                    'H' => x * 60,
                    'M' => x,
                    _ => 0,
                };
            }
            _ => return None,
        }
    }
    Some(total)
}

/// An iCalendar export read as a schedule: each VEVENT with a start, an end (or duration) and a
/// location is an event on the local day it starts, in the calendar's time zone.
pub fn parse_ical(text: &str) -> Result<Schedule, FrabError> {
    let unfolded = icalendar::parser::unfold(text);
    let calendar =
        icalendar::parser::read_calendar(&unfolded).map_err(|e| FrabError::Shape(format!("not iCalendar: {e}")))?;
    let prop = |props: &[icalendar::parser::Property<'_>], name: &str| {
        props.iter().find(|p| p.name == name).map(|p| p.val.as_str().to_string())
    };
    let zone_name = prop(&calendar.properties, "X-WR-TIMEZONE").unwrap_or_else(|| "UTC".into());
    let zone = jiff::tz::TimeZone::get(&zone_name).unwrap_or(jiff::tz::TimeZone::UTC);
    let mut notes = Vec::new();
    let mut by_day: std::collections::BTreeMap<jiff::civil::Date, Vec<Event>> = std::collections::BTreeMap::new();
    for (i, c) in calendar.components.iter().filter(|c| c.name == "VEVENT").enumerate() {
        let uid = c.find_prop("UID").map(|p| p.val.as_str().to_string());
        let name = uid.clone().map_or_else(|| format!("VEVENT {}", i + 1), |u| format!("event {u}"));
        let local = |p: &icalendar::parser::Property<'_>| -> Option<jiff::civil::DateTime> {
            let (dt, utc) = ical_time(p.val.as_str())?;
            let tzid =
                p.params.iter().find(|x| x.key == "TZID").and_then(|x| x.val.as_ref()).map(|v| v.as_str().to_string());
            let instant = if utc {
                jiff::tz::TimeZone::UTC.to_timestamp(dt).ok()?
            } else {
                let from = tzid.and_then(|t| jiff::tz::TimeZone::get(&t).ok()).unwrap_or_else(|| zone.clone());
                from.to_timestamp(dt).ok()?
            };
            Some(zone.to_datetime(instant))
        };
        let Some(start) = c.find_prop("DTSTART").and_then(local) else {
            notes.push(format!("{name} skipped: no readable DTSTART"));
            continue;
        };
        let minutes = match (c.find_prop("DTEND").and_then(local), c.find_prop("DURATION")) {
            (Some(end), _) => end.duration_since(start).as_secs() / 60,
            (None, Some(d)) => match ical_duration(d.val.as_str()) {
                Some(m) => m,
                None => {
                    notes.push(format!("{name} skipped: DURATION {:?} unreadable", d.val.as_str()));
                    continue;
                }
            },
            (None, None) => {
                notes.push(format!("{name} skipped: neither DTEND nor DURATION"));
                continue;
            }
        };
        if minutes < 0 {
            notes.push(format!("{name} skipped: it ends before it starts"));
            continue;
        }
        let Some(room) = prop(&c.properties, "LOCATION").map(|l| ical_text(&l)).filter(|l| !l.trim().is_empty()) else {
            notes.push(format!("{name} skipped: no LOCATION (room)"));
            continue;
        };
        let description = prop(&c.properties, "DESCRIPTION").map(|d| ical_text(&d)).unwrap_or_default();
        // Many exports name speakers in the description ("Speaker: A, B").
        let persons = description
            .lines()
            .filter_map(|l| l.strip_prefix("Speakers:").or_else(|| l.strip_prefix("Speaker:")))
            .flat_map(|l| l.split([',', '&']).map(|n| n.trim().to_string()).collect::<Vec<_>>())
            .filter(|n| !n.is_empty())
            .map(|name| Person { id: None, name })
            .collect();
        let clock = i64::from(start.hour()) * 60 + i64::from(start.minute());
        by_day.entry(start.date()).or_default().push(Event {
            guid: uid,
            id: None,
            start: clock,
            minutes,
            room,
            title: prop(&c.properties, "SUMMARY").map(|s| ical_text(&s)).unwrap_or_default(),
            description,
            kind: prop(&c.properties, "CATEGORIES").map(|s| ical_text(&s)),
            url: prop(&c.properties, "URL"),
            persons,
            ..Event::default()
        });
    }
    let days: Vec<Day> = by_day
        .into_iter()
        .enumerate()
        .map(|(i, (date, mut events))| {
            events.sort_by_key(|e| e.start);
            Day { index: i as i64 + 1, date: date.to_string(), events }
        })
        .collect();
    let conference = Conference {
        acronym: String::new(),
        title: prop(&calendar.properties, "X-WR-CALNAME")
            .or_else(|| prop(&calendar.properties, "X-WR-CALDESC"))
            .map(|s| ical_text(&s))
            .unwrap_or_default(),
        start: days.first().map(|d| d.date.clone()),
        end: days.last().map(|d| d.date.clone()),
        time_zone_name: Some(zone_name),
        timeslot_minutes: None,
        base_url: None,
    };
    Ok(Schedule { version: None, conference, days, notes })
}

// ---------------------------------------------------------------- to an instance

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

/// The timetabling instance of a published schedule (the `kaigi schedule from-frab` contract),
/// with the published placements beside it so they can be checked by the same rules.
pub fn to_instance(schedule: &Schedule) -> (Instance, Vec<Placement>, Vec<String>) {
    let mut notes = Vec::new();
    let step = schedule.conference.timeslot_minutes.unwrap_or(5);
    let mut days = Vec::new();
    let mut rooms: Vec<String> = Vec::new();
    let mut room_spans: HashMap<String, Vec<(String, i64, i64)>> = HashMap::new();
    let mut sessions = Vec::new();
    let mut placements = Vec::new();
    let mut seen = HashSet::new();
    let mut grid = 0i64;
    let mut day_ids = HashSet::new();
    for day in &schedule.days {
        if day.events.is_empty() {
            continue;
        }
        let mut id = format!("day{}", day.index);
        while !day_ids.insert(id.clone()) {
            notes.push(format!("day index {} appears twice; the second is called {id}b", day.index));
            id.push('b');
        }
        let first = day.events.iter().map(|e| e.start).min().unwrap_or(0);
        let start = first.div_euclid(step) * step;
        let end = day.events.iter().map(|e| e.start + e.minutes).max().unwrap_or(start);
        days.push(timetable::Day {
            id: id.clone(),
            date: Some(day.date.clone()),
            start: timetable::format_clock(start),
            end: timetable::format_clock(end),
            breaks: Vec::new(),
        });
        for e in &day.events {
            grid = gcd(grid, e.start - start);
            grid = gcd(grid, e.minutes);
            if !room_spans.contains_key(&e.room) {
                rooms.push(e.room.clone());
            }
            let spans = room_spans.entry(e.room.clone()).or_default();
            match spans.iter_mut().find(|(d, _, _)| *d == id) {
                Some((_, a, b)) => {
                    *a = (*a).min(e.start);
                    *b = (*b).max(e.start + e.minutes);
                }
                None => spans.push((id.clone(), e.start, e.start + e.minutes)),
            }
            let base = e.guid.clone().or_else(|| e.id.clone()).unwrap_or_else(|| format!("{id}-{}", e.title));
            let mut session_id = base.clone();
            let mut k = 2;
            while !seen.insert(session_id.clone()) {
                session_id = format!("{base}#{k}");
                k += 1;
            }
            if session_id != base {
                notes.push(format!("{id}: two events are both called {base:?}; the later one is {session_id:?}"));
            }
            let mut people: Vec<String> = Vec::new();
            for p in &e.persons {
                let who = p.id.clone().unwrap_or_else(|| p.name.clone());
                if !people.contains(&who) {
                    people.push(who);
                }
            }
            placements.push(Placement {
                session: session_id.clone(),
                room: e.room.clone(),
                day: id.clone(),
                start: timetable::format_clock(e.start),
            });
            sessions.push(timetable::Session {
                id: session_id,
                minutes: e.minutes,
                audience: 0.0,
                people,
                kind: e.kind.clone(),
                track: e.track.clone(),
                theme: None,
                needs: Vec::new(),
                days: None,
                preferred_days: Vec::new(),
                pinned: None,
            });
        }
    }
    let rooms = rooms
        .into_iter()
        .map(|name| {
            let available = room_spans[&name]
                .iter()
                .map(|(d, a, b)| {
                    (d.clone(), vec![Span { start: timetable::format_clock(*a), end: timetable::format_clock(*b) }])
                })
                .collect();
            timetable::Room { id: name, capacity: Some(0.0), features: Vec::new(), available: Some(available) }
        })
        .collect();
    let instance = Instance {
        grid_minutes: if grid > 0 { grid } else { step },
        days,
        rooms,
        sessions,
        weights: Some(timetable::Weights::default()),
    };
    (instance, placements, notes)
}

#[cfg(test)]
mod tests {

    #[test]
    fn lines_are_counted_as_a_scan_would() {
        let text = "a\nbc\n\nd";
        let lines = Lines::of(text);
        for offset in 0..=text.len() + 2 {
            let scanned = text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1;
            assert_eq!(lines.line(offset), scanned, "offset {offset}");
        }
    }
    use super::*;

    #[test]
    fn durations_in_the_forms_real_files_use() {
        assert_eq!(parse_duration("00:30"), Some(30));
        assert_eq!(parse_duration("0:30"), Some(30));
        assert_eq!(parse_duration("01:30:00"), Some(90));
        assert_eq!(parse_duration("1h"), None);
        assert_eq!(parse_duration("00:75"), None);
    }

    #[test]
    fn events_after_midnight_belong_to_the_day_they_are_listed_under() {
        assert_eq!(minutes_from("2024-12-27", "2024-12-28T01:30:00+01:00"), Some(25 * 60 + 30));
        assert_eq!(minutes_from("2024-12-27", "2024-12-27T10:00:00+01:00"), Some(600));
    }
}

// ---------------------------------------------------------------- writing

/// A programme to publish as frab schedule.xml / schedule.json.
#[derive(Debug, Clone)]
pub struct Export {
    /// Bumped on every change, so apps know to update.
    pub version: String,
    /// Lower case letters, digits, '_' (the JSON schema's pattern).
    pub acronym: String,
    pub title: String,
    pub time_zone: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub timeslot_minutes: i64,
    pub days: Vec<ExportDay>,
}

#[derive(Debug, Clone)]
pub struct ExportDay {
    /// From 1.
    pub index: i64,
    pub date: time::Date,
    /// Minutes from the day's midnight.
    pub start: i64,
    pub end: i64,
    /// Rooms in their order, each with a stable guid and its events by start.
    pub rooms: Vec<(String, String, Vec<ExportEvent>)>,
}

#[derive(Debug, Clone)]
pub struct ExportEvent {
    pub guid: String,
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub track: Option<String>,
    pub language: String,
    pub abstract_text: String,
    pub description: String,
    pub start: i64,
    pub minutes: i64,
    pub url: String,
    /// (guid, name)
    pub persons: Vec<(String, String)>,
}

/// The wall-clock time `minutes` after the day's midnight in the zone, with its offset.
pub fn zoned(date: time::Date, minutes: i64, zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let midnight = jiff::civil::date(date.year() as i16, u8::from(date.month()) as i8, date.day() as i8).at(0, 0, 0, 0);
    let civil = midnight.checked_add(jiff::Span::new().minutes(minutes)).unwrap_or(midnight);
    let Ok(instant) = tz.to_timestamp(civil) else {
        return format!("{date}T00:00:00+00:00");
    };
    let offset = tz.to_offset(instant).seconds();
    // The wall clock as the zone shows it at that instant (a gap in the clock moves it on).
    let local = instant.checked_add(jiff::Span::new().seconds(i64::from(offset))).unwrap_or(instant);
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.unsigned_abs();
    format!("{}{sign}{:02}:{:02}", local.strftime("%Y-%m-%dT%H:%M:%S"), off / 3600, (off % 3600) / 60)
}

fn hhmm(minutes: i64) -> String {
    let m = minutes.rem_euclid(24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn esc(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// schedule.xml as the c3voc schema (schedule.xml.xsd) describes it.
pub fn write_xml(e: &Export) -> String {
    use std::fmt::Write;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
    let _ = writeln!(out, "  <generator name=\"kaigi\" version=\"{}\"/>", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "  <version>{}</version>", esc(&e.version));
    out.push_str("  <conference>\n");
    let _ = writeln!(out, "    <acronym>{}</acronym>", esc(&e.acronym));
    let _ = writeln!(out, "    <title>{}</title>", esc(&e.title));
    if let (Some(first), Some(last)) = (e.days.first(), e.days.last()) {
        let _ = writeln!(out, "    <start>{}</start>", first.date);
        let _ = writeln!(out, "    <end>{}</end>", last.date);
    }
    let _ = writeln!(out, "    <days>{}</days>", e.days.len());
    let _ = writeln!(out, "    <timeslot_duration>{}</timeslot_duration>", timetable::format_clock(e.timeslot_minutes));
    let _ = writeln!(out, "    <base_url>{}/</base_url>", esc(&e.base_url));
    let _ = writeln!(out, "    <time_zone_name>{}</time_zone_name>", esc(&e.time_zone));
    out.push_str("  </conference>\n");
    for d in &e.days {
        let _ = writeln!(
            out,
            "  <day index=\"{}\" date=\"{}\" start=\"{}\" end=\"{}\">",
            d.index,
            d.date,
            zoned(d.date, d.start, &e.time_zone),
            zoned(d.date, d.end, &e.time_zone)
        );
        for (room, guid, events) in &d.rooms {
            let _ = writeln!(out, "    <room name=\"{}\" guid=\"{}\">", esc(room), esc(guid));
            for ev in events {
                let _ = writeln!(out, "      <event guid=\"{}\" id=\"{}\">", esc(&ev.guid), ev.id);
                let _ = writeln!(out, "        <date>{}</date>", zoned(d.date, ev.start, &e.time_zone));
                let _ = writeln!(out, "        <start>{}</start>", hhmm(ev.start));
                let _ = writeln!(out, "        <duration>{}</duration>", timetable::format_clock(ev.minutes));
                let _ = writeln!(out, "        <room>{}</room>", esc(room));
                let _ = writeln!(out, "        <slug>{}</slug>", esc(&ev.slug));
                let _ = writeln!(out, "        <url>{}</url>", esc(&ev.url));
                let _ = writeln!(out, "        <title>{}</title>", esc(&ev.title));
                out.push_str("        <subtitle></subtitle>\n");
                let _ = writeln!(out, "        <track>{}</track>", esc(ev.track.as_deref().unwrap_or("")));
                let _ = writeln!(out, "        <type>{}</type>", esc(&ev.kind));
                let _ = writeln!(out, "        <language>{}</language>", esc(&ev.language));
                let _ = writeln!(out, "        <abstract>{}</abstract>", esc(&ev.abstract_text));
                let _ = writeln!(out, "        <description>{}</description>", esc(&ev.description));
                out.push_str("        <persons>\n");
                for (guid, name) in &ev.persons {
                    let _ = writeln!(out, "          <person guid=\"{}\">{}</person>", esc(guid), esc(name));
                }
                out.push_str("        </persons>\n        <links></links>\n      </event>\n");
            }
            out.push_str("    </room>\n");
        }
        out.push_str("  </day>\n");
    }
    out.push_str("</schedule>\n");
    out
}

/// schedule.json as the c3voc schema (schedule.schema.json) describes it.
pub fn write_json(e: &Export) -> serde_json::Value {
    use serde_json::json;
    let days: Vec<serde_json::Value> = e
        .days
        .iter()
        .map(|d| {
            let rooms: serde_json::Map<String, serde_json::Value> = d
                .rooms
                .iter()
                .map(|(room, _, events)| {
                    let list: Vec<serde_json::Value> = events
                        .iter()
                        .map(|ev| {
                            json!({
                                "guid": ev.guid, "id": ev.id, "date": zoned(d.date, ev.start, &e.time_zone),
                                "start": hhmm(ev.start), "duration": timetable::format_clock(ev.minutes), "room": room,
                                "slug": ev.slug, "url": ev.url, "title": ev.title, "subtitle": "", "track": ev.track,
                                "type": ev.kind, "language": ev.language, "abstract": ev.abstract_text,
                                "description": ev.description, "logo": null, "links": [],
                                "persons": ev.persons.iter().map(|(guid, name)| json!({"guid": guid, "name": name})).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    (room.clone(), json!(list))
                })
                .collect();
            json!({
                "index": d.index, "date": d.date.to_string(),
                "day_start": zoned(d.date, d.start, &e.time_zone), "day_end": zoned(d.date, d.end, &e.time_zone),
                "rooms": rooms,
            })
        })
        .collect();
    let rooms: Vec<serde_json::Value> = {
        let mut seen = Vec::new();
        for d in &e.days {
            for (name, guid, _) in &d.rooms {
                if !seen.iter().any(|(n, _): &(String, String)| n == name) {
                    seen.push((name.clone(), guid.clone()));
                }
            }
        }
        seen.into_iter().map(|(name, guid)| json!({"name": name, "guid": guid})).collect()
    };
    json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "kaigi", "version": env!("CARGO_PKG_VERSION")},
        "schedule": {
            "version": e.version,
            "base_url": format!("{}/", e.base_url),
            "conference": {
                "acronym": e.acronym, "title": e.title,
                "start": e.days.first().map(|d| d.date.to_string()), "end": e.days.last().map(|d| d.date.to_string()),
                "daysCount": e.days.len(), "timeslot_duration": timetable::format_clock(e.timeslot_minutes),
                "time_zone_name": e.time_zone, "rooms": rooms, "days": days,
            }
        }
    })
}
