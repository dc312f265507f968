//! The programme in published versions. The secretariat edits a draft; publishing freezes what
//! the public sees as the next version, and the changes since the previous version (sessions
//! added, cancelled, moved, renamed, speakers changed) are worked out here, so the changelog
//! page, its JSON and the frab `version` field all say the same thing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A speaker, moderator or other person on a published session.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedPerson {
    pub id: String,
    pub name: String,
    pub role: String,
}

/// Where and when a session takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Slot {
    /// YYYY-MM-DD.
    pub day: String,
    /// HH:MM in the edition's time zone.
    pub starts_at: String,
    pub minutes: i64,
    pub room_id: String,
    pub room: String,
}

/// A session as one published version shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedSession {
    /// The session's id in the draft (stable across versions).
    pub id: String,
    pub number: i64,
    pub title: String,
    pub kind: String,
    pub description: String,
    pub track: Option<String>,
    /// The track's Japanese name (versions published before it was kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_ja: Option<String>,
    pub theme: Option<String>,
    pub theme_ja: Option<String>,
    pub slot: Slot,
    pub people: Vec<PublishedPerson>,
    /// It was in an earlier version and is no longer on the programme: it stays visible as
    /// cancelled, so people who planned to attend find out rather than find nothing.
    pub cancelled: bool,
}

/// A day of the edition with its opening hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedDay {
    pub day: String,
    /// "Day 0", "Day 1", … as the secretariat named it.
    pub label: String,
    pub starts_at: String,
    pub ends_at: String,
}

/// A room, in the order the secretariat gave the rooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedRoom {
    pub id: String,
    pub name: String,
}

/// Everything the public pages and exports of one version show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    pub days: Vec<PublishedDay>,
    pub rooms: Vec<PublishedRoom>,
    /// By day, start, room order, number; cancelled sessions among them at their old place.
    pub sessions: Vec<PublishedSession>,
}

impl Programme {
    /// The sessions taking place (not cancelled).
    pub fn taking_place(&self) -> impl Iterator<Item = &PublishedSession> {
        self.sessions.iter().filter(|s| !s.cancelled)
    }

    pub fn by_number(&self, number: i64) -> Option<&PublishedSession> {
        self.sessions.iter().find(|s| s.number == number)
    }

    /// The sessions a person speaks at, moderates or otherwise takes part in, cancelled ones
    /// included (they say so), in programme order.
    pub fn sessions_of<'a>(&'a self, person: &'a str) -> impl Iterator<Item = &'a PublishedSession> + 'a {
        self.sessions.iter().filter(move |s| s.people.iter().any(|p| p.id == person))
    }

    /// Everyone on a session taking place, once each, with how many sessions they are on, in
    /// gojūon order: a version holds names as written, so a romanised Japanese name is read
    /// from its romaji and other names follow in collation order, as in the directory.
    pub fn speakers(&self) -> Vec<(&PublishedPerson, usize)> {
        let mut seen: BTreeMap<&str, (&PublishedPerson, usize)> = BTreeMap::new();
        for p in self.taking_place().flat_map(|s| &s.people) {
            seen.entry(p.id.as_str()).or_insert((p, 0)).1 += 1;
        }
        let mut speakers: Vec<(&PublishedPerson, usize)> = seen.into_values().collect();
        speakers.sort_by_cached_key(|(p, _)| {
            crate::collation::gojuon_sort_key(crate::collation::romaji_to_hiragana(&p.name).as_deref(), &p.name)
        });
        speakers
    }

    /// The next version's programme from the draft's placed sessions: what the draft holds,
    /// plus every session of this version the draft no longer has, kept as cancelled.
    pub fn next(&self, days: Vec<PublishedDay>, rooms: Vec<PublishedRoom>, draft: Vec<PublishedSession>) -> Programme {
        let mut sessions: Vec<PublishedSession> =
            draft.into_iter().map(|s| PublishedSession { cancelled: false, ..s }).collect();
        for old in &self.sessions {
            if !sessions.iter().any(|s| s.id == old.id) {
                sessions.push(PublishedSession { cancelled: true, ..old.clone() });
            }
        }
        let position: BTreeMap<&str, usize> = rooms.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
        sessions.sort_by(|a, b| {
            let room = |s: &PublishedSession| position.get(s.slot.room_id.as_str()).copied().unwrap_or(usize::MAX);
            (&a.slot.day, &a.slot.starts_at, room(a), a.number).cmp(&(
                &b.slot.day,
                &b.slot.starts_at,
                room(b),
                b.number,
            ))
        });
        Programme { days, rooms, sessions }
    }
}

