//! The forum edition and its programme vocabulary (PRODUCT.md §3–4).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::directory::vocabulary;
use crate::problem::Problem;

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

impl ProposalStatus {
    /// The changes an organiser makes: submit a draft, take a submission back to draft, withdraw
    /// either, reopen a withdrawn one. Accepting and rejecting are the secretariat's decision.
    pub fn can_become(self, to: ProposalStatus) -> Result<(), Problem> {
        use ProposalStatus::*;
        match (self, to) {
            (Draft, Submitted) | (Submitted, Draft) | (Draft | Submitted, Withdrawn) | (Withdrawn, Draft) => Ok(()),
            _ => Err(Problem::new(
                "error-proposal-status",
                format!("a {} proposal cannot become {}", self.code(), to.code()),
            )
            .with("status", self.code())
            .with("to", to.code())),
        }
    }

    /// Whether the secretariat may decide the proposal now (or decide it again).
    pub fn may_be_decided(self) -> bool {
        matches!(self, ProposalStatus::Submitted | ProposalStatus::Accepted | ProposalStatus::Rejected)
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

/// For each of a person's sessions (a day and minutes from midnight, start and end), the
/// others it overlaps: two sessions on one day whose times intersect (one ending as the other
/// starts does not). The agenda warns of these: one cannot be in two rooms at once.
pub fn overlaps<D: PartialEq>(sessions: &[(D, i64, i64)]) -> Vec<Vec<usize>> {
    sessions
        .iter()
        .enumerate()
        .map(|(i, (day, start, end))| {
            sessions
                .iter()
                .enumerate()
                .filter(|(j, (other_day, other_start, other_end))| {
                    *j != i && other_day == day && other_start < end && start < other_end
                })
                .map(|(j, _)| j)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_overlap_only_when_their_times_on_one_day_intersect() {
        let sessions = [(1, 600, 690), (1, 660, 720), (1, 690, 750), (2, 600, 690), (1, 750, 780)];
        let found = overlaps(&sessions);
        assert_eq!(found[0], vec![1], "10:00–11:30 and 11:00–12:00");
        assert_eq!(found[1], vec![0, 2]);
        assert_eq!(found[2], vec![1], "one ending as the next starts is no overlap");
        assert!(found[3].is_empty(), "another day");
        assert!(found[4].is_empty());
    }

    #[test]
    fn organisers_move_a_proposal_only_along_its_life() {
        use ProposalStatus::*;
        let all = [Draft, Submitted, Withdrawn, Accepted, Rejected];
        let allowed =
            [(Draft, Submitted), (Submitted, Draft), (Draft, Withdrawn), (Submitted, Withdrawn), (Withdrawn, Draft)];
        for from in all {
            for to in all {
                assert_eq!(from.can_become(to).is_ok(), allowed.contains(&(from, to)), "{from} → {to}");
            }
        }
        let refusal = Accepted.can_become(Draft).unwrap_err();
        assert_eq!((refusal.arg("status"), refusal.arg("to")), (Some("accepted"), Some("draft")));
    }
}
