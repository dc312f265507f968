//! Property test of the day × room grid: laid out as a browser lays out a table (rowspans
//! covering later rows), every session appears exactly once, in its room's columns, from the
//! row of its start to the row of its end, and no room has more columns than sessions overlap
//! in it at one moment.

use kaigi_core::grid::{GridCell, day_grid};
use kaigi_core::publishing::{PublishedSession, Slot};
use kaigi_core::timetable::parse_clock;
use proptest::prelude::*;

const ROOMS: [&str; 4] = ["Main Hall", "Room 2", "Room 10", "Annex"];

fn session(i: usize, room: usize, start: i64, minutes: i64) -> PublishedSession {
    PublishedSession {
        id: format!("s{i}"),
        number: i as i64 + 1,
        title: format!("Session {i}"),
        kind: "workshop".into(),
        description: String::new(),
        track: None,
        track_ja: None,
        theme: None,
        theme_ja: None,
        slot: Slot {
            day: "2026-06-23".into(),
            starts_at: format!("{:02}:{:02}", start / 60, start % 60),
            minutes,
            room_id: format!("r{room}"),
            room: ROOMS[room].to_owned(),
        },
        people: Vec::new(),
        cancelled: false,
    }
}

fn sessions() -> impl Strategy<Value = Vec<PublishedSession>> {
    prop::collection::vec((0usize..ROOMS.len(), 8 * 60i64..20 * 60, prop_oneof![Just(0i64), 1i64..240]), 0..40)
        .prop_map(|v| {
            v.into_iter().enumerate().map(|(i, (room, start, minutes))| session(i, room, start, minutes)).collect()
        })
}

proptest! {
    #[test]
    fn every_session_once_in_its_room_over_its_time(sessions in sessions()) {
        let refs: Vec<&PublishedSession> = sessions.iter().collect();
        // Two rooms of the list are never used: they get no column.
        let rooms: Vec<String> = ROOMS.iter().map(|r| r.to_string()).chain(["Unused".to_owned()]).collect();
        let grid = day_grid(&refs, &rooms);
        prop_assert!(grid.unplaced.is_empty());
        prop_assert!(grid.columns.iter().all(|c| c.lanes > 0), "a room without sessions has no column");
        prop_assert!(grid.columns.iter().all(|c| c.room != "Unused"));
        let lane_room: Vec<&str> = grid.columns.iter().flat_map(|c| std::iter::repeat_n(c.room.as_str(), c.lanes)).collect();
        let row_start: Vec<i64> = grid.rows.iter().map(|r| parse_clock(&r.starts_at).unwrap()).collect();
        prop_assert!(row_start.windows(2).all(|w| w[0] < w[1]), "rows in time order");
        // Lay the table out: a lane stays covered for the rows a cell above spans.
        let mut covered = vec![0usize; lane_room.len()];
        let mut seen = vec![0usize; sessions.len()];
        for (r, row) in grid.rows.iter().enumerate() {
            let mut cells = row.cells.iter();
            for lane in 0..lane_room.len() {
                if covered[lane] > 0 {
                    covered[lane] -= 1;
                    continue;
                }
                let cell = cells.next();
                prop_assert!(cell.is_some(), "row {} has too few cells", r);
                if let Some(GridCell::Session { index, rows }) = cell {
                    let s = &sessions[*index];
                    seen[*index] += 1;
                    prop_assert_eq!(lane_room[lane], s.slot.room.as_str());
                    let start = parse_clock(&s.slot.starts_at).unwrap();
                    prop_assert_eq!(row_start[r], start, "the cell is at its start");
                    let end = start + s.slot.minutes.max(5);
                    let ends_at = row_start.get(r + rows).copied().unwrap_or(end);
                    prop_assert!(*rows >= 1);
                    prop_assert_eq!(ends_at, end, "the cell spans to its end");
                    covered[lane] = rows - 1;
                }
            }
            prop_assert!(cells.next().is_none(), "row {} has too many cells", r);
        }
        prop_assert!(covered.iter().all(|&c| c == 0), "no cell spans past the last row");
        prop_assert!(seen.iter().all(|&n| n == 1), "every session exactly once: {:?}", seen);
        // As few columns per room as the sessions overlapping at one moment.
        for column in &grid.columns {
            let spans: Vec<(i64, i64)> = sessions
                .iter()
                .filter(|s| s.slot.room == column.room)
                .map(|s| { let a = parse_clock(&s.slot.starts_at).unwrap(); (a, a + s.slot.minutes.max(5)) })
                .collect();
            let deepest = spans.iter().map(|&(a, _)| spans.iter().filter(|&&(b, e)| b <= a && a < e).count()).max().unwrap_or(0);
            prop_assert_eq!(column.lanes, deepest, "room {}", column.room);
        }
    }
}

#[test]
fn rooms_keep_the_secretariats_order_and_unknown_times_are_set_aside() {
    let mut odd = session(2, 0, 600, 60);
    odd.slot.starts_at = "ten".into();
    let sessions = [session(0, 2, 540, 90), session(1, 1, 600, 30), odd];
    let refs: Vec<&PublishedSession> = sessions.iter().collect();
    let grid = day_grid(&refs, &["Room 2".to_owned(), "Room 10".to_owned()]);
    let rooms: Vec<&str> = grid.columns.iter().map(|c| c.room.as_str()).collect();
    assert_eq!(rooms, ["Room 2", "Room 10"], "as given, not \"Room 10, Room 2\"");
    assert_eq!(grid.unplaced, [2]);
    let times: Vec<&str> = grid.rows.iter().map(|r| r.starts_at.as_str()).collect();
    assert_eq!(times, ["09:00", "10:00"], "a row from each start to the next time anything starts or ends");
}
