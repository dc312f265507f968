//! IGF-sized timetabling instances for benchmarks and tests: a Day 0 of side events, four days
//! of workshops, open forums, lightning talks and main sessions, fourteen rooms of which only a
//! few have interpretation, speakers who appear in many sessions, and pinned ceremonies.

use std::collections::BTreeMap;

use super::{Day, Instance, Pinned, Room, Session, Span, Weights};
use crate::rng::SplitMix64;

const THEMES: [&str; 6] = ["ai", "access", "trust", "rights", "sustainability", "governance"];
const TRACKS: [&str; 8] = ["youth", "parliament", "nri", "dc", "ministerial", "leaders", "research", "open"];

fn span(a: &str, b: &str) -> Span {
    Span { start: a.into(), end: b.into() }
}

/// `sessions` sessions over five days and `rooms` rooms (the IGF: 300 and 14).
pub fn igf(seed: u64, sessions: usize, rooms: usize) -> Instance {
    let mut rng = SplitMix64::new(seed);
    let day_ids = ["day0", "day1", "day2", "day3", "day4"];
    let days = day_ids
        .iter()
        .enumerate()
        .map(|(i, id)| Day {
            id: (*id).into(),
            date: Some(format!("2026-06-{:02}", 22 + i)),
            start: "09:00".into(),
            end: if i == 0 { "18:00".into() } else { "18:30".into() },
            breaks: vec![span("13:00", "14:00")],
        })
        .collect::<Vec<_>>();
    let mut room_list = Vec::new();
    for r in 0..rooms {
        let (id, capacity, features): (String, f64, Vec<&str>) = match r {
            0 => ("plenary-hall".into(), 2000.0, vec!["hybrid", "interpretation"]),
            1 | 2 => (format!("hall-{r}"), 500.0, vec!["hybrid", "interpretation"]),
            _ if r % 4 == 3 => (format!("room-{r:02}"), 60.0, vec![]),
            _ => (format!("room-{r:02}"), [80.0, 120.0, 200.0][r % 3], vec!["hybrid"]),
        };
        // Some rooms are given back to the host on the last afternoon.
        let available = (r % 5 == 4).then(|| {
            let mut map = BTreeMap::new();
            for (i, d) in day_ids.iter().enumerate() {
                let until = if i == 4 { "13:00" } else { "18:30" };
                map.insert((*d).to_string(), vec![span("09:00", until)]);
            }
            map
        });
        room_list.push(Room {
            id,
            capacity: Some(capacity),
            features: features.into_iter().map(str::to_string).collect(),
            available,
        });
    }
    let people: Vec<String> = (0..sessions * 4 / 3).map(|i| format!("p{i:04}")).collect();
    // A few dozen people are in many sessions: ministers, MAG members, DC coordinators.
    let busy: Vec<String> = people.iter().take((sessions / 10).max(1)).cloned().collect();
    let mut list = Vec::new();
    for s in 0..sessions {
        let roll = rng.below(100);
        let (kind, minutes, audience) = match roll {
            0..=4 => ("main", 90, 400.0 + rng.below(800) as f64),
            5..=14 => ("day0", [60, 90, 120][rng.below(3)], 30.0 + rng.below(150) as f64),
            15..=54 => ("workshop", [60, 90][rng.below(2)], 30.0 + rng.below(140) as f64),
            55..=69 => ("open-forum", 60, 30.0 + rng.below(90) as f64),
            70..=84 => ("lightning", 30, 20.0 + rng.below(40) as f64),
            _ => ("dc-session", 60, 20.0 + rng.below(60) as f64),
        };
        let mut who: Vec<String> = Vec::new();
        for _ in 0..2 + rng.below(4) {
            let p = if rng.chance(0.3) { rng.pick(&busy).clone() } else { rng.pick(&people).clone() };
            if !who.contains(&p) {
                who.push(p);
            }
        }
        let mut needs = Vec::new();
        if kind == "main" || rng.chance(0.1) {
            needs.push("interpretation".to_string());
        }
        if kind != "lightning" && rng.chance(0.6) {
            needs.push("hybrid".to_string());
        }
        let days_allowed = if kind == "day0" {
            Some(vec!["day0".to_string()])
        } else {
            Some(day_ids[1..].iter().map(|d| d.to_string()).collect())
        };
        let preferred_days =
            if rng.chance(0.15) && kind != "day0" { vec![day_ids[1 + rng.below(4)].to_string()] } else { Vec::new() };
        list.push(Session {
            id: format!("{kind}-{s:03}"),
            minutes,
            audience,
            people: who,
            kind: Some(kind.into()),
            track: (rng.chance(0.5)).then(|| TRACKS[rng.below(TRACKS.len())].to_string()),
            theme: (kind != "day0").then(|| THEMES[rng.below(THEMES.len())].to_string()),
            needs,
            days: days_allowed,
            preferred_days,
            pinned: None,
        });
    }
    // The opening and closing ceremonies are fixed in the plenary hall.
    for (id, day, start) in [("opening-ceremony", "day1", "09:00"), ("closing-ceremony", "day4", "16:30")] {
        list.push(Session {
            id: id.into(),
            minutes: 90,
            audience: 1500.0,
            people: busy.iter().take(3).cloned().collect(),
            kind: Some("ceremony".into()),
            track: None,
            theme: None,
            needs: vec!["interpretation".into()],
            days: None,
            preferred_days: Vec::new(),
            pinned: Some(Pinned {
                room: Some(room_list[0].id.clone()),
                day: Some(day.into()),
                start: Some(start.into()),
            }),
        });
    }
    Instance { grid_minutes: 15, days, rooms: room_list, sessions: list, weights: Some(Weights::default()) }
}
