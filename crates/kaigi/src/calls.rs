//! `kaigi call …`, `kaigi aggregate` and `kaigi similar`: the evaluation of a call from the
//! command line, and its two computations on files.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use kaigi_core::evaluation::{Entry, Normalisation, Scored, Settings};
use kaigi_db::calls::{self, Call};
use kaigi_db::proposals;
use kaigi_db::{Actor, Db, evaluation};
use serde::Deserialize;
use uuid::Uuid;

use crate::terminal::{ExitWith, emit, open, read_json};

#[derive(clap::Subcommand, Debug)]
pub enum CallCommand {
    /// The calls of every edition.
    List,
    /// Run the deadline screening of a closed call and report what failed.
    Screen { call: String },
    /// Solve the call's evaluator assignment exactly (kept pairs and conflicts honoured) and
    /// print it; --apply stores it.
    Assign {
        call: String,
        #[arg(long)]
        apply: bool,
    },
    /// Completion per evaluator and overall, beside the previous edition's.
    Progress {
        call: String,
        #[arg(long)]
        json: bool,
    },
    /// Email every evaluator with work left (through the outbox).
    Remind { call: String },
    /// The aggregated results: rankings, cut-offs, criterion statistics.
    Results {
        call: String,
        /// Slots per session type, e.g. --slots workshop=97 (repeatable).
        #[arg(long)]
        slots: Vec<String>,
        /// Bonus per region, e.g. --bonus african=0.2 (repeatable).
        #[arg(long)]
        bonus: Vec<String>,
        /// Rank the raw weighted scores, without per-evaluator normalisation.
        #[arg(long)]
        raw: bool,
    },
    /// Candidate merges: alike proposals of the call.
    Similar {
        call: String,
        #[arg(long, default_value_t = 0.25)]
        threshold: f64,
    },
}

fn line(text: impl AsRef<str>) {
    emit(&format!("{}\n", text.as_ref()));
}

async fn call_named(db: &Db, id: &str) -> Result<Call> {
    let uuid = Uuid::parse_str(id.trim()).map_err(|_| anyhow!("{id:?} is not a call id (see kaigi call list)"))?;
    calls::call(db, uuid).await?.ok_or_else(|| anyhow!("no call {id}"))
}

/// "workshop=97" pairs.
fn pairs<T: std::str::FromStr>(flag: &str, items: &[String]) -> Result<BTreeMap<String, T>> {
    items
        .iter()
        .map(|item| {
            let (k, v) = item.split_once('=').ok_or_else(|| anyhow!("--{flag} {item:?}: write NAME=VALUE"))?;
            let v = v.trim().parse().map_err(|_| anyhow!("--{flag} {item:?}: {v:?} is not a number"))?;
            Ok((k.trim().to_owned(), v))
        })
        .collect()
}

