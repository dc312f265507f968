//! The forum edition and its programme vocabulary (PRODUCT.md §3–4).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::directory::vocabulary;

vocabulary! {
    /// The kinds of session an IGF edition runs.
    SessionType {
        Workshop => "workshop",
        OpenForum => "open-forum",
        DynamicCoalition => "dynamic-coalition",
        NriSession => "nri-session",
        DayZero => "day-zero",
        LightningTalk => "lightning-talk",
        LaunchAward => "launch-award",
        TownHall => "town-hall",
        /// Organised by the committee itself, one per sub-theme.
        Main => "main",
    }
}

vocabulary! {
    /// Where a meeting or session takes place.
    VenueKind {
        Onsite => "onsite",
        Online => "online",
        Hybrid => "hybrid",
    }
}

vocabulary! {
    /// What a person does in a proposal or session.
    ParticipationRole {
        Organiser => "organiser",
        Moderator => "moderator",
        Speaker => "speaker",
    }
}

vocabulary! {
    /// Where a proposal is in its life.
    ProposalStatus {
        Draft => "draft",
        Submitted => "submitted",
        Withdrawn => "withdrawn",
        Accepted => "accepted",
        Rejected => "rejected",
    }
}

/// How long a session of this kind runs unless the secretariat says otherwise (minutes).
pub fn default_minutes(kind: &str) -> i64 {
    match kind {
        "day-zero" | "main" | "ceremony" => 90,
        "launch-award" | "lightning-talk" => 30,
        _ => 60,
    }
}
