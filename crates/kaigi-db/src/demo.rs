//! Fills an empty database with the demo forum from [`kaigi_core::demo`].

use kaigi_core::access::{Grant, Role, Scope};
use kaigi_core::demo::{DEMO_PASSWORD, DemoForum};
use kaigi_core::directory::Country;
use uuid::Uuid;

use crate::accounts;
use crate::audit::{self, Actor, NOTHING};
use crate::directory::{self, PersonInput};
use crate::{Db, DbResult, new_id, now, on_db, on_tx, programme};

/// What the demo created, for the start-up message.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub edition_slug: String,
    pub logins: Vec<(String, Role)>,
    pub password: &'static str,
}

/// True when the database holds no edition, committee or person yet.
pub async fn is_empty(db: &Db) -> DbResult<bool> {
    let sql = "select (select count(*) from editions) + (select count(*) from committees) + (select count(*) from people) + (select count(*) from users)";
    let n = on_db!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await)?;
    Ok(n == 0)
}

/// Stores the demo forum in one transaction.
pub async fn seed(db: &Db, forum: &DemoForum) -> DbResult<DemoSummary> {
    // Every demo account has the same published password, so one Argon2id hash serves them
    // all; hashing it once keeps the first start of `kaigi demo` quick.
    let hash = tokio::task::spawn_blocking(|| accounts::hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| crate::DbError::Invalid(format!("demo: {e}")))??;

    let actor = Actor::system("demo");
    let mut tx = db.begin().await?;
    let now = now();

    let mut organisation_ids = Vec::with_capacity(forum.organisations.len());
    for org in &forum.organisations {
        let country = Country::parse(org.country).ok();
        organisation_ids
            .push(directory::create_organisation(&mut tx, &actor, &org.name, Some(org.group), country.as_ref()).await?);
    }
    let mut person_ids = Vec::with_capacity(forum.people.len());
    for person in &forum.people {
        let input = PersonInput {
            name: person.name.clone(),
            email: Some(person.email.clone()),
            stakeholder_group: Some(person.group),
            un_region: Some(person.region),
            country: Country::parse(person.country).ok(),
            gender: person.gender.map(str::to_owned),
            youth: person.youth,
        };
        let id = directory::create_person(&mut tx, &actor, &input).await?;
        let since = time::Date::from_calendar_date(2024, time::Month::April, 1).ok();
        if let Some(previous) = person.previous_organisation {
            let until = since.map(|d| d - time::Duration::days(1));
            let earlier = time::Date::from_calendar_date(2019, time::Month::April, 1).ok();
            directory::add_affiliation(&mut tx, &actor, id, organisation_ids[previous], None, earlier, until).await?;
        }
        directory::add_affiliation(&mut tx, &actor, id, organisation_ids[person.organisation], None, since, None)
            .await?;
        person_ids.push(id);
    }

    let edition = &forum.edition;
    let edition_id = new_id();
    let first = edition.days.first().map(|d| d.date).unwrap_or(time::Date::MIN);
    let last = edition.days.last().map(|d| d.date).unwrap_or(first);
    on_tx!(&mut tx, c => sqlx::query(
        "insert into editions (id, slug, name, name_ja, timezone, venue, starts_on, ends_on, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(edition_id).bind(edition.slug).bind(edition.name).bind(edition.name_ja).bind(edition.timezone).bind(edition.venue)
        .bind(first).bind(last).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    for day in &edition.days {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into edition_days (id, edition_id, label, day, starts_at, ends_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(new_id()).bind(edition_id).bind(&day.label).bind(day.date).bind(day.start).bind(day.end).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    for (position, room) in edition.rooms.iter().enumerate() {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into rooms (id, edition_id, name, capacity, features, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(new_id()).bind(edition_id).bind(&room.name).bind(room.capacity).bind(room.features.join(","))
            .bind(position as i64).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    let mut track_ids = Vec::new();
    for (position, (name, name_ja)) in edition.tracks.iter().enumerate() {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into tracks (id, edition_id, name, name_ja, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(id).bind(edition_id).bind(name).bind(name_ja).bind(position as i64).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        track_ids.push(id);
    }
    let mut theme_ids = Vec::new();
    for (position, (name, name_ja)) in edition.themes.iter().enumerate() {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into themes (id, edition_id, name, name_ja, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(id).bind(edition_id).bind(name).bind(name_ja).bind(position as i64).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        theme_ids.push(id);
    }
    for proposal in &forum.proposals {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into proposals (id, edition_id, title, session_type, theme_id, track_id, description, status, version, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)")
            .bind(id).bind(edition_id).bind(&proposal.title).bind(proposal.session_type.code())
            .bind(theme_ids[proposal.theme]).bind(proposal.track.map(|t| track_ids[t]))
            .bind(&proposal.description).bind(proposal.status.code()).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        for (position, p) in proposal.people.iter().enumerate() {
            on_tx!(&mut tx, c => sqlx::query(
                "insert into proposal_people (id, proposal_id, person_id, role, onsite, confirmed, position, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
                .bind(new_id()).bind(id).bind(person_ids[p.person]).bind(p.role.code()).bind(p.onsite).bind(p.confirmed)
                .bind(position as i64).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        }
    }

    let committee = &forum.committee;
    let committee_id = new_id();
    on_tx!(&mut tx, c => sqlx::query("insert into committees (id, name, name_en, created_at, updated_at) values ($1, $2, $3, $4, $4)")
        .bind(committee_id).bind(committee.name).bind(committee.name_en).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    for &member in &committee.members {
        on_tx!(&mut tx, c => sqlx::query("insert into committee_members (id, committee_id, person_id, created_at, updated_at) values ($1, $2, $3, $4, $4)")
            .bind(new_id()).bind(committee_id).bind(person_ids[member]).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    let series_id = new_id();
    on_tx!(&mut tx, c => sqlx::query("insert into meeting_series (id, committee_id, name, created_at, updated_at) values ($1, $2, $3, $4, $4)")
        .bind(series_id).bind(committee_id).bind(committee.series).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    let mut logins = Vec::new();
    for account in &forum.accounts {
        let person = &forum.people[account.person];
        let user = accounts::create_user(
            &mut tx,
            &actor,
            &account.email,
            &person.name.display,
            Some(&hash),
            Some(person_ids[account.person]),
        )
        .await?;
        let scope = match account.role {
            Role::Admin => Scope::Global,
            Role::CommitteeMember => Scope::Committee(committee_id.to_string()),
            _ => Scope::Edition(edition_id.to_string()),
        };
        accounts::grant(&mut tx, &actor, user, &Grant { role: account.role, scope }).await?;
        if account.role == Role::CommitteeMember {
            on_tx!(&mut tx, c => sqlx::query("insert into committee_members (id, committee_id, person_id, created_at, updated_at) values ($1, $2, $3, $4, $4) on conflict do nothing")
                .bind(new_id()).bind(committee_id).bind(person_ids[account.person]).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        }
        if !account.email.starts_with("evaluator") || account.email == "evaluator01@kaigi.example" {
            logins.push((account.email.clone(), account.role));
        }
    }
    let summary = serde_json::json!({
        "edition": edition.slug, "people": person_ids.len(), "proposals": forum.proposals.len(),
        "committee": committee.name, "accounts": forum.accounts.len(),
    });
    audit::record(&mut tx, &actor, "demo", &edition_id.to_string(), "seed", NOTHING, Some(&summary)).await?;
    tx.commit().await?;
    seed_meetings(db, &actor, forum).await?;
    seed_programme(db, &actor, edition_id).await?;
    Ok(DemoSummary { edition_slug: edition.slug.to_owned(), logins, password: DEMO_PASSWORD })
}

/// The draft programme: proposals accepted at screening (open forums, Day 0 events, NRI and
/// DC sessions, launches, town halls — workshops are still being evaluated) become sessions,
/// with one main session per theme and the two ceremonies pinned in Main Hall A; the
/// timetabler places the rest.
pub async fn seed_programme(db: &Db, actor: &Actor, edition: Uuid) -> DbResult<()> {
    #[derive(sqlx::FromRow)]
    struct P {
        id: Uuid,
        title: String,
        session_type: String,
        description: String,
        theme_id: Option<Uuid>,
        track_id: Option<Uuid>,
    }
    let screened = ["open-forum", "day-zero", "nri-session", "dynamic-coalition", "launch-award", "town-hall"];
    let proposals: Vec<P> = on_db!(db, pool => sqlx::query_as(
        "select id, title, session_type, description, theme_id, track_id from proposals
         where edition_id = $1 and status = 'submitted' order by created_at, id")
        .bind(edition).fetch_all(pool).await)?;
    #[derive(sqlx::FromRow)]
    struct Person {
        proposal_id: Uuid,
        person_id: Uuid,
        role: String,
    }
    let people: Vec<Person> = on_db!(db, pool => sqlx::query_as(
        "select pp.proposal_id, pp.person_id, pp.role from proposal_people pp join proposals p on p.id = pp.proposal_id
         where p.edition_id = $1 order by pp.position")
        .bind(edition).fetch_all(pool).await)?;
    let themes: Vec<(Uuid, String, Option<String>)> = on_db!(db, pool => sqlx::query_as(
        "select id, name, name_ja from themes where edition_id = $1 order by position").bind(edition).fetch_all(pool).await)?;
    let (hall, first_day, last_day): (Uuid, time::Date, time::Date) = {
        let hall = on_db!(db, pool => sqlx::query_scalar::<_, Uuid>(
            "select id from rooms where edition_id = $1 order by position limit 1").bind(edition).fetch_one(pool).await)?;
        let days: Vec<time::Date> = on_db!(db, pool => sqlx::query_scalar::<_, time::Date>(
            "select day from edition_days where edition_id = $1 order by day").bind(edition).fetch_all(pool).await)?;
        (hall, days.get(1).copied().unwrap_or(days[0]), days[days.len() - 1])
    };
    let mut tx = db.begin().await?;
    let now = now();
    let mut rng = kaigi_core::rng::SplitMix64::new(2026);
    for (i, p) in proposals.iter().enumerate().filter(|(_, p)| screened.contains(&p.session_type.as_str())) {
        on_tx!(&mut tx, c => sqlx::query("update proposals set status = 'accepted', version = version + 1, updated_at = $2 where id = $1")
            .bind(p.id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        let minutes = match p.session_type.as_str() {
            "day-zero" => 90,
            "launch-award" => 30,
            _ => 60,
        };
        let session = programme::NewSession {
            proposal_id: Some(p.id),
            title: p.title.clone(),
            kind: p.session_type.clone(),
            description: p.description.clone(),
            minutes,
            audience: 30 + (rng.below(120) as i64),
            needs: if i % 3 == 0 { vec![] } else { vec!["hybrid".into()] },
            track_id: p.track_id,
            theme_id: p.theme_id,
            pinned_at: None,
            people: people.iter().filter(|x| x.proposal_id == p.id).map(|x| (x.person_id, x.role.clone())).collect(),
        };
        programme::create_session(&mut tx, actor, edition, &session).await?;
    }
    for (theme, name, name_ja) in &themes {
        let session = programme::NewSession {
            proposal_id: None,
            title: format!("Main session: {name}"),
            kind: "main".into(),
            description: format!("{} — {}", name_ja.clone().unwrap_or_default(), name),
            minutes: 90,
            audience: 600,
            needs: vec!["hybrid".into(), "interpretation".into()],
            track_id: None,
            theme_id: Some(*theme),
            pinned_at: None,
            people: Vec::new(),
        };
        programme::create_session(&mut tx, actor, edition, &session).await?;
    }
    for (title, day, start) in
        [("Opening ceremony / 開会式", first_day, "09:00"), ("Closing ceremony / 閉会式", last_day, "16:30")]
    {
        let session = programme::NewSession {
            proposal_id: None,
            title: title.into(),
            kind: "ceremony".into(),
            description: String::new(),
            minutes: 90,
            audience: 1000,
            needs: vec!["interpretation".into()],
            track_id: None,
            theme_id: None,
            pinned_at: Some((hall, day, start.into())),
            people: Vec::new(),
        };
        programme::create_session(&mut tx, actor, edition, &session).await?;
    }
    tx.commit().await?;
    programme::solve_and_apply(db, actor, edition, std::time::Duration::from_millis(700)).await?;
    Ok(())
}

/// The id of the demo committee, for tests and the start-up message.
pub async fn first_committee(db: &Db) -> DbResult<Option<Uuid>> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, Uuid>("select id from committees order by name limit 1").fetch_optional(pool).await)?,
    )
}

/// The committee's meetings go in the way a committee's archive would: each minutes document
/// is written out in the conventional layout, read back by the parser and imported. Then the
/// year moves on: earlier minutes are approved (one published), action items are closed at
/// the meeting after, and only the last date poll is still open.
async fn seed_meetings(db: &Db, actor: &Actor, forum: &DemoForum) -> DbResult<()> {
    let mut ids = Vec::new();
    for document in &forum.committee.minutes {
        let text = kaigi_core::minutes::render_markdown(document);
        let parsed =
            kaigi_core::minutes::parse(&text).map_err(|e| crate::DbError::Invalid(format!("demo minutes: {e}")))?;
        let report = crate::meetings::import(db, actor, &parsed, None).await?;
        ids.push(report.meeting_id.ok_or(crate::DbError::NotFound("demo meeting"))?);
    }
    let mut tx = db.begin().await?;
    let now = now();
    let last = ids.len().saturating_sub(1);
    if let Some(meeting) = ids.last() {
        let series = on_tx!(&mut tx, c => sqlx::query_scalar::<_, Uuid>("select series_id from meetings where id = $1").bind(meeting).fetch_one(c).await)?;
        let deadlines = [
            ("AI 戦略に関する意見募集（パブリックコメント）", "consultation", time::Month::December, 15),
            ("IGF 2026 参加者アンケート", "survey", time::Month::December, 25),
        ];
        for (title, kind, month, day) in deadlines {
            let due =
                time::Date::from_calendar_date(2026, month, day).map_err(|e| crate::DbError::Invalid(e.to_string()))?;
            crate::polls::add_deadline(&mut tx, actor, series, title, kind, due, None).await?;
        }
    }
    for (k, id) in ids.iter().enumerate() {
        let (state, approved_at) = match k {
            _ if k == last => ("draft", None),
            _ if k + 1 == last => ("circulated", None),
            _ => ("approved", ids.get(k + 1).copied()),
        };
        on_tx!(&mut tx, c => sqlx::query("update meetings set minutes_state = $2, approved_at = $3, published = $4, updated_at = $5 where id = $1")
            .bind(id).bind(state).bind(approved_at).bind(k == 0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        if k > 0 {
            // The first action item of the meeting before was done by this one.
            on_tx!(&mut tx, c => sqlx::query(
                "update action_items set status = 'done', closed_at_meeting_id = $2, version = version + 1, updated_at = $3
                 where id = (select id from action_items where origin_meeting_id = $1 order by id limit 1)")
                .bind(ids[k - 1]).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        }
        if k < last {
            on_tx!(&mut tx, c => sqlx::query("update date_polls set status = 'closed', created_meeting_id = $2, updated_at = $3 where drafted_at_meeting_id = $1")
                .bind(id).bind(ids[k + 1]).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        }
    }
    tx.commit().await
}
