//! Edition setup for the secretariat: days with their hours and breaks, rooms with seats,
//! equipment and availability, tracks and themes, each edited in its own small form. Every form
//! changes one part of the whole setup document, which is checked and stored as one (with the
//! version the page was opened at), so the browser and `kaigi edition setup` share one rule book.
//! New editions are created by administrators.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::setup::{
    EditionSetup, FEATURES, SetupDay, SetupLabel, SetupRoom, format_availability, format_spans, parse_availability,
    parse_spans,
};
use kaigi_db::setup::{self as stored, NewEdition};
use serde::Deserialize;

use super::edition_by_slug as edition;
use super::{Page, form_date, render};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};

pub struct DayForm {
    pub date: String,
    pub shown_date: String,
    pub label: String,
    pub start: String,
    pub end: String,
    pub breaks: String,
}

pub struct RoomForm {
    pub key: String,
    pub name: String,
    pub capacity: i64,
    /// (code, label, checked)
    pub features: Vec<(String, String, bool)>,
    pub available: String,
}

pub struct LabelSection {
    pub part: &'static str,
    pub heading: &'static str,
    pub labels: Vec<LabelForm>,
}

pub struct LabelForm {
    pub key: String,
    pub name: String,
    pub name_ja: String,
}

#[derive(Template)]
#[template(path = "edition_setup.html")]
struct SetupPage {
    page: Page,
    slug: String,
    timezone: String,
    version: i64,
    problem: Option<String>,
    days: Vec<DayForm>,
    rooms: Vec<RoomForm>,
    label_sections: Vec<LabelSection>,
    new_features: Vec<(String, String, bool)>,
}

async fn setup_page(state: &AppState, ctx: &Ctx, slug: &str, problem: Option<String>) -> AppResult<Html<String>> {
    let edition = edition(state, slug).await?;
    let setup = stored::load(&state.db, edition.id).await?;
    let page = Page::new(ctx, String::new());
    let title = format!("{} — {}", page.pick(&edition.name, &edition.name_ja), page.t("setup-title"));
    let page = Page { title, ..page };
    let features = |have: &[String]| {
        FEATURES.iter().map(|f| (f.to_string(), page.t(&format!("feature-{f}")), have.iter().any(|h| h == f))).collect()
    };
    let labels = |labels: &[SetupLabel]| {
        labels
            .iter()
            .map(|l| LabelForm {
                key: l.id.clone().unwrap_or_default(),
                name: l.name.clone(),
                name_ja: l.name_ja.clone().unwrap_or_default(),
            })
            .collect()
    };
    render(&SetupPage {
        slug: edition.slug.clone(),
        timezone: edition.timezone.clone(),
        version: setup.version.unwrap_or(0),
        problem,
        days: setup
            .days
            .iter()
            .map(|d| DayForm {
                shown_date: form_date("date", &d.date).map(|x| page.date(&x)).unwrap_or_else(|_| d.date.clone()),
                date: d.date.clone(),
                label: d.label.clone(),
                start: d.start.clone(),
                end: d.end.clone(),
                breaks: format_spans(&d.breaks),
            })
            .collect(),
        rooms: setup
            .rooms
            .iter()
            .map(|r| RoomForm {
                key: r.id.clone().unwrap_or_default(),
                name: r.name.clone(),
                capacity: r.capacity,
                features: features(&r.features),
                available: format_availability(&r.available),
            })
            .collect(),
        label_sections: vec![
            LabelSection { part: "track", heading: "edition-tracks", labels: labels(&setup.tracks) },
            LabelSection { part: "theme", heading: "edition-themes", labels: labels(&setup.themes) },
        ],
        new_features: features(&[]),
        page,
    })
}

