//! The timetabler's contract: what it reports is exactly what its placements give (recounted
//! here independently, from the JSON alone), it reaches the exhaustive optimum on small
//! instances, and published frab schedules become instances as the contract says.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kaigi_core::budget::Budget;
use kaigi_core::timetable::{Problem, evaluate, exhaustive, search, slots_from_placements, solve};
use proptest::prelude::*;
use serde_json::{Value, json};

fn clock(v: &Value) -> i64 {
    let s = v.as_str().expect("time");
    let (h, m) = s.split_once(':').expect("HH:MM");
    h.parse::<i64>().expect("hours") * 60 + m.parse::<i64>().expect("minutes")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().map(|x| x.as_str().expect("string").to_string()).collect()).unwrap_or_default()
}

/// The contract's definitions, read straight from the instance and solution JSON.
fn recount(instance: &Value, solution: &Value) -> (u64, BTreeMap<&'static str, u64>, f64) {
    let grid = instance["grid_minutes"].as_i64().expect("grid");
    let days: HashMap<String, &Value> =
        instance["days"].as_array().expect("days").iter().map(|d| (d["id"].as_str().expect("id").into(), d)).collect();
    let rooms: HashMap<String, &Value> = instance["rooms"]
        .as_array()
        .expect("rooms")
        .iter()
        .map(|r| (r["id"].as_str().expect("id").into(), r))
        .collect();
    let sessions = instance["sessions"].as_array().expect("sessions");
    let placed: HashMap<String, (String, String, i64)> = solution["placements"]
        .as_array()
        .expect("placements")
        .iter()
        .map(|p| {
            (
                p["session"].as_str().expect("s").into(),
                (p["room"].as_str().expect("r").into(), p["day"].as_str().expect("d").into(), clock(&p["start"])),
            )
        })
        .collect();
    let mut hard = 0u64;
    let mut soft: BTreeMap<&'static str, u64> =
        ["theme_parallel", "main_parallel", "track_day_spread", "track_rooms", "preferred_day"]
            .into_iter()
            .map(|k| (k, 0))
            .collect();
    let mut placed_list = Vec::new();
    for s in sessions {
        let id = s["id"].as_str().expect("id");
        let Some((room, day, start)) = placed.get(id) else {
            hard += 1;
            continue;
        };
        let minutes = s["minutes"].as_i64().expect("minutes");
        let (a, b) = (*start, start + minutes);
        let d = days[day];
        let r = rooms[room];
        if (a - clock(&d["start"])).rem_euclid(grid) != 0 {
            hard += 1;
        }
        let in_day = a >= clock(&d["start"]) && b <= clock(&d["end"]);
        let in_room = match r.get("available").filter(|v| !v.is_null()) {
            None => true,
            Some(av) => av
                .get(day)
                .and_then(|l| l.as_array())
                .is_some_and(|l| l.iter().any(|i| a >= clock(&i["start"]) && b <= clock(&i["end"]))),
        };
        if !(in_day && in_room) {
            hard += 1;
        }
        if d.get("breaks")
            .and_then(|v| v.as_array())
            .is_some_and(|bs| bs.iter().any(|x| a < clock(&x["end"]) && clock(&x["start"]) < b))
        {
            hard += 1;
        }
        let capacity = r.get("capacity").and_then(|c| c.as_f64()).unwrap_or(f64::INFINITY);
        if capacity < s.get("audience").and_then(|a| a.as_f64()).unwrap_or(0.0) {
            hard += 1;
        }
        let features = strings(&r["features"]);
        if !strings(&s["needs"]).iter().all(|n| features.contains(n)) {
            hard += 1;
        }
        let allowed = strings(&s["days"]);
        if !allowed.is_empty() && !allowed.contains(day) {
            hard += 1;
        }
        if let Some(pin) = s.get("pinned").filter(|p| p.is_object()) {
            if pin.get("room").and_then(|v| v.as_str()).is_some_and(|x| x != room) {
                hard += 1;
            }
            if pin.get("day").and_then(|v| v.as_str()).is_some_and(|x| x != day) {
                hard += 1;
            }
            if pin.get("start").filter(|v| v.is_string()).is_some_and(|x| clock(x) != *start) {
                hard += 1;
            }
        }
        let preferred = strings(&s["preferred_days"]);
        if !preferred.is_empty() && !preferred.contains(day) {
            *soft.get_mut("preferred_day").expect("key") += 1;
        }
        placed_list.push((s, room.clone(), day.clone(), a, b));
    }
    for (i, (s, room, day, a, b)) in placed_list.iter().enumerate() {
        for (t, room2, day2, c, d) in &placed_list[i + 1..] {
            if day != day2 || !(a < d && c < b) {
                continue;
            }
            if room == room2 {
                hard += 1;
            }
            let people = strings(&s["people"]);
            if strings(&t["people"]).iter().any(|p| people.contains(p)) {
                hard += 1;
            }
            if s["theme"].is_string() && s["theme"] == t["theme"] {
                *soft.get_mut("theme_parallel").expect("key") += 1;
            }
            if s["kind"] == "main" && t["kind"] == "main" {
                *soft.get_mut("main_parallel").expect("key") += 1;
            }
        }
    }
    let mut by_track: BTreeMap<String, (BTreeMap<String, u64>, BTreeSet<String>)> = BTreeMap::new();
    for s in sessions {
        if let Some(track) = s["track"].as_str() {
            let entry = by_track.entry(track.into()).or_default();
            if let Some((room, day, _)) = placed.get(s["id"].as_str().expect("id")) {
                *entry.0.entry(day.clone()).or_default() += 1;
                entry.1.insert(room.clone());
            }
        }
    }
    for (per_day, used) in by_track.values() {
        let counts: Vec<u64> = days.keys().map(|d| per_day.get(d).copied().unwrap_or(0)).collect();
        *soft.get_mut("track_day_spread").expect("key") +=
            counts.iter().max().unwrap_or(&0) - counts.iter().min().unwrap_or(&0);
        *soft.get_mut("track_rooms").expect("key") += (used.len() as u64).saturating_sub(1);
    }
    let w = instance.get("weights").cloned().unwrap_or(json!({}));
    let weight = |k: &str, default: f64| w.get(k).and_then(|v| v.as_f64()).unwrap_or(default);
    let score = weight("theme_parallel", 10.0) * soft["theme_parallel"] as f64
        + weight("main_parallel", 100.0) * soft["main_parallel"] as f64
        + weight("track_day_spread", 5.0) * soft["track_day_spread"] as f64
        + weight("track_rooms", 1.0) * soft["track_rooms"] as f64
        + weight("preferred_day", 3.0) * soft["preferred_day"] as f64;
    (hard, soft, score)
}

