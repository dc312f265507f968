//! Who may do what. Every route names the [`Permission`] it needs, and [`permits`] is the one
//! place that decides; the web layer only asks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::directory::vocabulary;

vocabulary! {
    /// What a personal API token may do, always within its holder's roles: read, or read and
    /// write.
    TokenScope {
        Read => "read",
        Write => "write",
    }
}

impl TokenScope {
    /// Whether a request with this method may go ahead: only POST, PUT, PATCH and DELETE
    /// write (no route takes any other method that changes anything).
    pub fn allows(self, method: &str) -> bool {
        self == TokenScope::Write || !matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
    }
}

vocabulary! {
    /// A role held by a user, within a scope (see [`Scope`]).
    Role {
        /// Runs the whole site: accounts, audit log, outbox, every edition and committee.
        Admin => "admin",
        /// 事務局 — the secretariat of one forum edition.
        Secretariat => "secretariat",
        /// A programme committee (MAG) member who evaluates proposals of one edition.
        Evaluator => "evaluator",
        /// Submits and runs sessions in one edition.
        Organiser => "organiser",
        /// A member of one standing committee.
        CommitteeMember => "committee-member",
        /// A registered participant of one edition.
        Participant => "participant",
    }
}

/// Where a role applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Scope {
    Global,
    Edition(String),
    Committee(String),
}

impl Scope {
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Edition(_) => "edition",
            Scope::Committee(_) => "committee",
        }
    }

    /// The scope's id, empty for the global scope (kept non-null so it can be part of a key).
    pub fn id(&self) -> &str {
        match self {
            Scope::Global => "",
            Scope::Edition(id) | Scope::Committee(id) => id,
        }
    }

    pub fn from_parts(kind: &str, id: &str) -> Option<Self> {
        match kind {
            "global" => Some(Scope::Global),
            "edition" => Some(Scope::Edition(id.to_owned())),
            "committee" => Some(Scope::Committee(id.to_owned())),
            _ => None,
        }
    }
}

/// A role in a scope.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

impl Grant {
    /// A grant whose role fits its scope: administrators are site-wide, committee members
    /// belong to a committee, every other role to an edition.
    pub fn new(role: Role, scope: Scope) -> Result<Grant, crate::problem::Problem> {
        let fits = match (&role, &scope) {
            (Role::Admin, Scope::Global) | (Role::CommitteeMember, Scope::Committee(_)) => true,
            (Role::Admin | Role::CommitteeMember, _) | (_, Scope::Global | Scope::Committee(_)) => false,
            (_, Scope::Edition(_)) => true,
        };
        if fits {
            Ok(Grant { role, scope })
        } else {
            Err(crate::problem::Problem::new(
                "invite-scope-mismatch",
                format!("the role {} does not apply to a {} scope", role.code(), scope.kind()),
            ))
        }
    }
}

/// Who is asking: nobody (the public) or a signed-in user with their grants.
#[derive(Clone, Debug, Default)]
pub struct Principal {
    pub user_id: Option<String>,
    pub grants: Vec<Grant>,
}

impl Principal {
    pub fn public() -> Self {
        Self::default()
    }

    pub fn is_signed_in(&self) -> bool {
        self.user_id.is_some()
    }

    fn has(&self, role: Role, scope: impl Fn(&Scope) -> bool) -> bool {
        self.grants.iter().any(|g| g.role == role && scope(&g.scope))
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin, |_| true)
    }

    pub fn is_secretariat_of(&self, edition: &str) -> bool {
        self.has(Role::Secretariat, |s| matches!(s, Scope::Edition(e) if e == edition))
    }

    fn is_any_secretariat(&self) -> bool {
        self.has(Role::Secretariat, |_| true)
    }

    fn is_any_committee_member(&self) -> bool {
        self.has(Role::CommitteeMember, |_| true)
    }

    pub fn is_evaluator_of(&self, edition: &str) -> bool {
        self.has(Role::Evaluator, |s| matches!(s, Scope::Edition(e) if e == edition))
    }

    pub fn is_member_of(&self, committee: &str) -> bool {
        self.has(Role::CommitteeMember, |s| matches!(s, Scope::Committee(c) if c == committee))
    }
}

