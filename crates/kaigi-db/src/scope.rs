//! Which object lies inside which: a call or a proposal inside an edition, an agenda item
//! inside a meeting, a person on a roundtable's list. The web layer asks this for every pair of
//! objects a path names (`/editions/{edition}/calls/{call}`, `/meetings/{meeting}/items/{item}`)
//! before any handler runs, so a handler never sees an object from another scope however the
//! URL was put together.

use uuid::Uuid;

use crate::{Db, DbResult, on_db};

/// A pair of path parameters, parent then child, with the query that says whether the child
/// (`$1`, an id) lies in the parent (`$2`: an id, or an edition's slug).
const CONTAINMENT: &[(&str, &str, &str)] = &[
    (
        "edition",
        "call",
        "select count(*) from calls c join editions e on e.id = c.edition_id where c.id = $1 and e.slug = $2",
    ),
    (
        "edition",
        "proposal",
        "select count(*) from proposals p join editions e on e.id = p.edition_id where p.id = $1 and e.slug = $2",
    ),
    (
        "edition",
        "roundtable",
        "select count(*) from roundtables r join editions e on e.id = r.edition_id where r.id = $1 and e.slug = $2",
    ),
    (
        "edition",
        "webhook",
        "select count(*) from webhooks w join editions e on e.id = w.edition_id where w.id = $1 and e.slug = $2",
    ),
    // An evaluator named in the path is one of the call's pool (enlisting adds to it).
    ("call", "user", "select count(*) from call_evaluators where user_id = $1 and call_id = $2"),
    ("webhook", "delivery", "select count(*) from webhook_deliveries where id = $1 and webhook_id = $2"),
    ("roundtable", "person", "select count(*) from roundtable_invitees where person_id = $1 and roundtable_id = $2"),
    ("proposal", "entry", "select count(*) from proposal_people where id = $1 and proposal_id = $2"),
    ("meeting", "item", "select count(*) from agenda_items where id = $1 and meeting_id = $2"),
    ("meeting", "material", "select count(*) from meeting_materials where id = $1 and meeting_id = $2"),
    // Action items belong to the series: a meeting reaches those of its own series.
    (
        "meeting",
        "action",
        "select count(*) from action_items a join meetings m on m.series_id = a.series_id where a.id = $1 and m.id = $2",
    ),
];

/// Parameters whose values are edition slugs rather than ids.
const SLUGS: &[&str] = &["edition"];

/// Whether every object the path names lies inside the one it is named under. `param` gives a
/// path parameter's value by name. A parameter that should be an id and is not one is outside.
pub async fn path_is_contained(db: &Db, param: impl Fn(&str) -> Option<String>) -> DbResult<bool> {
    for (parent, child, sql) in CONTAINMENT {
        let (Some(parent_value), Some(child_value)) = (param(parent), param(child)) else {
            continue;
        };
        let Ok(child_id) = Uuid::parse_str(&child_value) else {
            return Ok(false);
        };
        let found = if SLUGS.contains(parent) {
            on_db!(db, pool => sqlx::query_scalar::<_, i64>(*sql).bind(child_id).bind(&parent_value).fetch_one(pool).await)?
        } else {
            let Ok(parent_id) = Uuid::parse_str(&parent_value) else {
                return Ok(false);
            };
            on_db!(db, pool => sqlx::query_scalar::<_, i64>(*sql).bind(child_id).bind(parent_id).fetch_one(pool).await)?
        };
        if found == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The pairs checked, for the route table's test: every route whose path names both objects of
/// a pair is covered.
pub fn checked_pairs() -> impl Iterator<Item = (&'static str, &'static str)> {
    CONTAINMENT.iter().map(|(parent, child, _)| (*parent, *child))
}
