//! Where minutes stand: 案 (draft) → 回覧中 (circulated) → 承認済み (approved, recorded at the
//! next meeting), and whether approved minutes are public. Only this machine moves them, and
//! only draft or circulated minutes take edits.

use std::fmt;
use std::str::FromStr;

use crate::problem::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinutesState {
    Draft,
    Circulated,
    Approved,
}

/// A move a committee asks for, as the meeting page's buttons name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinutesStep {
    /// Send the draft round the members (or take it back to draft).
    Circulate,
    Recall,
    /// Approved, recorded at the next meeting of the series.
    Approve,
    /// Approved minutes on the public page, or off it again.
    Publish,
    Unpublish,
    /// Approved minutes back to draft for a correction, with the reason recorded; they leave
    /// the public page.
    Reopen,
}

impl MinutesState {
    pub const ALL: [MinutesState; 3] = [MinutesState::Draft, MinutesState::Circulated, MinutesState::Approved];

    pub fn code(self) -> &'static str {
        match self {
            MinutesState::Draft => "draft",
            MinutesState::Circulated => "circulated",
            MinutesState::Approved => "approved",
        }
    }

    /// Minutes text, agenda items, attendance, materials, decisions and new action items
    /// change only before approval.
    pub fn accepts_edits(self) -> bool {
        !matches!(self, MinutesState::Approved)
    }

    /// The state after `step`, or why not. `published` is whether the minutes are public now.
    pub fn after(self, step: MinutesStep, published: bool) -> Result<MinutesState, Problem> {
        use MinutesState::*;
        use MinutesStep::*;
        match (self, step) {
            (Draft, Circulate) => Ok(Circulated),
            (Circulated, Recall) => Ok(Draft),
            (Circulated, Approve) => Ok(Approved),
            (Approved, Publish) if !published => Ok(Approved),
            (Approved, Unpublish) if published => Ok(Approved),
            (Approved, Reopen) => Ok(Draft),
            _ => Err(Problem::new(
                "minutes-state-refused",
                format!("minutes that are {} cannot be {}", self.code(), step.code()),
            )
            .with("from", self.code())
            .with("step", step.code())),
        }
    }
}

impl MinutesStep {
    pub fn code(self) -> &'static str {
        match self {
            MinutesStep::Circulate => "circulated",
            MinutesStep::Recall => "draft",
            MinutesStep::Approve => "approved",
            MinutesStep::Publish => "published",
            MinutesStep::Unpublish => "unpublished",
            MinutesStep::Reopen => "reopened",
        }
    }
}

impl FromStr for MinutesStep {
    type Err = Problem;

    /// The target the meeting page's forms send (`to=circulated` …).
    fn from_str(s: &str) -> Result<Self, Problem> {
        [
            MinutesStep::Circulate,
            MinutesStep::Recall,
            MinutesStep::Approve,
            MinutesStep::Publish,
            MinutesStep::Unpublish,
            MinutesStep::Reopen,
        ]
        .into_iter()
        .find(|step| step.code() == s)
        .ok_or_else(|| Problem::new("minutes-state-refused", format!("{s:?} is not a state of minutes")))
    }
}

impl FromStr for MinutesState {
    type Err = Problem;

    fn from_str(s: &str) -> Result<Self, Problem> {
        MinutesState::ALL
            .into_iter()
            .find(|state| state.code() == s)
            .ok_or_else(|| Problem::new("minutes-state-refused", format!("{s:?} is not a state of minutes")))
    }
}

impl fmt::Display for MinutesState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approved_minutes_move_only_by_publishing_or_reopening() {
        use MinutesStep::*;
        let approved = MinutesState::Approved;
        assert!(!approved.accepts_edits());
        assert_eq!(approved.after(Publish, false), Ok(MinutesState::Approved));
        assert!(approved.after(Publish, true).is_err(), "published twice");
        assert_eq!(approved.after(Reopen, true), Ok(MinutesState::Draft));
        for step in [Circulate, Recall, Approve] {
            assert!(approved.after(step, false).is_err(), "{step:?}");
        }
        assert!(MinutesState::Draft.after(Approve, false).is_err(), "a draft is circulated before approval");
        assert!(MinutesState::Draft.after(Publish, false).is_err(), "only approved minutes are published");
    }

    #[test]
    fn codes_read_back() {
        for state in MinutesState::ALL {
            assert_eq!(state.code().parse::<MinutesState>(), Ok(state));
        }
        assert_eq!("reopened".parse::<MinutesStep>(), Ok(MinutesStep::Reopen));
        assert!("approve".parse::<MinutesStep>().is_err());
    }
}
