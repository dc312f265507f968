//! Property test of the programme's changelog: after random edits of a published programme,
//! the changes between the two versions are exactly the edits made, session by session.

use std::collections::BTreeSet;

use kaigi_core::publishing::{Change, Programme, PublishedPerson, PublishedSession, Slot, changes};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Edit {
    Keep,
    Remove,
    Move(u8),
    Rename,
    AddPerson,
    DropPeople,
    MoveAndRename(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::Keep),
        Just(Edit::Remove),
        (1u8..8).prop_map(Edit::Move),
        Just(Edit::Rename),
        Just(Edit::AddPerson),
        Just(Edit::DropPeople),
        (1u8..8).prop_map(Edit::MoveAndRename),
    ]
}

fn session(i: usize, hour: u8, title: &str, people: usize) -> PublishedSession {
    PublishedSession {
        id: format!("s{i}"),
        number: i as i64 + 1,
        title: title.to_owned(),
        kind: "workshop".into(),
        description: String::new(),
        track: None,
        track_ja: None,
        theme: None,
        theme_ja: None,
        slot: Slot {
            day: "2026-12-15".into(),
            starts_at: format!("{:02}:00", 8 + hour),
            minutes: 60,
            room_id: format!("r{}", i % 3),
            room: format!("Room {}", i % 3),
        },
        people: (0..people)
            .map(|p| PublishedPerson {
                id: format!("p{i}-{p}"),
                name: format!("Person {i}-{p}"),
                role: "speaker".into(),
            })
            .collect(),
        cancelled: false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_changelog_lists_exactly_the_edits(
        start in proptest::collection::vec((0u8..8, 1usize..3), 0..25),
        edits in proptest::collection::vec(edit(), 25),
        added in 0usize..4,
    ) {
        let first: Vec<PublishedSession> =
            start.iter().enumerate().map(|(i, (hour, people))| session(i, *hour, &format!("Title {i}"), *people)).collect();
        let v1 = Programme::default().next(vec![], vec![], first.clone());
        let mut draft = Vec::new();
        let mut expected = BTreeSet::new();
        for (i, s) in first.iter().enumerate() {
            let number = s.number;
            let mut s = s.clone();
            match edits[i] {
                Edit::Keep => {}
                Edit::Remove => {
                    expected.insert((number, "cancelled"));
                    continue;
                }
                Edit::Move(by) | Edit::MoveAndRename(by) => {
                    let hour = (start[i].0 + by) % 8;
                    if hour != start[i].0 {
                        s.slot.starts_at = format!("{:02}:00", 8 + hour);
                        expected.insert((number, "moved"));
                    }
                    if matches!(edits[i], Edit::MoveAndRename(_)) {
                        s.title.push_str(" (new)");
                        expected.insert((number, "renamed"));
                    }
                }
                Edit::Rename => {
                    s.title = format!("Another title {i}");
                    expected.insert((number, "renamed"));
                }
                Edit::AddPerson => {
                    s.people.push(PublishedPerson { id: format!("new-{i}"), name: "Someone".into(), role: "moderator".into() });
                    expected.insert((number, "people"));
                }
                Edit::DropPeople => {
                    s.people.clear();
                    expected.insert((number, "people"));
                }
            }
            draft.push(s);
        }
        for j in 0..added {
            let i = start.len() + j;
            draft.push(session(i, 0, "A new session", 1));
            expected.insert((i as i64 + 1, "added"));
        }
        let v2 = v1.next(vec![], vec![], draft);
        let found: Vec<Change> = changes(&v1, &v2);
        let listed: BTreeSet<(i64, &str)> = found.iter().map(|c| (c.number(), c.code())).collect();
        prop_assert_eq!(listed.len(), found.len(), "each change once");
        prop_assert_eq!(listed, expected);
        // Nothing vanishes: every session of the first version is still there, cancelled or not.
        for s in &v1.sessions {
            prop_assert!(v2.sessions.iter().any(|t| t.id == s.id));
        }
        // And a version compared with itself has no changes.
        prop_assert!(changes(&v2, &v2).is_empty());
    }
}