/// What a route needs. Scoped permissions carry the id of the edition or committee the
/// request is about, resolved from the path before the check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user (their own account, language, agenda).
    SignedIn,
    /// Read the directory of people and organisations (personal data).
    ViewDirectory,
    /// Create, edit and merge people and organisations.
    ManageDirectory,
    /// Site administration: accounts and invitations, audit log, outbox.
    AdministerSite,
    /// Staff pages of one edition.
    ManageEdition(String),
    /// The inside of one committee (meetings, draft minutes, action items).
    CommitteeInside(String),
    /// One proposal as its organisers see it: its organisers, and its edition's secretariat.
    OrganiseProposal { edition: String, organiser: bool },
    /// One proposal to evaluate: an evaluator of its edition assigned to it, with no conflict
    /// of interest declared.
    EvaluateProposal { edition: String, assigned: bool },
    /// One roundtable table's report: the table's rapporteur, and its edition's secretariat.
    ReportTable { edition: String, rapporteur: bool },
}

/// The one decision: may `who` do what `need` asks?
pub fn permits(who: &Principal, need: &Permission) -> bool {
    // Evaluating is a personal capacity, not a power: an administrator evaluates only what
    // they were assigned, like anyone else (so no score is ever written in someone's stead).
    if who.is_admin() && !matches!(need, Permission::EvaluateProposal { .. }) {
        return true;
    }
    match need {
        Permission::Public => true,
        Permission::SignedIn => who.is_signed_in(),
        Permission::ViewDirectory => who.is_any_secretariat() || who.is_any_committee_member(),
        Permission::ManageDirectory => who.is_any_secretariat(),
        Permission::AdministerSite => false,
        Permission::ManageEdition(edition) => who.is_secretariat_of(edition),
        Permission::CommitteeInside(committee) => who.is_member_of(committee),
        Permission::OrganiseProposal { edition, organiser } => {
            who.is_signed_in() && (*organiser || who.is_secretariat_of(edition))
        }
        Permission::EvaluateProposal { edition, assigned } => {
            *assigned && (who.is_admin() || who.is_evaluator_of(edition))
        }
        Permission::ReportTable { edition, rapporteur } => {
            who.is_signed_in() && (*rapporteur || who.is_secretariat_of(edition))
        }
    }
}

