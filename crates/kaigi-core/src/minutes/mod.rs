//! Minutes in the conventional Japanese layout (議事録): the document as a plain structure,
//! a parser that reads existing archives ([`parse`]) and a renderer that writes the layout
//! back ([`render_markdown`]). Field names are the JSON contract of `kaigi minutes parse`.

use serde::{Deserialize, Serialize};

mod parse;
mod render;
mod state;

pub use parse::{NotMinutes, parse, truncation_signs};
pub use render::{export_items, render_markdown};
pub use state::{MinutesState, MinutesStep};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MinutesDocument {
    pub series: Option<String>,
    pub number: Option<i64>,
    /// "YYYY-MM-DD"
    pub date: Option<String>,
    /// "HH:MM"
    pub start: Option<String>,
    pub end: Option<String>,
    pub venue: Venue,
    pub hosts: Vec<String>,
    /// In listed order: the two-column table read column by column.
    pub participants: Vec<Participant>,
    /// 参加者数 as stated (a warning says so when it disagrees with the table).
    pub stated_count: Option<i64>,
    /// 司会進行
    pub chair: Option<String>,
    /// 議事録作成
    pub minute_taker: Option<String>,
    /// 資料
    pub materials: Vec<String>,
    pub items: Vec<AgendaItem>,
    /// 宿題 / Todo
    pub action_items: Vec<ActionItem>,
    pub decisions: Vec<String>,
    pub next_meeting: Option<NextMeeting>,
    /// What could not be read, kept verbatim, and disagreements found.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Venue {
    /// "onsite", "online" or "hybrid"
    pub kind: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub family: String,
    pub given: String,
    pub affiliation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// As written: "5", "5.1".
    pub number: String,
    pub title: String,
    /// From "[10 分]"; none when the heading has no time box.
    pub timebox_min: Option<i64>,
    /// The item's text up to the next numbered heading, footnotes kept.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub text: String,
    pub owners: Vec<String>,
    /// "YYYY-MM-DD", or "YYYY-MM" for "4 月中".
    pub due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NextMeeting {
    /// Full dates, the year inferred from the meeting's date.
    pub candidates: Vec<String>,
    pub start: Option<String>,
    /// 次回アジェンダ（たたき台）
    pub draft_agenda: Vec<String>,
}