pub async fn run(url: &str, command: CallCommand) -> Result<()> {
    let db = open(url).await?;
    let actor = Actor::system("cli");
    match command {
        CallCommand::List => {
            for edition in kaigi_db::editions::list_editions(&db).await? {
                for c in calls::calls_of_edition(&db, edition.id).await? {
                    let n = proposals::proposals_of_call(&db, c.id).await?.len();
                    let state = if c.is_open(kaigi_db::now()) { "open" } else { "closed" };
                    line(format!(
                        "{}  {}  {}  {state}, closes {}  {n} proposals",
                        c.id, edition.slug, c.name, c.closes_at
                    ));
                }
            }
        }
        CallCommand::Screen { call } => {
            let call = call_named(&db, &call).await?;
            let (screened, failed) = kaigi_db::screening::screen_at_deadline(&db, &actor, &call).await?;
            line(format!("screened {screened} submitted proposals: {failed} failed at least one rule"));
            for p in proposals::proposals_of_call(&db, call.id).await? {
                for o in p.screening.iter().flatten().filter(|o| !o.passed) {
                    line(format!("{}  {}: {}", p.id, p.fields.title, o.explain()));
                }
            }
        }
        CallCommand::Assign { call, apply } => {
            let call = call_named(&db, &call).await?;
            let solution =
                evaluation::solve(&db, &call).await.map_err(|e| ExitWith { code: 3, message: e.to_string() })?;
            if apply {
                let applied = evaluation::apply(&db, &actor, call.id, &solution).await?;
                line(serde_json::to_string(&applied)?);
            } else {
                line(serde_json::to_string(&solution)?);
            }
        }
        CallCommand::Progress { call, json } => {
            let call = call_named(&db, &call).await?;
            let progress = evaluation::progress(&db, call.id).await?;
            let completion = evaluation::completion(&progress);
            let previous = evaluation::previous_completion(&db, &call).await?;
            if json {
                let evaluators: Vec<serde_json::Value> = progress
                    .iter()
                    .map(|p| {
                        serde_json::json!({"email": p.email, "name": p.display_name, "assigned": p.assigned,
                        "submitted": p.submitted, "drafts": p.drafts, "state": p.state()})
                    })
                    .collect();
                line(
                    serde_json::json!({"completion": completion, "previous": previous, "evaluators": evaluators})
                        .to_string(),
                );
            } else {
                let count = |s: &str| progress.iter().filter(|p| p.state() == s).count();
                line(format!(
                    "{:.0}% done (previous edition {}); {} evaluators: {} nothing done, {} part done, {} complete",
                    completion.unwrap_or(0.0),
                    previous.map(|p| format!("{p:.0}%")).unwrap_or_else(|| "unknown".into()),
                    progress.len(),
                    count("none"),
                    count("partial"),
                    count("complete")
                ));
                for p in &progress {
                    line(format!(
                        "{:<40} {:>3} / {:<3} drafts {:<3} {}",
                        p.email,
                        p.submitted,
                        p.assigned,
                        p.drafts,
                        p.state()
                    ));
                }
            }
        }
        CallCommand::Remind { call } => {
            let call = call_named(&db, &call).await?;
            let public = std::env::var("KAIGI_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
            let sent = evaluation::remind(&db, &actor, &call, &public).await?;
            line(format!("queued {sent} reminders in the outbox"));
        }
        CallCommand::Results { call, slots, bonus, raw } => {
            let call = call_named(&db, &call).await?;
            let settings = Settings {
                normalisation: if raw { Normalisation::None } else { Normalisation::ZScore },
                disagreement: 1.0,
                slots: pairs("slots", &slots)?,
                region_bonus: pairs("bonus", &bonus)?,
                ..Settings::default()
            };
            let ranking = evaluation::ranking(&db, &call, settings).await?;
            line(serde_json::to_string_pretty(&ranking.aggregate)?);
        }
        CallCommand::Similar { call, threshold } => {
            let call = call_named(&db, &call).await?;
            let proposals: Vec<proposals::Proposal> = proposals::proposals_of_call(&db, call.id)
                .await?
                .into_iter()
                .filter(|p| p.status != "withdrawn" && p.merged_into.is_none())
                .collect();
            let texts: Vec<Text> = proposals
                .iter()
                .map(|p| Text { id: p.id.to_string(), text: format!("{}\n{}", p.fields.title, p.fields.description) })
                .collect();
            line(serde_json::to_string_pretty(&similar(&texts, threshold))?);
        }
    }
    Ok(())
}

/// The input of `kaigi aggregate`.
#[derive(Deserialize)]
struct AggregateInput {
    entries: Vec<Entry>,
    evaluations: Vec<Scored>,
    settings: Settings,
}

pub fn aggregate_file(input: &Path) -> Result<()> {
    let input: AggregateInput = read_json(input)?;
    if input.evaluations.iter().any(|e| !e.total.is_finite()) {
        return Err(ExitWith { code: 2, message: "evaluations: every total must be a finite number".into() }.into());
    }
    line(serde_json::to_string_pretty(&kaigi_core::evaluation::aggregate(
        &input.entries,
        &input.evaluations,
        &input.settings,
    ))?);
    Ok(())
}

#[derive(Deserialize)]
struct Text {
    id: String,
    text: String,
}

fn similar(texts: &[Text], threshold: f64) -> serde_json::Value {
    let bodies: Vec<String> = texts.iter().map(|t| t.text.clone()).collect();
    let pairs: Vec<serde_json::Value> = kaigi_core::similarity::similar_pairs(&bodies, threshold, 200)
        .into_iter()
        .map(|p| {
            let (a, b) = (&texts[p.a], &texts[p.b]);
            let shared: Vec<String> = kaigi_core::similarity::shared_passages(&a.text, &b.text, 8)
                .into_iter()
                .map(|x| a.text[x.a].to_owned())
                .collect();
            serde_json::json!({"a": a.id, "b": b.id, "score": (p.score * 1000.0).round() / 1000.0, "shared": shared})
        })
        .collect();
    serde_json::json!({ "pairs": pairs })
}

pub fn similar_file(input: &Path, threshold: f64) -> Result<()> {
    let texts: Vec<Text> = read_json(input)?;
    if !(0.0..=1.0).contains(&threshold) {
        bail!("--threshold {threshold}: between 0 and 1");
    }
    line(serde_json::to_string_pretty(&similar(&texts, threshold))?);
    Ok(())
}
