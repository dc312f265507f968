//! The evaluation of a call: its evaluators (the programme committee), the exact assignment of
//! evaluators to proposals (manual overrides and work already started stay fixed; a declared
//! conflict reassigns just that proposal), evaluations saved as drafts and submitted, the
//! progress of every evaluator, reminders, and what aggregation and similarity read.

use crate::Run;
use std::collections::{BTreeMap, HashMap, HashSet};

use kaigi_core::assignment::{self, Affinity, Instance};
use kaigi_core::conflict;
use kaigi_core::evaluation::{Entry, Marks, Scored};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, NOTHING};
use crate::calls::{self, Call};
use crate::proposals;
use crate::{Actor, Db, DbError, DbResult, Tx, new_id, now, on_db, on_tx, outbox};

/// An evaluator of a call.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Evaluator {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub person_id: Option<Uuid>,
    pub capacity: Option<i64>,
    /// Theme ids, comma-separated.
    pub themes: String,
}

pub async fn evaluators(db: &Db, call: Uuid) -> DbResult<Vec<Evaluator>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Evaluator>(
        "select u.id as user_id, u.display_name, u.email, u.person_id, ce.capacity, ce.themes
         from call_evaluators ce join users u on u.id = ce.user_id where ce.call_id = $1 order by u.email")
        .bind(call).fetch_all(pool).await)?)
}

/// Adds every user with the evaluator role for the call's edition who is not yet listed;
/// returns how many were added.
pub async fn enlist_edition_evaluators(db: &Db, actor: &Actor, call: &Call) -> DbResult<usize> {
    let users: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select g.user_id from role_grants g where g.role = 'evaluator' and g.scope_kind = 'edition' and g.scope_id = $1
         and not exists (select 1 from call_evaluators ce where ce.call_id = $2 and ce.user_id = g.user_id)")
        .bind(call.edition_id.to_string()).bind(call.id).fetch_all(pool).await)?;
    let mut tx = db.begin().await?;
    for user in &users {
        add_evaluator(&mut tx, call.id, *user, None, "").await?;
    }
    audit::record(&mut tx, actor, "call", &call.id.to_string(), "enlist evaluators", NOTHING, Some(&users.len()))
        .await?;
    tx.commit().await?;
    Ok(users.len())
}

pub async fn add_evaluator(tx: &mut Tx, call: Uuid, user: Uuid, capacity: Option<i64>, themes: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into call_evaluators (id, call_id, user_id, capacity, themes, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)
         on conflict (call_id, user_id) do update set capacity = excluded.capacity, themes = excluded.themes, updated_at = excluded.updated_at")
        .bind(new_id()).bind(call).bind(user).bind(capacity).bind(themes).bind(now())
        .rows(c).await)?;
    Ok(())
}

/// Sets one evaluator's capacity (None: the even share) and expertise (theme ids of the
/// edition). The account must be in the call's pool already or hold the evaluator role for the
/// call's edition: a user id from a form or a body never enlists an outsider.
pub async fn set_evaluator(
    db: &Db,
    actor: &Actor,
    call: &Call,
    user: Uuid,
    capacity: Option<i64>,
    themes: &[Uuid],
) -> DbResult<()> {
    if capacity.is_some_and(|c| !(0..=10_000).contains(&c)) {
        return Err(DbError::out_of_range("capacity", capacity.unwrap_or_default(), 0, 10_000));
    }
    let eligible: i64 = on_db!(db, pool => sqlx::query_scalar(
        "select count(*) from users u where u.id = $1 and (
           exists (select 1 from call_evaluators ce where ce.call_id = $2 and ce.user_id = u.id)
           or exists (select 1 from role_grants g where g.user_id = u.id and g.role = 'evaluator'
                      and g.scope_kind = 'edition' and g.scope_id = $3))")
        .bind(user).bind(call.id).bind(call.edition_id.to_string()).fetch_one(pool).await)?;
    if eligible == 0 {
        return Err(DbError::refused("error-not-an-evaluator", "user: not an evaluator of this call's edition"));
    }
    let edition_themes = crate::editions::themes(db, call.edition_id).await?;
    if let Some(stray) = themes.iter().find(|t| !edition_themes.iter().any(|theme| theme.id == **t)) {
        return Err(DbError::refused(
            "error-sub-themes-theme-id",
            format!("themes: {stray} is not a theme of this edition"),
        )
        .with("theme", stray));
    }
    let mut unique: Vec<Uuid> = Vec::new();
    for theme in themes {
        if !unique.contains(theme) {
            unique.push(*theme);
        }
    }
    let themes = unique.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",");
    let mut tx = db.begin().await?;
    add_evaluator(&mut tx, call.id, user, capacity, &themes).await?;
    audit::record(&mut tx, actor, "call_evaluator", &user.to_string(), "update", NOTHING, Some(&(capacity, &themes)))
        .await?;
    tx.commit().await
}

/// One (proposal, evaluator) pair of the stored assignment.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Assigned {
    pub proposal_id: Uuid,
    pub user_id: Uuid,
    pub fixed: bool,
}

pub async fn assignments(db: &Db, call: Uuid) -> DbResult<Vec<Assigned>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Assigned>(
        "select proposal_id, user_id, fixed from evaluator_assignments where call_id = $1 order by proposal_id, user_id")
        .bind(call).fetch_all(pool).await)?)
}

