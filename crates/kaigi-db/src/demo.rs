//! Fills an empty database with the demo forum from [`kaigi_core::demo`].

use crate::Run;
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
        .map_err(|e| crate::DbError::Internal(format!("demo: {e}")))??;

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
        .bind(first).bind(last).bind(now).rows(c).await)?;
    for day in &edition.days {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into edition_days (id, edition_id, label, day, starts_at, ends_at, breaks, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, '13:00-14:00', $7, $7)")
            .bind(new_id()).bind(edition_id).bind(&day.label).bind(day.date).bind(day.start).bind(day.end).bind(now).rows(c).await)?;
    }
    for (position, room) in edition.rooms.iter().enumerate() {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into rooms (id, edition_id, name, capacity, features, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(new_id()).bind(edition_id).bind(&room.name).bind(room.capacity).bind(room.features.join(","))
            .bind(position as i64).bind(now).rows(c).await)?;
    }
    let mut track_ids = Vec::new();
    for (position, (name, name_ja)) in edition.tracks.iter().enumerate() {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into tracks (id, edition_id, name, name_ja, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(id).bind(edition_id).bind(name).bind(name_ja).bind(position as i64).bind(now).rows(c).await)?;
        track_ids.push(id);
    }
    let mut theme_ids = Vec::new();
    for (position, (name, name_ja)) in edition.themes.iter().enumerate() {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into themes (id, edition_id, name, name_ja, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(id).bind(edition_id).bind(name).bind(name_ja).bind(position as i64).bind(now).rows(c).await)?;
        theme_ids.push(id);
    }
    for proposal in &forum.proposals {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into proposals (id, edition_id, title, session_type, theme_id, track_id, description, status, version, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)")
            .bind(id).bind(edition_id).bind(&proposal.title).bind(proposal.session_type.code())
            .bind(theme_ids[proposal.theme]).bind(proposal.track.map(|t| track_ids[t]))
            .bind(&proposal.description).bind(proposal.status.code()).bind(now).rows(c).await)?;
        for (position, p) in proposal.people.iter().enumerate() {
            on_tx!(&mut tx, c => sqlx::query(
                "insert into proposal_people (id, proposal_id, person_id, role, onsite, confirmed, position, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
                .bind(new_id()).bind(id).bind(person_ids[p.person]).bind(p.role.code()).bind(p.onsite).bind(p.confirmed)
                .bind(position as i64).bind(now).rows(c).await)?;
        }
    }

    let committee = &forum.committee;
    let committee_id = new_id();
    on_tx!(&mut tx, c => sqlx::query("insert into committees (id, name, name_en, created_at, updated_at) values ($1, $2, $3, $4, $4)")
        .bind(committee_id).bind(committee.name).bind(committee.name_en).bind(now).rows(c).await)?;
    for &member in &committee.members {
        on_tx!(&mut tx, c => sqlx::query("insert into committee_members (id, committee_id, person_id, created_at, updated_at) values ($1, $2, $3, $4, $4)")
            .bind(new_id()).bind(committee_id).bind(person_ids[member]).bind(now).rows(c).await)?;
    }
    let series_id = new_id();
    on_tx!(&mut tx, c => sqlx::query("insert into meeting_series (id, committee_id, name, created_at, updated_at) values ($1, $2, $3, $4, $4)")
        .bind(series_id).bind(committee_id).bind(committee.series).bind(now).rows(c).await)?;
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
                .bind(new_id()).bind(committee_id).bind(person_ids[account.person]).bind(now).rows(c).await)?;
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
    let extras: Vec<programme::NewSession> = forum
        .sessions
        .iter()
        .map(|s| programme::NewSession {
            proposal_id: None,
            title: s.title.clone(),
            kind: s.kind.into(),
            description: s.description.clone(),
            minutes: s.minutes,
            audience: 40,
            needs: Vec::new(),
            track_id: s.track.map(|t| track_ids[t]),
            theme_id: Some(theme_ids[s.theme]),
            pinned_at: None,
            people: s
                .people
                .iter()
                .enumerate()
                .map(|(k, &p)| (person_ids[p], if k == 0 { "moderator" } else { "speaker" }.to_owned()))
                .collect(),
        })
        .collect();
    seed_programme(db, &actor, edition_id, &extras).await?;
    seed_earlier_edition(db, &actor, edition_id).await?;
    seed_calls(db, &actor, edition_id).await?;
    seed_registrations(db, &actor, edition_id).await?;
    seed_roundtable(db, &actor, edition_id).await?;
    Ok(DemoSummary { edition_slug: edition.slug.to_owned(), logins, password: DEMO_PASSWORD })
}