pub async fn show_setup(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Html<String>> {
    setup_page(&state, &ctx, &slug, None).await
}

/// The setup as the JSON document `kaigi edition setup` reads and writes.
pub async fn setup_json(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
    Path(_): Path<String>,
) -> AppResult<Json<EditionSetup>> {
    Ok(Json(stored::load(&state.db, edition.id).await?))
}

/// One small form of the setup page: which part, which item (empty: a new one), and its fields.
#[derive(Debug, Default, Deserialize)]
pub struct PartForm {
    version: i64,
    part: String,
    #[serde(default)]
    key: String,
    remove: Option<String>,
    #[serde(default)]
    date: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    breaks: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_ja: String,
    #[serde(default)]
    capacity: String,
    feature_hybrid: Option<String>,
    feature_interpretation: Option<String>,
    #[serde(default)]
    available: String,
}

/// What a form's problem is called on the page: the name typed, else the key it edits.
fn place(name: &str, otherwise: &str) -> String {
    if name.trim().is_empty() { otherwise.to_owned() } else { name.trim().to_owned() }
}

/// The setup with the form's change made, or what is wrong with the form.
fn changed(mut setup: EditionSetup, form: &PartForm) -> Result<EditionSetup, AppError> {
    setup.version = Some(form.version);
    let removing = form.remove.is_some();
    let key = form.key.trim();
    match form.part.as_str() {
        "day" => {
            let at = setup.days.iter().position(|d| d.date == key);
            if removing {
                setup.days.retain(|d| d.date != key);
                return Ok(setup);
            }
            let date = if key.is_empty() { form.date.trim() } else { key };
            let day = SetupDay {
                date: date.to_owned(),
                label: form.label.trim().to_owned(),
                start: form.start.trim().to_owned(),
                end: form.end.trim().to_owned(),
                breaks: parse_spans(&form.breaks)
                    .map_err(|e| AppError::Refused(vec![e.with("where", place(&form.label, date))]))?,
            };
            match at {
                Some(i) => setup.days[i] = day,
                None if key.is_empty() => {
                    setup.days.push(day);
                    setup.days.sort_by(|a, b| a.date.cmp(&b.date));
                }
                None => return Err(AppError::refused("error-setup-gone")),
            }
        }
        "room" => {
            let at = setup.rooms.iter().position(|r| r.id.as_deref() == Some(key));
            if removing {
                setup.rooms.retain(|r| r.id.as_deref() != Some(key));
                return Ok(setup);
            }
            let capacity = form.capacity.trim();
            let capacity = if capacity.is_empty() {
                0
            } else {
                capacity.parse().map_err(|_| AppError::not_a_number("capacity", capacity))?
            };
            // Equipment the form does not offer is kept as it was.
            let mut features: Vec<String> = at
                .map(|i| setup.rooms[i].features.iter().filter(|f| !FEATURES.contains(&f.as_str())).cloned().collect())
                .unwrap_or_default();
            for (code, on) in [("hybrid", &form.feature_hybrid), ("interpretation", &form.feature_interpretation)] {
                if on.is_some() {
                    features.push(code.to_owned());
                }
            }
            let room = SetupRoom {
                id: (!key.is_empty()).then(|| key.to_owned()),
                name: form.name.trim().to_owned(),
                capacity,
                features,
                available: parse_availability(&form.available)
                    .map_err(|e| AppError::Refused(vec![e.with("where", place(&form.name, "—"))]))?,
            };
            match at {
                Some(i) => setup.rooms[i] = room,
                None if key.is_empty() => setup.rooms.push(room),
                None => return Err(AppError::refused("error-setup-gone")),
            }
        }
        part @ ("track" | "theme") => {
            let labels = if part == "track" { &mut setup.tracks } else { &mut setup.themes };
            let at = labels.iter().position(|l| l.id.as_deref() == Some(key));
            if removing {
                labels.retain(|l| l.id.as_deref() != Some(key));
                return Ok(setup);
            }
            let label = SetupLabel {
                id: (!key.is_empty()).then(|| key.to_owned()),
                name: form.name.trim().to_owned(),
                name_ja: Some(form.name_ja.trim().to_owned()).filter(|n| !n.is_empty()),
            };
            match at {
                Some(i) => labels[i] = label,
                None if key.is_empty() => labels.push(label),
                None => return Err(AppError::refused("error-setup-gone")),
            }
        }
        other => return Err(AppError::not_a_choice("part", other)),
    }
    Ok(setup)
}

pub async fn save_setup(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<PartForm>,
) -> AppResult<Response> {
    let current = stored::load(&state.db, edition.id).await?;
    let refused = |message: String| async {
        let page = setup_page(&state, &ctx, &slug, Some(message)).await?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let setup = match changed(current, &form) {
        Ok(setup) => setup,
        Err(e) => return refused(e.message(ctx.lang)).await,
    };
    match stored::store(&state.db, &ctx.actor(), edition.id, &setup).await {
        Ok(_) => Ok(Redirect::to(&format!("/editions/{slug}/setup#{}s", form.part)).into_response()),
        Err(e) if e.is_refusal() => refused(AppError::from(e).message(ctx.lang)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct NewEditionForm {
    slug: String,
    name: String,
    #[serde(default)]
    name_ja: String,
    timezone: String,
    #[serde(default)]
    venue: String,
    starts_on: String,
    ends_on: String,
}

/// Administrators create an edition; its secretariat then sets it up.
pub async fn create_edition(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewEditionForm>,
) -> AppResult<Response> {
    let new = NewEdition {
        slug: form.slug.trim().to_owned(),
        name: form.name,
        name_ja: Some(form.name_ja),
        timezone: form.timezone,
        venue: Some(form.venue),
        starts_on: form_date("starts_on", &form.starts_on)?,
        ends_on: form_date("ends_on", &form.ends_on)?,
    };
    stored::create_edition(&state.db, &ctx.actor(), &new).await?;
    Ok(Redirect::to(&format!("/editions/{}/setup", new.slug)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn form(part: &str, key: &str) -> PartForm {
        PartForm { version: 3, part: part.into(), key: key.into(), ..Default::default() }
    }

    #[test]
    fn a_form_changes_one_part_only() {
        let setup = EditionSetup {
            version: Some(3),
            rooms: vec![SetupRoom {
                id: Some("r1".into()),
                name: "Hall".into(),
                capacity: 10,
                features: vec!["hybrid".into(), "stage".into()],
                available: None,
            }],
            ..Default::default()
        };
        let mut f = form("room", "r1");
        f.name = "Main Hall".into();
        f.capacity = "1000".into();
        f.feature_interpretation = Some("on".into());
        let after = changed(setup.clone(), &f).expect("changed");
        assert_eq!(after.rooms[0].name, "Main Hall");
        assert_eq!(after.rooms[0].features, ["stage", "interpretation"], "unknown equipment is kept");
        let mut f = form("room", "r1");
        f.remove = Some("1".into());
        assert!(changed(setup.clone(), &f).expect("removed").rooms.is_empty());
        let mut f = form("day", "");
        f.date = "2026-06-23".into();
        f.breaks = "lunch".into();
        // The day has no label yet, so the problem is placed by its date, in either language.
        let refused = changed(setup.clone(), &f).unwrap_err();
        assert_eq!(refused.message(Lang::En), "2026-06-23: “lunch” is not a time span like 13:00–14:00.");
        assert_eq!(refused.message(Lang::Ja), "2026-06-23：「lunch」は 13:00–14:00 のような時間帯になっていません。");
        assert!(changed(setup, &form("nonsense", "")).is_err());
    }
}
