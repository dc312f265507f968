//! What the evaluations say: aggregated results with a cut-off, and similar proposals.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use kaigi_core::evaluation::{Normalisation, Settings};
use kaigi_db::{evaluation, proposals};

use super::calls::call_of;
use super::forms::{Fields, field};
use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::AppResult;

pub struct ResultRow {
    pub proposal_id: String,
    pub title: String,
    pub session_type: String,
    pub theme: String,
    pub rank: usize,
    pub rank_in_theme: usize,
    pub evaluations: usize,
    pub raw: String,
    pub normalised: String,
    pub adjusted: String,
    pub spread: String,
    pub disagreement: bool,
    pub within: bool,
    pub moved_in: bool,
    /// The decision taken, in the reader's words.
    pub decision: Option<String>,
    /// Ticked for the bulk decision: within the slots and not decided yet.
    pub checked: bool,
}

pub struct CriterionRow {
    pub name: String,
    pub mean: String,
    pub spread: String,
    pub correlation: String,
    pub indistinct: bool,
    pub counted: bool,
}

#[derive(Template)]
#[template(path = "call_results.html")]
struct ResultsPage {
    page: Page,
    slug: String,
    call_id: String,
    zscore: bool,
    disagreement: String,
    slots: Vec<(String, String, String)>,
    bonuses: Vec<(String, String, String)>,
    cutoffs: Vec<(String, String)>,
    rows: Vec<ResultRow>,
    criteria: Vec<CriterionRow>,
    evaluators: Vec<(String, usize, String, String, bool)>,
    chart: String,
    evaluations: usize,
    /// How many proposals the last bulk decision decided (shown once after it).
    decided: Option<usize>,
    /// Why the bulk decision just sent was refused; the form then shows what was sent.
    refusal: Option<String>,
    reject_chosen: bool,
    note: String,
}

/// A refused bulk decision as it was sent: the ranking shows it again, ticks and note kept.
pub struct Sent {
    pub refusal: String,
    pub ticked: std::collections::HashSet<String>,
    pub reject: bool,
    pub note: String,
}

pub async fn show_results(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<Fields>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    results_page(&state, &ctx, &edition, call, &query, None).await
}

