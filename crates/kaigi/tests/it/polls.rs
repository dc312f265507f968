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