/// The proposals that are evaluated: submitted, not merged away, and through the deadline
/// screening when it has run.
pub async fn evaluated_proposals(db: &Db, call: &Call) -> DbResult<Vec<proposals::Proposal>> {
    Ok(proposals::proposals_of_call(db, call.id)
        .await?
        .into_iter()
        .filter(|p| matches!(p.status.as_str(), "submitted" | "accepted" | "rejected") && p.merged_into.is_none())
        .filter(|p| call.settings.is_evaluated(&p.fields.session_type))
        .filter(|p| p.screening.as_ref().is_none_or(|s| s.iter().all(|o| o.passed)))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Conflicts of interest (the rule is kaigi_core::conflict; this loads what it reads)

/// Marks a conflict the secretariat recorded by taking an evaluator off a proposal: the only
/// kind the secretariat may lift again by putting them back.
pub const REMOVED_BY_SECRETARIAT: &str = "removed by the secretariat";

/// What the conflict rule reads about a call: its evaluators' and proposals' people with their
/// organisations, and the declarations.
pub struct ConflictFacts {
    rule: conflict::Rule,
    evaluators: HashMap<Uuid, conflict::Person>,
    proposals: HashMap<Uuid, Vec<conflict::OnProposal>>,
    declared: HashMap<(Uuid, Uuid), String>,
}

#[derive(sqlx::FromRow)]
struct SpellRow {
    person_id: Uuid,
    organisation_id: Uuid,
    since: Option<time::Date>,
    until: Option<time::Date>,
}

fn spells_by_person(rows: Vec<SpellRow>) -> HashMap<Uuid, Vec<conflict::Spell>> {
    let mut by_person: HashMap<Uuid, Vec<conflict::Spell>> = HashMap::new();
    for r in rows {
        by_person.entry(r.person_id).or_default().push(conflict::Spell {
            organisation: r.organisation_id.to_string(),
            since: r.since,
            until: r.until,
        });
    }
    by_person
}

fn rule_of(call: &Call) -> conflict::Rule {
    conflict::Rule { today: now().date(), lookback_months: call.settings.conflict_months }
}

fn person_of(id: Option<Uuid>, spells: &HashMap<Uuid, Vec<conflict::Spell>>) -> conflict::Person {
    match id {
        Some(id) => conflict::Person { id: id.to_string(), spells: spells.get(&id).cloned().unwrap_or_default() },
        None => conflict::Person::default(),
    }
}

impl ConflictFacts {
    /// Everything about one call, for the assignment and the lists.
    pub async fn of_call(db: &Db, call: &Call) -> DbResult<Self> {
        let spells = spells_by_person(on_db!(db, pool => sqlx::query_as::<_, SpellRow>(
            "select person_id, organisation_id, since, until from affiliations").fetch_all(pool).await)?);
        let users: Vec<(Uuid, Option<Uuid>)> = on_db!(db, pool => sqlx::query_as(
            "select u.id, u.person_id from users u where u.id in (select user_id from call_evaluators where call_id = $1)
             or u.id in (select user_id from evaluator_assignments where call_id = $1)")
            .bind(call.id).fetch_all(pool).await)?;
        let people: Vec<(Uuid, Uuid, String)> = on_db!(db, pool => sqlx::query_as(
            "select pp.proposal_id, pp.person_id, pp.role from proposal_people pp join proposals p on p.id = pp.proposal_id
             where p.call_id = $1")
            .bind(call.id).fetch_all(pool).await)?;
        let declared: Vec<(Uuid, Uuid, String)> = on_db!(db, pool => sqlx::query_as(
            "select user_id, proposal_id, reason from evaluator_conflicts where call_id = $1")
            .bind(call.id).fetch_all(pool).await)?;
        let mut proposals: HashMap<Uuid, Vec<conflict::OnProposal>> = HashMap::new();
        for (proposal, person, part) in people {
            proposals
                .entry(proposal)
                .or_default()
                .push(conflict::OnProposal { person: person_of(Some(person), &spells), part });
        }
        Ok(ConflictFacts {
            rule: rule_of(call),
            evaluators: users.into_iter().map(|(u, p)| (u, person_of(p, &spells))).collect(),
            proposals,
            declared: declared.into_iter().map(|(u, p, reason)| ((u, p), reason)).collect(),
        })
    }

    /// Everything about one evaluator and one proposal, for a page that opens it.
    pub async fn of_pair(db: &Db, call: &Call, proposal: Uuid, user: Uuid) -> DbResult<Self> {
        let person: Option<Uuid> = on_db!(db, pool => sqlx::query_scalar::<_, Option<Uuid>>(
            "select person_id from users where id = $1").bind(user).fetch_optional(pool).await)?
        .flatten();
        let spells = spells_by_person(on_db!(db, pool => sqlx::query_as::<_, SpellRow>(
            "select person_id, organisation_id, since, until from affiliations
             where person_id in (select person_id from proposal_people where proposal_id = $1) or person_id = $2")
            .bind(proposal).bind(person).fetch_all(pool).await)?);
        let people: Vec<(Uuid, String)> = on_db!(db, pool => sqlx::query_as(
            "select person_id, role from proposal_people where proposal_id = $1").bind(proposal).fetch_all(pool).await)?;
        let declared: Option<String> = on_db!(db, pool => sqlx::query_scalar(
            "select reason from evaluator_conflicts where proposal_id = $1 and user_id = $2")
            .bind(proposal).bind(user).fetch_optional(pool).await)?;
        let on_it = people
            .into_iter()
            .map(|(person, part)| conflict::OnProposal { person: person_of(Some(person), &spells), part })
            .collect();
        Ok(ConflictFacts {
            rule: rule_of(call),
            evaluators: HashMap::from([(user, person_of(person, &spells))]),
            proposals: HashMap::from([(proposal, on_it)]),
            declared: declared.into_iter().map(|reason| ((user, proposal), reason)).collect(),
        })
    }

    /// The conflict between this evaluator and this proposal, declared or from the directory.
    pub fn conflict(&self, user: Uuid, proposal: Uuid) -> Option<conflict::Conflict> {
        let declared = self.declared.get(&(user, proposal)).map(String::as_str);
        self.check(user, proposal, declared)
    }

    /// The conflict that follows from the directory alone, which no declaration can lift.
    pub fn structural(&self, user: Uuid, proposal: Uuid) -> Option<conflict::Conflict> {
        self.check(user, proposal, None)
    }

    /// The reason recorded when a conflict was declared (or the evaluator taken off).
    pub fn declared(&self, user: Uuid, proposal: Uuid) -> Option<&str> {
        self.declared.get(&(user, proposal)).map(String::as_str)
    }

    fn check(&self, user: Uuid, proposal: Uuid, declared: Option<&str>) -> Option<conflict::Conflict> {
        let none = conflict::Person::default();
        let evaluator = self.evaluators.get(&user).unwrap_or(&none);
        let people = self.proposals.get(&proposal).map(Vec::as_slice).unwrap_or_default();
        self.rule.conflict(evaluator, people, declared)
    }
}

/// Why, in English (logs, the command line, the API).
pub fn conflict_words_en(c: &conflict::Conflict) -> String {
    match c {
        conflict::Conflict::OnTheProposal { part } => format!("the evaluator is on the proposal ({part})"),
        conflict::Conflict::SameOrganisation { part, .. } => {
            format!("the evaluator shares an organisation with someone on the proposal ({part})")
        }
        conflict::Conflict::Declared { reason } => format!("a conflict of interest was declared: {reason}"),
    }
}

/// A conflict as a refusal, in the reader's language.
pub fn conflict_refusal(c: &conflict::Conflict) -> DbError {
    let refusal = DbError::refused(c.key(), conflict_words_en(c));
    match c {
        conflict::Conflict::OnTheProposal { part } | conflict::Conflict::SameOrganisation { part, .. } => {
            refusal.with("part", part)
        }
        conflict::Conflict::Declared { reason } => refusal.with("reason", reason),
    }
}

/// May this user evaluate this proposal now: assigned to it, and with no conflict of
/// interest as the directory and the declarations stand at this moment.
pub async fn may_evaluate(db: &Db, proposal: &proposals::Proposal, user: Uuid) -> DbResult<bool> {
    if !is_assigned(db, proposal.id, user).await? {
        return Ok(false);
    }
    let Some(call_id) = proposal.call_id else {
        return Ok(false);
    };
    let call = calls::call(db, call_id).await?.ok_or(DbError::NotFound("call"))?;
    Ok(ConflictFacts::of_pair(db, &call, proposal.id, user).await?.conflict(user, proposal.id).is_none())
}

/// Assigned pairs of a call whose evaluator may not evaluate the proposal any more, with why.
pub async fn conflicted_assignments(db: &Db, call: &Call) -> DbResult<Vec<(Assigned, conflict::Conflict)>> {
    let facts = ConflictFacts::of_call(db, call).await?;
    Ok(assignments(db, call.id)
        .await?
        .into_iter()
        .filter_map(|a| facts.conflict(a.user_id, a.proposal_id).map(|c| (a, c)))
        .collect())
}

/// The assignment problem of a call, with the pairs that must stay (manual overrides and
/// pairs with an evaluation begun) and those that may not be used (declared conflicts).
pub struct Problem {
    pub instance: Instance,
    pub fixed: Vec<(String, String)>,
    pub excluded: Vec<(String, String)>,
    /// The capacities as set (None: the default even share, rounded up).
    pub loose: Vec<Option<usize>>,
    /// The excluded pairs that were declared (by the evaluator, or the secretariat taking
    /// someone off), as opposed to those from shared organisations.
    pub declared: Vec<(String, String)>,
    /// Every conflicted (evaluator, proposal) pair of the instance, with why.
    pub conflicts: HashMap<(String, String), conflict::Conflict>,
}

pub async fn problem(db: &Db, call: &Call) -> DbResult<Problem> {
    let proposals = evaluated_proposals(db, call).await?;
    let pool = evaluators(db, call.id).await?;
    let facts = ConflictFacts::of_call(db, call).await?;
    // Current organisations of people: the instance keeps the solver's own check on one
    // organisation per evaluator; every conflict the rule finds is an excluded pair besides.
    let affiliations: Vec<(Uuid, Uuid)> = on_db!(db, pool => sqlx::query_as(
        "select person_id, organisation_id from affiliations where until is null").fetch_all(pool).await)?;
    let mut organisations: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (person, organisation) in affiliations {
        organisations.entry(person).or_default().push(organisation.to_string());
    }
    let organisers: Vec<(Uuid, Uuid)> = on_db!(db, pool => sqlx::query_as(
        "select pp.proposal_id, pp.person_id from proposal_people pp join proposals p on p.id = pp.proposal_id
         where p.call_id = $1 and pp.role in ('organiser', 'co-organiser')")
        .bind(call.id).fetch_all(pool).await)?;
    let mut proposal_organisations: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (proposal, person) in organisers {
        proposal_organisations
            .entry(proposal)
            .or_default()
            .extend(organisations.get(&person).cloned().unwrap_or_default());
    }
    let mut excluded = Vec::new();
    let mut conflicts = HashMap::new();
    for e in &pool {
        for p in &proposals {
            if let Some(c) = facts.conflict(e.user_id, p.id) {
                let pair = (e.user_id.to_string(), p.id.to_string());
                excluded.push(pair.clone());
                conflicts.insert(pair, c);
            }
        }
    }
    let evaluators: Vec<assignment::Evaluator> = pool
        .iter()
        .map(|e| assignment::Evaluator {
            id: e.user_id.to_string(),
            organisation: e.person_id.and_then(|p| organisations.get(&p)).and_then(|o| o.first().cloned()),
            capacity: e.capacity.map(|c| c.max(0) as usize),
            themes: e.themes.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        })
        .collect();
    // Loads balanced: evaluators without a capacity of their own share what is left evenly
    // (⌊share⌋ or ⌈share⌉ each), so nobody is left idle while others carry more.
    let mut evaluators = evaluators;
    let demand = proposals.len() * call.settings.per_proposal;
    let explicit: usize = evaluators.iter().filter_map(|e| e.capacity).sum();
    let free: Vec<usize> = (0..evaluators.len()).filter(|&i| evaluators[i].capacity.is_none()).collect();
    if !free.is_empty() {
        let rest = demand.saturating_sub(explicit);
        let (base, extra) = (rest / free.len(), rest % free.len());
        for (n, &i) in free.iter().enumerate() {
            evaluators[i].capacity = Some(base + usize::from(n < extra));
        }
    }
    let loose: Vec<Option<usize>> = pool.iter().map(|e| e.capacity.map(|c| c.max(0) as usize)).collect();
    let instance_proposals: Vec<assignment::Proposal> = proposals
        .iter()
        .map(|p| assignment::Proposal {
            id: p.id.to_string(),
            organisations: proposal_organisations.get(&p.id).cloned().unwrap_or_default(),
            theme: p.fields.theme.clone(),
        })
        .collect();
    let declared: Vec<(String, String)> = facts.declared.keys().map(|(u, p)| (u.to_string(), p.to_string())).collect();
    let started: HashSet<(Uuid, Uuid)> = on_db!(db, pool => sqlx::query_as::<_, (Uuid, Uuid)>(
        "select e.user_id, e.proposal_id from evaluations e join proposals p on p.id = e.proposal_id where p.call_id = $1")
        .bind(call.id).fetch_all(pool).await)?
    .into_iter()
    .collect();
    let in_pool: HashSet<String> = evaluators.iter().map(|e| e.id.clone()).collect();
    let live: HashSet<String> = instance_proposals.iter().map(|p| p.id.clone()).collect();
    // A kept pair that has become a conflict is not kept: the secretariat sees it flagged.
    let fixed = assignments(db, call.id)
        .await?
        .into_iter()
        .filter(|a| a.fixed || started.contains(&(a.user_id, a.proposal_id)))
        .map(|a| (a.user_id.to_string(), a.proposal_id.to_string()))
        .filter(|(u, p)| in_pool.contains(u) && live.contains(p) && !conflicts.contains_key(&(u.clone(), p.clone())))
        .collect();
    Ok(Problem {
        instance: Instance {
            per_proposal: call.settings.per_proposal,
            evaluators,
            proposals: instance_proposals,
            affinity: Vec::<Affinity>::new(),
        },
        fixed,
        excluded,
        loose,
        declared,
        conflicts,
    })
}

impl Problem {
    /// Whether this evaluator may not read this proposal: one of its organisers' organisations
    /// is theirs, or a conflict was declared (or the secretariat took them off it).
    pub fn conflicted(&self, evaluator: &str, proposal: &str) -> bool {
        if self.conflicts.contains_key(&(evaluator.to_owned(), proposal.to_owned()))
            || self.excluded.iter().any(|(e, p)| e == evaluator && p == proposal)
        {
            return true;
        }
        let organisation =
            self.instance.evaluators.iter().find(|e| e.id == evaluator).and_then(|e| e.organisation.as_ref());
        let proposal = self.instance.proposals.iter().find(|p| p.id == proposal);
        matches!((organisation, proposal), (Some(o), Some(p)) if p.organisations.contains(o))
    }

    /// What is wrong with an assignment brought from outside (a previewed one posted back):
    /// unknown proposals or evaluators, or a pair in conflict.
    pub fn refuse(&self, solution: &assignment::Solution) -> Option<String> {
        for a in &solution.assignments {
            if !self.instance.proposals.iter().any(|p| p.id == a.proposal) {
                return Some(format!("{} is not a proposal evaluated in this call", a.proposal));
            }
            for e in &a.evaluators {
                if !self.instance.evaluators.iter().any(|x| &x.id == e) {
                    return Some(format!("{e} is not an evaluator of this call"));
                }
                if self.conflicted(e, &a.proposal) {
                    return Some(format!("{e} has a conflict of interest with {}", a.proposal));
                }
            }
        }
        None
    }

    /// The exact assignment with balanced loads, or, when balance makes it impossible (a
    /// conflict-heavy evaluator, a reassignment among saturated evaluators), with each
    /// evaluator's capacity only bounded above.
    pub fn solve(&self) -> Result<assignment::Solution, assignment::AssignError> {
        match assignment::solve_around(&self.instance, &self.fixed, &self.excluded) {
            Err(assignment::AssignError::Infeasible(_)) => {
                let mut loose = self.instance.clone();
                for (e, capacity) in loose.evaluators.iter_mut().zip(&self.loose) {
                    e.capacity = *capacity;
                }
                assignment::solve_around(&loose, &self.fixed, &self.excluded)
            }
            other => other,
        }
    }
}

/// What applying an assignment changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    pub added: usize,
    pub removed: usize,
    pub kept: usize,
}

/// Stores a solved assignment in one transaction: pairs not in it are removed (none that is
/// fixed or has an evaluation: those were fixed in the problem), new pairs are added. Pairs on
/// proposals the solution does not cover (outside the evaluated set, e.g. an override on a
/// proposal screened out) are not the solver's to change and stay as they are.
pub async fn apply(db: &Db, actor: &Actor, call: Uuid, solution: &assignment::Solution) -> DbResult<Applied> {
    let covered: HashSet<&str> = solution.assignments.iter().map(|a| a.proposal.as_str()).collect();
    let current: Vec<_> = assignments(db, call)
        .await?
        .into_iter()
        .filter(|a| covered.contains(a.proposal_id.to_string().as_str()))
        .collect();
    let wanted: HashSet<(Uuid, Uuid)> = solution
        .assignments
        .iter()
        .flat_map(|a| a.evaluators.iter().map(move |e| (a.proposal.clone(), e.clone())))
        .map(|(p, e)| Ok((Uuid::parse_str(&p)?, Uuid::parse_str(&e)?)))
        .collect::<Result<_, uuid::Error>>()
        .map_err(|e| DbError::refused("error-form-value", format!("assignment: {e}")).with("field", "assignment"))?;
    let have: HashSet<(Uuid, Uuid)> = current.iter().map(|a| (a.proposal_id, a.user_id)).collect();
    let mut applied = Applied::default();
    let mut tx = db.begin().await?;
    let now = now();
    for a in &current {
        if wanted.contains(&(a.proposal_id, a.user_id)) {
            applied.kept += 1;
            continue;
        }
        let begun = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(
            "select count(*) from evaluations where proposal_id = $1 and user_id = $2").bind(a.proposal_id).bind(a.user_id).fetch_one(c).await)?;
        if begun > 0 || a.fixed {
            return Err(DbError::Conflict {
                entity: "the assignment (an evaluation began or an override was made meanwhile)",
            });
        }
        on_tx!(&mut tx, c => sqlx::query("delete from evaluator_assignments where proposal_id = $1 and user_id = $2")
            .bind(a.proposal_id).bind(a.user_id).rows(c).await)?;
        applied.removed += 1;
    }
    for (proposal, user) in wanted.difference(&have) {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into evaluator_assignments (id, call_id, proposal_id, user_id, fixed, created_at, updated_at) values ($1, $2, $3, $4, false, $5, $5)")
            .bind(new_id()).bind(call).bind(*proposal).bind(*user).bind(now).rows(c).await)?;
        applied.added += 1;
    }
    audit::record(&mut tx, actor, "call", &call.to_string(), "assign", NOTHING, Some(&applied)).await?;
    tx.commit().await?;
    Ok(applied)
}

/// Solves the call's assignment exactly around what must stay.
pub async fn solve(db: &Db, call: &Call) -> DbResult<assignment::Solution> {
    let problem = problem(db, call).await?;
    crate::solver(move || problem.solve())
        .await?
        .map_err(|e| DbError::refused("error-assignment-unsolved", e.to_string()).with("detail", e))
}

/// A manual override: put an evaluator on a proposal (kept in every re-run), or take them off
/// (they are not given it again).
pub async fn override_pair(
    db: &Db,
    actor: &Actor,
    call: &Call,
    proposal: Uuid,
    user: Uuid,
    assign: bool,
) -> DbResult<()> {
    if assign {
        // Even by hand, nobody is put on a proposal they are conflicted with, whether or not
        // the proposal is among those evaluated. Only the secretariat's own taking-off can be
        // lifted by putting them back.
        let facts = ConflictFacts::of_pair(db, call, proposal, user).await?;
        if let Some(structural) = facts.structural(user, proposal) {
            return Err(conflict_refusal(&structural));
        }
        if let Some(reason) = facts.declared(user, proposal).filter(|r| *r != REMOVED_BY_SECRETARIAT) {
            return Err(DbError::refused(
                "error-assign-declared-conflict",
                format!("this evaluator declared a conflict of interest with the proposal: {reason}"),
            ));
        }
    }
    let call = call.id;
    let mut tx = db.begin().await?;
    let now = now();
    if assign {
        on_tx!(&mut tx, c => sqlx::query("delete from evaluator_conflicts where proposal_id = $1 and user_id = $2 and reason = $3")
            .bind(proposal).bind(user).bind(REMOVED_BY_SECRETARIAT).rows(c).await)?;
        on_tx!(&mut tx, c => sqlx::query(
            "insert into evaluator_assignments (id, call_id, proposal_id, user_id, fixed, created_at, updated_at) values ($1, $2, $3, $4, true, $5, $5)
             on conflict (proposal_id, user_id) do update set fixed = true, updated_at = excluded.updated_at")
            .bind(new_id()).bind(call).bind(proposal).bind(user).bind(now).rows(c).await)?;
    } else {
        on_tx!(&mut tx, c => sqlx::query("delete from evaluations where proposal_id = $1 and user_id = $2 and state = 'draft'")
            .bind(proposal).bind(user).rows(c).await)?;
        on_tx!(&mut tx, c => sqlx::query("delete from evaluator_assignments where proposal_id = $1 and user_id = $2")
            .bind(proposal).bind(user).rows(c).await)?;
        on_tx!(&mut tx, c => sqlx::query(
            "insert into evaluator_conflicts (id, call_id, proposal_id, user_id, reason, created_at, updated_at) values ($1, $2, $3, $4, $6, $5, $5)
             on conflict (proposal_id, user_id) do nothing")
            .bind(new_id()).bind(call).bind(proposal).bind(user).bind(now).bind(REMOVED_BY_SECRETARIAT).rows(c).await)?;
    }
    audit::record(
        &mut tx,
        actor,
        "evaluator_assignment",
        &proposal.to_string(),
        if assign { "assign" } else { "unassign" },
        NOTHING,
        Some(&user),
    )
    .await?;
    tx.commit().await
}

/// An evaluator declares a conflict of interest: the proposal leaves their list (with any
/// draft) and gets another evaluator at once, every other pair staying as it is.
/// The longest reason an evaluator gives for a conflict, in characters.
pub const CONFLICT_REASON_MAX: usize = 2000;

pub async fn declare_conflict(
    db: &Db,
    actor: &Actor,
    call: &Call,
    proposal: Uuid,
    user: Uuid,
    reason: &str,
) -> DbResult<Option<Uuid>> {
    let length = reason.trim().chars().count();
    if length == 0 {
        return Err(DbError::refused("error-conflict-reason", "reason: say why you cannot evaluate this proposal"));
    }
    if length > CONFLICT_REASON_MAX {
        return Err(DbError::length("reason", length, 1, CONFLICT_REASON_MAX));
    }
    let submitted = on_db!(db, pool => sqlx::query_scalar::<_, i64>(
        "select count(*) from evaluations where proposal_id = $1 and user_id = $2 and state = 'submitted'")
        .bind(proposal).bind(user).fetch_one(pool).await)?;
    if submitted > 0 {
        return Err(DbError::refused(
            "error-evaluation-submitted",
            "you have submitted this evaluation already; ask the secretariat",
        ));
    }
    let mut tx = db.begin().await?;
    let now = now();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into evaluator_conflicts (id, call_id, proposal_id, user_id, reason, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)
         on conflict (proposal_id, user_id) do update set reason = excluded.reason")
        .bind(new_id()).bind(call.id).bind(proposal).bind(user).bind(reason.trim()).bind(now).rows(c).await)?;
    on_tx!(&mut tx, c => sqlx::query("delete from evaluations where proposal_id = $1 and user_id = $2")
        .bind(proposal).bind(user).rows(c).await)?;
    on_tx!(&mut tx, c => sqlx::query("delete from evaluator_assignments where proposal_id = $1 and user_id = $2")
        .bind(proposal).bind(user).rows(c).await)?;
    audit::record(&mut tx, actor, "evaluator_conflict", &proposal.to_string(), "declare", NOTHING, Some(&reason))
        .await?;
    tx.commit().await?;
    fill_gap(db, actor, call, proposal).await
}

/// The secretariat's one click on a pair flagged as conflicted: the evaluator comes off the
/// proposal (recorded, so no re-run puts them back) and someone else takes the place.
pub async fn reassign(db: &Db, actor: &Actor, call: &Call, proposal: Uuid, user: Uuid) -> DbResult<Option<Uuid>> {
    override_pair(db, actor, call, proposal, user, false).await?;
    fill_gap(db, actor, call, proposal).await
}

/// Gives `proposal` evaluators up to the call's number, every other pair staying as it is.
/// None when nobody can take the place (the progress page shows the gap).
async fn fill_gap(db: &Db, actor: &Actor, call: &Call, proposal: Uuid) -> DbResult<Option<Uuid>> {
    let mut problem = problem(db, call).await?;
    let current = assignments(db, call.id).await?;
    problem.fixed = current.iter().map(|a| (a.user_id.to_string(), a.proposal_id.to_string())).collect();
    let live: HashSet<&str> = problem.instance.proposals.iter().map(|p| p.id.as_str()).collect();
    problem.fixed.retain(|(_, p)| live.contains(p.as_str()));
    let pool: HashSet<&str> = problem.instance.evaluators.iter().map(|e| e.id.as_str()).collect();
    problem.fixed.retain(|(u, _)| pool.contains(u.as_str()));
    // Pairs in conflict are not kept (they are flagged for the secretariat, not solved around).
    let conflicts = problem.conflicts.clone();
    problem.fixed.retain(|pair| !conflicts.contains_key(pair));
    let before: HashSet<(String, String)> = problem.fixed.iter().cloned().collect();
    let solution = match crate::solver(move || problem.solve()).await? {
        Ok(s) => s,
        // Nobody can take it: the secretariat sees the gap on the progress page.
        Err(_) => return Ok(None),
    };
    // Only this proposal gains evaluators; nothing else is touched.
    let proposal_id = proposal.to_string();
    let added: Vec<Uuid> = solution
        .assignments
        .iter()
        .filter(|a| a.proposal == proposal_id)
        .flat_map(|a| a.evaluators.iter())
        .filter(|e| !before.contains(&((*e).clone(), proposal_id.clone())))
        .filter_map(|e| Uuid::parse_str(e).ok())
        .collect();
    let mut tx = db.begin().await?;
    let now = now();
    for user in &added {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into evaluator_assignments (id, call_id, proposal_id, user_id, fixed, created_at, updated_at) values ($1, $2, $3, $4, false, $5, $5)
             on conflict (proposal_id, user_id) do nothing")
            .bind(new_id()).bind(call.id).bind(proposal).bind(*user).bind(now).rows(c).await)?;
    }
    audit::record(&mut tx, actor, "evaluator_assignment", &proposal.to_string(), "fill", NOTHING, Some(&added)).await?;
    tx.commit().await?;
    Ok(added.first().copied())
}

// ---------------------------------------------------------------------------------------------
// Evaluations

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
struct EvaluationRecord {
    id: Uuid,
    proposal_id: Uuid,
    user_id: Uuid,
    rubric_id: Uuid,
    marks: String,
    state: String,
    version: i64,
    submitted_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub id: Uuid,
    pub proposal_id: Uuid,
    pub user_id: Uuid,
    pub rubric_id: Uuid,
    pub marks: Marks,
    pub state: String,
    pub version: i64,
    pub submitted_at: Option<OffsetDateTime>,
}

impl TryFrom<EvaluationRecord> for Evaluation {
    type Error = DbError;
    fn try_from(r: EvaluationRecord) -> DbResult<Self> {
        Ok(Evaluation {
            marks: serde_json::from_str(&r.marks).map_err(|e| DbError::Internal(format!("evaluation: {e}")))?,
            id: r.id,
            proposal_id: r.proposal_id,
            user_id: r.user_id,
            rubric_id: r.rubric_id,
            state: r.state,
            version: r.version,
            submitted_at: r.submitted_at,
        })
    }
}

const EVALUATION_COLUMNS: &str = "id, proposal_id, user_id, rubric_id, marks, state, version, submitted_at";

pub async fn evaluation(db: &Db, proposal: Uuid, user: Uuid) -> DbResult<Option<Evaluation>> {
    let sql = format!("select {EVALUATION_COLUMNS} from evaluations where proposal_id = $1 and user_id = $2");
    let row: Option<EvaluationRecord> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(proposal).bind(user).fetch_optional(pool).await)?;
    row.map(Evaluation::try_from).transpose()
}

/// The submitted evaluations of a proposal, with their evaluators' names.
pub async fn submitted_for(db: &Db, proposal: Uuid) -> DbResult<Vec<(String, Evaluation)>> {
    let sql = format!(
        "select {EVALUATION_COLUMNS} from evaluations where proposal_id = $1 and state = 'submitted' order by submitted_at"
    );
    let rows: Vec<EvaluationRecord> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(proposal).fetch_all(pool).await)?;
    let mut out = Vec::new();
    for r in rows {
        let name: String = on_db!(db, pool => sqlx::query_scalar("select display_name from users where id = $1")
            .bind(r.user_id).fetch_one(pool).await)?;
        out.push((name, Evaluation::try_from(r)?));
    }
    Ok(out)
}

/// Is this user assigned to this proposal (and not in conflict with it)?
pub async fn is_assigned(db: &Db, proposal: Uuid, user: Uuid) -> DbResult<bool> {
    let n = on_db!(db, pool => sqlx::query_scalar::<_, i64>(
        "select count(*) from evaluator_assignments a where a.proposal_id = $1 and a.user_id = $2
         and not exists (select 1 from evaluator_conflicts c where c.proposal_id = a.proposal_id and c.user_id = a.user_id)")
        .bind(proposal).bind(user).fetch_one(pool).await)?;
    Ok(n > 0)
}

/// Saves an evaluation as a draft, or submits it (then every score and required comment must
/// be there). `version` is the one the form was opened at (0 for a new evaluation). The first
/// evaluation with a rubric locks it.
pub async fn save(
    db: &Db,
    actor: &Actor,
    proposal: &proposals::Proposal,
    user: Uuid,
    version: i64,
    marks: &Marks,
    submit: bool,
) -> DbResult<Evaluation> {
    if !may_evaluate(db, proposal, user).await? {
        return Err(DbError::NotFound("assignment"));
    }
    let call_id = proposal.call_id.ok_or(DbError::NotFound("call"))?;
    let existing = evaluation(db, proposal.id, user).await?;
    if existing.as_ref().is_some_and(|e| e.state == "submitted") {
        return Err(DbError::refused(
            "error-evaluation-submitted",
            "this evaluation was submitted; it can no longer change",
        ));
    }
    let rubric = match &existing {
        Some(e) => calls::rubric_revision(db, e.rubric_id).await?.ok_or(DbError::NotFound("rubric"))?,
        None => calls::rubric_for(db, call_id, &proposal.fields.session_type).await?,
    };
    let problems = rubric.rubric.problems(marks);
    // A draft may still lack scores and comments, but never holds a wrong one: no score off the
    // scale, none for a criterion the rubric does not have.
    let wrong: Vec<_> = problems
        .iter()
        .filter(|p| matches!(p.key, "error-criterion-unknown" | "error-score-off-scale"))
        .cloned()
        .collect();
    if !wrong.is_empty() {
        return Err(wrong.into());
    }
    if submit && !problems.is_empty() {
        return Err(problems.into());
    }
    let body = serde_json::to_string(marks).map_err(|e| DbError::Internal(format!("marks: {e}")))?;
    let state = if submit { "submitted" } else { "draft" };
    let mut tx = db.begin().await?;
    let now = now();
    let submitted_at = submit.then_some(now);
    match &existing {
        Some(e) => {
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "update evaluations set marks = $3, state = $4, submitted_at = $5, version = version + 1, updated_at = $6
                 where id = $1 and version = $2 and state = 'draft'")
                .bind(e.id).bind(version).bind(&body).bind(state).bind(submitted_at).bind(now).rows(c).await)?;
            if changed == 0 {
                return Err(DbError::Conflict { entity: "the evaluation" });
            }
        }
        None => {
            if version != 0 {
                return Err(DbError::Conflict { entity: "the evaluation" });
            }
            on_tx!(&mut tx, c => sqlx::query(
                "insert into evaluations (id, proposal_id, user_id, rubric_id, marks, state, version, submitted_at, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8)")
                .bind(new_id()).bind(proposal.id).bind(user).bind(rubric.id).bind(&body).bind(state).bind(submitted_at).bind(now)
                .rows(c).await)?;
            on_tx!(&mut tx, c => sqlx::query("update rubrics set locked_at = $2 where id = $1 and locked_at is null")
                .bind(rubric.id).bind(now).rows(c).await)?;
        }
    }
    audit::record(&mut tx, actor, "evaluation", &proposal.id.to_string(), state, NOTHING, Some(marks)).await?;
    if submit {
        let data = serde_json::json!({"proposal": proposal.id, "call": call_id, "evaluator": user});
        crate::webhooks::emit(
            &mut tx,
            Some(proposal.edition_id),
            kaigi_core::webhooks::Event::EvaluationSubmitted,
            &data,
        )
        .await?;
    }
    tx.commit().await?;
    evaluation(db, proposal.id, user).await?.ok_or(DbError::NotFound("evaluation"))
}

/// One line of an evaluator's list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MyAssignment {
    pub call_id: Uuid,
    pub proposal_id: Uuid,
    pub title: String,
    pub session_type: String,
    pub state: Option<String>,
}

