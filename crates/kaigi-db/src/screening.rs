//! Screening: a call's rules checked against a proposal while its organisers write it, and
//! at the deadline for every submitted proposal (the outcomes are stored).

use crate::Run;
use std::collections::HashMap;

use kaigi_core::screening::{self, CallContext, Outcome, Part, Participant};
use uuid::Uuid;

use crate::audit::{self, NOTHING};
use crate::calls::{Call, json_error};
use crate::proposals::{participants, people, proposals_of_call};
use crate::{Actor, Db, DbError, DbResult, now, on_db, on_tx};

/// What the rules need to know about the whole call: who speaks how often, who is on the
/// programme committee (the call's evaluators), and who owes last edition's session report.
pub async fn call_context(db: &Db, call: &Call) -> DbResult<CallContext> {
    let rows: Vec<(Uuid, Uuid, String)> = on_db!(db, pool => sqlx::query_as(
        "select pp.proposal_id, pp.person_id, pp.role from proposal_people pp join proposals p on p.id = pp.proposal_id
         where p.call_id = $1 and p.status in ('draft', 'submitted', 'accepted')")
        .bind(call.id).fetch_all(pool).await)?;
    let mut context = CallContext::default();
    let mut on_stage: HashMap<Uuid, Vec<Participant>> = HashMap::new();
    for (proposal, person, role) in rows {
        if let Some(part) = Part::parse(&role) {
            on_stage.entry(proposal).or_default().push(Participant {
                person: person.to_string(),
                name: String::new(),
                part,
                onsite: false,
                confirmed: false,
                gender: None,
                group: None,
                region: None,
            });
        }
    }
    context.count_speaking(on_stage.values().map(Vec::as_slice));
    let committee: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select u.person_id from call_evaluators ce join users u on u.id = ce.user_id where ce.call_id = $1 and u.person_id is not null")
        .bind(call.id).fetch_all(pool).await)?;
    context.committee = committee.into_iter().map(|p| p.to_string()).collect();
    // The previous edition: the latest one that started before this one.
    let missing: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select distinct sp.person_id from programme_session_people sp join programme_sessions s on s.id = sp.session_id
         where sp.role in ('organiser', 'co-organiser') and s.report is null and s.edition_id = (
           select e.id from editions e where e.starts_on < (select starts_on from editions where id = $1)
           order by e.starts_on desc limit 1)")
        .bind(call.edition_id).fetch_all(pool).await)?;
    context.missing_reports = missing.into_iter().map(|p| p.to_string()).collect();
    Ok(context)
}

/// The call's rules checked against a proposal as it is now.
pub async fn screen(db: &Db, call: &Call, proposal: Uuid) -> DbResult<Vec<Outcome>> {
    let context = call_context(db, call).await?;
    let people = participants(&people(db, proposal).await?);
    let session_type: String = on_db!(db, pool => sqlx::query_scalar("select session_type from proposals where id = $1")
        .bind(proposal).fetch_one(pool).await)?;
    Ok(screening::check(call.settings.rules_for(&session_type), &people, &context))
}

/// The deadline screening: every submitted proposal's outcomes are stored, once the call has
/// closed. Returns (screened, failed).
pub async fn screen_at_deadline(db: &Db, actor: &Actor, call: &Call) -> DbResult<(usize, usize)> {
    if call.is_open(now()) || call.opens_at > now() {
        return Err(DbError::refused(
            "error-screening-before-deadline",
            format!("the call closes at {}; screening runs after the deadline", call.closes_at),
        ));
    }
    let context = call_context(db, call).await?;
    let proposals = proposals_of_call(db, call.id).await?;
    let mut tx = db.begin().await?;
    let (mut screened, mut failed) = (0, 0);
    for p in proposals.iter().filter(|p| p.status == "submitted") {
        let outcomes = screening::check(
            call.settings.rules_for(&p.fields.session_type),
            &participants(&people(db, p.id).await?),
            &context,
        );
        let body = serde_json::to_string(&outcomes).map_err(|e| json_error("screening", e))?;
        on_tx!(&mut tx, c => sqlx::query("update proposals set screening = $2 where id = $1")
            .bind(p.id).bind(&body).rows(c).await)?;
        screened += 1;
        if !screening::all_pass(&outcomes) {
            failed += 1;
        }
    }
    on_tx!(&mut tx, c => sqlx::query("update calls set screened_at = $2 where id = $1").bind(call.id).bind(now())
        .rows(c).await)?;
    audit::record(&mut tx, actor, "call", &call.id.to_string(), "screen", NOTHING, Some(&(screened, failed))).await?;
    tx.commit().await?;
    Ok((screened, failed))
}
