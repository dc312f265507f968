//! Every route kaigi serves, with what it needs, in one table. The router is built from this
//! table, so a route cannot exist without a permission, and the route × role test walks the
//! same table.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::http::{HeaderName, HeaderValue};
use axum::routing::{MethodFilter, on};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
pub use crate::need::{Need, RouteSpec};
use crate::pages::{
    admin, api_reference, assignment, calls, committees, decisions, directory, diversity, editions, evaluations, home,
    meetings, participation, polls, proposals, publishing, registration, results, roundtables, schedule, search, setup,
    sign_in, timetable, webhooks,
};
use crate::{api, auth};

struct Routes {
    state: Option<AppState>,
    router: Router<AppState>,
    specs: Vec<RouteSpec>,
}

impl Routes {
    fn add<H, T>(mut self, method: Method, path: &'static str, need: Need, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        if let Some(state) = &self.state {
            let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
            let layer = axum::middleware::from_fn_with_state((state.clone(), need), auth::require);
            self.router = self.router.route(path, on(filter, handler).route_layer(layer));
        }
        self.specs.push(RouteSpec { method, path, need });
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::GET, path, need, handler)
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::POST, path, need, handler)
    }

    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::PUT, path, need, handler)
    }

    fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::DELETE, path, need, handler)
    }
}