/// The proposals an evaluator may evaluate now: assigned, and not conflicted (a pair that
/// became a conflict after assignment leaves the list until the secretariat reassigns it).
pub async fn assignments_of_user(db: &Db, user: Uuid) -> DbResult<Vec<MyAssignment>> {
    let all = on_db!(db, pool => sqlx::query_as::<_, MyAssignment>(
        "select a.call_id, a.proposal_id, p.title, p.session_type, e.state from evaluator_assignments a
         join proposals p on p.id = a.proposal_id
         left join evaluations e on e.proposal_id = a.proposal_id and e.user_id = a.user_id
         where a.user_id = $1 order by p.session_type, p.title")
        .bind(user).fetch_all(pool).await)?;
    let mut facts: HashMap<Uuid, ConflictFacts> = HashMap::new();
    let mut mine = Vec::with_capacity(all.len());
    for a in all {
        let known = match facts.entry(a.call_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(place) => {
                let call = calls::call(db, a.call_id).await?.ok_or(DbError::NotFound("call"))?;
                place.insert(ConflictFacts::of_call(db, &call).await?)
            }
        };
        if known.conflict(user, a.proposal_id).is_none() {
            mine.push(a);
        }
    }
    Ok(mine)
}

// ---------------------------------------------------------------------------------------------
// Progress

/// One evaluator's progress.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EvaluatorProgress {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub assigned: i64,
    pub submitted: i64,
    pub drafts: i64,
}

