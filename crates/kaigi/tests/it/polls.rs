//! Date polls: members answer (signed in or through a personal link), the key person's
//! availability decides, the chosen slot becomes the next meeting; calendars parse.

use axum::http::StatusCode;
use icalendar::Component;
use kaigi_db::{meetings, polls};

use crate::support::*;

#[tokio::test]
async fn a_date_poll_from_answers_to_the_next_meeting() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let latest = meetings::of_committee(&app.db, committee).await.unwrap()[0].clone();
    let poll = polls::poll_drafted_at(&app.db, latest.id).await.unwrap().expect("the demo leaves the last poll open");
    assert_eq!(poll.status, "open");
    let slots = polls::slots(&app.db, poll.id).await.unwrap();
    assert_eq!(slots.len(), 3, "the three candidate dates of the minutes");

    // The chair answers signed in.
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let answers = [
        (format!("answer-{}", slots[0].id), "yes"),
        (format!("answer-{}", slots[1].id), "ifneed"),
        (format!("answer-{}", slots[2].id), "bogus"),
    ];
    let fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        chair.post_form(&format!("/polls/{}/answers", poll.id), &fields).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(polls::answers(&app.db, poll.id).await.unwrap().is_empty(), "a bad answer stores none of the form");
    let fields: Vec<(&str, &str)> = answers[..2].iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(chair.post_form(&format!("/polls/{}/answers", poll.id), &fields).await.status, StatusCode::SEE_OTHER);

    // Personal links go out through the outbox; a member answers without signing in.
    chair.post_form(&format!("/polls/{}/invite", poll.id), &[]).await;
    let mail = kaigi_db::outbox::list(&app.db, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.body.contains("/polls/answer/"))
        .unwrap();
    let at = mail.body.find("/polls/answer/").unwrap();
    let path = mail.body[at..].split_whitespace().next().unwrap().to_owned();
    let mut member = app.client();
    let page = member.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let key = format!("answer-{}", slots[0].id);
    let saved = member.post_form(&path, &[(&key, "no"), (&format!("answer-{}", slots[1].id), "yes")]).await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_eq!(app.client().get("/polls/answer/not-a-token").await.status, StatusCode::NOT_FOUND);

    // That member is the key person: the first slot is out.
    let (_, person) =
        polls::invitee_by_token(&app.db, path.trim_start_matches("/polls/answer/")).await.unwrap().unwrap();
    chair.post_form(&format!("/polls/{}/key-person", poll.id), &[("person", &person.to_string())]).await;
    let grid = chair.get(&format!("/polls/{}", poll.id)).await;
    assert!(
        grid.body.contains("キーパーソン不可") || grid.body.contains("key person cannot"),
        "the blocked slot is marked"
    );

    // Deciding creates the next meeting on that slot, with the draft agenda.
    let chosen = chair.post_form(&format!("/polls/{}/choose", poll.id), &[("slot", &slots[1].id.to_string())]).await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    let next = kaigi_db::minutes::find(&app.db, &latest.series_name, latest.number + 1).await.unwrap().unwrap();
    let m = meetings::meeting(&app.db, next).await.unwrap().unwrap();
    assert_eq!(m.held_on, slots[1].day);
    let titles: Vec<String> = meetings::agenda(&app.db, next).await.unwrap().into_iter().map(|i| i.title).collect();
    for drafted in meetings::draft_agenda(&app.db, latest.id).await.unwrap() {
        assert!(titles.contains(&drafted), "{drafted} in {titles:?}");
    }
    assert_eq!(polls::poll(&app.db, poll.id).await.unwrap().unwrap().status, "closed");
    let announced = kaigi_db::outbox::list(&app.db, 100).await.unwrap();
    assert!(
        announced.iter().any(|m| m.body.contains(&format!("/meetings/{next}/invitation.ics"))),
        "members are told, with the calendar invitation"
    );
    // Members without an account that chose a language read it in both.
    let letter = announced.iter().find(|m| m.body.contains(&format!("/meetings/{next}"))).unwrap();
    assert!(letter.body.contains("に開催します") && letter.body.contains(" will be held on "), "{}", letter.body);
    let again = chair.post_form(&format!("/polls/{}/choose", poll.id), &[("slot", &slots[0].id.to_string())]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a closed poll decides nothing more");
    let late = member.post_form(&path, &[(&key, "yes")]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn meetings_and_deadlines_come_out_as_calendars_that_parse() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let latest = meetings::of_committee(&app.db, committee).await.unwrap()[0].clone();
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let bad = chair
        .post_form(
            &format!("/committees/{committee}/deadlines"),
            &[("title", "意見募集"), ("kind", "consultation"), ("due_on", "4月15日")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    chair
        .post_form(
            &format!("/committees/{committee}/deadlines"),
            &[
                ("title", "AI 戦略への意見募集"),
                ("kind", "consultation"),
                ("due_on", "2026-12-15"),
                ("url", "https://example.org/pc"),
            ],
        )
        .await;
    let feed = chair.get(&format!("/committees/{committee}/calendar.ics")).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.headers["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let calendar: icalendar::Calendar = feed.body.parse().expect("the feed parses as iCalendar");
    let deadlines = polls::deadlines_of_committee(&app.db, committee).await.unwrap().len();
    assert!(deadlines >= 1);
    assert_eq!(calendar.components.len(), 5 + deadlines, "five meetings and every deadline");
    assert!(feed.body.contains("DTSTART;VALUE=DATE:20261215"));
    let invitation = chair.get(&format!("/meetings/{}/invitation.ics", latest.id)).await;
    let calendar: icalendar::Calendar = invitation.body.parse().unwrap();
    let event = calendar.components[0].as_event().unwrap();
    assert_eq!(event.get_uid(), Some(format!("meeting-{}@kaigi", latest.id).as_str()));
    // 18:30 in Tokyo is 09:30 UTC.
    assert!(invitation.body.contains("T093000Z"), "{}", invitation.body);
    assert_eq!(
        app.signed_in(EVALUATOR).await.get(&format!("/committees/{committee}/calendar.ics")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_committee_schedules_its_next_meeting_through_the_api() {
    use kaigi_core::access::TokenScope;
    use kaigi_db::tokens;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let token = |email: &'static str, scope| {
        let db = app.db.clone();
        let actor = actor.clone();
        async move {
            let user = kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id;
            tokens::create(&db, &actor, user, "polls", scope, 30).await.unwrap().1
        }
    };
    let (member, read) =
        (token(COMMITTEE_MEMBER, TokenScope::Write).await, token(COMMITTEE_MEMBER, TokenScope::Read).await);
    let outsider = token(PARTICIPANT, TokenScope::Write).await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let latest = meetings::of_committee(&app.db, committee).await.unwrap()[0].id;

    let list = with_token(&app, "GET", &format!("/api/v1/committees/{committee}/polls"), &read, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let id = list.json()["polls"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(list.json()["polls"][0]["drafted_at_meeting"], latest.to_string());
    let poll_path = format!("/api/v1/polls/{id}");
    let board = with_token(&app, "GET", &poll_path, &read, None).await.json();
    assert_eq!(board["status"], "open");
    let slots: Vec<String> =
        board["slots"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(slots.len(), 3);
    assert!(board["best_slot"].is_null(), "nobody has answered");
    assert_eq!(with_token(&app, "GET", &poll_path, &outsider, None).await.status, StatusCode::FORBIDDEN);

    // A member answers for themselves (there is no answering for someone else); a read token
    // and someone outside the committee cannot.
    let answers = format!("{poll_path}/answers");
    let mine = json!({"answers": [{"slot": slots[0], "answer": "yes"}, {"slot": slots[1], "answer": "ifneed"}]});
    assert_eq!(with_token_json(&app, "PUT", &answers, &read, mine.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(with_token_json(&app, "PUT", &answers, &outsider, mine.clone()).await.status, StatusCode::FORBIDDEN);
    let answered = with_token_json(&app, "PUT", &answers, &member, mine).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let board = answered.json();
    assert_eq!((board["slots"][0]["yes"].as_u64(), board["slots"][1]["ifneed"].as_u64()), (Some(1), Some(1)));
    assert_eq!(board["best_slot"], slots[0]);
    let chair_person = kaigi_db::accounts::find_user_by_email(&app.db, COMMITTEE_MEMBER)
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap()
        .to_string();
    let me = board["members"].as_array().unwrap().iter().find(|m| m["person"] == chair_person).unwrap();
    assert_eq!(me["answers"], json!([{"slot": slots[0], "answer": "yes"}, {"slot": slots[1], "answer": "ifneed"}]));
    // A date of no poll is named, not stored; nothing of the request is kept.
    let stray =
        json!({"answers": [{"slot": slots[2], "answer": "no"}, {"slot": uuid::Uuid::now_v7(), "answer": "no"}]});
    let refused = with_token_json(&app, "PUT", &answers, &member, stray).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-poll-slot-unknown");
    assert_eq!(with_token(&app, "GET", &poll_path, &read, None).await.json()["slots"][2]["no"], 0);

    // The key person's no rules a date out.
    let key = format!("{poll_path}/key-person");
    let stranger = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap().person_id;
    let not_member = with_token_json(&app, "PUT", &key, &member, json!({"person": stranger})).await;
    assert_eq!(not_member.status, StatusCode::NOT_FOUND, "{}", not_member.body);
    assert_eq!(not_member.json()["error"]["code"], "error-poll-not-member");
    let keyed = with_token_json(&app, "PUT", &key, &member, json!({"person": chair_person})).await;
    assert_eq!(keyed.status, StatusCode::OK, "{}", keyed.body);
    assert_eq!(keyed.json()["key_person"], chair_person);
    let no = json!({"answers": [{"slot": slots[0], "answer": "no"}]});
    let board = with_token_json(&app, "PUT", &answers, &member, no).await.json();
    assert_eq!(board["slots"][0]["blocked"], true);
    assert_eq!(board["best_slot"], slots[1]);

    // Candidate dates: a time that ends before it starts is refused, a good one added.
    let add = format!("{poll_path}/slots");
    let past = json!({"day": "2020-01-20", "starts_at": "18:00", "ends_at": "19:00"});
    let refused = with_token_json(&app, "POST", &add, &member, past).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-poll-slot-past");
    let backwards = json!({"day": "2027-01-20", "starts_at": "18:00", "ends_at": "17:00"});
    assert_eq!(with_token_json(&app, "POST", &add, &member, backwards).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let added = with_token_json(
        &app,
        "POST",
        &add,
        &member,
        json!({"day": "2027-01-20", "starts_at": "18:00", "ends_at": "19:30"}),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let board = with_token(&app, "GET", &poll_path, &read, None).await.json();
    assert!(
        board["slots"].as_array().unwrap().iter().any(|s| s["id"] == added.json()["id"] && s["day"] == "2027-01-20")
    );

    // Personal links go to each member once.
    let invite = format!("{poll_path}/invitations");
    let first = with_token(&app, "POST", &invite, &member, None).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.body);
    assert!(first.json()["sent"].as_u64().unwrap() >= 1);
    assert_eq!(with_token(&app, "POST", &invite, &member, None).await.json()["sent"], 0);

    // Choosing the date creates the meeting and closes the poll; after that, nothing changes.
    let choice = format!("{poll_path}/choice");
    let unknown = with_token_json(&app, "POST", &choice, &member, json!({"slot": uuid::Uuid::now_v7()})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    let chosen = with_token_json(&app, "POST", &choice, &member, json!({"slot": slots[1]})).await;
    assert_eq!(chosen.status, StatusCode::CREATED, "{}", chosen.body);
    let meeting = chosen.json()["meeting"].as_str().unwrap().to_owned();
    let created = with_token(&app, "GET", &format!("/api/v1/meetings/{meeting}"), &read, None).await.json();
    let new_meeting = uuid::Uuid::parse_str(&meeting).unwrap();
    let hosts = meetings::hosts(&app.db, latest).await.unwrap();
    assert!(!hosts.is_empty(), "the demo meeting has hosts");
    assert_eq!(meetings::hosts(&app.db, new_meeting).await.unwrap(), hosts, "the hosts carry over");
    let board = with_token(&app, "GET", &poll_path, &read, None).await.json();
    assert_eq!(created["held_on"], board["slots"][1]["day"]);
    assert_eq!((board["status"].as_str(), board["meeting"].as_str()), (Some("closed"), Some(meeting.as_str())));
    for (method, path, body) in [
        ("POST", &choice, json!({"slot": slots[0]})),
        ("PUT", &answers, json!({"answers": [{"slot": slots[0], "answer": "yes"}]})),
        ("POST", &add, json!({"day": "2027-01-21", "starts_at": "18:00", "ends_at": "19:00"})),
    ] {
        let late = with_token_json(&app, method, path, &member, body).await;
        assert_eq!(late.status, StatusCode::CONFLICT, "{method} {path}: {}", late.body);
        assert_eq!(late.json()["error"]["code"], "error-poll-closed");
    }
    assert!(
        with_token(&app, "GET", &format!("/api/v1/committees/{committee}/polls"), &read, None).await.json()["polls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != id.as_str())
    );

    // The new meeting opens the poll for the one after it, once.
    let open = format!("/api/v1/meetings/{meeting}/poll");
    let opened = with_token(&app, "POST", &open, &member, None).await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let again = with_token(&app, "POST", &open, &member, None).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        (again.json()["id"].clone(), again.json()["created"].clone()),
        (opened.json()["id"].clone(), json!(false))
    );
}