/// The draft programme: proposals accepted at screening (open forums, Day 0 events, NRI and
/// DC sessions, launches, town halls — workshops are still being evaluated) become sessions,
/// with one main session per theme and the two ceremonies pinned in Main Hall A; the
/// timetabler places the rest.
/// Enough for the timetabler to place all of the demo's 259 sessions without a clash.
const DEMO_SOLVER_STEPS: u64 = 50_000;

pub async fn seed_programme(db: &Db, actor: &Actor, edition: Uuid, extras: &[programme::NewSession]) -> DbResult<()> {
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
            .bind(p.id).bind(now).rows(c).await)?;
        let minutes = kaigi_core::programme::default_minutes(&p.session_type);
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
    for session in extras {
        programme::create_session(&mut tx, actor, edition, session).await?;
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
    // Steps, not seconds: the demo is the same forum on a fast machine and a loaded one.
    programme::solve_and_apply(db, actor, edition, kaigi_core::budget::Budget::Steps(DEMO_SOLVER_STEPS)).await?;
    let first =
        crate::publishing::Note { en: "The first programme.".into(), ja: "最初のプログラムです。".into() };
    crate::publishing::publish(db, actor, edition, None, &first).await?;
    // A second version, so the changelog has something to show: one session renamed, and a
    // speaker who can no longer come taken off another.
    let sessions = programme::sessions(db, edition).await?;
    let mut tx = db.begin().await?;
    let now = crate::now();
    if let Some(s) = sessions.iter().find(|s| s.proposal_id.is_some() && s.day.is_some()) {
        on_tx!(&mut tx, c => sqlx::query("update programme_sessions set title = $2, version = version + 1, updated_at = $3 where id = $1")
            .bind(s.id).bind(format!("{} (updated title)", s.title)).bind(now).rows(c).await)?;
    }
    let people = programme::people(db, edition).await?;
    let crowded = sessions.iter().rev().find(|s| people.iter().filter(|p| p.session_id == s.id).count() > 2);
    if let Some(s) = crowded
        && let Some(leaving) = people.iter().rev().find(|p| p.session_id == s.id)
    {
        on_tx!(&mut tx, c => sqlx::query("delete from programme_session_people where session_id = $1 and person_id = $2")
            .bind(s.id).bind(leaving.person_id).rows(c).await)?;
    }
    on_tx!(&mut tx, c => sqlx::query("update editions set schedule_version = schedule_version + 1 where id = $1")
        .bind(edition).rows(c).await)?;
    tx.commit().await?;
    let second = crate::publishing::Note {
        en: "One title corrected; one speaker can no longer attend.".into(),
        ja: "タイトルを1件修正しました。登壇者1名が参加できなくなりました。".into(),
    };
    crate::publishing::publish(db, actor, edition, None, &second).await?;
    // And the secretariat is at work on the next one: a correction not yet published.
    if let Some(s) = sessions.iter().filter(|s| s.proposal_id.is_some() && s.day.is_some()).nth(1) {
        on_db!(db, pool => sqlx::query(
            "update programme_sessions set title = $2, version = version + 1, updated_at = $3 where id = $1")
            .bind(s.id).bind(format!("{} — a draft correction", s.title)).bind(now).rows(pool).await)?;
        on_db!(db, pool => sqlx::query("update editions set schedule_version = schedule_version + 1 where id = $1")
            .bind(edition).rows(pool).await)?;
    }
    Ok(())
}

