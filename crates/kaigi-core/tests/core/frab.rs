//! Reading frab schedules leniently, and the `from-frab` instance contract.

use kaigi_core::budget::Budget;

use kaigi_core::frab::{parse, to_instance};
use kaigi_core::timetable::{Problem, evaluate, search, slots_from_placements};
use proptest::prelude::*;

const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1.2</version>
  <conference><acronym>t</acronym><title>Test &amp; Co</title><timeslot_duration>00:15</timeslot_duration></conference>
  <day index="1" date="2026-03-01" start="2026-03-01T09:00:00+09:00" end="2026-03-02T03:00:00+09:00">
    <room name="Hall A">
      <event guid="g-1" id="1">
        <date>2026-03-01T10:10:00+09:00</date><start>10:10</start><duration>00:50</duration><room>Hall A</room>
        <title>Opening</title><track>Main</track><type>ceremony</type>
        <persons><person id="7">青木 真理</person><person>No Id</person></persons>
      </event>
      <event id="2">
        <date>2026-03-02T00:30:00+09:00</date><start>00:30</start><duration>01:00</duration><room>Hall A</room>
        <title>Late</title><track></track><type>talk</type>
        <persons><person id="7">青木 真理</person></persons>
      </event>
      <event id="3">
        <start>11:00</start><duration>soon</duration><room>Hall A</room><title>Broken</title>
      </event>
    </room>
    <room name="Room B">
      <event guid="g-4" id="4">
        <date>2026-03-01T11:30:00+09:00</date><start>11:30</start><duration>00:20</duration><room>Room B</room>
        <title>Short</title><type>lightning</type>
      </event>
    </room>
  </day>
  <day index="2" date="2026-03-02"></day>
</schedule>"#;

#[test]
fn a_frab_xml_becomes_the_contracts_instance() {
    let schedule = parse(SMALL).expect("readable");
    assert_eq!(schedule.conference.title, "Test & Co");
    assert_eq!(schedule.notes.len(), 1, "{:?}", schedule.notes);
    assert!(schedule.notes[0].contains("line 17") && schedule.notes[0].contains("event id 3"), "{:?}", schedule.notes);
    let (instance, published, _) = to_instance(&schedule);
    let v = serde_json::to_value(&instance).expect("json");
    // Day start: the earliest start (10:10) rounded down to the 15-minute timeslot; the end is
    // the latest end, after midnight.
    assert_eq!(
        v["days"],
        serde_json::json!([{"id": "day1", "date": "2026-03-01", "start": "10:00", "end": "25:30", "breaks": []}])
    );
    // Starts 10, 90, 870 minutes after 10:00 and durations 50, 60, 20: the largest step is 10.
    assert_eq!(v["grid_minutes"], 10);
    let sessions = v["sessions"].as_array().expect("sessions");
    let ids: Vec<&str> = sessions.iter().map(|s| s["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["g-1", "2", "g-4"]);
    assert_eq!(sessions[0]["people"], serde_json::json!(["7", "No Id"]));
    assert_eq!(sessions[0]["kind"], "ceremony");
    assert_eq!(sessions[0]["track"], "Main");
    assert_eq!(sessions[1]["track"], serde_json::Value::Null);
    assert_eq!(sessions[0]["audience"], serde_json::json!(0), "whole numbers print as integers");
    assert_eq!(sessions[0]["theme"], serde_json::Value::Null);
    let rooms = v["rooms"].as_array().expect("rooms");
    assert_eq!(rooms[0]["id"], "Hall A");
    assert_eq!(rooms[0]["capacity"], serde_json::json!(0));
    assert_eq!(rooms[0]["available"], serde_json::json!({"day1": [{"start": "10:10", "end": "25:30"}]}));
    assert_eq!(rooms[1]["available"], serde_json::json!({"day1": [{"start": "11:30", "end": "11:50"}]}));
    assert_eq!(published[1].start, "24:30");
}

#[test]
fn a_frab_json_becomes_the_same_kind_of_instance() {
    let json = r#"{"schedule": {"version": "x", "conference": {"acronym": "c", "title": "C",
        "timeslot_duration": "00:05", "days": [{"index": 3, "date": "2026-05-01",
        "rooms": {"R1": [
          {"guid": "a", "id": 1, "date": "2026-05-01T09:05:00+02:00", "start": "09:05", "duration": "00:25",
           "room": "R1", "title": "T", "track": "Web", "type": "talk", "persons": [{"id": 9, "public_name": "X"}]},
          {"id": 2, "start": "09:35", "duration": "0:25", "room": "R1", "title": "U", "persons": [{"name": "Y"}]},
          {"guid": "c", "start": "bad", "duration": "00:25", "room": "R1"}
        ]}}]}}}"#;
    let schedule = parse(json).expect("readable");
    assert_eq!(schedule.notes.len(), 1);
    assert!(schedule.notes[0].contains("rooms.R1[2]") && schedule.notes[0].contains("event c"));
    let (instance, _, _) = to_instance(&schedule);
    let v = serde_json::to_value(&instance).expect("json");
    assert_eq!(v["days"][0]["id"], "day3");
    assert_eq!(v["days"][0]["start"], "09:05");
    assert_eq!(v["grid_minutes"], 5);
    assert_eq!(v["sessions"][0]["people"], serde_json::json!(["9"]));
    assert_eq!(v["sessions"][1]["people"], serde_json::json!(["Y"]));
}

