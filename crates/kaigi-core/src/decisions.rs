//! The secretariat's decision on a proposal and the rules it must keep: which proposals may be
//! decided, what each verdict needs, and the status it leaves the proposal in.

use serde::{Deserialize, Serialize};

use crate::problem::Problem;
use crate::programme::ProposalStatus;

/// What the secretariat decides: a merge accepts the proposals merged into this one as one
/// session; an acceptance on condition names the conditions the organisers must still meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Accept,
    AcceptOnCondition,
    Merge,
    Reject,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [Verdict::Accept, Verdict::AcceptOnCondition, Verdict::Merge, Verdict::Reject];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::AcceptOnCondition => "accept-on-condition",
            Verdict::Merge => "merge",
            Verdict::Reject => "reject",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Verdict::ALL.into_iter().find(|v| v.code() == code)
    }

    /// The status the decision leaves the proposal in: a merge accepts the proposals merged
    /// into it, as one session.
    pub fn status(self) -> ProposalStatus {
        match self {
            Verdict::Reject => ProposalStatus::Rejected,
            Verdict::Accept | Verdict::AcceptOnCondition | Verdict::Merge => ProposalStatus::Accepted,
        }
    }
}

/// What the rules look at when a verdict is given.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// The proposal's status now.
    pub status: ProposalStatus,
    /// Whether it was merged into another proposal (that one is decided instead).
    pub merged_away: bool,
    /// How many conditions the decision sets.
    pub conditions: usize,
    /// How many proposals are to be merged into this one.
    pub merging: usize,
}

/// Whether `verdict` may be given in `case`; the refusal says why not.
pub fn check(verdict: Verdict, case: Case) -> Result<(), Problem> {
    if !case.status.may_be_decided() {
        return Err(Problem::new(
            "error-decide-status",
            format!("a {} proposal cannot be decided", case.status.code()),
        )
        .with("status", case.status.code()));
    }
    if case.merged_away {
        return Err(Problem::new("error-decide-merged", "this proposal was merged into another one; decide that one"));
    }
    match verdict {
        Verdict::AcceptOnCondition if case.conditions == 0 => Err(Problem::new(
            "error-decide-no-conditions",
            "conditions: an acceptance on condition needs at least one condition",
        )),
        Verdict::Merge if case.merging == 0 => Err(Problem::new(
            "error-decide-nothing-to-merge",
            "merge_with: choose the proposals to merge into this one",
        )),
        _ => Ok(()),
    }
}

/// Whether a proposal may be merged into another: both of the same call, not the same one,
/// and the one merged in submitted and undecided.
pub fn may_merge(same_call: bool, same_proposal: bool, other: ProposalStatus) -> bool {
    same_call && !same_proposal && other == ProposalStatus::Submitted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(status: ProposalStatus) -> Case {
        Case { status, merged_away: false, conditions: 0, merging: 0 }
    }

    #[test]
    fn only_submitted_or_decided_proposals_are_decided() {
        use ProposalStatus::*;
        for status in [Draft, Submitted, Withdrawn, Accepted, Rejected] {
            let refused = check(Verdict::Accept, case(status)).err().map(|p| p.key);
            let expected = (!matches!(status, Submitted | Accepted | Rejected)).then_some("error-decide-status");
            assert_eq!(refused, expected, "{status}");
        }
        let merged = Case { merged_away: true, ..case(Submitted) };
        assert_eq!(check(Verdict::Reject, merged).unwrap_err().key, "error-decide-merged");
    }

    #[test]
    fn each_verdict_needs_what_it_names() {
        let submitted = case(ProposalStatus::Submitted);
        assert_eq!(check(Verdict::AcceptOnCondition, submitted).unwrap_err().key, "error-decide-no-conditions");
        assert!(check(Verdict::AcceptOnCondition, Case { conditions: 1, ..submitted }).is_ok());
        assert_eq!(check(Verdict::Merge, submitted).unwrap_err().key, "error-decide-nothing-to-merge");
        assert!(check(Verdict::Merge, Case { merging: 2, ..submitted }).is_ok());
        assert_eq!(Verdict::Merge.status(), ProposalStatus::Accepted);
        assert_eq!(Verdict::Reject.status(), ProposalStatus::Rejected);
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.code()), Some(v));
        }
        assert!(!may_merge(true, false, ProposalStatus::Accepted));
        assert!(!may_merge(true, true, ProposalStatus::Submitted));
        assert!(may_merge(true, false, ProposalStatus::Submitted));
    }
}
