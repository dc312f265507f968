//! Calls for proposals end to end through the real router: the demo's evaluation in progress,
//! an organiser's proposal from draft to submission with people confirming by link, live
//! screening, evaluation with drafts and submission, conflicts reassigning one proposal,
//! who sees what, decisions with conditions re-checked, merges and notifications.

use kaigi_db::{Actor, calls, decisions, evaluation, proposals};
use uuid::Uuid;

use crate::support::*;

async fn user(app: &TestApp, email: &str) -> Uuid {
    kaigi_db::accounts::find_user_by_email(&app.db, email).await.unwrap().unwrap().id
}

async fn demo_calls(app: &TestApp) -> (calls::Call, calls::Call) {
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let mut all = calls::calls_of_edition(&app.db, edition.id).await.unwrap();
    all.sort_by_key(|c| c.opens_at);
    let late = all.pop().unwrap();
    (all.pop().unwrap(), late)
}

fn field_value(body: &str, name: &str) -> String {
    let at = body.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no {name} in the page"));
    let rest = &body[at + name.len() + 15..];
    rest.split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_demo_evaluation_is_in_progress_as_in_the_seed() {
    let app = TestApp::with_demo().await;
    let (main, late) = demo_calls(&app).await;
    assert!(!main.is_open(kaigi_db::now()) && late.is_open(kaigi_db::now()));
    let progress = evaluation::progress(&app.db, main.id).await.unwrap();
    assert_eq!(progress.len(), 40);
    assert_eq!(progress.iter().filter(|p| p.state() == "none").count(), 9, "nine evaluators did nothing");
    let completion = evaluation::completion(&progress).unwrap();
    assert!((70.0..=76.0).contains(&completion), "about 73% done: {completion}");
    assert_eq!(evaluation::previous_completion(&app.db, &main).await.unwrap(), Some(70.0));
    // Every assigned proposal has exactly three evaluators, none from its organisers' organisations.
    let assigned = evaluation::assignments(&app.db, main.id).await.unwrap();
    let mut per: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
    for a in &assigned {
        *per.entry(a.proposal_id).or_default() += 1;
    }
    assert!(per.len() > 50 && per.values().all(|&n| n == 3), "{} proposals", per.len());
    // The rubric is locked, and the hybrid plan does not tell proposals apart.
    assert!(calls::rubric_for(&app.db, main.id, "workshop").await.unwrap().locked_at.is_some());
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let results = secretariat.get(&format!("/editions/igf-2026/calls/{}/results?slots-workshop=60", main.id)).await;
    assert_eq!(results.status, 200);
    assert!(results.body.contains("does not tell proposals apart"), "the hybrid criterion is flagged");
    assert!(results.body.contains("cut-off"));
    let page = secretariat.get(&format!("/editions/igf-2026/calls/{}/progress", main.id)).await;
    assert!(page.body.contains("<svg") && page.body.contains("70%"), "chart and last year's figure");
    let similar = secretariat.get(&format!("/editions/igf-2026/calls/{}/similar", main.id)).await;
    assert_eq!(similar.status, 200);
}

#[tokio::test]
async fn an_organiser_writes_submits_and_people_confirm() {
    let app = TestApp::with_demo().await;
    let (_, late) = demo_calls(&app).await;
    let mut organiser = app.signed_in(PARTICIPANT).await;
    let public = app.client().get(&format!("/calls/{}", late.id)).await;
    assert!(public.body.contains("Sign in to write a proposal") || public.body.contains("ログインして提案する"));
    let created = organiser
        .post_form(
            &format!("/calls/{}/proposals", late.id),
            &[("title", "AI と若者：ライトニングトーク"), ("session_type", "lightning-talk"), ("description", "")],
        )
        .await;
    let location = created.location().unwrap_or_else(|| panic!("{}", created.body)).to_owned();
    let id = Uuid::parse_str(location.trim_start_matches("/proposals/")).unwrap();
    let page = organiser.get(&location).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Still to fill in") || page.body.contains("記入が必要"));
    // Submitting now is refused, naming what is missing.
    let version = field_value(&page.body, "version");
    let refused =
        organiser.post_form(&format!("{location}/status"), &[("version", &version), ("status", "submitted")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Still to fill in before submitting: Description"), "{}", refused.body);

    // A speaker invited by email gets a link in the outbox and confirms through it.
    let added = organiser
        .post_form(
            &format!("{location}/people"),
            &[("name", "Ada Lovelace"), ("email", "ada@example.org"), ("part", "speaker"), ("mode", "online")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let mail = kaigi_db::outbox::list(&app.db, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.to_address == "ada@example.org")
        .unwrap();
    let link = mail.body.lines().find(|l| l.contains("/proposals/confirm/")).unwrap().trim().to_owned();
    let token = link.rsplit('/').next().unwrap();
    let live = organiser.post_form(&format!("{location}/check"), &[]).await.json();
    assert_eq!(live["screening"][0]["passed"], false, "the speaker has not confirmed yet: {live}");
    let mut stranger = app.client();
    let confirm_page = stranger.get(&format!("/proposals/confirm/{token}")).await;
    assert!(confirm_page.body.contains("AI と若者"));
    let confirmed = stranger.post_form(&format!("/proposals/confirm/{token}"), &[("answer", "yes")]).await;
    assert_eq!(confirmed.status, 200);
    let live = organiser
        .post_form(&format!("{location}/check"), &[("title", "AI と若者"), ("session_type", "lightning-talk")])
        .await
        .json();
    assert_eq!(live["screening"][0]["passed"], true, "{live}");
    assert!(live["missing"].as_array().unwrap().len() >= 4, "{live}");

    // "Save and submit" with the description still empty: the proposal page comes back with
    // the text as typed and why, and what was typed is saved as the draft.
    let page = organiser.get(&location).await;
    let version = field_value(&page.body, "version");
    let partial = [
        ("version", version.as_str()),
        ("title", "AI と若者：ライトニングトーク"),
        ("session_type", "lightning-talk"),
        ("policy_questions", "誰が若者の声を代弁するのか"),
        ("then", "submit"),
    ];
    let again = organiser.post_form(&location, &partial).await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("誰が若者の声を代弁するのか"), "the text typed is kept");
    let shown = visible_text(&again.body);
    assert!(shown.contains("Not done") && shown.contains("Description"), "{shown}");
    let draft = proposals::proposal(&app.db, id).await.unwrap().unwrap();
    assert_eq!(
        (draft.status.as_str(), draft.fields.policy_questions.as_str()),
        ("draft", "誰が若者の声を代弁するのか")
    );

    // Fill in everything, save and submit at once; a save from the old page is refused, not lost.
    let page = organiser.get(&location).await;
    let version = field_value(&page.body, "version");
    let theme = kaigi_db::editions::themes(&app.db, late.edition_id).await.unwrap()[0].id.to_string();
    let fields = [
        ("version", version.as_str()),
        ("title", "AI と若者：ライトニングトーク"),
        ("session_type", "lightning-talk"),
        ("theme", theme.as_str()),
        ("description", "若者の視点から AI ガバナンスを 10 分で語る。"),
        ("policy_questions", "Who speaks for young people in AI policy?"),
        ("format", "Talk and questions"),
        ("hybrid_plan", "Online questions read out by the moderator."),
        ("then", "submit"),
    ];
    let submitted = organiser.post_form(&location, &fields).await;
    assert_eq!(submitted.status, 303, "{}", submitted.body);
    let stale = organiser.post_form(&location, &fields).await;
    assert_eq!(stale.status, 422, "a save from an outdated page is refused");
    assert!(visible_text(&stale.body).contains("Someone else changed this"), "and says why");
    let p = proposals::proposal(&app.db, id).await.unwrap().unwrap();
    assert_eq!(p.status, "submitted");
    assert!(proposals::revisions(&app.db, id).await.unwrap().len() >= 2, "every save is a revision");
    // Someone else's proposal is not theirs to open.
    let mut other = app.signed_in(COMMITTEE_MEMBER).await;
    assert_eq!(other.get(&location).await.status, 403);
}

#[tokio::test]
async fn evaluators_see_only_their_own_until_they_submit() {
    let app = TestApp::with_demo().await;
    let (main, _) = demo_calls(&app).await;
    let e1 = user(&app, "evaluator01@kaigi.example").await;
    let mine = evaluation::assignments_of_user(&app.db, e1).await.unwrap();
    let target = mine.iter().find(|m| m.call_id == main.id && m.state.is_none()).map(|m| m.proposal_id);
    // evaluator01 may be among those with nothing done; any not-started one will do.
    let target = target.unwrap_or_else(|| mine[0].proposal_id);
    let mut e = app.signed_in(EVALUATOR).await;
    let list = e.get("/evaluations").await;
    assert!(list.body.contains(&target.to_string()));
    let page = e.get(&format!("/evaluations/{target}")).await;
    assert_eq!(page.status, 200);
    // Not assigned: refused; the organiser of another proposal too.
    let other = evaluation::assignments(&app.db, main.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| !mine.iter().any(|m| m.proposal_id == a.proposal_id))
        .unwrap();
    assert_eq!(e.get(&format!("/evaluations/{}", other.proposal_id)).await.status, 403);
    let mut organiser = app.signed_in(ORGANISER).await;
    assert_eq!(organiser.get(&format!("/evaluations/{target}")).await.status, 403);

    let existing = evaluation::evaluation(&app.db, target, e1).await.unwrap();
    if existing.as_ref().is_some_and(|x| x.state == "submitted") {
        return;
    }
    let version = existing.map_or(0, |x| x.version).to_string();
    let scores: Vec<(String, String)> = ["relevance", "policy", "speakers", "format", "hybrid", "clarity", "notes"]
        .iter()
        .map(|c| (format!("score-{c}"), "4".to_owned()))
        .collect();
    let mut form: Vec<(&str, &str)> = vec![("version", &version), ("submit", "1")];
    form.extend(scores.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let incomplete = e.post_form(&format!("/evaluations/{target}"), &form).await;
    assert_eq!(incomplete.status, 422, "the advice comment is required");
    assert!(incomplete.body.contains("Advice to the organisers: a comment is required."), "{}", incomplete.body);
    assert!(incomplete.body.contains("value=\"4\" checked"), "what was typed stays on the page");
    // A Japanese reader is told the same in Japanese, the criterion named as they read it.
    e.accept_language = Some("ja".into());
    let in_japanese = e.post_form(&format!("/evaluations/{target}"), &form).await;
    assert_eq!(in_japanese.status, 422);
    assert!(in_japanese.body.contains("提案者への助言：コメントが必要です。"), "{}", in_japanese.body);
    e.accept_language = None;
    form.push(("comment-notes", "Good; consider more voices from the Global South."));
    let done = e.post_form(&format!("/evaluations/{target}"), &form).await;
    assert_eq!(done.status, 303, "{}", done.body);
    // Said so, with the way on to the next proposal still to submit.
    let after = e.get(done.location().unwrap()).await;
    assert!(after.body.contains("Global South"));
    let shown = visible_text(&after.body);
    assert!(shown.contains("Evaluation submitted."), "{shown}");
    let open: Vec<_> = evaluation::assignments_of_user(&app.db, e1)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.state.as_deref() != Some("submitted"))
        .collect();
    assert!(shown.contains(&format!("Still to submit: {}", open.len())), "{shown}");
    if let Some(first) = open.first() {
        assert!(
            after.body.contains(&format!(
                "href=\"/evaluations/{}\"",
                open.iter()
                    .find(|m| {
                        let order = |id| mine.iter().position(|x| x.proposal_id == id);
                        order(m.proposal_id) > order(target)
                    })
                    .unwrap_or(first)
                    .proposal_id
            )),
            "the next one after this in the list"
        );
    }
    // The organiser's page of their own proposal never shows an evaluation.
    let theirs = proposals::proposals_of_user(&app.db, user(&app, ORGANISER).await).await.unwrap().remove(0);
    let page = organiser.get(&format!("/proposals/{}", theirs.id)).await;
    assert!(!page.body.contains("Global South") && !page.body.contains("Clear policy questions"));
    // And the rubric cannot change any more.
    let rubric = calls::rubric_for(&app.db, main.id, "workshop").await.unwrap();
    let refused =
        calls::save_rubric(&app.db, &Actor::system("t"), main.id, "", Some(rubric.revision), &rubric.rubric).await;
    assert!(refused.unwrap_err().to_string().contains("locked"));
}

#[tokio::test]
async fn a_declared_conflict_reassigns_just_that_proposal() {
    let app = TestApp::with_demo().await;
    let (main, _) = demo_calls(&app).await;
    // An evaluator who has not started: every one of their proposals is free to move.
    let progress = evaluation::progress(&app.db, main.id).await.unwrap();
    let idle = progress.iter().find(|p| p.state() == "none").unwrap();
    let before = evaluation::assignments(&app.db, main.id).await.unwrap();
    let proposal = before.iter().find(|a| a.user_id == idle.user_id).unwrap().proposal_id;
    let replacement =
        evaluation::declare_conflict(&app.db, &Actor::system("t"), &main, proposal, idle.user_id, "I advise them")
            .await
            .unwrap()
            .expect("someone takes it");
    assert_ne!(replacement, idle.user_id);
    let after = evaluation::assignments(&app.db, main.id).await.unwrap();
    let pairs = |v: &[evaluation::Assigned]| {
        v.iter().map(|a| (a.proposal_id, a.user_id)).collect::<std::collections::HashSet<_>>()
    };
    let (b, a) = (pairs(&before), pairs(&after));
    assert_eq!(b.difference(&a).collect::<Vec<_>>(), [&(proposal, idle.user_id)]);
    assert_eq!(a.difference(&b).collect::<Vec<_>>(), [&(proposal, replacement)]);
    // Re-running the whole assignment never gives it back to them.
    let solution = evaluation::solve(&app.db, &main).await.unwrap();
    let again = solution.assignments.iter().find(|x| x.proposal == proposal.to_string()).unwrap();
    assert!(!again.evaluators.contains(&idle.user_id.to_string()));
}

#[tokio::test]
async fn decisions_notify_and_conditions_follow_the_proposal() {
    let app = TestApp::with_demo().await;
    let (main, _) = demo_calls(&app).await;
    let submitted: Vec<proposals::Proposal> = proposals::proposals_of_call(&app.db, main.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.status == "submitted" && p.fields.session_type == "workshop")
        .collect();
    let (a, b, c) = (&submitted[0], &submitted[1], &submitted[2]);
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let path = |p: &proposals::Proposal| format!("/editions/igf-2026/proposals/{}/decision", p.id);
    // On condition: 6 regions among confirmed speakers is more than any demo panel has.
    let decided = secretariat
        .post_form(
            &path(a),
            &[("verdict", "accept-on-condition"), ("cond-rule-min-regions", "on"), ("cond-n-min-regions", "6")],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    let stored = proposals::proposal(&app.db, a.id).await.unwrap().unwrap();
    let state = decisions::condition_state(&app.db, &stored).await.unwrap();
    assert_eq!(state.len(), 1);
    assert!(!state[0].passed);
    let found = state[0].found;
    // The organisers fix it after the deadline: a confirmed speaker from another region counts.
    let people = proposals::people(&app.db, a.id).await.unwrap();
    let regions: std::collections::HashSet<_> = people.iter().filter_map(|p| p.un_region.clone()).collect();
    let new_region = kaigi_core::directory::UnRegion::ALL.iter().find(|r| !regions.contains(r.code())).unwrap();
    let person = kaigi_db::directory::list_people(&app.db, None, 600, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.un_region.as_deref() == Some(new_region.code()) && p.email.is_some())
        .unwrap();
    let invitee = proposals::Invitee {
        name: person.display_name.clone(),
        email: person.email.clone().unwrap(),
        part: kaigi_core::screening::Part::Speaker,
        onsite: true,
    };
    proposals::add_person(&app.db, &Actor::system("t"), a.id, &invitee, "http://x").await.unwrap();
    let mail = kaigi_db::outbox::list(&app.db, 200).await.unwrap();
    let link = mail.iter().find(|m| m.body.contains("/proposals/confirm/")).unwrap();
    let token =
        link.body.lines().find(|l| l.contains("/proposals/confirm/")).unwrap().rsplit('/').next().unwrap().trim();
    proposals::answer_confirmation(&app.db, token, true).await.unwrap();
    let state =
        decisions::condition_state(&app.db, &proposals::proposal(&app.db, a.id).await.unwrap().unwrap()).await.unwrap();
    assert_eq!(state[0].found, found + 1, "re-checked against the proposal as it is now");

    // A merge accepts both as one session; every organiser hears of it.
    let before = kaigi_db::outbox::list(&app.db, 1000).await.unwrap().len();
    let merged = secretariat.post_form(&path(b), &[("verdict", "merge"), ("merge", &c.id.to_string())]).await;
    assert_eq!(merged.status, 303, "{}", merged.body);
    let c_now = proposals::proposal(&app.db, c.id).await.unwrap().unwrap();
    assert_eq!(c_now.merged_into, Some(b.id));
    assert!(kaigi_db::outbox::list(&app.db, 1000).await.unwrap().len() >= before + 2);
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let sessions = kaigi_db::programme::sessions(&app.db, edition.id).await.unwrap();
    let joint = sessions.iter().find(|s| s.proposal_id == Some(b.id)).expect("the joint session is in the programme");
    assert!(joint.room_id.is_none(), "unplaced until the timetable places it");
    // A merged proposal cannot be decided on its own.
    let refused = secretariat.post_form(&path(c), &[("verdict", "accept")]).await;
    assert_eq!(refused.status, 422);
    // Rejecting an accepted proposal that is in the programme is refused with the reason.
    let refused = secretariat.post_form(&path(b), &[("verdict", "reject")]).await;
    assert!(refused.body.contains("in the programme"), "{}", refused.body);
}

#[tokio::test]
async fn the_secretariat_opens_a_call_and_assigns_with_a_manual_choice_kept() {
    let app = TestApp::with_demo().await;
    let (main, _) = demo_calls(&app).await;
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let created = secretariat
        .post_form(
            "/editions/igf-2026/calls",
            &[("name", "Call for town halls"), ("opens_at", "2026-01-05T09:00"), ("closes_at", "2026-02-01T23:59")],
        )
        .await;
    let location = created.location().unwrap().to_owned();
    let page = secretariat.get(&location).await;
    assert!(page.body.contains("2026-02-01T23:59"), "shown in the edition's time zone");
    let id = Uuid::parse_str(location.rsplit('/').next().unwrap()).unwrap();
    let call = calls::call(&app.db, id).await.unwrap().unwrap();
    assert_eq!(call.closes_at.to_string(), "2026-02-01 14:59:00.0 +00:00:00", "Asia/Tokyo is UTC+9");

    // A manual choice on the main call survives a fresh solve and apply.
    let assignment = secretariat.get(&format!("/editions/igf-2026/calls/{}/assignment", main.id)).await;
    assert_eq!(assignment.status, 200);
    let assigned = evaluation::assignments(&app.db, main.id).await.unwrap();
    // A proposal at most two of whose evaluators began: one place is free for a hand-picked one.
    let mut p = assigned[0].proposal_id;
    for a in &assigned {
        let mut begun = 0;
        for x in assigned.iter().filter(|x| x.proposal_id == a.proposal_id) {
            if evaluation::evaluation(&app.db, x.proposal_id, x.user_id).await.unwrap().is_some() {
                begun += 1;
            }
        }
        if begun <= 2 {
            p = a.proposal_id;
            break;
        }
    }
    let outsider = evaluation::evaluators(&app.db, main.id)
        .await
        .unwrap()
        .into_iter()
        .find(|e| !assigned.iter().any(|a| a.proposal_id == p && a.user_id == e.user_id))
        .unwrap();
    let added = secretariat
        .post_form(
            &format!("/editions/igf-2026/calls/{}/assignment/override", main.id),
            &[("proposal", &p.to_string()), ("evaluator", &outsider.user_id.to_string()), ("action", "add")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let solution = evaluation::solve(&app.db, &main).await.unwrap();
    evaluation::apply(&app.db, &Actor::system("t"), main.id, &solution).await.unwrap();
    let now = evaluation::assignments(&app.db, main.id).await.unwrap();
    assert!(now.iter().any(|a| a.proposal_id == p && a.user_id == outsider.user_id && a.fixed));
    assert_eq!(now.iter().filter(|a| a.proposal_id == p).count(), 3, "still exactly three");
}

#[tokio::test]
async fn nobody_is_put_on_a_proposal_of_their_own_organisation_even_by_hand() {
    let app = TestApp::with_demo().await;
    let (main, _) = demo_calls(&app).await;
    let assigned = evaluation::assignments(&app.db, main.id).await.unwrap();
    let p = assigned[0].proposal_id;
    let organiser = proposals::people(&app.db, p).await.unwrap().into_iter().find(|x| x.role == "organiser").unwrap();
    let organisation = kaigi_db::directory::affiliations(&app.db, organiser.person_id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.until.is_none())
        .unwrap()
        .organisation_id;
    // An evaluator not on the proposal joins the organiser's organisation.
    let outsider = evaluation::evaluators(&app.db, main.id)
        .await
        .unwrap()
        .into_iter()
        .find(|e| !assigned.iter().any(|a| a.proposal_id == p && a.user_id == e.user_id))
        .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::directory::add_affiliation(
        &mut tx,
        &Actor::system("t"),
        outsider.person_id.unwrap(),
        organisation,
        None,
        None,
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let refused = secretariat
        .post_form(
            &format!("/editions/igf-2026/calls/{}/assignment/override", main.id),
            &[("proposal", &p.to_string()), ("evaluator", &outsider.user_id.to_string()), ("action", "add")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    // A previewed assignment altered to include the pair is refused too.
    let mut solution = evaluation::solve(&app.db, &main).await.unwrap();
    let entry = solution.assignments.iter_mut().find(|a| a.proposal == p.to_string()).unwrap();
    entry.evaluators[0] = outsider.user_id.to_string();
    let posted = serde_json::to_string(&solution).unwrap();
    let refused = secretariat
        .post_form(&format!("/editions/igf-2026/calls/{}/assignment", main.id), &[("solution", &posted)])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("conflict of interest"));
    assert!(
        !evaluation::assignments(&app.db, main.id)
            .await
            .unwrap()
            .iter()
            .any(|a| a.proposal_id == p && a.user_id == outsider.user_id)
    );
}

#[tokio::test]
async fn a_pair_made_by_hand_outside_the_evaluated_set_never_blocks_applying() {
    let app = TestApp::with_demo().await;
    let (main, _) = demo_calls(&app).await;
    let covered: Vec<String> =
        evaluation::solve(&app.db, &main).await.unwrap().assignments.into_iter().map(|a| a.proposal).collect();
    let outside = proposals::proposals_of_call(&app.db, main.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| !covered.contains(&p.id.to_string()))
        .expect("the demo call has proposals it does not evaluate (drafts, withdrawn, decided)");
    let evaluators = evaluation::evaluators(&app.db, main.id).await.unwrap();
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let mut added = None;
    for e in &evaluators {
        let answer = secretariat
            .post_form(
                &format!("/editions/igf-2026/calls/{}/assignment/override", main.id),
                &[("proposal", &outside.id.to_string()), ("evaluator", &e.user_id.to_string()), ("action", "add")],
            )
            .await;
        if answer.status == 303 {
            added = Some(e.user_id);
            break;
        }
    }
    let added = added.expect("some evaluator without a conflict takes the proposal");
    // The previewed assignment applies, and leaves the hand-made pair alone.
    let page = secretariat.get(&format!("/editions/igf-2026/calls/{}/assignment", main.id)).await;
    let form = forms_of(&page.body)
        .into_iter()
        .find(|f| f.action.ends_with("/assignment"))
        .expect("the page offers its assignment");
    let applied = secretariat
        .post_form(&form.action, &[("solution", form.value("solution").expect("the solution is in the form"))])
        .await;
    assert_eq!(applied.status, 303, "{}", applied.body);
    assert!(
        evaluation::assignments(&app.db, main.id)
            .await
            .unwrap()
            .iter()
            .any(|a| a.proposal_id == outside.id && a.user_id == added)
    );
}

/// The results page decides the ranking at once: the proposals within the slots come ticked,
/// the secretariat records them in one go, and a refusal of one leaves every other undecided.
#[tokio::test]
async fn the_secretariat_decides_the_proposals_within_the_slots_at_once() {
    let app = TestApp::with_demo().await;
    let (main, _) = demo_calls(&app).await;
    let mut desk = app.signed_in(SECRETARIAT).await;
    let results = format!("/editions/igf-2026/calls/{}/results?slots-workshop=8", main.id);
    let page = desk.get(&results).await;
    assert_eq!(page.status, 200);
    let boxes: Vec<(String, bool)> = page
        .body
        .split("name=\"proposal\" value=\"")
        .skip(1)
        .map(|rest| (rest.split('"').next().unwrap().to_owned(), rest.split('>').next().unwrap().contains(" checked")))
        .collect();
    let ticked: Vec<String> = boxes.iter().filter(|(_, t)| *t).map(|(id, _)| id.clone()).collect();
    assert!((1..=8).contains(&ticked.len()), "the workshops within eight slots: {ticked:?}");
    // A proposal only one evaluator scored is flagged and never ticked for a bulk decision.
    for row in page.body.split("<tr>").filter(|row| row.contains("one evaluation only")) {
        assert!(!row.contains(" checked"), "a thinly evaluated proposal is looked at alone: {row}");
    }
    assert!(boxes.len() > ticked.len() + 10, "every ranked proposal may be picked");
    let status = |id: &str| {
        let db = app.db.clone();
        let id = Uuid::parse_str(id).unwrap();
        async move { proposals::proposal(&db, id).await.unwrap().unwrap().status }
    };
    let action = format!("/editions/igf-2026/calls/{}/decisions", main.id);
    let mut form: Vec<(&str, &str)> = ticked.iter().map(|id| ("proposal", id.as_str())).collect();
    form.extend([("verdict", "accept"), ("note", "採択おめでとうございます")]);
    let recorded = desk.post_form(&action, &form).await;
    let back = recorded.location().unwrap_or_else(|| panic!("{}", recorded.body)).to_owned();
    for id in &ticked {
        assert_eq!(status(id).await, "accepted");
    }
    // A browser keeps the fragment (#ranking) to itself.
    let after = desk.get(back.split('#').next().unwrap()).await;
    let notice = format!("Decided just now: <strong>{}</strong>", ticked.len());
    assert!(after.body.contains(&notice), "the count is shown");
    assert!(
        !after.body.split("name=\"proposal\" value=\"").skip(1).any(|r| r
            .split('>')
            .next()
            .unwrap()
            .contains(" checked")),
        "decided proposals are no longer ticked"
    );
    // Rejecting an accepted proposal the programme now holds is refused, and the other one
    // in the same form stays undecided.
    let undecided = boxes.iter().map(|(id, _)| id).find(|id| !ticked.contains(id)).unwrap().clone();
    let before = status(&undecided).await;
    let refused = desk
        .post_form(
            &action,
            &[("proposal", undecided.as_str()), ("proposal", ticked[0].as_str()), ("verdict", "reject")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let shown = visible_text(&refused.body);
    assert!(shown.contains("remove it from the timetable first"));
    let title = proposals::proposal(&app.db, Uuid::parse_str(&ticked[0]).unwrap()).await.unwrap().unwrap().fields.title;
    assert!(shown.contains(&format!("{title}: ")), "the refusal names the proposal: {shown}");
    assert_eq!(status(&undecided).await, before, "all or none");
    // The ranking again, not a bare error page: both still ticked, "reject" still chosen.
    let form = forms_of(&refused.body).into_iter().find(|f| f.action == action).expect("the bulk form is shown again");
    let ticked: Vec<&str> = form.fields.iter().filter(|(n, _)| n == "proposal").map(|(_, v)| v.as_str()).collect();
    assert_eq!(ticked.len(), 2, "{ticked:?}");
    assert!(ticked.contains(&undecided.as_str()));
    assert_eq!(form.value("verdict"), Some("reject"));
    let nothing = desk.post_form(&action, &[("verdict", "accept")]).await;
    assert_eq!(nothing.status, 422);
    // The ranking is one call's: a proposal of the edition's other call, slipped into the
    // form, is refused and nothing in the form is decided.
    let (_, late_call) = demo_calls(&app).await;
    let fields = kaigi_core::calls::ProposalFields {
        title: "Launch of a youth IGF report".into(),
        session_type: "launch-award".into(),
        ..Default::default()
    };
    let organiser = user(&app, ORGANISER).await;
    let elsewhere = proposals::create_proposal(&app.db, &Actor::system("t"), organiser, &late_call, &fields)
        .await
        .unwrap()
        .to_string();
    let mixed = desk
        .post_form(&action, &[("proposal", undecided.as_str()), ("proposal", &elsewhere), ("verdict", "accept")])
        .await;
    assert_eq!(mixed.status, 422, "{}", mixed.body);
    assert!(visible_text(&mixed.body).contains("is not a proposal of this call"));
    let form = forms_of(&mixed.body).into_iter().find(|f| f.action == action).expect("the bulk form is shown again");
    assert_eq!(form.fields.iter().filter(|(n, _)| n == "proposal").count(), 1, "the call's own proposal stays ticked");
    assert_eq!(status(&undecided).await, before);
    assert_eq!(status(&elsewhere).await, "draft");
}

/// An organiser's whole job through the API: a draft in the open call, saved on the version
/// read, refused when stale or incomplete (the text kept), people added, submitted; someone
/// else's proposal and a closed call are out of reach.
#[tokio::test]
async fn an_organiser_writes_and_submits_through_the_api() {
    use axum::http::StatusCode;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let (main, late) = demo_calls(&app).await;
    let token = |email: &'static str| {
        let app = &app;
        async move {
            let id = user(app, email).await;
            let scope = kaigi_core::access::TokenScope::Write;
            kaigi_db::tokens::create(&app.db, &Actor::system("t"), id, "script", scope, 1).await.unwrap().1
        }
    };
    let mine = token(PARTICIPANT).await;
    let text = json!({"title": "AI と若者", "session_type": "lightning-talk", "description": ""});
    let created =
        with_token_json(&app, "POST", &format!("/api/v1/calls/{}/proposals", late.id), &mine, json!({"fields": text}))
            .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    let (id, version) = (created["id"].as_str().unwrap().to_owned(), created["version"].as_i64().unwrap());
    assert_eq!(created["status"], "draft");
    let path = format!("/api/v1/proposals/{id}");
    let read = with_token(&app, "GET", &path, &mine, None).await.json();
    assert_eq!(read["fields"]["title"], "AI と若者");
    assert!(read["missing"].as_array().unwrap().iter().any(|m| m == "description"));
    assert_eq!(read["people"][0]["part"], "organiser");
    let listed = with_token(&app, "GET", "/api/v1/proposals", &mine, None).await.json();
    assert!(listed["proposals"].as_array().unwrap().iter().any(|p| p["id"] == id.as_str()));

    // A closed call takes nothing; a type the call does not take is refused in words.
    let closed = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/calls/{}/proposals", main.id),
        &mine,
        json!({"fields": {"title": "x", "session_type": "workshop"}}),
    )
    .await;
    assert_eq!(
        (closed.status, closed.json()["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("error-call-not-open"))
    );
    let wrong_type = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/calls/{}/proposals", late.id),
        &mine,
        json!({"fields": {"title": "x", "session_type": "workshop"}}),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong_type.body);

    // Submitting with the description empty: the text is saved, the submission refused.
    let full = json!({"title": "AI と若者：五分で", "session_type": "lightning-talk", "description": "",
                      "policy_questions": "誰が決めるのか", "format": "5 分の発表", "hybrid_plan": "オンライン参加者の質問を受ける"});
    let incomplete =
        with_token_json(&app, "PUT", &path, &mine, json!({"version": version, "fields": full, "submit": true})).await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", incomplete.body);
    let now = with_token(&app, "GET", &path, &mine, None).await.json();
    assert_eq!((now["fields"]["title"].as_str(), now["status"].as_str()), (Some("AI と若者：五分で"), Some("draft")));
    let version = now["version"].as_i64().unwrap();
    // A write on an old version is a conflict, and changes nothing.
    let stale = with_token_json(
        &app,
        "PUT",
        &path,
        &mine,
        json!({"version": version - 1, "fields": {"title": "古い", "session_type": "lightning-talk"}}),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);

    let added = with_token_json(
        &app,
        "POST",
        &format!("{path}/people"),
        &mine,
        json!({"name": "Ada Lovelace", "email": "ada@example.org", "part": "speaker", "onsite": false}),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.json()["asked_to_confirm"], true);
    let ada = json!({"name": "Ada Lovelace", "email": "ada@example.org", "part": "speaker"});
    let twice = with_token_json(&app, "POST", &format!("{path}/people"), &mine, ada).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "already on it in that role: {}", twice.body);
    let bad_part = with_token_json(
        &app,
        "POST",
        &format!("{path}/people"),
        &mine,
        json!({"name": "X", "email": "x@example.org", "part": "chair"}),
    )
    .await;
    assert_eq!(bad_part.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut themed = full.clone();
    themed["description"] = json!("若者の視点から AI のガバナンスを五分で語る。");
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let theme = kaigi_db::editions::themes(&app.db, edition.id).await.unwrap()[0].id;
    themed["theme"] = json!(theme);
    let version = with_token(&app, "GET", &path, &mine, None).await.json()["version"].as_i64().unwrap();
    let submitted =
        with_token_json(&app, "PUT", &path, &mine, json!({"version": version, "fields": themed, "submit": true})).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json()["status"], "submitted");
    let version = submitted.json()["version"].as_i64().unwrap();
    let again =
        with_token_json(&app, "POST", &format!("{path}/status"), &mine, json!({"to": "submitted", "version": version}))
            .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "submitted already: {}", again.body);
    let numeric =
        with_token_json(&app, "POST", &format!("{path}/status"), &mine, json!({"to": 1, "version": version})).await;
    assert_eq!(numeric.status, StatusCode::UNPROCESSABLE_ENTITY);
    let withdrawn =
        with_token_json(&app, "POST", &format!("{path}/status"), &mine, json!({"to": "withdrawn", "version": version}))
            .await;
    assert_eq!((withdrawn.status, withdrawn.json()["status"].as_str()), (StatusCode::OK, Some("withdrawn")));

    // Someone else's proposal is not theirs to read or write; a read token only reads.
    let evaluator = token(EVALUATOR).await;
    assert_eq!(with_token(&app, "GET", &path, &evaluator, None).await.status, StatusCode::FORBIDDEN);
    let other = proposals::proposals_of_call(&app.db, main.id).await.unwrap().remove(0);
    assert_eq!(
        with_token(&app, "GET", &format!("/api/v1/proposals/{}", other.id), &mine, None).await.status,
        StatusCode::FORBIDDEN
    );
    let reader = {
        let id = user(&app, PARTICIPANT).await;
        kaigi_db::tokens::create(&app.db, &Actor::system("t"), id, "r", kaigi_core::access::TokenScope::Read, 1)
            .await
            .unwrap()
            .1
    };
    let read_only =
        with_token_json(&app, "POST", &format!("{path}/status"), &reader, json!({"to": "draft", "version": 1})).await;
    assert_eq!(read_only.status, StatusCode::FORBIDDEN);
}

/// Issue 16: who evaluates what, through the API — the preview is the exact solution around what
/// must stay, applying it stores exactly it, overrides hold across re-runs, nothing from
/// outside the call gets in, and reminders cannot flood the evaluators.
#[tokio::test]
async fn the_secretariat_assigns_evaluators_and_follows_progress_through_the_api() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    use serde_json::{Value, json};
    use std::collections::BTreeSet;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let token = |email: &'static str| {
        let (db, actor) = (app.db.clone(), actor.clone());
        async move {
            let user = kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id;
            kaigi_db::tokens::create(&db, &actor, user, "assign", TokenScope::Write, 1).await.unwrap().1
        }
    };
    let (desk, evaluator) = (token(SECRETARIAT).await, token(EVALUATOR).await);
    let calls = with_token(&app, "GET", "/api/v1/editions/igf-2026/calls", &desk, None).await.json();
    let call = calls["calls"][0]["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/editions/igf-2026/calls/{call}");
    let read = |path: String| {
        let (app, desk) = (&app, desk.clone());
        async move {
            let answer = with_token(app, "GET", &path, &desk, None).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
            answer.json()
        }
    };
    let pairs = |assignment: &Value| -> BTreeSet<(String, String)> {
        assignment["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["proposal"].as_str().unwrap().to_owned(), p["evaluator"].as_str().unwrap().to_owned()))
            .collect()
    };
    assert_eq!(
        with_token(&app, "GET", &format!("{base}/assignment"), &evaluator, None).await.status,
        StatusCode::FORBIDDEN
    );
    let before = read(format!("{base}/assignment")).await;
    assert!(!before["evaluators"].as_array().unwrap().is_empty());

    // The preview stores nothing; applying it stores exactly it.
    let preview = read(format!("{base}/assignment/preview")).await;
    assert_eq!(pairs(&read(format!("{base}/assignment")).await), pairs(&before), "a preview changes nothing");
    let proposed: BTreeSet<(String, String)> = preview["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| {
            let proposal = a["proposal"].as_str().unwrap().to_owned();
            a["evaluators"].as_array().unwrap().iter().map(move |e| (proposal.clone(), e.as_str().unwrap().to_owned()))
        })
        .collect();
    assert!(!proposed.is_empty());
    let write = json!({"assignments": preview["assignments"]});
    let applied = with_token_json(&app, "PUT", &format!("{base}/assignment"), &desk, write.clone()).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(
        (applied.json()["added"].clone(), applied.json()["removed"].clone()),
        (preview["added"].clone(), preview["removed"].clone())
    );
    let stored = pairs(&read(format!("{base}/assignment")).await);
    assert!(proposed.is_subset(&stored), "every proposed pair is stored");
    let again = with_token_json(&app, "PUT", &format!("{base}/assignment"), &desk, write).await.json();
    assert_eq!((again["added"].as_u64(), again["removed"].as_u64()), (Some(0), Some(0)));

    // Someone outside the pool is refused, and nothing of the request is stored.
    let (proposal, taken_off) = proposed.iter().next().cloned().unwrap();
    let stranger = uuid::Uuid::now_v7();
    let outside = json!({"assignments": [{"proposal": proposal, "evaluators": [stranger]}]});
    let refused = with_token_json(&app, "PUT", &format!("{base}/assignment"), &desk, outside).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-assignment-stale");
    assert_eq!(pairs(&read(format!("{base}/assignment")).await), stored);

    // Taken off by hand, an evaluator is not given the proposal back by a re-run; put back,
    // the pair is fixed.
    let overrides = format!("{base}/assignment/overrides");
    let off = json!({"proposal": proposal, "evaluator": taken_off, "action": "remove"});
    let removed = with_token_json(&app, "POST", &overrides, &desk, off).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(!pairs(&read(format!("{base}/assignment")).await).contains(&(proposal.clone(), taken_off.clone())));
    let rerun = read(format!("{base}/assignment/preview")).await;
    let for_proposal = rerun["assignments"].as_array().unwrap().iter().find(|a| a["proposal"] == proposal.as_str());
    assert!(for_proposal.is_none_or(|a| !a["evaluators"].as_array().unwrap().iter().any(|e| e == taken_off.as_str())));
    let on = json!({"proposal": proposal, "evaluator": taken_off, "action": "assign"});
    assert_eq!(with_token_json(&app, "POST", &overrides, &desk, on).await.status, StatusCode::OK);
    let now = read(format!("{base}/assignment")).await;
    assert!(
        now["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["proposal"] == proposal.as_str() && p["evaluator"] == taken_off.as_str() && p["fixed"] == true)
    );
    let nobody = json!({"proposal": proposal, "evaluator": stranger, "action": "assign"});
    let unknown = with_token_json(&app, "POST", &overrides, &desk, nobody).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    assert_eq!(unknown.json()["error"]["code"], "error-not-an-evaluator");
    let elsewhere = json!({"proposal": uuid::Uuid::now_v7(), "evaluator": taken_off, "action": "assign"});
    assert_eq!(with_token_json(&app, "POST", &overrides, &desk, elsewhere).await.status, StatusCode::NOT_FOUND);

    // Progress counts what is assigned; reminders go out a few rounds a day, no more.
    let progress = read(format!("{base}/progress")).await;
    let assigned: i64 =
        progress["evaluators"].as_array().unwrap().iter().map(|e| e["assigned"].as_i64().unwrap()).sum();
    assert_eq!(assigned as usize, now["pairs"].as_array().unwrap().len());
    let remind = format!("{base}/reminders");
    for _ in 0..kaigi_db::accounts::REMINDERS_PER_CALL.allowed {
        let sent = with_token(&app, "POST", &remind, &desk, None).await;
        assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.body);
    }
    assert_eq!(with_token(&app, "POST", &remind, &desk, None).await.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Issue 17: the call page lists its proposals a page at a time, filtered on the server by
/// title, status and type, with each status's count linking to its list.
#[tokio::test]
async fn the_call_page_lists_proposals_a_page_at_a_time_filtered_on_the_server() {
    use axum::http::StatusCode;
    let app = TestApp::with_demo().await;
    let mut desk = app.signed_in(SECRETARIAT).await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let call = calls::calls_of_edition(&app.db, edition.id).await.unwrap().remove(0);
    let all = proposals::proposals_of_call(&app.db, call.id).await.unwrap();
    assert!(all.len() > 50, "the demo call has more than a page of proposals");
    let base = format!("/editions/igf-2026/calls/{}", call.id);
    let first = desk.get(&base).await;
    assert_eq!(first.status, StatusCode::OK);
    let text = visible_text(&first.body);
    assert!(text.contains(&format!("1–50 / {}", all.len())), "{text}");
    let rows = |body: &str| body.matches("<tr><td><a href=\"/editions/igf-2026/proposals/").count();
    assert_eq!(rows(&first.body), 50);
    let second = desk.get(&format!("{base}?offset=50")).await;
    assert_eq!(rows(&second.body), (all.len() - 50).min(50));
    assert!(second.body.contains(&format!("{base}?offset=0#proposals")), "a way back to the first page");
    assert_eq!(second.body.contains("?offset=100#"), all.len() > 100, "a next page only when there is one");

    // By status: only those, and the count's link says so.
    let submitted = all.iter().filter(|p| p.status == "submitted").count();
    let only = desk.get(&format!("{base}?status=submitted")).await;
    assert!(only.body.contains(&format!("{base}?status=submitted#proposals")));
    assert_eq!(rows(&only.body), submitted.min(50));
    // By a word of a title, folded as search folds (case, width).
    let wanted = &all[7];
    let word = wanted.fields.title.split_whitespace().max_by_key(|w| w.chars().count()).unwrap().to_uppercase();
    let found = desk.get(&format!("{base}?q={}", encode(&word))).await;
    assert!(found.body.contains(&format!("/editions/igf-2026/proposals/{}", wanted.id)), "{word}");
    assert!(rows(&found.body) < all.len().min(50) || all.len() <= 50);
    // What is not a status or a page is refused in words.
    assert_eq!(desk.get(&format!("{base}?status=maybe")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(desk.get(&format!("{base}?offset=-1")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Issue 16: a call set up through the API as on the call page — opened, its settings saved on
/// the version read, rubric revisions (locked once evaluation began), the evaluator pool with
/// capacity and expertise, and the deadline screening — with the same refusals.
#[tokio::test]
async fn the_secretariat_sets_up_a_call_through_the_api() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = Actor::system("test");
    let token = |email: &'static str, scope: TokenScope| {
        let (db, actor) = (app.db.clone(), actor.clone());
        async move {
            let user = kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id;
            kaigi_db::tokens::create(&db, &actor, user, "calls", scope, 1).await.unwrap().1
        }
    };
    let desk = token(SECRETARIAT, TokenScope::Write).await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let theme = kaigi_db::editions::themes(&app.db, edition.id).await.unwrap()[0].id.to_string();
    let calls_path = "/api/v1/editions/igf-2026/calls";

    // Opened with the IGF's defaults and the IGF's workshop rubric.
    let new = json!({"name": "Call for town halls", "name_ja": "タウンホール募集",
        "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00+09:00"});
    let created = with_token_json(&app, "POST", calls_path, &desk, new.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let call = created.json();
    let id = call["id"].as_str().unwrap().to_owned();
    assert_eq!(call["open"], true);
    assert_eq!(call["settings"]["per_proposal"], 3);
    assert!(call["settings"]["session_types"].as_array().unwrap().iter().any(|t| t == "workshop"));
    assert_eq!(call["rubrics"][0]["session_type"], serde_json::Value::Null);
    assert_eq!(call["rubrics"][0]["revision"], 1);
    assert_eq!(call["evaluators"].as_array().unwrap().len(), 0);
    let stored = calls::call(&app.db, id.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!((stored.name.as_str(), stored.name_ja.as_deref()), ("Call for town halls", Some("タウンホール募集")));

    // A call that closes before it opens, or files sub-themes under another edition's theme.
    let mut backwards = new.clone();
    backwards["closes_at"] = json!("2025-01-01T00:00:00Z");
    let refused = with_token_json(&app, "POST", calls_path, &desk, backwards).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-field-end-before-start");
    let mut settings = call["settings"].clone();
    settings["sub_themes"] = json!({ Uuid::now_v7().to_string(): ["Elsewhere"] });
    let mut stray = new.clone();
    stray["settings"] = settings;
    let refused = with_token_json(&app, "POST", calls_path, &desk, stray).await;
    assert_eq!(refused.json()["error"]["code"], "error-sub-themes-theme-id", "{}", refused.body);

    // Saved whole on the version read; a stale version is a 409 and changes nothing.
    let base = format!("{calls_path}/{id}");
    let mut write = json!({"version": call["version"], "name": "Call for town halls 2026",
        "opens_at": call["opens_at"], "closes_at": call["closes_at"], "settings": call["settings"]});
    write["settings"]["per_proposal"] = json!(2);
    write["settings"]["sub_themes"] = json!({ theme.clone(): ["Data governance", "AI"] });
    write["settings"]["questions"] = json!([{"id": "reach", "label": "Who will you reach?", "required": true}]);
    let saved = with_token_json(&app, "PUT", &base, &desk, write.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let saved = saved.json();
    assert_eq!(saved["version"], call["version"].as_i64().unwrap() + 1);
    assert_eq!(saved["settings"]["per_proposal"], 2);
    assert_eq!(saved["settings"]["sub_themes"][&theme][1], "AI");
    assert_eq!(saved["name_ja"], serde_json::Value::Null, "a name left out is cleared, as on the page");
    let stale = with_token_json(&app, "PUT", &base, &desk, write.clone()).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(with_token(&app, "GET", &base, &desk, None).await.json()["settings"]["per_proposal"], 2);
    let mut twice = write.clone();
    twice["version"] = saved["version"].clone();
    twice["settings"]["rules"] = json!([{"rule": "gender-diverse"}, {"rule": "gender-diverse"}]);
    let refused = with_token_json(&app, "PUT", &base, &desk, twice).await;
    assert_eq!(refused.json()["error"]["code"], "error-rule-twice", "{}", refused.body);

    // Rubric revisions: a type's own, then its next on the revision read; a stale one is 409.
    let rubric = json!({"scale_min": 1, "scale_max": 5, "criteria": [
        {"id": "relevance", "name": "Relevance", "weight": 60},
        {"id": "format", "name": "Format", "name_ja": "形式", "weight": 40},
        {"id": "notes", "name": "Notes for the MAG", "weight": 0, "counted": false}]});
    let rubric_path = format!("{base}/rubric");
    let first = with_token_json(
        &app,
        "PUT",
        &rubric_path,
        &desk,
        json!({"session_type": "town-hall", "rubric": rubric.clone()}),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(
        (first.json()["session_type"].clone(), first.json()["revision"].clone()),
        (json!("town-hall"), json!(1))
    );
    let next = json!({"session_type": "town-hall", "based_on": 1, "rubric": rubric.clone()});
    assert_eq!(with_token_json(&app, "PUT", &rubric_path, &desk, next.clone()).await.json()["revision"], 2);
    assert_eq!(with_token_json(&app, "PUT", &rubric_path, &desk, next).await.status, StatusCode::CONFLICT);
    let town_hall = calls::rubric_for(&app.db, id.parse().unwrap(), "town-hall").await.unwrap();
    assert_eq!((town_hall.revision, town_hall.rubric.criteria.len()), (2, 3));
    let mut nothing_counts = rubric.clone();
    nothing_counts["criteria"] = json!([{"id": "notes", "name": "Notes", "weight": 0, "counted": false}]);
    let refused =
        with_token_json(&app, "PUT", &rubric_path, &desk, json!({"based_on": 1, "rubric": nothing_counts})).await;
    assert_eq!(refused.json()["error"]["code"], "error-rubric-nothing-counts", "{}", refused.body);
    // The demo's call is being evaluated: its rubric is locked.
    let (demo_call, _) = demo_calls(&app).await;
    let demo_base = format!("{calls_path}/{}", demo_call.id);
    let locked = calls::rubric_for(&app.db, demo_call.id, "workshop").await.unwrap();
    let session_type = (!locked.session_type.is_empty()).then_some(locked.session_type.clone());
    let body = json!({"session_type": session_type, "based_on": locked.revision, "rubric": rubric.clone()});
    let refused = with_token_json(&app, "PUT", &format!("{demo_base}/rubric"), &desk, body).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-rubric-locked");

    // The pool: the edition's evaluators enlisted, one given a capacity and expertise; an
    // account that is no evaluator of the edition, or a theme of nowhere, is refused.
    let enlisted = with_token(&app, "POST", &format!("{base}/evaluators/enlist"), &desk, None).await;
    assert_eq!(enlisted.status, StatusCode::OK, "{}", enlisted.body);
    assert!(enlisted.json()["added"].as_u64().unwrap() >= 1);
    let evaluator = user(&app, EVALUATOR).await;
    let one = format!("{base}/evaluators/{evaluator}");
    let set = with_token_json(&app, "PUT", &one, &desk, json!({"capacity": 12, "themes": [theme, theme]})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!((set.json()["capacity"].clone(), set.json()["themes"].clone()), (json!(12), json!([theme])));
    let pool = with_token(&app, "GET", &format!("{base}/evaluators"), &desk, None).await.json();
    assert!(
        pool["evaluators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["user"] == evaluator.to_string() && e["capacity"] == 12)
    );
    let outsider = user(&app, ORGANISER).await;
    let refused =
        with_token_json(&app, "PUT", &format!("{base}/evaluators/{outsider}"), &desk, json!({"capacity": 1})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "an account outside the pool: {}", refused.body);
    assert!(evaluation::evaluators(&app.db, id.parse().unwrap()).await.unwrap().iter().all(|e| e.user_id != outsider));
    let nowhere = json!({"themes": [Uuid::now_v7()]});
    assert_eq!(
        with_token_json(&app, "PUT", &one, &desk, nowhere).await.json()["error"]["code"],
        "error-sub-themes-theme-id"
    );

    // Screening runs after the deadline only; on the demo's closed call every submitted
    // proposal gets its outcomes.
    let early = with_token(&app, "POST", &format!("{base}/screening"), &desk, None).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert_eq!(early.json()["error"]["code"], "error-screening-before-deadline");
    let screened = with_token(&app, "POST", &format!("{demo_base}/screening"), &desk, None).await;
    assert_eq!(screened.status, StatusCode::OK, "{}", screened.body);
    let screened = screened.json();
    assert!(screened["screened"].as_u64().unwrap() > 0);
    let submitted = proposals::proposals_of_call(&app.db, demo_call.id).await.unwrap();
    for p in &submitted {
        let listed = screened["proposals"].as_array().unwrap().iter().find(|l| l["id"] == p.id.to_string()).unwrap();
        assert_eq!(listed["passed"].as_bool(), p.screening.as_deref().map(kaigi_core::screening::all_pass));
        if p.status == "submitted" {
            assert!(listed["passed"].is_boolean(), "a submitted proposal is screened");
        }
    }
    let read_back = with_token(&app, "GET", &format!("{demo_base}/screening"), &desk, None).await.json();
    assert_eq!(read_back["screened"], screened["screened"]);

    // Nobody else sets up calls; a read token reads but does not write.
    let evaluator_token = token(EVALUATOR, TokenScope::Write).await;
    assert_eq!(with_token(&app, "GET", &base, &evaluator_token, None).await.status, StatusCode::FORBIDDEN);
    let reader = token(SECRETARIAT, TokenScope::Read).await;
    assert_eq!(with_token(&app, "GET", &base, &reader, None).await.status, StatusCode::OK);
    assert_eq!(with_token_json(&app, "POST", calls_path, &reader, new).await.status, StatusCode::FORBIDDEN);
}

/// Issue 17: the call page sets an evaluator's capacity and expertise, and never enlists an
/// account that is not an evaluator of the edition, whatever the form says.
#[tokio::test]
async fn the_call_page_sets_an_evaluators_capacity_and_expertise() {
    use axum::http::StatusCode;
    let app = TestApp::with_demo().await;
    let (call, _) = demo_calls(&app).await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let themes = kaigi_db::editions::themes(&app.db, edition.id).await.unwrap();
    let mut desk = app.signed_in(SECRETARIAT).await;
    let page_path = format!("/editions/igf-2026/calls/{}", call.id);
    let page = desk.get(&page_path).await;
    let pool = evaluation::evaluators(&app.db, call.id).await.unwrap();
    let first = &pool[0];
    let form = forms_of(&page.body)
        .into_iter()
        .find(|f| f.action.ends_with("/evaluators") && f.value("user") == Some(first.user_id.to_string().as_str()))
        .expect("each evaluator has a form on the call page");
    assert!(page.body.contains(&format!("value=\"{}\"", themes[0].id)), "the edition's themes are offered");
    let (theme_a, theme_b) = (themes[0].id.to_string(), themes[1].id.to_string());
    let fields = [
        ("user", first.user_id.to_string()),
        ("capacity", "7".to_owned()),
        ("theme", theme_a.clone()),
        ("theme", theme_b.clone()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = desk.post_form(&form.action, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let now = evaluation::evaluators(&app.db, call.id).await.unwrap();
    let now = now.iter().find(|e| e.user_id == first.user_id).unwrap();
    assert_eq!((now.capacity, now.themes.clone()), (Some(7), format!("{theme_a},{theme_b}")));
    let again = desk.get(&page_path).await;
    assert!(again.body.contains("value=\"7\""), "the capacity shows in the form");

    let outsider = user(&app, ORGANISER).await.to_string();
    let refused = desk.post_form(&form.action, &[("user", outsider.as_str()), ("capacity", "3")]).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(evaluation::evaluators(&app.db, call.id).await.unwrap().iter().all(|e| e.user_id.to_string() != outsider));
}

/// Issue 16 (and the trust issue): an evaluator declares a conflict of interest through the
/// API as on the evaluation page — with a reason, the proposal leaves their list at once (403
/// from then on) and another evaluator takes the place.
#[tokio::test]
async fn an_evaluator_declares_a_conflict_through_the_api() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let evaluator = user(&app, EVALUATOR).await;
    let (_, token) = kaigi_db::tokens::create(&app.db, &Actor::system("test"), evaluator, "eval", TokenScope::Write, 1)
        .await
        .unwrap();
    let list = with_token(&app, "GET", "/api/v1/evaluations", &token, None).await.json();
    let open = list["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["state"] != "submitted")
        .expect("the demo evaluator has an evaluation to do");
    let proposal = open["proposal"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/evaluations/{proposal}/conflict");
    let blank = with_token_json(&app, "POST", &path, &token, json!({"reason": "   "})).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", blank.body);
    let long = with_token_json(&app, "POST", &path, &token, json!({"reason": "あ".repeat(2001)})).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", long.body);
    assert_eq!(
        with_token(&app, "GET", &format!("/api/v1/evaluations/{proposal}"), &token, None).await.status,
        StatusCode::OK
    );

    let declared = with_token_json(&app, "POST", &path, &token, json!({"reason": "I advise the organiser"})).await;
    assert_eq!(declared.status, StatusCode::OK, "{}", declared.body);
    assert_eq!(declared.json()["declared"], true);
    let id: Uuid = proposal.parse().unwrap();
    assert!(!evaluation::is_assigned(&app.db, id, evaluator).await.unwrap(), "off their list");
    let stored: String = kaigi_db::on_db!(&app.db, pool => sqlx::query_scalar(
        "select reason from evaluator_conflicts where proposal_id = $1 and user_id = $2")
        .bind(id).bind(evaluator).fetch_one(pool).await)
    .unwrap();
    assert_eq!(stored, "I advise the organiser");
    assert_eq!(
        with_token(&app, "GET", &format!("/api/v1/evaluations/{proposal}"), &token, None).await.status,
        StatusCode::FORBIDDEN
    );
    let after = with_token(&app, "GET", "/api/v1/evaluations", &token, None).await.json();
    assert!(after["evaluations"].as_array().unwrap().iter().all(|e| e["proposal"] != proposal.as_str()));
    if declared.json()["replaced"] == true {
        let evaluators = kaigi_db::evaluation::assignments(&app.db, call_of_proposal(&app, id).await).await.unwrap();
        assert!(evaluators.iter().any(|a| a.proposal_id == id && a.user_id != evaluator), "someone took the place");
    }
}

async fn call_of_proposal(app: &TestApp, proposal: Uuid) -> Uuid {
    proposals::proposal(&app.db, proposal).await.unwrap().unwrap().call_id.unwrap()
}