async fn results_page(
    state: &AppState,
    ctx: &Ctx,
    edition: &kaigi_db::editions::Edition,
    call: kaigi_db::calls::Call,
    query: &Fields,
    sent: Option<Sent>,
) -> AppResult<Html<String>> {
    let (state, query) = (state.clone(), query.clone());
    let page = Page::new(ctx, String::new());
    let lang = ctx.lang;
    let title = format!("{} — {}", page.pick(&call.name, &call.name_ja), page.t("results-title"));
    let number =
        |name: &str, default: f64| field(&query, name).parse::<f64>().ok().filter(|v| v.is_finite()).unwrap_or(default);
    let mut slots = BTreeMap::new();
    for t in &call.settings.session_types {
        if let Ok(n) = field(&query, &format!("slots-{}", t.code())).parse::<usize>() {
            slots.insert(t.code().to_owned(), n);
        }
    }
    let regions = kaigi_core::directory::UnRegion::ALL;
    let mut region_bonus = BTreeMap::new();
    for r in regions {
        let v = number(&format!("bonus-{}", r.code()), 0.0);
        if v != 0.0 {
            region_bonus.insert(r.code().to_owned(), v);
        }
    }
    let zscore = field(&query, "normalisation") != "none";
    let settings = Settings {
        normalisation: if zscore { Normalisation::ZScore } else { Normalisation::None },
        disagreement: number("disagreement", 1.0),
        slots: slots.clone(),
        region_bonus: region_bonus.clone(),
        ..Settings::default()
    };
    let disagreement = settings.disagreement;
    let evaluation::Ranking { aggregate, proposals, rubric: general, evaluations } =
        evaluation::ranking(&state.db, &call, settings).await?;
    let themes: HashMap<String, String> = kaigi_db::editions::themes(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), page.pick(&t.name, &t.name_ja).to_owned()))
        .collect();
    let users: HashMap<String, String> = evaluation::evaluators(&state.db, call.id)
        .await?
        .into_iter()
        .map(|e| (e.user_id.to_string(), e.display_name))
        .collect();
    let f2 = |v: f64| format!("{v:.2}");
    // Scores in half-point bins: where the cut-off falls is seen at a glance.
    let mut bins: BTreeMap<i64, i64> = BTreeMap::new();
    for r in aggregate.ranked.iter().filter(|r| r.evaluations > 0) {
        *bins.entry((r.adjusted * 2.0).floor() as i64).or_default() += 1;
    }
    let chart_bars: Vec<(String, i64)> =
        bins.iter().rev().map(|(b, n)| (format!("{:.1}–{:.1}", *b as f64 / 2.0, (*b + 1) as f64 / 2.0), *n)).collect();
    render(&ResultsPage {
        slug: edition.slug.clone(),
        call_id: call.id.to_string(),
        zscore,
        disagreement: f2(disagreement),
        slots: call
            .settings
            .session_types
            .iter()
            .filter(|t| call.settings.is_evaluated(t.code()))
            .map(|t| {
                (
                    t.code().to_owned(),
                    vocab(lang, "session-type", Some(t.code())),
                    slots.get(t.code()).map(|n| n.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        bonuses: regions
            .iter()
            .map(|r| {
                (
                    r.code().to_owned(),
                    vocab(lang, "region", Some(r.code())),
                    region_bonus.get(r.code()).map(|v| v.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        cutoffs: aggregate
            .cutoffs
            .iter()
            .map(|(t, v)| (vocab(lang, "session-type", Some(t)), format!("{v:.3}")))
            .collect(),
        rows: aggregate
            .ranked
            .iter()
            .map(|r| ResultRow {
                proposal_id: r.proposal.clone(),
                title: proposals.get(&r.proposal).map(|p| p.fields.title.clone()).unwrap_or_default(),
                session_type: vocab(lang, "session-type", Some(&r.session_type)),
                theme: r.theme.as_ref().and_then(|t| themes.get(t).cloned()).unwrap_or_default(),
                rank: r.rank_in_type,
                rank_in_theme: r.rank_in_theme,
                evaluations: r.evaluations,
                raw: f2(r.raw),
                normalised: f2(r.normalised),
                adjusted: f2(r.adjusted),
                spread: f2(r.spread),
                disagreement: r.disagreement,
                within: r.within_slots,
                moved_in: r.within_slots && !r.within_without_bonus,
                decision: proposals
                    .get(&r.proposal)
                    .and_then(|p| p.decision.as_deref())
                    .map(|d| vocab(lang, "verdict", Some(d))),
                // One evaluation is too thin to decide in bulk: such a proposal is looked at alone.
                checked: match &sent {
                    Some(sent) => sent.ticked.contains(&r.proposal),
                    None => {
                        r.within_slots
                            && r.evaluations >= 2
                            && proposals.get(&r.proposal).is_some_and(|p| p.decision.is_none())
                    }
                },
            })
            .collect(),
        criteria: aggregate
            .criteria
            .iter()
            .map(|c| {
                let known = general.rubric.criteria.iter().find(|x| x.id == c.id);
                CriterionRow {
                    name: known.map_or_else(|| c.id.clone(), |k| page.pick(&k.name, &k.name_ja).to_owned()),
                    mean: f2(c.mean),
                    spread: f2(c.spread),
                    correlation: c.correlation.map(f2).unwrap_or_else(|| "—".into()),
                    indistinct: c.indistinct,
                    counted: known.is_none_or(|k| k.counted),
                }
            })
            .collect(),
        evaluators: aggregate
            .evaluators
            .iter()
            .map(|e| {
                (
                    users.get(&e.evaluator).cloned().unwrap_or_default(),
                    e.evaluations,
                    f2(e.mean),
                    f2(e.spread),
                    e.normalised,
                )
            })
            .collect(),
        chart: super::charts::bar_chart(&chart_bars),
        evaluations,
        decided: field(&query, "decided").parse().ok(),
        reject_chosen: sent.as_ref().is_some_and(|s| s.reject),
        note: sent.as_ref().map(|s| s.note.clone()).unwrap_or_default(),
        refusal: sent.map(|s| s.refusal),
        page: Page { title, ..page },
    })
}

pub struct PairView {
    pub score: String,
    pub a_id: String,
    pub a_title: String,
    pub a_text: String,
    pub b_id: String,
    pub b_title: String,
    pub b_text: String,
}

#[derive(Template)]
#[template(path = "call_similar.html")]
struct SimilarPage {
    page: Page,
    slug: String,
    call_id: String,
    pairs: Vec<PairView>,
    threshold: String,
}

/// A text with its shared passages marked; everything is escaped here, the marks added after.
fn marked(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut ranges: Vec<_> = ranges.to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&crate::error::html_escape(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&crate::error::html_escape(&text[r.start..r.end]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&crate::error::html_escape(&text[at..]));
    out
}

/// The ranking's ticked proposals decided at once (accept or reject; conditions and merges
/// are decided on the proposal's own page): all of them or, on a refusal, none.
pub async fn decide_selected(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    axum::Form(fields): axum::Form<Fields>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    use kaigi_db::decisions::{Decision, Verdict};
    let call = call_of(&state, edition.id, &id).await?;
    let verdict = match field(&fields, "verdict") {
        "accept" => Verdict::Accept,
        "reject" => Verdict::Reject,
        other => return Err(crate::error::AppError::not_a_choice("verdict", other)),
    };
    let note = field(&fields, "note").to_owned();
    // The ranking is the call's: a proposal of another call of the edition is not one of its
    // lines, however the form was put together.
    let of_call: std::collections::HashSet<uuid::Uuid> =
        proposals::proposals_of_call(&state.db, call.id).await?.into_iter().map(|p| p.id).collect();
    let mut chosen = Vec::new();
    let mut not_in_call = None;
    for (_, value) in fields.iter().filter(|(k, _)| k == "proposal") {
        let proposal = uuid::Uuid::parse_str(value).map_err(|_| crate::error::AppError::NotFound)?;
        if !of_call.contains(&proposal) {
            not_in_call.get_or_insert(proposal);
            continue;
        }
        if !chosen.iter().any(|(p, _)| *p == proposal) {
            chosen.push((
                proposal,
                Decision { verdict, conditions: Vec::new(), merge_with: Vec::new(), note: note.clone() },
            ));
        }
    }
    let refused = |error: crate::error::AppError| {
        let ticked = fields.iter().filter(|(k, _)| k == "proposal").map(|(_, v)| v.clone()).collect();
        Sent { refusal: error.message(ctx.lang), ticked, reject: verdict == Verdict::Reject, note: note.clone() }
    };
    let outcome = match (not_in_call, chosen.is_empty()) {
        (Some(stranger), _) => {
            Err(crate::error::AppError::refused("error-decide-not-in-call").with("proposal", stranger))
        }
        (None, true) => Err(crate::error::AppError::refused("error-decide-none")),
        (None, false) => {
            kaigi_db::decisions::decide_all(&state.db, &ctx.actor(), edition.id, &chosen, &state.config.public_url)
                .await
                .map_err(crate::error::AppError::from)
        }
    };
    let decided = match outcome {
        Ok(decided) => decided,
        // Not a bare error page: the ranking again, with the ticks and the note as sent.
        Err(error @ crate::error::AppError::Refused(_)) => {
            let sent = refused(error);
            let html = results_page(&state, &ctx, &edition, call, &Fields::new(), Some(sent)).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
        Err(other) => return Err(other),
    };
    Ok(axum::response::Redirect::to(&format!(
        "/editions/{}/calls/{}/results?decided={decided}#ranking",
        edition.slug, call.id
    ))
    .into_response())
}

pub async fn show_similar(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<Fields>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&call.name, &call.name_ja), page.t("similar-title"));
    let threshold = field(&query, "threshold").parse::<f64>().ok().filter(|t| (0.05..=1.0).contains(t)).unwrap_or(0.5);
    let proposals: Vec<proposals::Proposal> = proposals::proposals_of_call(&state.db, call.id)
        .await?
        .into_iter()
        .filter(|p| p.status != "withdrawn" && p.merged_into.is_none())
        .collect();
    let texts: Vec<String> =
        proposals.iter().map(|p| format!("{}\n{}", p.fields.title, p.fields.description)).collect();
    let pairs = kaigi_core::similarity::similar_pairs(&texts, threshold, 50)
        .into_iter()
        .map(|pair| {
            let (a, b) = (&proposals[pair.a], &proposals[pair.b]);
            let passages = kaigi_core::similarity::shared_passages(&a.fields.description, &b.fields.description, 8);
            PairView {
                score: format!("{:.0}%", pair.score * 100.0),
                a_id: a.id.to_string(),
                a_title: a.fields.title.clone(),
                a_text: marked(&a.fields.description, &passages.iter().map(|p| p.a.clone()).collect::<Vec<_>>()),
                b_id: b.id.to_string(),
                b_title: b.fields.title.clone(),
                b_text: marked(&b.fields.description, &passages.iter().map(|p| p.b.clone()).collect::<Vec<_>>()),
            }
        })
        .collect();
    render(&SimilarPage {
        slug: edition.slug.clone(),
        call_id: call.id.to_string(),
        pairs,
        threshold: format!("{threshold:.2}"),
        page: Page { title, ..page },
    })
}
