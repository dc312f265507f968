//! The secretariat's decisions on proposals (accept, accept on condition, merge, reject…),
//! with the letters to the organisers through the outbox.

use crate::Run;

use kaigi_core::decisions;
use kaigi_core::i18n::{self, Lang};
use kaigi_core::programme::ProposalStatus;
use kaigi_core::screening::{self, Outcome, Rule};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit;
use crate::calls::{call, json_error};
use crate::proposals::{self, Proposal, participants, people, theme_id};
use crate::screening::call_context;
use crate::{Actor, Db, DbError, DbResult, Tx, now, on_tx, outbox};

pub use kaigi_core::decisions::Verdict;

/// A decision on a proposal: conditions for an acceptance on condition, the proposals merged
/// into this one for a merge, and a note to the organisers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decision {
    pub verdict: Verdict,
    #[serde(default)]
    pub conditions: Vec<Rule>,
    #[serde(default)]
    pub merge_with: Vec<Uuid>,
    #[serde(default)]
    pub note: String,
}

/// The organisers' email addresses.
async fn organiser_emails(tx: &mut Tx, proposal: Uuid) -> DbResult<Vec<String>> {
    let emails: Vec<String> = on_tx!(tx, c => sqlx::query_scalar(
        "select distinct email from (
           select u.email from proposals p join users u on u.id = p.owner_user_id where p.id = $1
           union select pe.email from proposal_people pp join people pe on pe.id = pp.person_id
           where pp.proposal_id = $1 and pp.role in ('organiser', 'co-organiser') and pe.email is not null) x")
        .bind(proposal).fetch_all(c).await)?;
    Ok(emails)
}

/// Records a decision and tells every organiser concerned through the outbox.
pub async fn decide(db: &Db, actor: &Actor, proposal_id: Uuid, decision: &Decision, base_url: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    decide_in(&mut tx, actor, proposal_id, None, decision, base_url).await?;
    tx.commit().await
}

/// Many decisions at once (the secretariat deciding a whole call from its results), all or
/// none: the first refusal undoes the others and says which entry (`position`, from 0) and
/// which proposal it concerns. Every proposal must be of `edition`; each is listed once.
pub async fn decide_all(
    db: &Db,
    actor: &Actor,
    edition: Uuid,
    decisions: &[(Uuid, Decision)],
    base_url: &str,
) -> DbResult<usize> {
    let mut seen = std::collections::HashSet::new();
    let mut tx = db.begin().await?;
    for (position, (id, decision)) in decisions.iter().enumerate() {
        // Checked in turn, so that an unknown proposal is said to be unknown, not listed twice.
        if !seen.insert(*id) {
            return Err(DbError::refused("error-decide-twice", format!("decisions[{position}]: {id} is listed twice"))
                .with("position", position)
                .with("proposal", id));
        }
        let refusal = match decide_in(&mut tx, actor, *id, Some(edition), decision, base_url).await {
            Ok(()) => continue,
            Err(e) => e,
        };
        return Err(match refusal {
            // An id that is not a proposal of this edition is a mistake in the list, not a
            // missing page: said with its place, as any other refusal in it.
            DbError::NotFound(what) => DbError::refused(
                "error-decide-unknown",
                format!("decisions[{position}]: no {what} {id} in this edition"),
            )
            .with("position", position)
            .with("proposal", id),
            DbError::Refused(mut problems) => {
                // Which proposal, by the title a reader knows it by, leads the message.
                let title = proposals::proposal_in(&mut tx, *id).await.ok().flatten().map(|p| p.fields.title);
                for p in &mut problems {
                    p.args.push(("position", position.to_string()));
                    // An unknown proposal to merge keeps its own id.
                    if !p.args.iter().any(|(name, _)| *name == "proposal") {
                        p.args.push(("proposal", id.to_string()));
                    }
                    if let Some(title) = &title {
                        p.args.push(("where", title.clone()));
                    }
                }
                DbError::Refused(problems)
            }
            other => other,
        });
    }
    tx.commit().await?;
    Ok(decisions.len())
}