#[test]
fn files_that_are_not_schedules_are_refused_with_a_reason() {
    assert!(parse("hello").unwrap_err().to_string().contains("neither"));
    assert!(parse("<schedule><day>").unwrap_err().to_string().contains("never closed"));
    assert!(parse("<html></html>").unwrap_err().to_string().contains("no <schedule>"));
    assert!(parse("{\"a\": 1}").unwrap_err().to_string().contains("conference"));
    let e = parse("<schedule>\n<day></dax></schedule>").unwrap_err().to_string();
    assert!(e.contains("line 2"), "{e}");
}

fn shared(name: &str) -> String {
    let path = format!("{}/../../../shared/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The published FOSDEM 2026 schedule has speakers in two places at once under this model.
#[test]
fn fosdem_2026_as_published_has_person_clashes() {
    let schedule = parse(&shared("schedules/fosdem-2026.schedule.xml")).expect("readable");
    let (instance, published, _) = to_instance(&schedule);
    let problem = Problem::new(&instance).expect("valid instance");
    assert!(problem.sessions.len() > 1000);
    let slots = slots_from_placements(&problem, &published).expect("published ids");
    let e = evaluate(&problem, &slots);
    assert!(e.hard.person_clash >= 1, "{e:?}");
    assert_eq!(e.hard.room_clash + e.hard.outside_availability + e.hard.off_grid, 0, "{e:?}");
    let explained = kaigi_core::timetable::explain(&problem, &slots);
    assert!(explained.iter().any(|l| l.contains("share a speaker")), "{explained:?}");
}

/// Re-timetabled from its instance alone, a real schedule has fewer hard violations than published.
#[test]
fn real_schedules_re_timetabled_have_fewer_hard_violations() {
    for name in ["import-samples/democon.pretalx.schedule.json", "import-samples/camp2019.frab.schedule.json"] {
        let schedule = parse(&shared(name)).expect("readable");
        assert!(schedule.notes.is_empty(), "{name}: {:?}", schedule.notes);
        let (instance, published, _) = to_instance(&schedule);
        let problem = Problem::new(&instance).expect("valid instance");
        let before = evaluate(&problem, &slots_from_placements(&problem, &published).expect("ids"));
        let (slots, _) = search(&problem, Budget::Steps(200_000), 1);
        let after = evaluate(&problem, &slots);
        assert_eq!(after.hard.total(), 0, "{name}: {after:?}");
        assert!(after.hard.total() <= before.hard.total());
    }
}

#[test]
fn every_real_file_is_read_without_losing_events_silently() {
    for (name, events) in [
        ("schedules/38c3.schedule.xml", "<event "),
        ("schedules/fosdem-2026.schedule.xml", "<event "),
        ("import-samples/36c3-merged.schedule.xml", "<event "),
    ] {
        let text = shared(name);
        let schedule = parse(&text).expect("readable");
        let read: usize = schedule.days.iter().map(|d| d.events.len()).sum();
        let skipped = schedule.notes.iter().filter(|n| n.contains("skipped")).count();
        assert_eq!(read + skipped, text.matches(events).count(), "{name}: {:?}", schedule.notes);
    }
}

proptest! {
    /// Arbitrary text never panics the reader: it is a schedule or an error.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse(&text);
        let _ = parse(&format!("<schedule>{text}</schedule>"));
        let _ = parse(&format!("{{\"conference\": {{\"days\": [{text}]}}}}"));
    }

    /// Whatever events a day holds, the instance keeps every published start on its grid and
    /// inside its room's availability.
    #[test]
    fn published_placements_fit_their_own_instance(events in prop::collection::vec((0i64..40, 1i64..12, 0usize..3, 0usize..2), 1..25)) {
        let mut xml = String::from("<schedule><conference><timeslot_duration>00:05</timeslot_duration></conference><day index=\"1\" date=\"2026-01-01\">");
        for (i, (slot, len, room, person)) in events.iter().enumerate() {
            let start = 9 * 60 + slot * 10;
            xml.push_str(&format!(
                "<room name=\"r{room}\"><event id=\"{i}\"><date>2026-01-01T{:02}:{:02}:00+01:00</date><start>x</start><duration>00:{:02}</duration><room>r{room}</room><persons><person id=\"{person}\">P</person></persons></event></room>",
                start / 60, start % 60, len * 5));
        }
        xml.push_str("</day></schedule>");
        let schedule = parse(&xml).expect("readable");
        let (instance, published, _) = to_instance(&schedule);
        let problem = Problem::new(&instance).expect("valid");
        let e = evaluate(&problem, &slots_from_placements(&problem, &published).expect("ids"));
        prop_assert_eq!(e.hard.off_grid + e.hard.outside_availability + e.hard.unplaced, 0);
    }
}

#[test]
fn icalendar_events_land_on_their_local_day_in_the_calendars_zone() {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Asia/Tokyo\r\nX-WR-CALNAME:IGF\\, Kyoto\r\n\
BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Opening\r\nDTSTART:20231008T010000Z\r\nDTEND:20231008T023000Z\r\nLOCATION:Main Hall\r\n\
DESCRIPTION:Speaker: 青木 真理\\, Carol Roach\\nWelcome\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Late\r\nDTSTART;TZID=Europe/Paris:20231008T170000\r\nDURATION:PT1H30M\r\nLOCATION:Room\r\n  B\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:Nowhere\r\nDTSTART:20231008T010000Z\r\nDTEND:20231008T020000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let schedule = parse(ics).expect("iCalendar");
    assert_eq!(schedule.conference.title, "IGF, Kyoto");
    assert_eq!(schedule.notes.len(), 1);
    assert!(schedule.notes[0].contains("event c") && schedule.notes[0].contains("LOCATION"));
    // 01:00 UTC is 10:00 in Tokyo; 17:00 in Paris (CEST) is 00:00 the next day in Tokyo.
    assert_eq!(schedule.days.len(), 2);
    let opening = &schedule.days[0].events[0];
    assert_eq!((schedule.days[0].date.as_str(), opening.start, opening.minutes), ("2023-10-08", 600, 90));
    assert_eq!(opening.persons.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["青木 真理", "Carol Roach"]);
    let late = &schedule.days[1].events[0];
    assert_eq!(
        (schedule.days[1].date.as_str(), late.start, late.minutes, late.room.as_str()),
        ("2023-10-09", 0, 90, "Room B")
    );
}