/// The names of permissions as shown in the route table and the OpenAPI document.
impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Permission::Public => "public",
            Permission::SignedIn => "signed-in",
            Permission::ViewDirectory => "view-directory",
            Permission::ManageDirectory => "manage-directory",
            Permission::AdministerSite => "administer-site",
            Permission::ManageEdition(_) => "manage-edition",
            Permission::CommitteeInside(_) => "committee-inside",
            Permission::OrganiseProposal { .. } => "organise-proposal",
            Permission::EvaluateProposal { .. } => "evaluate-proposal",
            Permission::ReportTable { .. } => "report-table",
        };
        f.write_str(name)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_role_is_granted_only_in_the_scope_it_belongs_to() {
        let edition = || Scope::Edition("e1".into());
        let committee = || Scope::Committee("c1".into());
        assert!(Grant::new(Role::Admin, Scope::Global).is_ok());
        assert!(Grant::new(Role::Admin, edition()).is_err());
        assert!(Grant::new(Role::CommitteeMember, committee()).is_ok());
        assert!(Grant::new(Role::CommitteeMember, edition()).is_err());
        for role in [Role::Secretariat, Role::Evaluator, Role::Organiser, Role::Participant] {
            assert!(Grant::new(role, edition()).is_ok());
            assert!(Grant::new(role, Scope::Global).is_err());
            assert!(Grant::new(role, committee()).is_err());
        }
    }
    use super::*;

    fn with(role: Role, scope: Scope) -> Principal {
        Principal { user_id: Some("u".into()), grants: vec![Grant { role, scope }] }
    }

    #[test]
    fn the_public_sees_only_public_things() {
        let public = Principal::public();
        assert!(permits(&public, &Permission::Public));
        assert!(!permits(&public, &Permission::SignedIn));
        assert!(!permits(&public, &Permission::ViewDirectory));
    }

    #[test]
    fn secretariat_is_scoped_to_its_edition() {
        let s = with(Role::Secretariat, Scope::Edition("e1".into()));
        assert!(permits(&s, &Permission::ManageEdition("e1".into())));
        assert!(!permits(&s, &Permission::ManageEdition("e2".into())));
        assert!(permits(&s, &Permission::ManageDirectory));
        assert!(!permits(&s, &Permission::AdministerSite));
    }

    #[test]
    fn committee_members_see_only_their_committee() {
        let m = with(Role::CommitteeMember, Scope::Committee("c1".into()));
        assert!(permits(&m, &Permission::CommitteeInside("c1".into())));
        assert!(!permits(&m, &Permission::CommitteeInside("c2".into())));
        assert!(permits(&m, &Permission::ViewDirectory));
        assert!(!permits(&m, &Permission::ManageDirectory));
    }

    #[test]
    fn evaluators_and_participants_do_not_read_the_directory() {
        for role in [Role::Evaluator, Role::Organiser, Role::Participant] {
            let p = with(role, Scope::Edition("e1".into()));
            assert!(!permits(&p, &Permission::ViewDirectory), "{role}");
            assert!(permits(&p, &Permission::SignedIn));
        }
    }

    #[test]
    fn proposals_are_open_to_their_organisers_and_assigned_evaluators_only() {
        let organiser = with(Role::Organiser, Scope::Edition("e1".into()));
        let mine = Permission::OrganiseProposal { edition: "e1".into(), organiser: true };
        let theirs = Permission::OrganiseProposal { edition: "e1".into(), organiser: false };
        assert!(permits(&organiser, &mine));
        assert!(!permits(&organiser, &theirs));
        assert!(!permits(&Principal::public(), &mine), "a link alone is not enough");
        assert!(permits(&with(Role::Secretariat, Scope::Edition("e1".into())), &theirs));
        assert!(!permits(&with(Role::Secretariat, Scope::Edition("e2".into())), &theirs));
        let evaluator = with(Role::Evaluator, Scope::Edition("e1".into()));
        assert!(permits(&evaluator, &Permission::EvaluateProposal { edition: "e1".into(), assigned: true }));
        assert!(!permits(&evaluator, &Permission::EvaluateProposal { edition: "e1".into(), assigned: false }));
        let participant = with(Role::Participant, Scope::Edition("e1".into()));
        assert!(permits(&participant, &Permission::ReportTable { edition: "e1".into(), rapporteur: true }));
        assert!(!permits(&participant, &Permission::ReportTable { edition: "e1".into(), rapporteur: false }));
        assert!(permits(
            &with(Role::Secretariat, Scope::Edition("e1".into())),
            &Permission::ReportTable { edition: "e1".into(), rapporteur: false }
        ));
        assert!(!permits(&evaluator, &Permission::EvaluateProposal { edition: "e2".into(), assigned: true }));
        assert!(!permits(&organiser, &Permission::EvaluateProposal { edition: "e1".into(), assigned: true }));
    }

    #[test]
    fn admins_may_do_everything() {
        let a = with(Role::Admin, Scope::Global);
        assert!(permits(&a, &Permission::AdministerSite));
        assert!(permits(&a, &Permission::ManageEdition("any".into())));
    }

    #[test]
    fn admins_evaluate_only_what_they_were_assigned() {
        let a = with(Role::Admin, Scope::Global);
        assert!(!permits(&a, &Permission::EvaluateProposal { edition: "e1".into(), assigned: false }));
        assert!(permits(&a, &Permission::EvaluateProposal { edition: "e1".into(), assigned: true }));
    }
}
