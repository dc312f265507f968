//! One day of a published programme as a day × room grid: a column per room (more than one
//! where sessions in a room overlap, as an imported or hand-edited programme may have), a row
//! per interval between consecutive start and end times, each session spanning the rows of its
//! time. The schedule page draws it as a table on wide screens; phones get the list.

use std::collections::BTreeSet;

use crate::publishing::PublishedSession;
use crate::timetable::{format_clock, parse_clock};

/// The shortest a session is drawn: a session of 0 minutes still gets a row of its own.
const SHORTEST: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub columns: Vec<GridColumn>,
    pub rows: Vec<GridRow>,
    /// Sessions that could not be placed (a start time that is not a clock time), by index.
    pub unplaced: Vec<usize>,
}

/// A room's heading: it spans `lanes` table columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridColumn {
    pub room: String,
    pub lanes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// When the row's interval starts, "HH:MM".
    pub starts_at: String,
    /// One cell per lane not covered by a session that started in an earlier row.
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridCell {
    /// The session at `index` of the input, spanning `rows` rows from this one.
    Session {
        index: usize,
        rows: usize,
    },
    Empty,
}

/// The grid of `sessions` (one day's), with rooms in the order of `rooms` (the secretariat's);
/// a room a session names that is not in `rooms` gets a column after them.
pub fn day_grid(sessions: &[&PublishedSession], rooms: &[String]) -> Grid {
    let mut unplaced = Vec::new();
    let mut placed: Vec<(usize, i64, i64)> = Vec::new();
    for (index, s) in sessions.iter().enumerate() {
        match parse_clock(&s.slot.starts_at) {
            Some(start) => placed.push((index, start, start + s.slot.minutes.max(SHORTEST))),
            None => unplaced.push(index),
        }
    }
    let boundaries: Vec<i64> =
        placed.iter().flat_map(|&(_, start, end)| [start, end]).collect::<BTreeSet<_>>().into_iter().collect();
    let row_of = |t: i64| boundaries.binary_search(&t).unwrap_or_else(|i| i);
    let row_count = boundaries.len().saturating_sub(1);

    let mut room_order: Vec<&str> = rooms
        .iter()
        .map(String::as_str)
        .filter(|r| placed.iter().any(|&(i, _, _)| sessions[i].slot.room == *r))
        .collect();
    for &(i, _, _) in &placed {
        let room = sessions[i].slot.room.as_str();
        if !room_order.contains(&room) {
            room_order.push(room);
        }
    }

    // Each lane: for every row, the cell that starts there, or None where a session covers it.
    let mut lanes: Vec<Vec<Option<GridCell>>> = Vec::new();
    let mut columns = Vec::new();
    for room in room_order {
        let mut in_room: Vec<(usize, i64, i64)> =
            placed.iter().copied().filter(|&(i, _, _)| sessions[i].slot.room == room).collect();
        in_room.sort_by_key(|&(i, start, end)| (start, end, i));
        // Greedy interval partitioning: the fewest lanes in which no two sessions overlap.
        let mut room_lanes: Vec<(i64, Vec<Option<GridCell>>)> = Vec::new();
        for (index, start, end) in in_room {
            let lane = match room_lanes.iter().position(|(free_at, _)| *free_at <= start) {
                Some(lane) => lane,
                None => {
                    room_lanes.push((i64::MIN, vec![Some(GridCell::Empty); row_count]));
                    room_lanes.len() - 1
                }
            };
            let (first, last) = (row_of(start), row_of(end));
            let (free_at, cells) = &mut room_lanes[lane];
            *free_at = end;
            cells[first] = Some(GridCell::Session { index, rows: last - first });
            for cell in &mut cells[first + 1..last] {
                *cell = None;
            }
        }
        columns.push(GridColumn { room: room.to_owned(), lanes: room_lanes.len() });
        lanes.extend(room_lanes.into_iter().map(|(_, cells)| cells));
    }

    let rows = (0..row_count)
        .map(|r| GridRow {
            starts_at: format_clock(boundaries[r]),
            cells: lanes.iter().filter_map(|lane| lane[r]).collect(),
        })
        .collect();
    Grid { columns, rows, unplaced }
}