/// One decision inside `tx`: read, checked and written in the same transaction, the write
/// guarded by the version read, so two secretaries deciding at once cannot both pass the check.
async fn decide_in(
    tx: &mut Tx,
    actor: &Actor,
    proposal_id: Uuid,
    edition: Option<Uuid>,
    decision: &Decision,
    base_url: &str,
) -> DbResult<()> {
    let p = proposals::proposal_in(tx, proposal_id)
        .await?
        .filter(|p| edition.is_none_or(|e| p.edition_id == e))
        .ok_or(DbError::NotFound("proposal"))?;
    let status: ProposalStatus = p.status.parse()?;
    let case = decisions::Case {
        status,
        merged_away: p.merged_into.is_some(),
        conditions: decision.conditions.len(),
        merging: decision.merge_with.len(),
    };
    decisions::check(decision.verdict, case)?;
    let mut merged = Vec::new();
    for other in &decision.merge_with {
        let o =
            proposals::proposal_in(tx, *other).await?.filter(|o| o.edition_id == p.edition_id).ok_or_else(|| {
                DbError::refused("error-decide-unknown", format!("merge_with: no proposal {other} in this edition"))
                    .with("proposal", other)
            })?;
        let other: ProposalStatus = o.status.parse()?;
        if !decisions::may_merge(o.call_id == p.call_id, o.id == p.id, other) {
            return Err(DbError::refused(
                "error-decide-cannot-merge",
                format!("{:?} cannot be merged into this proposal", o.fields.title),
            )
            .with("title", &o.fields.title));
        }
        merged.push(o);
    }
    let in_programme: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "select number from programme_sessions where proposal_id = $1").bind(proposal_id).fetch_optional(c).await)?;
    if decision.verdict == Verdict::Reject
        && let Some(number) = in_programme
    {
        return Err(DbError::refused(
            "error-decide-in-programme",
            format!("the proposal is in the programme as session #{number}; remove it from the timetable first"),
        )
        .with("number", number));
    }
    let status = decision.verdict.status();
    let conditions = (!decision.conditions.is_empty())
        .then(|| serde_json::to_string(&decision.conditions))
        .transpose()
        .map_err(|e| json_error("conditions", e))?;
    let now = now();
    let changed = on_tx!(tx, c => sqlx::query(
        "update proposals set decision = $2, status = $3, conditions = $4, decided_at = $5, version = version + 1, updated_at = $5 where id = $1 and version = $6")
        .bind(proposal_id).bind(decision.verdict.code()).bind(status.code()).bind(&conditions).bind(now).bind(p.version)
        .rows(c).await)?;
    if changed == 0 {
        return Err(DbError::Conflict { entity: "the proposal" });
    }
    for o in &merged {
        on_tx!(tx, c => sqlx::query(
            "update proposals set decision = 'merge', status = 'accepted', merged_into = $2, decided_at = $3, version = version + 1, updated_at = $3 where id = $1")
            .bind(o.id).bind(proposal_id).bind(now).rows(c).await)?;
    }
    // An accepted proposal enters the programme as an unplaced session with everyone on it
    // (a merge brings the people of every proposal merged in).
    if status == ProposalStatus::Accepted && in_programme.is_none() {
        let mut people = Vec::new();
        for source in std::iter::once(&p).chain(&merged) {
            let rows: Vec<(Uuid, String)> = on_tx!(tx, c => sqlx::query_as(
                "select person_id, role from proposal_people where proposal_id = $1 order by position").bind(source.id).fetch_all(c).await)?;
            for row in rows {
                if !people.contains(&row) {
                    people.push(row);
                }
            }
        }
        let session = crate::programme::NewSession {
            proposal_id: Some(proposal_id),
            title: p.fields.title.clone(),
            kind: p.fields.session_type.clone(),
            description: p.fields.description.clone(),
            minutes: kaigi_core::programme::default_minutes(&p.fields.session_type),
            audience: p.fields.expected_audience.unwrap_or(50),
            needs: vec!["hybrid".into()],
            track_id: None,
            theme_id: theme_id(&p.fields)?,
            pinned_at: None,
            people,
            // A decision is not a publication: the session waits for the secretariat.
        };
        crate::programme::create_session(tx, actor, p.edition_id, &session).await?;
    }
    let link = format!("{}/proposals/{proposal_id}", base_url.trim_end_matches('/'));
    let verdict = match decision.verdict {
        Verdict::Accept => "accept",
        Verdict::AcceptOnCondition => "condition",
        Verdict::Merge => "merge",
        Verdict::Reject => "reject",
    };
    let conditions = |lang| {
        let names: Vec<String> =
            decision.conditions.iter().map(|r| i18n::t(lang, &format!("rule-kind-{}", r.code()))).collect();
        names.join(if lang == Lang::Ja { "、" } else { "; " })
    };
    let merged_titles = merged.iter().map(|o| o.fields.title.as_str()).collect::<Vec<_>>().join("; ");
    for target in std::iter::once(&p).chain(&merged) {
        for email in organiser_emails(tx, target.id).await? {
            let args = [
                ("title", target.fields.title.clone()),
                ("verdict", verdict.to_owned()),
                ("conditions_en", conditions(Lang::En)),
                ("conditions_ja", conditions(Lang::Ja)),
                ("merged", merged_titles.clone()),
                ("link", link.clone()),
                ("note", decision.note.trim().to_owned()),
            ];
            outbox::enqueue_letter(tx, &email, "decision", &args).await?;
        }
    }
    let data = serde_json::json!({
        "proposal": {"id": proposal_id, "call": p.call_id, "title": p.fields.title, "status": status.code()},
        "verdict": decision.verdict.code(),
        "conditions": decision.conditions.iter().map(|r| r.code()).collect::<Vec<_>>(),
        "merged": merged.iter().map(|o| o.id).collect::<Vec<_>>(),
    });
    crate::webhooks::emit(tx, Some(p.edition_id), kaigi_core::webhooks::Event::DecisionMade, &data).await?;
    audit::record(tx, actor, "proposal", &proposal_id.to_string(), "decide", Some(&p.decision), Some(decision)).await
}

/// The conditions of an acceptance on condition, checked against the proposal as it is now.
pub async fn condition_state(db: &Db, p: &Proposal) -> DbResult<Vec<Outcome>> {
    if p.conditions.is_empty() {
        return Ok(Vec::new());
    }
    let call_id = p.call_id.ok_or(DbError::NotFound("call"))?;
    let call = call(db, call_id).await?.ok_or(DbError::NotFound("call"))?;
    let context = call_context(db, &call).await?;
    Ok(screening::check(&p.conditions, &participants(&people(db, p.id).await?), &context))
}
