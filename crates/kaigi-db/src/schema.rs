//! The tables kaigi stores, in foreign-key order, with the kind of each column. Backups are
//! written and read through this list, and a test checks it against both live schemas, so a
//! new column cannot be forgotten by the backup.

/// How a column's values are typed on both databases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Uuid,
    Text,
    Int,
    Bool,
    Bytes,
    /// A point in time (timestamptz / RFC 3339 text).
    Timestamp,
    /// A calendar date (date / ISO 8601 text).
    Date,
}

pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The order rows are written in; rows that point at rows of the same table come after them.
    pub order_by: &'static str,
}

use Kind::*;

const STAMPS: [(&str, Kind); 2] = [("created_at", Timestamp), ("updated_at", Timestamp)];

/// Columns in the order the live schema has them: those of `create table`, the timestamps,
/// then those added by later migrations (`alter table … add column`).
macro_rules! table {
    ($name:literal, $order:literal, [$(($col:literal, $kind:ident)),* $(,)?]) => {
        Table { name: $name, order_by: $order, columns: &[$(($col, $kind),)* STAMPS[0], STAMPS[1]] }
    };
    ($name:literal, $order:literal, [$(($col:literal, $kind:ident)),* $(,)?], [$(($added:literal, $added_kind:ident)),* $(,)?]) => {
        Table { name: $name, order_by: $order, columns: &[$(($col, $kind),)* STAMPS[0], STAMPS[1], $(($added, $added_kind),)*] }
    };
}