fn all(routes: Routes) -> Routes {
    use Need::*;
    routes
        .get("/", Public, home::show_home)
        .get("/healthz", Public, home::health)
        .get("/static/kaigi.css", Public, home::stylesheet)
        .get("/static/kaigi.js", Public, home::script)
        .post("/language", Public, sign_in::switch_language)
        // Accounts
        .get("/login", Public, sign_in::show_login)
        .post("/login", Public, sign_in::login)
        .post("/logout", SignedIn, sign_in::logout)
        .get("/me", SignedIn, sign_in::show_account)
        .post("/me/profile", SignedIn, sign_in::save_profile)
        .post("/me/password", SignedIn, sign_in::change_password)
        .post("/me/sessions/end", SignedIn, sign_in::end_sessions)
        .get("/agenda", SignedIn, sign_in::my_agenda)
        .get("/registration", SignedIn, sign_in::my_registration)
        .post("/me/tokens", SignedIn, sign_in::create_token)
        .post("/me/tokens/revoke", SignedIn, sign_in::revoke_token)
        .get("/invitations/{token}", Public, sign_in::show_invitation)
        .post("/invitations/{token}", Public, sign_in::accept_invitation)
        .get("/password/forgot", Public, sign_in::show_forgot_password)
        .post("/password/forgot", Public, sign_in::request_password_reset)
        .get("/password/reset/{token}", Public, sign_in::show_password_reset)
        .post("/password/reset/{token}", Public, sign_in::reset_password)
        // Editions and committees
        .get("/editions/{edition}", Public, editions::show_edition)
        .get("/editions/{edition}/schedule", Public, schedule::show_schedule)
        .get("/editions/{edition}/sessions/{number}", Public, schedule::show_session)
        .get("/editions/{edition}/export/{file}", Public, schedule::export)
        .get("/editions/{edition}/speakers", Public, schedule::show_speakers)
        .get("/editions/{edition}/speakers/{speaker}", Public, schedule::show_speaker)
        .get("/editions/{edition}/changes", Public, publishing::show_changes)
        .get("/editions/{edition}/changes.json", Public, publishing::changes_json)
        .post("/editions/{edition}/sessions/{number}/star", SignedIn, schedule::star)
        .get("/editions/{edition}/agenda", SignedIn, schedule::my_agenda)
        .get("/editions/{edition}/agenda.ics", SignedIn, schedule::my_agenda_ics)
        .post("/editions/{edition}/agenda/feed", SignedIn, schedule::set_feed)
        .get("/feeds/{token}/agenda.ics", Public, schedule::feed_ics)
        .get("/editions/{edition}/manage", ManageEdition, editions::manage_edition)
        // Registration and participation
        .get("/editions/{edition}/signup", Public, registration::show_signup)
        .post("/editions/{edition}/signup", Public, registration::signup)
        .get("/editions/{edition}/registration", SignedIn, registration::show_registration)
        .post("/editions/{edition}/registration", SignedIn, registration::register)
        .post("/editions/{edition}/registration/cancel", SignedIn, registration::cancel)
        .get("/editions/{edition}/badge", SignedIn, registration::show_badge)
        .post("/editions/{edition}/sessions/{number}/signup", SignedIn, registration::toggle_signup)
        .get("/editions/{edition}/registrations", ManageEdition, registration::list_registrations)
        .get("/editions/{edition}/registrations.csv", ManageEdition, registration::export_registrations)
        .post("/editions/{edition}/registrations/categories", ManageEdition, registration::save_category)
        .post("/editions/{edition}/registrations/signups", ManageEdition, registration::set_signup_capacity)
        .get("/editions/{edition}/check-in", ManageEdition, registration::show_check_in)
        .post("/editions/{edition}/check-in", ManageEdition, registration::check_in)
        .get("/editions/{edition}/check-in/{code}", ManageEdition, registration::show_badge_check_in)
        .get("/editions/{edition}/statistics", ManageEdition, participation::show_statistics)
        .get("/editions/{edition}/statistics.csv", ManageEdition, participation::statistics_csv)
        .post("/editions/{edition}/statistics/import", AdministerSite, participation::import_figures)
        .post("/editions/{edition}/statistics/publish", ManageEdition, participation::publish)
        .get("/editions/{edition}/participation", Public, participation::show_public)
        .get("/editions/{edition}/participation.csv", Public, participation::public_csv)
        // Roundtables
        .get("/editions/{edition}/roundtables", ManageEdition, roundtables::list_roundtables)
        .post("/editions/{edition}/roundtables", ManageEdition, roundtables::create_roundtable)
        .get("/editions/{edition}/roundtables/{roundtable}", ManageEdition, roundtables::show_roundtable)
        .get("/editions/{edition}/roundtables/{roundtable}/chart", ManageEdition, roundtables::seating_chart)
        .post("/editions/{edition}/roundtables/{roundtable}/invitees", ManageEdition, roundtables::add_invitees)
        .post(
            "/editions/{edition}/roundtables/{roundtable}/invitees/{person}",
            ManageEdition,
            roundtables::change_invitee,
        )
        .post("/editions/{edition}/roundtables/{roundtable}/seat", ManageEdition, roundtables::seat)
        .post("/editions/{edition}/roundtables/{roundtable}/rapporteur", ManageEdition, roundtables::set_rapporteur)
        .get("/roundtables/{roundtable}/rounds/{round}/tables/{table}/report", ReportTable, roundtables::show_report)
        .post("/roundtables/{roundtable}/rounds/{round}/tables/{table}/report", ReportTable, roundtables::save_report)
        .get("/editions/{edition}/setup", ManageEdition, setup::show_setup)
        .post("/editions/{edition}/setup", ManageEdition, setup::save_setup)
        .get("/editions/{edition}/setup.json", ManageEdition, setup::setup_json)
        .get("/editions/{edition}/timetable", ManageEdition, timetable::show_editor)
        .get("/editions/{edition}/diversity", ManageEdition, diversity::show_diversity)
        .post("/editions/{edition}/timetable/move", ManageEdition, timetable::move_session)
        .post("/editions/{edition}/timetable/sessions", ManageEdition, timetable::create_session)
        .post("/editions/{edition}/timetable/solve", ManageEdition, timetable::preview_solve)
        .post("/editions/{edition}/timetable/apply", ManageEdition, timetable::apply_solve)
        .get("/editions/{edition}/programme/publish", ManageEdition, publishing::show_publish)
        .post("/editions/{edition}/programme/publish", ManageEdition, publishing::publish)
        .get("/editions/{edition}/webhooks", ManageEdition, webhooks::show_edition_webhooks)
        .post("/editions/{edition}/webhooks", ManageEdition, webhooks::create_edition_webhook)
        .get("/editions/{edition}/webhooks/{webhook}", ManageEdition, webhooks::show_edition_webhook)
        .post("/editions/{edition}/webhooks/{webhook}", ManageEdition, webhooks::act_on_edition_webhook)
        .get("/editions/{edition}/proposals/{proposal}", ManageEdition, decisions::show_proposal)
        .post("/editions/{edition}/proposals/{proposal}/decision", ManageEdition, decisions::decide)
        // Calls for proposals: the secretariat
        .get("/editions/{edition}/calls", ManageEdition, calls::list_calls)
        .post("/editions/{edition}/calls", ManageEdition, calls::create_call)
        .get("/editions/{edition}/calls/{call}", ManageEdition, calls::show_call)
        .post("/editions/{edition}/calls/{call}", ManageEdition, calls::save_call)
        .post("/editions/{edition}/calls/{call}/rubric", ManageEdition, calls::save_rubric)
        .post("/editions/{edition}/calls/{call}/screen", ManageEdition, calls::screen)
        .post("/editions/{edition}/calls/{call}/evaluators", ManageEdition, calls::save_evaluators)
        .get("/editions/{edition}/calls/{call}/assignment", ManageEdition, assignment::show_assignment)
        .post("/editions/{edition}/calls/{call}/assignment", ManageEdition, assignment::apply_assignment)
        .post("/editions/{edition}/calls/{call}/assignment/override", ManageEdition, assignment::override_assignment)
        .get("/editions/{edition}/calls/{call}/progress", ManageEdition, assignment::show_progress)
        .post("/editions/{edition}/calls/{call}/remind", ManageEdition, assignment::remind)
        .get("/editions/{edition}/calls/{call}/results", ManageEdition, results::show_results)
        .post("/editions/{edition}/calls/{call}/decisions", ManageEdition, results::decide_selected)
        .get("/editions/{edition}/calls/{call}/similar", ManageEdition, results::show_similar)
        // Calls for proposals: organisers
        .get("/calls/{call}", Public, proposals::show_call)
        .get("/calls/{call}/propose", SignedIn, proposals::new_proposal)
        .post("/calls/{call}/proposals", SignedIn, proposals::create_proposal)
        .get("/proposals", SignedIn, proposals::my_proposals)
        .get("/proposals/{proposal}", OrganiseProposal, proposals::show_proposal)
        .post("/proposals/{proposal}", OrganiseProposal, proposals::save_proposal)
        .post("/proposals/{proposal}/check", OrganiseProposal, proposals::check_proposal)
        .post("/proposals/{proposal}/status", OrganiseProposal, proposals::set_status)
        .post("/proposals/{proposal}/people", OrganiseProposal, proposals::add_person)
        .post("/proposals/{proposal}/people/{entry}", OrganiseProposal, proposals::change_person)
        .get("/proposals/confirm/{token}", Public, proposals::show_confirmation)
        .post("/proposals/confirm/{token}", Public, proposals::answer_confirmation)
        // Evaluation
        .get("/evaluations", SignedIn, evaluations::my_evaluations)
        .get("/evaluations/{proposal}", EvaluateProposal, evaluations::show_evaluation)
        .post("/evaluations/{proposal}", EvaluateProposal, evaluations::save_evaluation)
        .post("/evaluations/{proposal}/conflict", EvaluateProposal, evaluations::declare_conflict)
        .get("/search", Public, search::show_search)
        .get("/committees", Public, committees::list_committees)
        .get("/committees/{committee}", CommitteeInside, committees::show_committee)
        .get("/committees/{committee}/import", CommitteeInside, meetings::show_import)
        .post("/committees/{committee}/import", CommitteeInside, meetings::import_minutes)
        // Standing meetings
        .get("/meetings/{meeting}", MeetingInside, meetings::show_meeting)
        .post("/meetings/{meeting}/state", MeetingInside, meetings::change_state)
        .post("/meetings/{meeting}/details", MeetingInside, meetings::update_details)
        .post("/meetings/{meeting}/items/{item}/minutes", MeetingInside, meetings::save_minutes)
        .get("/meetings/{meeting}/items/{item}/history", MeetingInside, meetings::minutes_history)
        .post("/meetings/{meeting}/action-items/{action}/status", MeetingInside, meetings::set_action_status)
        .get("/meetings/{meeting}/minutes.md", MeetingInside, meetings::export_markdown)
        .get("/meetings/{meeting}/minutes.html", MeetingInside, meetings::export_html)
        .get("/meetings/{meeting}/minutes.pdf", MeetingInside, meetings::export_pdf)
        .get("/minutes/{meeting}", Public, meetings::public_minutes)
        .get("/committees/{committee}/minutes", Public, meetings::public_committee)
        .get("/committees/{committee}/meetings/new", CommitteeInside, meetings::new_meeting)
        .post("/committees/{committee}/meetings", CommitteeInside, meetings::create_meeting)
        .post("/meetings/{meeting}/items", MeetingInside, meetings::add_item)
        .post("/meetings/{meeting}/items/{item}/flags", MeetingInside, meetings::item_flags)
        .post("/meetings/{meeting}/attendance", MeetingInside, meetings::add_attendee)
        .post("/meetings/{meeting}/materials", MeetingInside, meetings::add_material)
        .get("/meetings/{meeting}/materials/{material}", MeetingInside, meetings::download_material)
        .post("/meetings/{meeting}/action-items", MeetingInside, meetings::add_action_item)
        .post("/meetings/{meeting}/decisions", MeetingInside, meetings::add_decision)
        .post("/meetings/{meeting}/draft-agenda", MeetingInside, meetings::add_draft_agenda_item)
        .post("/meetings/{meeting}/poll", MeetingInside, polls::open_poll)
        .get("/meetings/{meeting}/invitation.ics", MeetingInside, polls::meeting_ics)
        .get("/committees/{committee}/calendar.ics", CommitteeInside, polls::committee_ics)
        .post("/committees/{committee}/deadlines", CommitteeInside, polls::add_deadline)
        // Date polls
        .get("/polls/{poll}", PollInside, polls::show_poll)
        .post("/polls/{poll}/answers", PollInside, polls::answer_as_member)
        .post("/polls/{poll}/key-person", PollInside, polls::set_key_person)
        .post("/polls/{poll}/slots", PollInside, polls::add_slot)
        .post("/polls/{poll}/invite", PollInside, polls::invite)
        .post("/polls/{poll}/choose", PollInside, polls::choose)
        .get("/polls/answer/{token}", Public, polls::show_personal)
        .post("/polls/answer/{token}", Public, polls::answer_personal)
        // Directory
        .get("/people", ViewDirectory, directory::list_people)
        .get("/people/new", ManageDirectory, directory::new_person)
        .post("/people", ManageDirectory, directory::create_person)
        .get("/people/{person}", ViewDirectory, directory::show_person)
        .get("/people/{person}/edit", ManageDirectory, directory::edit_person)
        .post("/people/{person}", ManageDirectory, directory::update_person)
        .post("/people/{person}/affiliations", ManageDirectory, directory::add_affiliation)
        .post("/people/{person}/merge", ManageDirectory, directory::merge_person)
        .get("/organisations", ViewDirectory, directory::list_organisations)
        .post("/organisations", ManageDirectory, directory::create_organisation)
        // Administration
        .get("/admin", AdministerSite, admin::dashboard)
        .get("/admin/audit", AdministerSite, admin::audit_log)
        .get("/admin/outbox", AdministerSite, admin::outbox)
        .get("/admin/users", AdministerSite, admin::users)
        .post("/admin/invitations", AdministerSite, admin::invite)
        .get("/admin/webhooks", AdministerSite, webhooks::show_site_webhooks)
        .post("/admin/webhooks", AdministerSite, webhooks::create_site_webhook)
        .get("/admin/webhooks/{site_webhook}", AdministerSite, webhooks::show_site_webhook)
        .post("/admin/webhooks/{site_webhook}", AdministerSite, webhooks::act_on_site_webhook)
        .post("/admin/editions", AdministerSite, setup::create_edition)
        .get("/admin/import-schedule", AdministerSite, schedule::show_import)
        .post("/admin/import-schedule", AdministerSite, schedule::import)
        // JSON API
        .get("/api", Public, api_reference::show_reference)
        .get("/api/openapi.json", Public, openapi)
        .get("/api/v1/editions", Public, api::editions::list_editions)
        .get("/api/v1/editions/{edition}", Public, api::editions::get_edition)
        .get("/api/v1/editions/{edition}/participation", Public, api::get_participation)
        .get("/api/v1/editions/{edition}/programme", Public, api::get_programme)
        .get("/api/v1/editions/{edition}/programme/versions", Public, api::list_versions)
        .get("/api/v1/editions/{edition}/programme/preview", ManageEdition, api::preview_programme)
        .post("/api/v1/editions/{edition}/programme/publish", ManageEdition, api::publish_programme)
        .get("/api/v1/editions/{edition}/speakers", Public, api::editions::list_speakers)
        .get("/api/v1/editions/{edition}/calls", ManageEdition, api::decisions::list_calls)
        .post("/api/v1/editions/{edition}/calls", ManageEdition, api::calls::create_call)
        .get("/api/v1/editions/{edition}/calls/{call}", ManageEdition, api::calls::get_call)
        .put("/api/v1/editions/{edition}/calls/{call}", ManageEdition, api::calls::save_call)
        .put("/api/v1/editions/{edition}/calls/{call}/rubric", ManageEdition, api::calls::save_rubric)
        .get("/api/v1/editions/{edition}/calls/{call}/evaluators", ManageEdition, api::calls::list_evaluators)
        .post("/api/v1/editions/{edition}/calls/{call}/evaluators/enlist", ManageEdition, api::calls::enlist_evaluators)
        .put("/api/v1/editions/{edition}/calls/{call}/evaluators/{user}", ManageEdition, api::calls::set_evaluator)
        .get("/api/v1/editions/{edition}/calls/{call}/screening", ManageEdition, api::calls::screening_results)
        .post("/api/v1/editions/{edition}/calls/{call}/screening", ManageEdition, api::calls::screen)
        .get("/api/v1/editions/{edition}/calls/{call}/proposals", ManageEdition, api::decisions::list_proposals)
        .get("/api/v1/editions/{edition}/calls/{call}/results", ManageEdition, api::decisions::call_results)
        .post(
            "/api/v1/editions/{edition}/proposals/{proposal}/decision",
            ManageEdition,
            api::decisions::decide_proposal,
        )
        .post("/api/v1/editions/{edition}/decisions", ManageEdition, api::decisions::decide_many)
        .get("/api/v1/editions/{edition}/setup", ManageEdition, api::setup::get_setup)
        .put("/api/v1/editions/{edition}/setup", ManageEdition, api::setup::put_setup)
        .get("/api/v1/editions/{edition}/sessions", ManageEdition, api::timetable::list_sessions)
        .post("/api/v1/editions/{edition}/sessions", ManageEdition, api::timetable::create_session)
        .put("/api/v1/editions/{edition}/sessions/{number}/place", ManageEdition, api::timetable::move_session)
        .get("/api/v1/editions/{edition}/timetable/preview", ManageEdition, api::timetable::preview)
        .put("/api/v1/editions/{edition}/timetable", ManageEdition, api::timetable::apply)
        .get("/api/v1/editions/{edition}/calls/{call}/assignment", ManageEdition, api::assignment::get_assignment)
        .put("/api/v1/editions/{edition}/calls/{call}/assignment", ManageEdition, api::assignment::apply)
        .get("/api/v1/editions/{edition}/calls/{call}/assignment/preview", ManageEdition, api::assignment::preview)
        .post(
            "/api/v1/editions/{edition}/calls/{call}/assignment/overrides",
            ManageEdition,
            api::assignment::override_pair,
        )
        .get("/api/v1/editions/{edition}/calls/{call}/progress", ManageEdition, api::assignment::progress)
        .post("/api/v1/editions/{edition}/calls/{call}/reminders", ManageEdition, api::assignment::remind)
        .get("/api/v1/editions/{edition}/registration-categories", ManageEdition, api::registrations::list_categories)
        .put(
            "/api/v1/editions/{edition}/registration-categories/{code}",
            ManageEdition,
            api::registrations::save_category,
        )
        .put(
            "/api/v1/editions/{edition}/sessions/{number}/signup-capacity",
            ManageEdition,
            api::registrations::set_signup_capacity,
        )
        .get("/api/v1/editions/{edition}/statistics", ManageEdition, api::registrations::live_figures)
        .post("/api/v1/editions/{edition}/statistics/publish", ManageEdition, api::registrations::publish_figures)
        .get("/api/v1/editions/{edition}/registrations", ManageEdition, api::registrations::list_registrations)
        .post("/api/v1/editions/{edition}/check-in", ManageEdition, api::registrations::check_in)
        .get("/api/v1/editions/{edition}/webhooks", ManageEdition, api::webhooks::list_webhooks)
        .post("/api/v1/editions/{edition}/webhooks", ManageEdition, api::webhooks::create_webhook)
        .delete("/api/v1/editions/{edition}/webhooks/{webhook}", ManageEdition, api::webhooks::delete_webhook)
        .put("/api/v1/editions/{edition}/webhooks/{webhook}/active", ManageEdition, api::webhooks::set_active)
        .post("/api/v1/editions/{edition}/webhooks/{webhook}/ping", ManageEdition, api::webhooks::ping)
        .get("/api/v1/editions/{edition}/webhooks/{webhook}/deliveries", ManageEdition, api::webhooks::list_deliveries)
        .post(
            "/api/v1/editions/{edition}/webhooks/{webhook}/deliveries/{delivery}/redeliver",
            ManageEdition,
            api::webhooks::redeliver,
        )
        .get("/api/v1/editions/{edition}/roundtables", ManageEdition, api::roundtables::list_roundtables)
        .post("/api/v1/editions/{edition}/roundtables", ManageEdition, api::roundtables::create_roundtable)
        .get("/api/v1/editions/{edition}/roundtables/{roundtable}", ManageEdition, api::roundtables::get_roundtable)
        .post("/api/v1/editions/{edition}/roundtables/{roundtable}/invitees", ManageEdition, api::roundtables::invite)
        .put(
            "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees/{person}",
            ManageEdition,
            api::roundtables::pin_invitee,
        )
        .delete(
            "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees/{person}",
            ManageEdition,
            api::roundtables::uninvite,
        )
        .post("/api/v1/editions/{edition}/roundtables/{roundtable}/seating", ManageEdition, api::roundtables::seat)
        .put(
            "/api/v1/editions/{edition}/roundtables/{roundtable}/rounds/{round}/tables/{table}/rapporteur",
            ManageEdition,
            api::roundtables::set_rapporteur,
        )
        .get(
            "/api/v1/roundtables/{roundtable}/rounds/{round}/tables/{table}/report",
            ReportTable,
            api::roundtables::get_report,
        )
        .put(
            "/api/v1/roundtables/{roundtable}/rounds/{round}/tables/{table}/report",
            ReportTable,
            api::roundtables::save_report,
        )
        .get("/api/v1/editions/{edition}/agenda", SignedIn, api::agenda::get_agenda)
        .put("/api/v1/editions/{edition}/agenda/{number}", SignedIn, api::agenda::star)
        .delete("/api/v1/editions/{edition}/agenda/{number}", SignedIn, api::agenda::unstar)
        .post("/api/v1/editions/{edition}/agenda/feed", SignedIn, api::agenda::create_feed)
        .delete("/api/v1/editions/{edition}/agenda/feed", SignedIn, api::agenda::stop_feed)
        .get("/api/v1/me", SignedIn, api::me)
        .get("/api/v1/search", Public, api::search)
        .get("/api/v1/people", ViewDirectory, api::directory::list_people)
        .post("/api/v1/people", ManageDirectory, api::directory::create_person)
        .get("/api/v1/people/{person}", ViewDirectory, api::directory::get_person)
        .put("/api/v1/people/{person}", ManageDirectory, api::directory::update_person)
        .post("/api/v1/people/{person}/affiliations", ManageDirectory, api::directory::add_affiliation)
        .post("/api/v1/people/{person}/merge", ManageDirectory, api::directory::merge_person)
        .get("/api/v1/organisations", ViewDirectory, api::directory::list_organisations)
        .post("/api/v1/organisations", ManageDirectory, api::directory::create_organisation)
        .get("/api/v1/proposals", SignedIn, api::proposals::list_my_proposals)
        .post("/api/v1/calls/{call}/proposals", SignedIn, api::proposals::create_proposal)
        .get("/api/v1/proposals/{proposal}", OrganiseProposal, api::proposals::get_proposal)
        .put("/api/v1/proposals/{proposal}", OrganiseProposal, api::proposals::save_proposal)
        .post("/api/v1/proposals/{proposal}/status", OrganiseProposal, api::proposals::change_status)
        .post("/api/v1/proposals/{proposal}/people", OrganiseProposal, api::proposals::add_person)
        .get("/api/v1/evaluations", SignedIn, api::evaluations::list_my_evaluations)
        .get("/api/v1/evaluations/{proposal}", EvaluateProposal, api::evaluations::get_evaluation)
        .put("/api/v1/evaluations/{proposal}", EvaluateProposal, api::evaluations::save_evaluation)
        .post("/api/v1/evaluations/{proposal}/conflict", EvaluateProposal, api::evaluations::declare_conflict)
        .get("/api/v1/committees", Public, api::meetings::list_committees)
        .get("/api/v1/committees/{committee}/meetings", CommitteeInside, api::meetings::list_meetings)
        .post("/api/v1/committees/{committee}/meetings", CommitteeInside, api::meetings::create_meeting)
        .get("/api/v1/meetings/{meeting}", MeetingInside, api::meetings::get_meeting)
        .put("/api/v1/meetings/{meeting}/details", MeetingInside, api::meetings::save_details)
        .post("/api/v1/meetings/{meeting}/items", MeetingInside, api::meetings::add_item)
        .put("/api/v1/meetings/{meeting}/items/{item}/flags", MeetingInside, api::meetings::set_item_flags)
        .post("/api/v1/meetings/{meeting}/attendance", MeetingInside, api::meetings::add_attendee)
        .post("/api/v1/meetings/{meeting}/draft-agenda", MeetingInside, api::meetings::add_draft_topic)
        .put("/api/v1/meetings/{meeting}/items/{item}/minutes", MeetingInside, api::meetings::write_minutes)
        .post("/api/v1/meetings/{meeting}/action-items", MeetingInside, api::meetings::add_action_item)
        .post(
            "/api/v1/meetings/{meeting}/action-items/{action}/status",
            MeetingInside,
            api::meetings::set_action_status,
        )
        .post("/api/v1/meetings/{meeting}/decisions", MeetingInside, api::meetings::add_decision)
        .post("/api/v1/meetings/{meeting}/state", MeetingInside, api::meetings::change_minutes_state)
        .get("/api/v1/committees/{committee}/polls", CommitteeInside, api::polls::list_polls)
        .post("/api/v1/meetings/{meeting}/poll", MeetingInside, api::polls::open_poll)
        .get("/api/v1/polls/{poll}", PollInside, api::polls::get_poll)
        .put("/api/v1/polls/{poll}/answers", PollInside, api::polls::answer)
        .post("/api/v1/polls/{poll}/slots", PollInside, api::polls::add_slot)
        .put("/api/v1/polls/{poll}/key-person", PollInside, api::polls::set_key_person)
        .post("/api/v1/polls/{poll}/invitations", PollInside, api::polls::invite)
        .post("/api/v1/polls/{poll}/choice", PollInside, api::polls::choose)
}

/// Every route with its method and need.
pub fn route_table() -> Vec<RouteSpec> {
    all(Routes { state: None, router: Router::new(), specs: Vec::new() }).specs
}

pub(crate) fn build(state: AppState) -> Router {
    let routes = all(Routes { state: Some(state.clone()), router: Router::new(), specs: Vec::new() });
    routes
        .router
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::context,
        ))
        // Every extractor (forms, uploads) reads at most this much; urlencoded forms are
        // already cut at auth::FORM_LIMIT when their CSRF token is read.
        .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(security_header("referrer-policy", "same-origin"))
        .layer(security_header(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// The largest request body: a material upload with its form fields. Forms are read only up
/// to [`auth::FORM_LIMIT`].
const UPLOAD_LIMIT: usize = kaigi_db::meetings::MATERIAL_LIMIT + 64 * 1024;

fn security_header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value))
}

/// The OpenAPI document, built from this table so it lists every API route.
async fn openapi() -> axum::Json<serde_json::Value> {
    axum::Json(api::openapi_document(&route_table()))
}