/// What happened to one session between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    Added {
        number: i64,
        title: String,
        slot: Slot,
    },
    Cancelled {
        number: i64,
        title: String,
    },
    /// Back on the programme after being cancelled.
    Restored {
        number: i64,
        title: String,
        slot: Slot,
    },
    Moved {
        number: i64,
        title: String,
        from: Slot,
        to: Slot,
    },
    Renamed {
        number: i64,
        from: String,
        to: String,
    },
    People {
        number: i64,
        title: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
}

impl Change {
    pub fn number(&self) -> i64 {
        match self {
            Change::Added { number, .. }
            | Change::Cancelled { number, .. }
            | Change::Restored { number, .. }
            | Change::Moved { number, .. }
            | Change::Renamed { number, .. }
            | Change::People { number, .. } => *number,
        }
    }

    /// The kind as a code (`added`, `cancelled`, …), for counts and message keys.
    pub fn code(&self) -> &'static str {
        match self {
            Change::Added { .. } => "added",
            Change::Cancelled { .. } => "cancelled",
            Change::Restored { .. } => "restored",
            Change::Moved { .. } => "moved",
            Change::Renamed { .. } => "renamed",
            Change::People { .. } => "people",
        }
    }
}

/// Every change from `before` to `after`, by session number; a session's title, place and
/// people are compared separately, so one session may have several changes.
pub fn changes(before: &Programme, after: &Programme) -> Vec<Change> {
    let old: BTreeMap<&str, &PublishedSession> = before.sessions.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut out = Vec::new();
    let mut sessions: Vec<&PublishedSession> = after.sessions.iter().collect();
    sessions.sort_by_key(|s| s.number);
    for s in sessions {
        let number = s.number;
        let title = s.title.clone();
        let Some(was) = old.get(s.id.as_str()) else {
            if !s.cancelled {
                out.push(Change::Added { number, title, slot: s.slot.clone() });
            }
            continue;
        };
        match (was.cancelled, s.cancelled) {
            (false, true) => {
                out.push(Change::Cancelled { number, title });
                continue;
            }
            (true, false) => out.push(Change::Restored { number, title: title.clone(), slot: s.slot.clone() }),
            (true, true) => continue,
            (false, false) if was.slot != s.slot => {
                out.push(Change::Moved { number, title: title.clone(), from: was.slot.clone(), to: s.slot.clone() });
            }
            (false, false) => {}
        }
        if was.title != s.title {
            out.push(Change::Renamed { number, from: was.title.clone(), to: s.title.clone() });
        }
        let names = |p: &[PublishedPerson]| p.iter().map(|p| (p.id.clone(), p.name.clone())).collect::<Vec<_>>();
        let (then, now) = (names(&was.people), names(&s.people));
        // By person and name: someone renamed in the directory shows as their new name in, the old out.
        let added: Vec<String> = now.iter().filter(|p| !then.contains(p)).map(|p| p.1.clone()).collect();
        let removed: Vec<String> = then.iter().filter(|p| !now.contains(p)).map(|p| p.1.clone()).collect();
        if !added.is_empty() || !removed.is_empty() {
            out.push(Change::People { number, title, added, removed });
        }
    }
    out
}