fn hm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

prop_compose! {
    fn arb_instance()(
        grid in prop::sample::select(vec![5i64, 10, 15, 30]),
        day_count in 1usize..4,
        room_count in 1usize..5,
        sessions in prop::collection::vec(
            (1i64..8, 0u32..300, prop::collection::vec(0u8..8, 0..4), prop::option::of(0u8..3),
             prop::option::of(0u8..3), 0u8..4, any::<u16>()),
            0..18),
        seed in any::<u64>(),
    ) -> Value {
        let mut rng = kaigi_core::rng::SplitMix64::new(seed);
        let days: Vec<Value> = (0..day_count).map(|d| {
            let start = 8 * 60 + (rng.below(4) as i64) * 15;
            let end = start + 240 + rng.below(8) as i64 * 30;
            let mut day = json!({"id": format!("d{d}"), "date": format!("2026-06-{:02}", 10 + d), "start": hm(start), "end": hm(end)});
            if rng.chance(0.5) {
                day["breaks"] = json!([{"start": hm(start + 120), "end": hm(start + 150)}]);
            }
            day
        }).collect();
        let rooms: Vec<Value> = (0..room_count).map(|r| {
            let mut room = json!({"id": format!("r{r}"), "features": if rng.chance(0.5) { json!(["hybrid"]) } else { json!([]) }});
            if rng.chance(0.7) { room["capacity"] = json!(50 + rng.below(200)); }
            if rng.chance(0.3) {
                room["available"] = json!({"d0": [{"start": "09:00", "end": "12:00"}]});
            }
            room
        }).collect();
        let sessions: Vec<Value> = sessions.iter().enumerate().map(|(i, (len, audience, people, theme, track, kind, flags))| {
            let mut s = json!({"id": format!("s{i}"), "minutes": len * 15, "audience": audience,
                "people": people.iter().map(|p| format!("p{p}")).collect::<Vec<_>>()});
            if let Some(t) = theme { s["theme"] = json!(format!("th{t}")); }
            if let Some(t) = track { s["track"] = json!(format!("tr{t}")); }
            s["kind"] = json!(["main", "workshop", "forum", "talk"][*kind as usize]);
            let flags = *flags;
            if flags & 1 != 0 { s["needs"] = json!(["hybrid"]); }
            if flags & 2 != 0 { s["days"] = json!([format!("d{}", flags as usize % day_count)]); }
            if flags & 4 != 0 { s["preferred_days"] = json!([format!("d{}", (flags as usize / 3) % day_count)]); }
            if flags & 8 != 0 {
                s["pinned"] = json!({"room": format!("r{}", flags as usize % room_count)});
            }
            if flags & 16 != 0 {
                s["pinned"] = json!({"day": "d0", "start": hm(9 * 60 + (flags as i64 % 7) * 5)});
            }
            s
        }).collect();
        let mut instance = json!({"grid_minutes": grid, "days": days, "rooms": rooms, "sessions": sessions});
        if seed % 3 == 0 {
            instance["weights"] = json!({"theme_parallel": 2, "track_rooms": 7});
        }
        instance
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// Whatever the instance, the reported counts and score are exactly what the placements give.
    #[test]
    fn the_report_equals_an_independent_recount(instance in arb_instance()) {
        let parsed = serde_json::from_value(instance.clone()).expect("instance");
        let solution = solve(&parsed, Budget::Steps(5_000)).expect("valid instance").to_json();
        let (hard, soft, score) = recount(&instance, &solution);
        prop_assert_eq!(solution["hard_violations"].as_u64(), Some(hard));
        for (k, v) in &soft {
            prop_assert_eq!(solution["soft"][*k].as_u64(), Some(*v), "{}", k);
        }
        prop_assert!((solution["score"].as_f64().expect("score") - score).abs() < 1e-9);
        // Every session appears exactly once, placed or unplaced.
        let placed = solution["placements"].as_array().expect("list").len();
        let unplaced = solution["unplaced"].as_array().expect("list").len();
        prop_assert_eq!(placed + unplaced, instance["sessions"].as_array().expect("list").len());
    }

    /// The checker agrees with the recount on arbitrary (mostly bad) placements too.
    #[test]
    fn the_checker_counts_bad_placements_exactly(instance in arb_instance(), seed in any::<u64>()) {
        let parsed = serde_json::from_value(instance.clone()).expect("instance");
        let problem = Problem::new(&parsed).expect("valid");
        let mut rng = kaigi_core::rng::SplitMix64::new(seed);
        let placements: Vec<Value> = problem.sessions.iter().filter(|_| rng.chance(0.85)).collect::<Vec<_>>().into_iter().map(|s| json!({
            "session": s.id, "room": format!("r{}", rng.below(problem.rooms.len())),
            "day": format!("d{}", rng.below(problem.days.len())), "start": hm(8 * 60 + rng.below(60) as i64 * 5)})).collect();
        let solution_json = json!({"placements": placements});
        let slots = slots_from_placements(&problem, &serde_json::from_value::<Vec<kaigi_core::timetable::Placement>>(solution_json["placements"].clone()).expect("placements")).expect("known ids");
        let e = evaluate(&problem, &slots);
        let (hard, soft, score) = recount(&instance, &solution_json);
        prop_assert_eq!(e.hard.total(), hard);
        prop_assert_eq!(e.soft.theme_parallel, soft["theme_parallel"]);
        prop_assert_eq!(e.soft.main_parallel, soft["main_parallel"]);
        prop_assert_eq!(e.soft.track_day_spread, soft["track_day_spread"]);
        prop_assert_eq!(e.soft.track_rooms, soft["track_rooms"]);
        prop_assert_eq!(e.soft.preferred_day, soft["preferred_day"]);
        prop_assert!((e.score - score).abs() < 1e-9);
    }
}

#[test]
fn small_editions_reach_the_exhaustive_optimum() {
    let mut compared = 0;
    for seed in 0..12u64 {
        let mut rng = kaigi_core::rng::SplitMix64::new(seed);
        let sessions: Vec<Value> = (0..6)
            .map(|i| {
                let minutes = [30, 60, 90][rng.below(3)];
                let theme = ["a", "b"][rng.below(2)];
                let track = ["x", "y", "z"][rng.below(3)];
                json!({"id": format!("s{i}"), "minutes": minutes,
                "people": [format!("p{}", rng.below(4))], "theme": theme,
                "track": track, "kind": if rng.chance(0.3) { "main" } else { "talk" },
                "preferred_days": if rng.chance(0.3) { json!(["d1"]) } else { json!([]) }})
            })
            .collect();
        let instance = json!({"grid_minutes": 30,
            "days": [{"id": "d0", "start": "09:00", "end": "11:00"}, {"id": "d1", "start": "09:00", "end": "11:00"}],
            "rooms": [{"id": "a"}, {"id": "b"}],
            "sessions": sessions});
        let problem = Problem::new(&serde_json::from_value(instance).expect("instance")).expect("valid");
        let Some((_, optimum)) = exhaustive(&problem, 20_000_000) else { continue };
        let (slots, _) = search(&problem, Budget::Steps(60_000), seed);
        let e = evaluate(&problem, &slots);
        assert_eq!(e.hard.total(), 0, "seed {seed}");
        assert!((e.score - optimum).abs() < 1e-9, "seed {seed}: {} vs optimum {optimum}", e.score);
        compared += 1;
    }
    assert!(compared >= 8, "only {compared} instances were small enough");
}

#[test]
fn pinned_ceremonies_stay_where_they_were_pinned() {
    let instance = json!({"grid_minutes": 15,
    "days": [{"id": "day1", "start": "09:00", "end": "18:00", "breaks": [{"start": "12:30", "end": "13:30"}]}],
    "rooms": [{"id": "hall", "capacity": 1000, "features": ["interpretation"]}, {"id": "small", "capacity": 40}],
    "sessions": [
        {"id": "opening", "minutes": 60, "audience": 900, "people": ["sg"], "pinned": {"room": "hall", "day": "day1", "start": "09:00"}},
        {"id": "ws", "minutes": 90, "audience": 30, "people": ["sg"], "needs": ["interpretation"]},
        {"id": "talk", "minutes": 90, "audience": 30}
    ]});
    let solution =
        solve(&serde_json::from_value(instance).expect("instance"), Budget::Steps(100_000)).expect("valid").to_json();
    assert_eq!(solution["hard_violations"], 0);
    let placements = solution["placements"].as_array().expect("list");
    let opening = placements.iter().find(|p| p["session"] == "opening").expect("placed");
    assert_eq!((opening["room"].as_str(), opening["start"].as_str()), (Some("hall"), Some("09:00")));
    let ws = placements.iter().find(|p| p["session"] == "ws").expect("placed");
    assert_eq!(ws["room"], "hall", "interpretation is only in the hall");
    let start = clock(&ws["start"]);
    assert!(start >= 10 * 60 && (start + 90 <= 12 * 60 + 30 || start >= 13 * 60 + 30), "{start}");
}

#[test]
fn malformed_instances_say_where() {
    let bad = [
        (json!({"grid_minutes": 0, "days": [], "rooms": [], "sessions": []}), "grid_minutes"),
        (
            json!({"grid_minutes": 15, "days": [{"id": "d", "start": "9h", "end": "18:00"}], "rooms": [], "sessions": []}),
            "days[0].start",
        ),
        (
            json!({"grid_minutes": 15, "days": [{"id": "d", "start": "09:00", "end": "18:00"}], "rooms": [],
                "sessions": [{"id": "s", "minutes": 30, "pinned": {"room": "nowhere"}}]}),
            "sessions[0].pinned.room",
        ),
        (
            json!({"grid_minutes": 15, "days": [{"id": "d", "start": "09:00", "end": "18:00"}], "rooms": [],
                "sessions": [{"id": "s", "minutes": 30}, {"id": "s", "minutes": 30}]}),
            "sessions[1].id",
        ),
    ];
    for (instance, place) in bad {
        let e = Problem::new(&serde_json::from_value(instance).expect("shape")).expect_err("invalid");
        assert!(e.to_string().contains(place), "{e} should name {place}");
    }
}

#[test]
fn days_past_midnight_are_read_and_printed_as_hours_past_23() {
    let instance = json!({"grid_minutes": 30,
        "days": [{"id": "night", "start": "22:00", "end": "26:00"}], "rooms": [{"id": "club"}],
        "sessions": [{"id": "a", "minutes": 120, "people": ["dj"]}, {"id": "b", "minutes": 120, "people": ["dj"]}]});
    let solution =
        solve(&serde_json::from_value(instance).expect("instance"), Budget::Steps(100_000)).expect("valid").to_json();
    assert_eq!(solution["hard_violations"], 0);
    let mut starts: Vec<&str> =
        solution["placements"].as_array().expect("list").iter().map(|p| p["start"].as_str().expect("start")).collect();
    starts.sort_unstable();
    assert_eq!(starts, ["22:00", "24:00"]);
}

/// After one session is moved onto another, a minimal-change re-solve fixes the clash and
/// leaves (almost) everything else where it was.
#[test]
fn a_minimal_change_re_solve_leaves_uninvolved_sessions_in_place() {
    use kaigi_core::timetable::{generate, search_from};
    let problem = Problem::new(&generate::igf(7, 120, 8)).expect("valid");
    let (mut slots, _) = search(&problem, Budget::Steps(60_000), 1);
    assert_eq!(evaluate(&problem, &slots).hard.total(), 0);
    // Someone drags a session on top of another one in the same room.
    let (a, b) = (0..slots.len())
        .flat_map(|a| (0..slots.len()).map(move |b| (a, b)))
        .find(|&(a, b)| {
            a != b
                && problem.sessions[a].pin_room.is_none()
                && problem.sessions[a].minutes == problem.sessions[b].minutes
                && problem.sessions[a].days.is_none() == problem.sessions[b].days.is_none()
        })
        .expect("two sessions of one length");
    slots[a] = slots[b];
    assert!(evaluate(&problem, &slots).hard.total() > 0);
    let (fixed, _) = search_from(&problem, &slots, 1000.0, Budget::Steps(60_000), 2);
    assert_eq!(evaluate(&problem, &fixed).hard.total(), 0);
    let moved = slots.iter().zip(&fixed).filter(|(x, y)| x != y).count();
    assert!(moved <= 5, "{moved} sessions moved to fix one clash");
}