pub const TABLES: &[Table] = &[
    table!("settings", "key", [("key", Text), ("value", Text)]),
    table!("organisations", "id", [("id", Uuid), ("name", Text), ("stakeholder_group", Text), ("country", Text)]),
    table!(
        "people",
        "(merged_into is not null), id",
        [
            ("id", Uuid),
            ("display_name", Text),
            ("reading", Text),
            ("romanized", Text),
            ("sort_key", Bytes),
            ("email", Text),
            ("stakeholder_group", Text),
            ("un_region", Text),
            ("country", Text),
            ("gender", Text),
            ("youth", Bool),
            ("merged_into", Uuid),
            ("version", Int),
        ]
    ),
    table!(
        "affiliations",
        "id",
        [
            ("id", Uuid),
            ("person_id", Uuid),
            ("organisation_id", Uuid),
            ("title", Text),
            ("since", Date),
            ("until", Date),
        ]
    ),
    table!(
        "users",
        "id",
        [
            ("id", Uuid),
            ("email", Text),
            ("display_name", Text),
            ("password_hash", Text),
            ("person_id", Uuid),
            ("language", Text),
            ("active", Bool),
        ]
    ),
    table!(
        "role_grants",
        "id",
        [("id", Uuid), ("user_id", Uuid), ("role", Text), ("scope_kind", Text), ("scope_id", Text)]
    ),
    table!(
        "invitations",
        "id",
        [
            ("id", Uuid),
            ("email", Text),
            ("token_hash", Text),
            ("role", Text),
            ("scope_kind", Text),
            ("scope_id", Text),
            ("invited_by", Uuid),
            ("expires_at", Timestamp),
            ("accepted_at", Timestamp),
        ]
    ),
    table!(
        "password_resets",
        "id",
        [("id", Uuid), ("user_id", Uuid), ("token_hash", Text), ("expires_at", Timestamp), ("used_at", Timestamp),]
    ),
    table!("web_sessions", "id", [("id", Uuid), ("token_hash", Text), ("user_id", Uuid), ("expires_at", Timestamp)]),
    table!(
        "api_tokens",
        "id",
        [
            ("id", Uuid),
            ("user_id", Uuid),
            ("name", Text),
            ("token_hash", Text),
            ("scope", Text),
            ("expires_at", Timestamp),
            ("revoked_at", Timestamp),
            ("last_used_at", Timestamp),
        ]
    ),
    table!("login_attempts", "id", [("id", Uuid), ("attempt_key", Text), ("succeeded", Bool)]),
    table!(
        "audit_log",
        "id",
        [
            ("id", Uuid),
            ("actor_user_id", Uuid),
            ("actor_label", Text),
            ("entity", Text),
            ("entity_id", Text),
            ("action", Text),
            ("before_json", Text),
            ("after_json", Text),
        ]
    ),
    table!(
        "outbox",
        "id",
        [
            ("id", Uuid),
            ("to_address", Text),
            ("subject", Text),
            ("body", Text),
            ("sent_at", Timestamp),
            ("last_error", Text),
            ("attempts", Int),
        ]
    ),
    table!(
        "editions",
        "id",
        [
            ("id", Uuid),
            ("slug", Text),
            ("name", Text),
            ("name_ja", Text),
            ("timezone", Text),
            ("venue", Text),
            ("starts_on", Date),
            ("ends_on", Date),
        ],
        [("schedule_version", Int), ("setup_version", Int)]
    ),
    table!(
        "edition_days",
        "id",
        [("id", Uuid), ("edition_id", Uuid), ("label", Text), ("day", Date), ("starts_at", Text), ("ends_at", Text),],
        [("breaks", Text)]
    ),
    table!(
        "rooms",
        "id",
        [("id", Uuid), ("edition_id", Uuid), ("name", Text), ("capacity", Int), ("features", Text), ("position", Int),]
    ),
    table!(
        "room_availability",
        "id",
        [("id", Uuid), ("room_id", Uuid), ("day", Date), ("starts_at", Text), ("ends_at", Text)]
    ),
    table!("tracks", "id", [("id", Uuid), ("edition_id", Uuid), ("name", Text), ("name_ja", Text), ("position", Int)]),
    table!("themes", "id", [("id", Uuid), ("edition_id", Uuid), ("name", Text), ("name_ja", Text), ("position", Int)]),
    table!(
        "calls",
        "id",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("name", Text),
            ("name_ja", Text),
            ("opens_at", Timestamp),
            ("closes_at", Timestamp),
            ("settings", Text),
            ("reference_completion", Int),
            ("screened_at", Timestamp),
            ("version", Int),
        ]
    ),
    table!(
        "rubrics",
        "id",
        [
            ("id", Uuid),
            ("call_id", Uuid),
            ("session_type", Text),
            ("revision", Int),
            ("body", Text),
            ("locked_at", Timestamp),
        ]
    ),
    table!(
        "proposals",
        "(merged_into is not null), id",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("title", Text),
            ("session_type", Text),
            ("theme_id", Uuid),
            ("track_id", Uuid),
            ("description", Text),
            ("status", Text),
            ("version", Int),
        ],
        [
            ("call_id", Uuid),
            ("owner_user_id", Uuid),
            ("fields", Text),
            ("submitted_at", Timestamp),
            ("screening", Text),
            ("decision", Text),
            ("conditions", Text),
            ("merged_into", Uuid),
            ("decided_at", Timestamp),
        ]
    ),
    table!(
        "proposal_people",
        "id",
        [
            ("id", Uuid),
            ("proposal_id", Uuid),
            ("person_id", Uuid),
            ("role", Text),
            ("onsite", Bool),
            ("confirmed", Bool),
            ("position", Int),
        ],
        [("confirm_token_hash", Text)]
    ),
    table!(
        "proposal_revisions",
        "id",
        [("id", Uuid), ("proposal_id", Uuid), ("revision", Int), ("snapshot", Text), ("actor_label", Text)]
    ),
    table!(
        "call_evaluators",
        "id",
        [("id", Uuid), ("call_id", Uuid), ("user_id", Uuid), ("capacity", Int), ("themes", Text)]
    ),
    table!(
        "evaluator_assignments",
        "id",
        [("id", Uuid), ("call_id", Uuid), ("proposal_id", Uuid), ("user_id", Uuid), ("fixed", Bool)]
    ),
    table!(
        "evaluator_conflicts",
        "id",
        [("id", Uuid), ("call_id", Uuid), ("proposal_id", Uuid), ("user_id", Uuid), ("reason", Text)]
    ),
    table!(
        "evaluations",
        "id",
        [
            ("id", Uuid),
            ("proposal_id", Uuid),
            ("user_id", Uuid),
            ("rubric_id", Uuid),
            ("marks", Text),
            ("state", Text),
            ("version", Int),
            ("submitted_at", Timestamp),
        ]
    ),
    table!("committees", "id", [("id", Uuid), ("name", Text), ("name_en", Text)]),
    table!("committee_members", "id", [("id", Uuid), ("committee_id", Uuid), ("person_id", Uuid)]),
    table!("meeting_series", "id", [("id", Uuid), ("committee_id", Uuid), ("name", Text)]),
    table!(
        "meetings",
        "(approved_at is not null), id",
        [
            ("id", Uuid),
            ("series_id", Uuid),
            ("number", Int),
            ("held_on", Date),
            ("starts_at", Text),
            ("ends_at", Text),
            ("venue_kind", Text),
            ("venue_text", Text),
        ],
        [
            ("timezone", Text),
            ("venue_link", Text),
            ("chair", Text),
            ("minute_taker", Text),
            ("stated_count", Int),
            ("minutes_state", Text),
            ("approved_at", Uuid),
            ("published", Bool),
            ("version", Int),
        ]
    ),
    table!("meeting_hosts", "id", [("id", Uuid), ("meeting_id", Uuid), ("name", Text), ("position", Int)]),
    table!(
        "meeting_attendance",
        "id",
        [
            ("id", Uuid),
            ("meeting_id", Uuid),
            ("person_id", Uuid),
            ("family", Text),
            ("given", Text),
            ("affiliation", Text),
            ("position", Int),
        ]
    ),
    table!(
        "meeting_materials",
        "id",
        [
            ("id", Uuid),
            ("meeting_id", Uuid),
            ("title", Text),
            ("url", Text),
            ("file_name", Text),
            ("content_type", Text),
            ("content", Bytes),
            ("position", Int),
        ]
    ),
    table!(
        "agenda_items",
        "id",
        [
            ("id", Uuid),
            ("meeting_id", Uuid),
            ("number", Text),
            ("title", Text),
            ("timebox_min", Int),
            ("presenter", Text),
            ("recurring", Bool),
            ("reached", Bool),
            ("position", Int),
        ]
    ),
    table!(
        "minutes_revisions",
        "id",
        [
            ("id", Uuid),
            ("agenda_item_id", Uuid),
            ("revision", Int),
            ("body", Text),
            ("author_user_id", Uuid),
            ("author_label", Text),
        ]
    ),
    table!(
        "action_items",
        "id",
        [
            ("id", Uuid),
            ("series_id", Uuid),
            ("origin_meeting_id", Uuid),
            ("origin_item_id", Uuid),
            ("text", Text),
            ("due", Text),
            ("status", Text),
            ("closed_at_meeting_id", Uuid),
            ("version", Int),
        ]
    ),
    table!(
        "action_item_owners",
        "id",
        [("id", Uuid), ("action_item_id", Uuid), ("person_id", Uuid), ("name", Text), ("position", Int),]
    ),
    table!(
        "decisions",
        "id",
        [("id", Uuid), ("meeting_id", Uuid), ("agenda_item_id", Uuid), ("text", Text), ("position", Int),]
    ),
    table!("draft_agenda_items", "id", [("id", Uuid), ("meeting_id", Uuid), ("title", Text), ("position", Int)]),
    table!(
        "date_polls",
        "id",
        [
            ("id", Uuid),
            ("series_id", Uuid),
            ("drafted_at_meeting_id", Uuid),
            ("title", Text),
            ("key_person_id", Uuid),
            ("starts_at", Text),
            ("ends_at", Text),
            ("status", Text),
            ("chosen_slot_id", Uuid),
            ("created_meeting_id", Uuid),
        ]
    ),
    table!(
        "date_poll_slots",
        "id",
        [("id", Uuid), ("poll_id", Uuid), ("day", Date), ("starts_at", Text), ("ends_at", Text), ("position", Int),]
    ),
    table!("date_poll_invitees", "id", [("id", Uuid), ("poll_id", Uuid), ("person_id", Uuid), ("token_hash", Text)]),
    table!("date_poll_answers", "id", [("id", Uuid), ("slot_id", Uuid), ("person_id", Uuid), ("answer", Text)]),
    table!(
        "external_deadlines",
        "id",
        [("id", Uuid), ("series_id", Uuid), ("title", Text), ("kind", Text), ("due_on", Date), ("url", Text),]
    ),
    table!(
        "programme_sessions",
        "id",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("proposal_id", Uuid),
            ("number", Int),
            ("title", Text),
            ("kind", Text),
            ("description", Text),
            ("minutes", Int),
            ("audience", Int),
            ("needs", Text),
            ("track_id", Uuid),
            ("theme_id", Uuid),
            ("room_id", Uuid),
            ("day", Date),
            ("starts_at", Text),
            ("pinned", Bool),
            ("version", Int),
        ],
        [
            ("report", Text),
            ("reported_at", Timestamp),
            ("signup_capacity", Int),
            ("signup_taken", Int),
            ("published", Bool),
        ]
    ),
    table!(
        "programme_session_people",
        "id",
        [("id", Uuid), ("session_id", Uuid), ("person_id", Uuid), ("role", Text), ("position", Int)]
    ),
    table!("agenda_stars", "id", [("id", Uuid), ("user_id", Uuid), ("session_id", Uuid)]),
    table!(
        "programme_versions",
        "edition_id, number",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("number", Int),
            ("published_by", Text),
            ("note", Text),
            ("note_ja", Text),
            ("programme", Text),
            ("changes", Text),
        ]
    ),
    table!(
        "statistics_versions",
        "edition_id, number",
        [("id", Uuid), ("edition_id", Uuid), ("number", Int), ("published_by", Text), ("figures", Text),]
    ),
    table!(
        "registration_categories",
        "id",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("code", Text),
            ("name", Text),
            ("name_ja", Text),
            ("onsite_capacity", Int),
            ("onsite_taken", Int),
            ("position", Int),
        ]
    ),
    table!(
        "registrations",
        "id",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("user_id", Uuid),
            ("person_id", Uuid),
            ("category_id", Uuid),
            ("attendance", Text),
            ("first_time", Bool),
            ("consent", Bool),
            ("status", Text),
            ("badge_code", Text),
            ("checked_in_at", Timestamp),
            ("version", Int),
        ]
    ),
    table!("session_signups", "id", [("id", Uuid), ("session_id", Uuid), ("user_id", Uuid)]),
    table!(
        "participation_aggregates",
        "id",
        [
            ("id", Uuid),
            ("edition_key", Text),
            ("edition_name", Text),
            ("dimension", Text),
            ("category", Text),
            ("count", Int),
        ]
    ),
    table!(
        "roundtables",
        "id",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("name", Text),
            ("name_ja", Text),
            ("tables", Int),
            ("seats", Int),
            ("rounds", Int),
            ("themes", Text),
            ("version", Int),
        ]
    ),
    table!(
        "roundtable_invitees",
        "id",
        [("id", Uuid), ("roundtable_id", Uuid), ("person_id", Uuid), ("pinned_table", Int)]
    ),
    table!(
        "roundtable_seats",
        "id",
        [
            ("id", Uuid),
            ("roundtable_id", Uuid),
            ("round", Int),
            ("table_number", Int),
            ("person_id", Uuid),
            ("rapporteur", Bool),
        ]
    ),
    table!(
        "roundtable_reports",
        "id",
        [
            ("id", Uuid),
            ("roundtable_id", Uuid),
            ("round", Int),
            ("table_number", Int),
            ("theme", Text),
            ("body", Text),
            ("author_user_id", Uuid),
            ("version", Int),
        ]
    ),
    table!("calendar_feeds", "id", [("id", Uuid), ("user_id", Uuid), ("edition_id", Uuid), ("token_hash", Text)]),
    table!(
        "webhooks",
        "id",
        [
            ("id", Uuid),
            ("edition_id", Uuid),
            ("url", Text),
            ("secret", Text),
            ("events", Text),
            ("active", Bool),
            ("created_by", Uuid),
        ]
    ),
    table!(
        "webhook_deliveries",
        "id",
        [
            ("id", Uuid),
            ("webhook_id", Uuid),
            ("event", Text),
            ("body", Text),
            ("attempts", Int),
            ("next_attempt_at", Timestamp),
            ("delivered_at", Timestamp),
            ("last_status", Int),
            ("last_error", Text),
        ]
    ),
];

/// Tables that hold state derived from the others, rebuilt as they change: not backed up.
pub const NOT_BACKED_UP: &[&str] = &["search_changes"];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}