impl EvaluatorProgress {
    /// none, partial or complete.
    pub fn state(&self) -> &'static str {
        if self.assigned > 0 && self.submitted >= self.assigned {
            "complete"
        } else if self.submitted + self.drafts == 0 {
            "none"
        } else {
            "partial"
        }
    }
}

pub async fn progress(db: &Db, call: Uuid) -> DbResult<Vec<EvaluatorProgress>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, EvaluatorProgress>(
        "select u.id as user_id, u.display_name, u.email,
           (select count(*) from evaluator_assignments a where a.call_id = ce.call_id and a.user_id = u.id) as assigned,
           (select count(*) from evaluations e join evaluator_assignments a on a.proposal_id = e.proposal_id and a.user_id = e.user_id
              where a.call_id = ce.call_id and e.user_id = u.id and e.state = 'submitted') as submitted,
           (select count(*) from evaluations e join evaluator_assignments a on a.proposal_id = e.proposal_id and a.user_id = e.user_id
              where a.call_id = ce.call_id and e.user_id = u.id and e.state = 'draft') as drafts
         from call_evaluators ce join users u on u.id = ce.user_id where ce.call_id = $1 order by u.email")
        .bind(call).fetch_all(pool).await)?)
}

/// Submitted evaluations over assigned ones, in percent (None before any assignment).
pub fn completion(progress: &[EvaluatorProgress]) -> Option<f64> {
    let assigned: i64 = progress.iter().map(|p| p.assigned).sum();
    let submitted: i64 = progress.iter().map(|p| p.submitted.min(p.assigned)).sum();
    (assigned > 0).then(|| 100.0 * submitted as f64 / assigned as f64)
}

