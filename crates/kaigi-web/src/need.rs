//! What a route needs, as the route table states it: the permission check resolves it against
//! the path (see [`crate::auth::require`]), and the OpenAPI document reads it.

use axum::http::Method;

/// What a route needs, before it is resolved against the path (see [`auth::require`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Public,
    SignedIn,
    ViewDirectory,
    ManageDirectory,
    AdministerSite,
    /// Secretariat of the edition in the `{edition}` path parameter.
    ManageEdition,
    /// Member of the committee in the `{committee}` path parameter.
    CommitteeInside,
    /// Member of the committee whose meeting is in the `{meeting}` path parameter.
    MeetingInside,
    /// Member of the committee whose date poll is in the `{poll}` path parameter.
    PollInside,
    /// Organiser of the proposal in the `{proposal}` path parameter (or its edition's secretariat).
    OrganiseProposal,
    /// Evaluator assigned to the proposal in the `{proposal}` path parameter, without a conflict.
    EvaluateProposal,
    /// Rapporteur of the table `{table}` in round `{round}` of roundtable `{roundtable}` (or its
    /// edition's secretariat).
    ReportTable,
}

#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub need: Need,
}