/// Last year's edition, as kaigi holds a past edition: its programme imported from the
/// schedule it published (frab XML, as `kaigi import` reads it) and published as its first
/// version, with speakers matched to the directory. For the demo it is this year's programme
/// a year (52 weeks, so the weekdays stay) earlier, without the sessions still being changed.
pub async fn seed_earlier_edition(db: &Db, actor: &Actor, edition: Uuid) -> DbResult<()> {
    let Some(this_year) = crate::editions::edition_by_id(db, edition).await? else { return Ok(()) };
    let Some(latest) = crate::publishing::latest(db, edition).await? else { return Ok(()) };
    let mut export = crate::publishing::frab(&latest, &this_year, "https://kaigi.example");
    let year = this_year.starts_on.year() - 1;
    export.title = format!("IGF {year} (demo)");
    export.acronym = format!("igf_{year}");
    for day in &mut export.days {
        day.date -= time::Duration::weeks(52);
        for (_, _, events) in &mut day.rooms {
            events.retain(|e| e.id % 5 != 0);
        }
    }
    let schedule = kaigi_core::frab::parse_xml(&kaigi_core::frab::write_xml(&export))
        .map_err(|e| crate::DbError::Internal(format!("demo: last year's schedule: {e}")))?;
    crate::publishing::import_published(db, actor, &schedule, &format!("igf-{year}")).await?;
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
            kaigi_core::minutes::parse(&text).map_err(|e| crate::DbError::Internal(format!("demo minutes: {e}")))?;
        let report = crate::minutes::import(db, actor, &parsed, &Default::default()).await?;
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
            let due = time::Date::from_calendar_date(2026, month, day)
                .map_err(|e| crate::DbError::Internal(e.to_string()))?;
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
            .bind(id).bind(state).bind(approved_at).bind(k == 0).bind(now).rows(c).await)?;
        if k > 0 {
            // The first action item of the meeting before was done by this one.
            on_tx!(&mut tx, c => sqlx::query(
                "update action_items set status = 'done', closed_at_meeting_id = $2, version = version + 1, updated_at = $3
                 where id = (select id from action_items where origin_meeting_id = $1 order by id limit 1)")
                .bind(ids[k - 1]).bind(id).bind(now).rows(c).await)?;
        }
        if k < last {
            on_tx!(&mut tx, c => sqlx::query("update date_polls set status = 'closed', created_meeting_id = $2, updated_at = $3 where drafted_at_meeting_id = $1")
                .bind(id).bind(ids[k + 1]).bind(now).rows(c).await)?;
        }
    }
    tx.commit().await
}

/// Words for the fields the generated proposals leave empty, by session type.
fn demo_fields(session_type: &str, k: usize) -> serde_json::Value {
    let questions = [
        "How can governments, business and civil society share the governance of AI without fragmenting the Internet?",
        "What does meaningful connectivity require in rural areas, and who should pay for it?",
        "How should cross-border data flows be governed to protect rights and enable trade?",
        "What role should the IGF play after WSIS+20?",
    ];
    let formats = [
        "Roundtable: short opening statements, then open discussion with the room and online participants.",
        "Panel with a moderated Q&A; one third of the time for questions from the floor.",
        "Interactive breakout groups that report back in the last 15 minutes.",
    ];
    serde_json::json!({
        "policy_questions": questions[k % questions.len()],
        "format": if session_type == "lightning-talk" { "A 10-minute talk and questions." } else { formats[k % formats.len()] },
        "expected_audience": 40 + (k % 5) * 20,
        "hybrid_plan": "Online speakers join through the venue's hybrid system; an online moderator brings remote questions into the room.",
        "links": "",
    })
}