/// The previous edition's completion: measured from its call when kaigi ran it, else the
/// figure entered on this call.
pub async fn previous_completion(db: &Db, call: &Call) -> DbResult<Option<f64>> {
    let previous: Option<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select c.id from calls c join editions e on e.id = c.edition_id
         where e.starts_on < (select starts_on from editions where id = $1) order by e.starts_on desc, c.opens_at desc limit 1")
        .bind(call.edition_id).fetch_optional(pool).await)?;
    if let Some(previous) = previous
        && let Some(measured) = completion(&progress(db, previous).await?)
    {
        return Ok(Some(measured));
    }
    Ok(call.reference_completion.map(|c| c as f64))
}

/// Reminds every evaluator with work left, through the outbox; returns how many.
pub async fn remind(db: &Db, actor: &Actor, call: &Call, base_url: &str) -> DbResult<usize> {
    let progress = progress(db, call.id).await?;
    let mut tx = db.begin().await?;
    let mut sent = 0;
    let link = format!("{}/evaluations", base_url.trim_end_matches('/'));
    for p in progress.iter().filter(|p| p.submitted < p.assigned) {
        let left = p.assigned - p.submitted;
        let args = [
            ("name", p.display_name.clone()),
            ("left", left.to_string()),
            ("assigned", p.assigned.to_string()),
            ("drafts", p.drafts.to_string()),
            ("call", call.name.clone()),
            ("link", link.clone()),
        ];
        outbox::enqueue_letter(&mut tx, &p.email, "evaluation-reminder", &args).await?;
        sent += 1;
    }
    audit::record(&mut tx, actor, "call", &call.id.to_string(), "remind", NOTHING, Some(&sent)).await?;
    tx.commit().await?;
    Ok(sent)
}

