//! Server-rendered pages, one module per feature. Each page is an askama template struct
//! holding a [`Page`] (layout, language, navigation) and values already formatted in Rust.

use askama::Template;
use axum::response::Html;
use kaigi_core::access::Permission;
use time::Date;

use crate::auth::Ctx;
use crate::error::AppResult;
use crate::i18n::{self, Lang};

pub mod admin;
pub mod api_reference;
pub mod assignment;
pub mod calls;
pub mod charts;
pub mod committees;
pub mod decisions;
pub mod directory;
pub mod diversity;
pub mod editions;
pub mod evaluations;
pub mod forms;
pub mod home;
pub mod meetings;
pub mod participation;
pub mod polls;
pub mod proposals;
pub mod publishing;
pub mod registration;
pub mod results;
pub mod roundtables;
pub mod schedule;
pub mod search;
pub mod setup;
pub mod shared;
pub mod sign_in;
pub mod timetable;
pub mod timezone;
pub mod upload;
pub mod webhooks;

pub struct NavLink {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// What the base layout needs on every page.
pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub csrf: String,
    pub user_name: Option<String>,
    pub path: String,
    pub nav: Vec<NavLink>,
    /// The signed-in person's own pages (the menu under their name).
    pub mine: Vec<NavLink>,
    pub other_lang: Lang,
}

impl Page {
    pub fn new(ctx: &Ctx, title: String) -> Self {
        let lang = ctx.lang;
        let section = |href: &str| {
            if href == "/" { ctx.path == "/" } else { ctx.path.starts_with(href) }
        };
        let mut nav = vec![
            ("/", "nav-home", true),
            ("/committees", "nav-committees", true),
            ("/people", "nav-people", ctx.can(&Permission::ViewDirectory)),
            ("/organisations", "nav-organisations", ctx.can(&Permission::ViewDirectory)),
            ("/admin", "nav-admin", ctx.can(&Permission::AdministerSite)),
        ];
        nav.retain(|(_, _, shown)| *shown);
        // The signed-in person's own things, in the menu under their name: chosen by their
        // roles, one click from every page, and the site's own links stay on one line.
        let signed_in = ctx.user.is_some();
        let evaluator = ctx.principal.grants.iter().any(|g| g.role == kaigi_core::access::Role::Evaluator);
        let mut mine = vec![
            ("/agenda", "nav-my-agenda", signed_in),
            ("/registration", "nav-my-registration", signed_in),
            ("/proposals", "nav-proposals", signed_in),
            ("/evaluations", "nav-evaluations", evaluator),
            ("/me#actions", "nav-my-actions", ctx.user.as_ref().is_some_and(|u| u.person_id.is_some())),
            ("/me", "nav-my-account", signed_in),
        ];
        mine.retain(|(_, _, shown)| *shown);
        Self {
            lang,
            title,
            csrf: ctx.csrf.clone(),
            user_name: ctx.user.as_ref().map(|u| u.display_name.clone()),
            path: ctx.path.clone(),
            nav: nav
                .into_iter()
                .map(|(href, key, _)| NavLink { href, label: i18n::t(lang, key), current: section(href) })
                .collect(),
            mine: mine
                .into_iter()
                .map(|(href, key, _)| NavLink { href, label: i18n::t(lang, key), current: ctx.path == href })
                .collect(),
            other_lang: if lang == Lang::Ja { Lang::En } else { Lang::Ja },
        }
    }

    /// A page whose title is a Fluent key.
    pub fn titled(ctx: &Ctx, key: &str) -> Self {
        Self::new(ctx, i18n::t(ctx.lang, key))
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// A message with a `$count` (plural forms are the Fluent file's business).
    pub fn t_n(&self, key: &str, count: usize) -> String {
        i18n::t_args(self.lang, key, &[("count", fluent_bundle::FluentValue::from(count))])
    }

    pub fn date(&self, date: &Date) -> String {
        i18n::format_date(self.lang, *date)
    }

    /// A label in the reader's language when the content carries both.
    pub fn pick<'a>(&self, en: &'a str, ja: &'a Option<String>) -> &'a str {
        match (self.lang, ja) {
            (Lang::Ja, Some(ja)) if !ja.is_empty() => ja,
            _ => en,
        }
    }
}

impl Page {
    /// Committees are named in Japanese first, with an optional English name.
    pub fn committee_name<'a>(&self, ja: &'a str, en: &'a Option<String>) -> &'a str {
        match (self.lang, en) {
            (Lang::En, Some(en)) if !en.is_empty() => en,
            _ => ja,
        }
    }
}

/// The furthest a list may be paged.
pub const MAX_OFFSET: i64 = 1_000_000;

/// A page of a list: `limit` from 1 to `max` (`default` when left out), `offset` from 0 to
/// [`MAX_OFFSET`]; anything else is refused in words, never quietly clamped.
pub fn paging(limit: Option<i64>, offset: Option<i64>, default: i64, max: i64) -> AppResult<(i64, i64)> {
    let limit = limit.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(crate::error::AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(
            "limit", limit, 1, max,
        )]));
    }
    let offset = offset.unwrap_or(0);
    if !(0..=MAX_OFFSET).contains(&offset) {
        return Err(crate::error::AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(
            "offset", offset, 0, MAX_OFFSET,
        )]));
    }
    Ok((limit, offset))
}

/// The edition named by a URL's slug, or 404.
pub async fn edition_by_slug(state: &crate::AppState, slug: &str) -> AppResult<kaigi_db::editions::Edition> {
    kaigi_db::editions::edition_by_slug(&state.db, slug).await?.ok_or(crate::error::AppError::NotFound)
}

/// A date from a form field ("2026-04-15"), or an error naming the field.
pub fn form_date(field: &'static str, value: &str) -> AppResult<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let value = value.trim();
    Date::parse(value, &format).map_err(|_| kaigi_db::DbError::not_a_date(field, value).into())
}

pub fn render(template: &impl Template) -> AppResult<Html<String>> {
    Ok(Html(template.render()?))
}

/// The translated name of a vocabulary code ("civil-society" → "市民社会").
pub fn vocab(lang: Lang, prefix: &str, code: Option<&str>) -> String {
    match code {
        // A code kaigi has no words for (an imported schedule's "lecture") is shown as it came,
        // never as a message key.
        Some(code) if !code.is_empty() => {
            let key = format!("{prefix}-{code}");
            if i18n::has(lang, &key) { i18n::t(lang, &key) } else { code.to_owned() }
        }
        _ => "—".to_owned(),
    }
}

/// A moment as a clock reads it at the edition's venue ("2026年12月2日 09:41"), or in UTC when
/// the time zone is unknown.
pub fn format_time(page: &Page, at: time::OffsetDateTime, timezone: &str) -> String {
    let local = jiff::tz::TimeZone::get(timezone)
        .ok()
        .and_then(|tz| jiff::Timestamp::from_second(at.unix_timestamp()).ok().map(|ts| tz.to_datetime(ts)));
    let Some(local) = local else { return i18n::format_timestamp(page.lang, at) };
    let date = time::Month::try_from(local.month() as u8)
        .ok()
        .and_then(|m| Date::from_calendar_date(i32::from(local.year()), m, local.day() as u8).ok());
    match date {
        Some(date) => format!("{} {:02}:{:02}", page.date(&date), local.hour(), local.minute()),
        None => i18n::format_timestamp(page.lang, at),
    }
}