/// The demo's calls: the main call closed, screened and under evaluation — about 73 % done,
/// nine of forty evaluators with nothing done, as in the seed — and a late call for lightning
/// talks and launches that is open (for 60 days from when the demo was made).
pub async fn seed_calls(db: &Db, actor: &Actor, edition: Uuid) -> DbResult<()> {
    use kaigi_core::calls::CallSettings;
    use kaigi_core::evaluation::Marks;
    use kaigi_core::programme::SessionType;
    use time::macros::datetime;

    let main = crate::calls::CallInput {
        name: "IGF 2026 call for session proposals".into(),
        name_ja: Some("IGF 2026 セッション提案募集".into()),
        opens_at: datetime!(2026-03-02 00:00 UTC),
        closes_at: datetime!(2026-04-30 14:59 UTC),
        settings: CallSettings::igf_defaults(),
        reference_completion: Some(70),
    };
    // Created while open (so its proposals are the call's), then closed by its dates.
    let main_id = crate::calls::create_call(db, actor, edition, &main).await?;
    let organiser: Option<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select id from users where email = 'organiser@kaigi.example'").fetch_optional(pool).await)?;
    let proposals: Vec<(Uuid, String, String)> = on_db!(db, pool => sqlx::query_as(
        "select id, session_type, status from proposals where edition_id = $1 order by created_at, id").bind(edition).fetch_all(pool).await)?;
    let mut tx = db.begin().await?;
    let at = datetime!(2026-04-20 09:00 UTC);
    for (k, (id, session_type, status)) in proposals.iter().enumerate() {
        let decided = status == "accepted";
        on_tx!(&mut tx, c => sqlx::query(
            "update proposals set call_id = $2, fields = $3, submitted_at = $4, decision = $5, decided_at = $6,
             owner_user_id = case when $7 then $8 else owner_user_id end where id = $1")
            .bind(*id).bind(main_id).bind(demo_fields(session_type, k).to_string()).bind((status != "draft").then_some(at))
            .bind(decided.then_some("accept")).bind(decided.then_some(at)).bind(k == 0).bind(organiser)
            .rows(c).await)?;
    }
    let evaluators: Vec<(Uuid, Option<Uuid>)> = on_db!(db, pool => sqlx::query_as(
        "select u.id, u.person_id from users u join role_grants g on g.user_id = u.id
         where g.role = 'evaluator' and g.scope_id = $1 order by u.email").bind(edition.to_string()).fetch_all(pool).await)?;
    let themes: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select id from themes where edition_id = $1 order by position").bind(edition).fetch_all(pool).await)?;
    for (i, (user, _)) in evaluators.iter().enumerate() {
        let expertise = format!("{},{}", themes[i % themes.len()], themes[(i * 3 + 1) % themes.len()]);
        crate::evaluation::add_evaluator(&mut tx, main_id, *user, None, &expertise).await?;
    }
    tx.commit().await?;
    let call = crate::calls::call(db, main_id).await?.ok_or(crate::DbError::NotFound("demo call"))?;
    crate::screening::screen_at_deadline(db, actor, &call).await?;
    let call = crate::calls::call(db, main_id).await?.ok_or(crate::DbError::NotFound("demo call"))?;
    let solution = crate::evaluation::solve(db, &call).await?;
    crate::evaluation::apply(db, actor, main_id, &solution).await?;

    // Evaluations: each proposal has a quality, each evaluator a harshness; the hybrid plan
    // gets a 4 from nearly everyone (every session is hybrid: the criterion tells nothing).
    let rubric = crate::calls::rubric_for(db, main_id, "workshop").await?;
    let mut rng = kaigi_core::rng::SplitMix64::new(73);
    let quality: std::collections::HashMap<Uuid, f64> =
        proposals.iter().map(|(id, _, _)| (*id, 1.6 + 3.2 * (rng.below(1000) as f64 / 1000.0))).collect();
    let assigned = crate::evaluation::assignments(db, main_id).await?;
    let notes = [
        "Clear policy questions; the speaker list could be more diverse.",
        "話題はタイムリーだが、参加型の工夫をもう少し具体的に。",
        "Strong format. Consider a speaker from the Global South.",
        "他の提案と内容が近いので、合同セッションも検討を。",
    ];
    let mut tx = db.begin().await?;
    let now = now();
    for (i, (user, _)) in evaluators.iter().enumerate() {
        // Nine evaluators did nothing; five stopped part way; the rest finished.
        let mine: Vec<&crate::evaluation::Assigned> = assigned.iter().filter(|a| a.user_id == *user).collect();
        let (submit, draft) = match i {
            0..=8 => (0, 0),
            9..=13 => (mine.len() * (6 + i % 4) / 10, 1),
            _ => (mine.len(), 0),
        };
        let harshness = (i % 5) as f64 * 0.35 - 0.7;
        for (j, a) in mine.iter().enumerate().take(submit + draft) {
            let q = quality.get(&a.proposal_id).copied().unwrap_or(3.0);
            let mut marks = Marks::default();
            for c in &rubric.rubric.criteria {
                let noise = (rng.below(1000) as f64 / 1000.0 - 0.5) * 1.4;
                let score =
                    if c.id == "hybrid" { if rng.chance(0.9) { 4.0 } else { 5.0 } } else { q + harshness + noise };
                marks.scores.insert(c.id.clone(), score.round().clamp(1.0, 5.0) as i64);
            }
            marks.comments.insert("notes".into(), notes[(i + j) % notes.len()].into());
            let state = if j < submit { "submitted" } else { "draft" };
            on_tx!(&mut tx, c => sqlx::query(
                "insert into evaluations (id, proposal_id, user_id, rubric_id, marks, state, version, submitted_at, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8)")
                .bind(new_id()).bind(a.proposal_id).bind(*user).bind(rubric.id)
                .bind(serde_json::to_string(&marks).unwrap_or_default()).bind(state)
                .bind((state == "submitted").then_some(now)).bind(now)
                .rows(c).await)?;
        }
    }
    on_tx!(&mut tx, c => sqlx::query("update rubrics set locked_at = $2 where id = $1").bind(rubric.id).bind(now)
        .rows(c).await)?;
    tx.commit().await?;

    let late = crate::calls::CallInput {
        name: "Late call: lightning talks and launches".into(),
        name_ja: Some("追加募集：ライトニングトークと発表".into()),
        opens_at: now - time::Duration::days(10),
        closes_at: now + time::Duration::days(60),
        settings: CallSettings {
            session_types: vec![SessionType::LightningTalk, SessionType::LaunchAward],
            evaluated_types: vec![SessionType::LightningTalk],
            rules: vec![kaigi_core::screening::Rule::MinConfirmedSpeakers { n: 1 }],
            screened_types: Vec::new(),
            per_proposal: 2,
            ..CallSettings::igf_defaults()
        },
        reference_completion: None,
    };
    let late_id = crate::calls::create_call(db, actor, edition, &late).await?;
    let late_call = crate::calls::call(db, late_id).await?.ok_or(crate::DbError::NotFound("demo call"))?;
    crate::evaluation::enlist_edition_evaluators(db, actor, &late_call).await?;
    Ok(())
}

/// The demo's registrations: four categories, most of the directory registered (onsite or
/// online, some without consent to statistics), two sessions with sign-up, and two past
/// editions' figures as if imported from their published reports (invented for the demo).
pub async fn seed_registrations(db: &Db, actor: &Actor, edition: Uuid) -> DbResult<()> {
    use crate::registration::{self, CategoryInput, RegistrationInput};
    use kaigi_core::participation::{AggregateRow, Attendance, Dimension};
    use kaigi_core::rng::SplitMix64;

    let Some(e) = crate::editions::edition_by_id(db, edition).await? else { return Ok(()) };
    for (code, name, name_ja, capacity) in [
        ("delegate", "Delegate", "一般参加", Some(400)),
        ("speaker", "Speaker", "登壇者", None),
        ("press", "Press", "報道関係", Some(30)),
        ("youth", "Youth", "ユース", Some(60)),
    ] {
        let input = CategoryInput {
            code: code.into(),
            name: name.into(),
            name_ja: Some(name_ja.into()),
            onsite_capacity: capacity,
        };
        registration::save_category(db, actor, edition, &input).await?;
    }
    type Row = (Uuid, Option<String>, String, Option<String>, Option<String>, Option<String>, Option<String>, bool);
    let people: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "select p.id, p.email, p.display_name, p.stakeholder_group, p.un_region, p.country, p.gender, p.youth from people p
         where p.merged_into is null and p.email is not null and not exists (select 1 from users u where u.person_id = p.id)
         order by p.email").fetch_all(pool).await)?;
    let mut rng = SplitMix64::new(2026);
    let now = now();
    for (i, (person, email, name, group, region, country, gender, youth)) in people.into_iter().take(480).enumerate() {
        // The secretariat published the figures a few registrations ago: the public sees those
        // until the next publication.
        if i == 470 {
            crate::statistics::publish(db, actor, edition, None).await?;
        }
        let Some(email) = email else { continue };
        let user = new_id();
        on_db!(db, pool => sqlx::query(
            "insert into users (id, email, display_name, password_hash, person_id, active, created_at, updated_at)
             values ($1, $2, $3, null, $4, true, $5, $5)")
            .bind(user).bind(&email).bind(&name).bind(person).bind(now).rows(pool).await)?;
        let category = if youth && rng.chance(0.6) {
            "youth"
        } else if rng.chance(0.12) {
            "speaker"
        } else if rng.chance(0.04) {
            "press"
        } else {
            "delegate"
        };
        let input = RegistrationInput {
            category: category.into(),
            attendance: if rng.chance(0.3) { Attendance::Online } else { Attendance::Onsite },
            stakeholder_group: group.and_then(|g| g.parse().ok()),
            un_region: region.and_then(|r| r.parse().ok()),
            country: country.and_then(|c| Country::parse(&c).ok()),
            gender,
            youth,
            first_time: rng.chance(0.35),
            consent: !rng.chance(0.07),
        };
        match registration::register_with(db, actor, &e, user, &input, None).await {
            // A full category leaves the rest to attend online, as on a real registration page.
            Err(refused) if refused.key() == Some("error-onsite-full") => {
                let online = RegistrationInput { attendance: Attendance::Online, ..input };
                registration::register_with(db, actor, &e, user, &online, None).await?;
            }
            other => {
                other?;
            }
        }
    }
    let sessions = programme::sessions(db, edition).await?;
    for s in sessions.iter().take(2) {
        registration::set_signup_capacity(db, actor, s.id, Some(30)).await?;
    }
    if let Some(s) = sessions.first() {
        let users: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
            "select user_id from registrations where edition_id = $1 and status = 'confirmed' order by id limit 24")
            .bind(edition).fetch_all(pool).await)?;
        for user in users {
            registration::sign_up(db, s.id, user).await?;
        }
    }
    let mut rows = Vec::new();
    for (key, name, total, civil_share) in [
        ("igf-2023", "IGF 2023 Kyoto (demo figures)", 9_300u64, 0.21),
        ("igf-2024", "IGF 2024 Riyadh (demo figures)", 10_900, 0.17),
    ] {
        let row = |dimension: Option<Dimension>, category: &str, count: u64| AggregateRow {
            edition: key.into(),
            name: name.into(),
            dimension,
            category: category.into(),
            count,
        };
        rows.push(row(None, "all", total));
        let groups = [
            ("government", 0.22),
            ("intergovernmental", 0.06),
            ("private-sector", 0.2),
            ("civil-society", civil_share),
            ("technical-community", 0.13),
            ("academia", 0.12),
        ];
        let stated: f64 = groups.iter().map(|(_, s)| s).sum();
        for (group, share) in groups {
            rows.push(row(Some(Dimension::StakeholderGroup), group, (total as f64 * share) as u64));
        }
        rows.push(row(
            Some(Dimension::StakeholderGroup),
            "not-stated",
            (total as f64 * (1.0 - stated)).max(0.0) as u64,
        ));
        for (region, share) in [
            ("african", 0.12),
            ("asia-pacific", 0.46),
            ("eastern-european", 0.06),
            ("latin-american-caribbean", 0.08),
            ("western-european-others", 0.28),
        ] {
            rows.push(row(Some(Dimension::Region), region, (total as f64 * share) as u64));
        }
        let onsite = total * 62 / 100;
        rows.push(row(Some(Dimension::Attendance), "onsite", onsite));
        rows.push(row(Some(Dimension::Attendance), "online", total - onsite));
    }
    registration::import_aggregates(db, actor, &rows, false).await?;
    Ok(())
}

/// `n` people with accounts (no password) in one transaction, for benchmarks: emails
/// `{prefix}{i}@bench.example`.
pub async fn bulk_accounts(db: &Db, prefix: &str, n: usize) -> DbResult<Vec<Uuid>> {
    let mut tx = db.begin().await?;
    let now = now();
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let (person, user) = (new_id(), new_id());
        let name = format!("{prefix} {i:05}");
        let email = format!("{prefix}{i}@bench.example");
        on_tx!(&mut tx, c => sqlx::query(
            "insert into people (id, display_name, sort_key, email, youth, version, created_at, updated_at)
             values ($1, $2, $3, $4, false, 1, $5, $5)")
            .bind(person).bind(&name).bind(name.as_bytes().to_vec()).bind(&email).bind(now).rows(c).await)?;
        on_tx!(&mut tx, c => sqlx::query(
            "insert into users (id, email, display_name, password_hash, person_id, active, created_at, updated_at)
             values ($1, $2, $3, null, $4, true, $5, $5)")
            .bind(user).bind(&email).bind(&name).bind(person).bind(now).rows(c).await)?;
        users.push(user);
    }
    tx.commit().await?;
    Ok(users)
}

/// One row written in its own transaction: the reference a write path is compared with.
pub async fn minimal_write(db: &Db, key: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, c => sqlx::query("insert into settings (key, value, created_at, updated_at) values ($1, '1', $2, $2)")
        .bind(key).bind(now()).rows(c).await)?;
    tx.commit().await?;
    Ok(())
}

/// The demo's ministerial roundtable, as in seed 003: 140 invitees at 20 tables of 7 over two
/// rounds, one government representative pinned to each table as its host, the demo
/// participant among the invitees, everyone seated, and a few tables' reports filed.
pub async fn seed_roundtable(db: &Db, actor: &Actor, edition: Uuid) -> DbResult<()> {
    use crate::roundtables::{self, RoundtableInput};
    let input = RoundtableInput {
        name: "Ministerial roundtable on AI governance".into(),
        name_ja: Some("AIガバナンスに関する閣僚級ラウンドテーブル".into()),
        tables: 20,
        seats: 7,
        rounds: 2,
        themes: kaigi_core::roundtable::seed_themes(),
    };
    let id = roundtables::create(db, actor, edition, &input).await?;
    let Some(rt) = roundtables::get(db, id).await? else { return Ok(()) };
    let people: Vec<(Uuid, Option<String>)> = on_db!(db, pool => sqlx::query_as(
        "select id, stakeholder_group from people where merged_into is null order by email, id").fetch_all(pool).await)?;
    let participant: Option<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select person_id from users where email = 'participant@kaigi.example'").fetch_optional(pool).await)?
    .flatten();
    let mut invited: Vec<(Uuid, Option<i64>)> = Vec::new();
    let mut hosts = 0i64;
    // Every fourth person of the directory: Japanese and international invitees alike.
    for (person, group) in people.iter().step_by(4) {
        if invited.len() >= 140 {
            break;
        }
        let host = group.as_deref() == Some("government") && hosts < 20;
        if host {
            hosts += 1;
        }
        invited.push((*person, host.then_some(hosts)));
    }
    if let Some(p) = participant
        && !invited.iter().any(|(q, _)| *q == p)
    {
        invited.pop();
        invited.push((p, None));
    }
    roundtables::invite_many(db, actor, &rt, &invited).await?;
    roundtables::seat(db, actor, id, rt.version, std::time::Duration::from_millis(300)).await?;
    let Some(rt) = roundtables::get(db, id).await? else { return Ok(()) };
    let reports = [
        (
            1,
            "AI and socio-economic impact",
            "Ministers stressed skills programmes for workers whose jobs AI changes, and asked the IGF to collect national experience in one place.",
        ),
        (
            2,
            "Safety and risk",
            "The table agreed that incident reporting should be shared across borders; industry offered to pilot a common format.",
        ),
        (
            3,
            "Standards",
            "Participants asked standards bodies to publish plain-language summaries so that regulators in developing countries can take part.",
        ),
    ];
    for (table, theme, body) in reports {
        roundtables::save_report(db, actor, &rt, 1, table, theme, body, 0).await?;
    }
    Ok(())
}