// ---------------------------------------------------------------------------------------------
// What aggregation and similarity read

/// A call's ranking, as the results page, the API and the command line show it: the submitted
/// evaluations aggregated with `settings` on the scale of the call's general rubric, beside the
/// proposals ranked (by id) and that rubric.
pub struct Ranking {
    pub aggregate: kaigi_core::evaluation::Aggregate,
    pub proposals: HashMap<String, proposals::Proposal>,
    pub rubric: calls::RubricRevision,
    /// Submitted evaluations counted.
    pub evaluations: usize,
}

pub async fn ranking(db: &Db, call: &Call, settings: kaigi_core::evaluation::Settings) -> DbResult<Ranking> {
    let proposals = evaluated_proposals(db, call).await?;
    let (entries, scored) = scored_of(db, call, &proposals).await?;
    let rubric = calls::rubric_for(db, call.id, "").await?;
    let settings = kaigi_core::evaluation::Settings {
        scale_min: rubric.rubric.scale_min as f64,
        scale_max: rubric.rubric.scale_max as f64,
        ..settings
    };
    Ok(Ranking {
        aggregate: kaigi_core::evaluation::aggregate(&entries, &scored, &settings),
        proposals: proposals.into_iter().map(|p| (p.id.to_string(), p)).collect(),
        rubric,
        evaluations: scored.len(),
    })
}