/// How many changes of each kind, in a fixed order (`added`, `cancelled`, …).
pub fn counts(changes: &[Change]) -> Vec<(&'static str, usize)> {
    ["added", "cancelled", "restored", "moved", "renamed", "people"]
        .into_iter()
        .map(|code| (code, changes.iter().filter(|c| c.code() == code).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The frab `version` of a published version: its number and what changed, in English, for
/// apps and video teams that show the version string as it is.
pub fn frab_version(slug: &str, number: i64, changes: &[Change]) -> String {
    let summary: Vec<String> = counts(changes).into_iter().map(|(code, n)| format!("{n} {code}")).collect();
    if summary.is_empty() { format!("{slug} v{number}") } else { format!("{slug} v{number} ({})", summary.join(", ")) }
}

/// What a frab export says about the edition besides its programme.
pub struct FrabEdition<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub time_zone: &'a str,
    /// Absolute, with or without a trailing slash.
    pub base_url: &'a str,
    /// The frab `version` (see [`frab_version`]).
    pub version: String,
}

/// A published programme as a frab schedule: days in order, rooms in their order, events by
/// start, links under the base URL. Cancelled sessions are left out (frab has no word for
/// them; the `version` string counts them).
pub fn to_frab(programme: &Programme, edition: &FrabEdition<'_>) -> crate::frab::Export {
    use crate::frab::{Export, ExportDay, ExportEvent};
    use crate::timetable::parse_clock;
    let base = edition.base_url.trim_end_matches('/');
    let acronym = edition.slug.replace('-', "_");
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let days = programme
        .days
        .iter()
        .filter_map(|d| Some((d, time::Date::parse(&d.day, format).ok()?)))
        .enumerate()
        .map(|(i, (d, date))| ExportDay {
            index: i as i64 + 1,
            date,
            start: parse_clock(&d.starts_at).unwrap_or(0),
            end: parse_clock(&d.ends_at).unwrap_or(0),
            rooms: programme
                .rooms
                .iter()
                .map(|r| {
                    let events: Vec<ExportEvent> = programme
                        .taking_place()
                        .filter(|s| s.slot.day == d.day && s.slot.room_id == r.id)
                        .map(|s| {
                            let japanese = s.title.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c));
                            ExportEvent {
                                guid: s.id.clone(),
                                id: s.number,
                                slug: format!("{acronym}-session-{}", s.number),
                                title: s.title.clone(),
                                kind: s.kind.clone(),
                                track: s.track.clone(),
                                language: if japanese { "ja" } else { "en" }.into(),
                                abstract_text: s.description.clone(),
                                description: s.theme.clone().unwrap_or_default(),
                                start: parse_clock(&s.slot.starts_at).unwrap_or(0),
                                minutes: s.slot.minutes,
                                url: format!("{base}/editions/{}/sessions/{}", edition.slug, s.number),
                                persons: s.people.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
                            }
                        })
                        .collect();
                    (r.name.clone(), r.id.clone(), events)
                })
                .filter(|(_, _, events)| !events.is_empty())
                .collect(),
        })
        .collect();
    Export {
        version: edition.version.clone(),
        acronym,
        title: edition.title.to_owned(),
        time_zone: edition.time_zone.to_owned(),
        base_url: base.to_owned(),
        timeslot_minutes: 15,
        days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, number: i64, start: &str) -> PublishedSession {
        PublishedSession {
            id: id.into(),
            number,
            title: format!("Session {number}"),
            kind: "workshop".into(),
            description: String::new(),
            track: None,
            track_ja: None,
            theme: None,
            theme_ja: None,
            slot: Slot {
                day: "2026-12-15".into(),
                starts_at: start.into(),
                minutes: 60,
                room_id: "r1".into(),
                room: "Room 1".into(),
            },
            people: vec![PublishedPerson {
                id: format!("p{number}"),
                name: format!("Speaker {number}"),
                role: "speaker".into(),
            }],
            cancelled: false,
        }
    }

    #[test]
    fn a_session_gone_from_the_draft_stays_as_cancelled_and_comes_back_as_restored() {
        let v1 = Programme::default().next(vec![], vec![], vec![session("a", 1, "10:00"), session("b", 2, "11:00")]);
        let v2 = v1.next(vec![], vec![], vec![session("a", 1, "10:00")]);
        assert!(v2.by_number(2).is_some_and(|s| s.cancelled), "still listed, as cancelled");
        assert_eq!(changes(&v1, &v2), vec![Change::Cancelled { number: 2, title: "Session 2".into() }]);
        let v3 = v2.next(vec![], vec![], vec![session("a", 1, "10:00")]);
        assert!(changes(&v2, &v3).is_empty(), "a cancelled session is cancelled once");
        let v4 = v3.next(vec![], vec![], vec![session("a", 1, "10:00"), session("b", 2, "15:00")]);
        assert!(matches!(changes(&v3, &v4).as_slice(), [Change::Restored { number: 2, .. }]));
    }

    #[test]
    fn a_move_a_new_title_and_new_people_are_each_listed() {
        let v1 = Programme::default().next(vec![], vec![], vec![session("a", 1, "10:00")]);
        let mut edited = session("a", 1, "14:00");
        edited.title = "Renamed".into();
        edited.people.push(PublishedPerson { id: "q".into(), name: "New Speaker".into(), role: "speaker".into() });
        let v2 = v1.next(vec![], vec![], vec![edited, session("c", 3, "09:00")]);
        let found = changes(&v1, &v2);
        let codes: Vec<&str> = found.iter().map(Change::code).collect();
        assert_eq!(codes, ["moved", "renamed", "people", "added"]);
        assert_eq!(frab_version("igf-2026", 2, &found), "igf-2026 v2 (1 added, 1 moved, 1 renamed, 1 people)");
        assert_eq!(v2.sessions[0].number, 3, "ordered by start");
    }
}