/// The evaluated proposals as ranking entries (region: the first organiser's) and every
/// submitted evaluation with its weighted score.
pub async fn scored(db: &Db, call: &Call) -> DbResult<(Vec<Entry>, Vec<Scored>)> {
    let proposals = evaluated_proposals(db, call).await?;
    scored_of(db, call, &proposals).await
}

async fn scored_of(db: &Db, call: &Call, proposals: &[proposals::Proposal]) -> DbResult<(Vec<Entry>, Vec<Scored>)> {
    let regions: Vec<(Uuid, Option<String>)> = on_db!(db, pool => sqlx::query_as(
        "select pp.proposal_id, pe.un_region from proposal_people pp join people pe on pe.id = pp.person_id
         join proposals p on p.id = pp.proposal_id where p.call_id = $1 and pp.role = 'organiser' order by pp.position desc")
        .bind(call.id).fetch_all(pool).await)?;
    let region: HashMap<Uuid, Option<String>> = regions.into_iter().collect();
    let entries = proposals
        .iter()
        .map(|p| Entry {
            proposal: p.id.to_string(),
            session_type: p.fields.session_type.clone(),
            theme: p.fields.theme.clone(),
            region: region.get(&p.id).cloned().flatten(),
        })
        .collect();
    let rows: Vec<EvaluationRecord> = on_db!(db, pool => sqlx::query_as(
        "select e.id, e.proposal_id, e.user_id, e.rubric_id, e.marks, e.state, e.version, e.submitted_at
         from evaluations e join proposals p on p.id = e.proposal_id where p.call_id = $1 and e.state = 'submitted'")
        .bind(call.id).fetch_all(pool).await)?;
    let mut rubrics: HashMap<Uuid, kaigi_core::evaluation::Rubric> = HashMap::new();
    let mut scored = Vec::new();
    for row in rows {
        let e = Evaluation::try_from(row)?;
        if let std::collections::hash_map::Entry::Vacant(v) = rubrics.entry(e.rubric_id) {
            v.insert(calls::rubric_revision(db, e.rubric_id).await?.ok_or(DbError::NotFound("rubric"))?.rubric);
        }
        let rubric = &rubrics[&e.rubric_id];
        let Some(total) = rubric.weighted(&e.marks) else { continue };
        scored.push(Scored {
            proposal: e.proposal_id.to_string(),
            evaluator: e.user_id.to_string(),
            total,
            criteria: e.marks.scores.iter().map(|(k, v)| (k.clone(), *v as f64)).collect::<BTreeMap<_, _>>(),
        });
    }
    Ok((entries, scored))
}
